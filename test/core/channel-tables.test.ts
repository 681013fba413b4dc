// The dispatcher finds a channel's schemas by feature (shared/channel-tables.ts), loading
// only that feature; contract.ts composes the same tables for the window. They must agree.
import { describe, expect, it } from 'vitest';
import { channels, cliChannels, CHANNEL_NAMES } from '../../shared/contract';
import { allFeatureTables, channelSchemas } from '../../shared/channel-tables';

describe('channel tables by feature', () => {
  it('find every channel of the contract, as the very schema objects contract.ts holds', async () => {
    for (const name of CHANNEL_NAMES) {
      expect(await channelSchemas(name, { cli: false }), name).toBe(channels[name]);
      expect(await channelSchemas(name, { cli: true }), name).toBe(channels[name]);
    }
  });

  it('find the CLI-only channels for the CLI alone', async () => {
    for (const name of Object.keys(cliChannels) as Array<keyof typeof cliChannels>) {
      expect(await channelSchemas(name, { cli: true }), name).toBe(cliChannels[name]);
      expect(await channelSchemas(name, { cli: false }), name).toBeNull();
    }
  });

  it('declare nothing the contract does not', async () => {
    const declared = new Set<string>();
    for (const t of await allFeatureTables()) {
      for (const name of Object.keys(t.channels)) declared.add(name);
      for (const name of Object.keys(t.cli ?? {})) declared.add(name);
    }
    expect([...declared].sort()).toEqual([...CHANNEL_NAMES, ...Object.keys(cliChannels)].sort());
  });

  it('answer null for names no feature has', async () => {
    for (const name of ['', 'credentials', '.list', 'credentials.nope', '__proto__.x', 'constructor.name', 'toString.x', 'nope.list']) {
      expect(await channelSchemas(name, { cli: true }), name).toBeNull();
    }
  });
});
