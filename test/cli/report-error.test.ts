import { describe, expect, it } from 'vitest';
import { KeywardError } from '../../electron/core/errors';
import { EXIT, reportError, type CliIO } from '../../electron/cli/io';

function io(env: NodeJS.ProcessEnv = {}) {
  const err: string[] = [];
  const cli: CliIO = { stdout: () => undefined, stderr: (t) => void err.push(t), readSecret: async () => '', confirm: async () => false, isTTY: false, env };
  return { cli, err };
}

describe('reportError', () => {
  it('prints a Keyward error as one JSON line with --json, with its exit code', () => {
    const { cli, err } = io();
    expect(reportError(cli, new KeywardError('VAULT_LOCKED', 'Vault is locked.'), true)).toBe(EXIT.LOCKED);
    expect(err).toHaveLength(1);
    expect(JSON.parse(err[0])).toEqual({ error: { code: 'VAULT_LOCKED', message: 'Vault is locked.' } });
  });

  it('keeps stderr one parseable JSON line for an unexpected error, without its message or stack', () => {
    const { cli, err } = io();
    const code = reportError(cli, new TypeError('secret-ish detail AKIAIOSFODNN7EXAMPLE'), true);
    expect(code).toBe(EXIT.FAILED);
    expect(err).toHaveLength(1);
    const { error } = JSON.parse(err[0]) as { error: { code: string; message: string } };
    expect(error.code).toBe('INTERNAL');
    expect(error.message).toMatch(/KEYWARD_DEBUG=1/);
    expect(err.join('')).not.toContain('AKIAIOSFODNN7EXAMPLE');
  });

  it('prints the stack of an unexpected error only with KEYWARD_DEBUG=1', () => {
    const { cli, err } = io({ KEYWARD_DEBUG: '1' });
    reportError(cli, new TypeError('boom at a known place'), false);
    expect(err[0]).toMatch(/^keyward: internal error: TypeError: boom at a known place\n\s+at /);
    expect(err.at(-1)).toMatch(/^keyward: Keyward hit an unexpected error/);
  });
});
