// First run asks core whether the keychain can keep a key before offering it.
import { describe, expect, it } from 'vitest';
import { KeywardCore } from '../../electron/core/app/core';
import { createDispatcher } from '../../electron/core/app/handlers';
import type { KeyProvider } from '../../electron/core/keys/types';
import { removeTempDirs, tempDir } from '../support/fixtures';

function keychain(probe: () => Promise<string | null>): KeyProvider {
  const fail = async (): Promise<never> => {
    throw new Error('not used');
  };
  return { kind: 'keychain', probe, create: fail, load: fail, discard: async () => undefined };
}

describe('vault.probeKeychain', () => {
  it('says the keychain is available when its probe finds it, and why not when it does not', async () => {
    for (const [probe, expected] of [
      [async () => null, { available: true, reason: null }],
      [async () => 'No keychain is running on this computer.', { available: false, reason: 'No keychain is running on this computer.' }],
    ] as const) {
      const core = new KeywardCore({ vaultDir: tempDir(), keys: { choose: () => keychain(probe) } });
      expect(await createDispatcher(core)('vault.probeKeychain', {})).toEqual({ ok: true, data: expected });
      await core.close();
    }
    removeTempDirs();
  });
});
