import { existsSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { KeywardCore } from '../../electron/core/app/core';
import { createDispatcher } from '../../electron/core/app/handlers';
import { FILE_LIMITS, MAX_STDIN_BYTES } from '../../shared/limits';
import { runCli, type CliResult } from './run-cli';

// Every file and stdin the CLI reads has a limit and stops with exit 2 naming it; the CLI
// refuses what the window refuses, with the window's message (both go through the one
// dispatcher); global flags stand anywhere; what a terminal shows cannot carry escapes.

vi.setConfig({ testTimeout: 120_000 });

const PASSPHRASE = 'limits test passphrase';
const dirs: string[] = [];

function temp(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}

function vaultEnv(): NodeJS.ProcessEnv {
  const home = temp('keyward-limits-');
  return { KEYWARD_HOME: join(home, 'vault'), HOME: home, KEYWARD_PASSPHRASE: PASSPHRASE };
}

const cli = (args: string[], env: NodeJS.ProcessEnv, stdin?: string): Promise<CliResult> => runCli(args, { env, stdin });

/** A file of `bytes` bytes that takes no disk (sparse): only its size matters here. */
function sparse(dir: string, name: string, bytes: number): string {
  const file = join(dir, name);
  writeFileSync(file, '');
  truncateSync(file, bytes);
  return file;
}

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('files and stdin are read with a limit', () => {
  it('stops `import aws-credentials /dev/zero` at 1 MiB, in little memory', async () => {
    const env = vaultEnv();
    expect((await cli(['init'], env)).code).toBe(0);
    const rss = join(temp('keyward-rss-'), 'rss');
    const r = await runCli(['import', 'aws-credentials', '/dev/zero', '--json'], { env, wrap: ['/usr/bin/time', '-f', '%M', '-o', rss] });
    expect(r.code).toBe(2);
    expect(r.errorJson().error).toEqual({ code: 'INVALID_INPUT', message: expect.stringContaining('larger than 1 MiB, the most an AWS credentials or config file may be') });
    // Max resident set size in KiB: the CLI itself, not the 12 GB it reached before the limit.
    expect(Number(readFileSync(rss, 'utf8').trim().split('\n').at(-1))).toBeLessThan(400 * 1024);
  });

  it('refuses each kind of file over its stated size, naming the limit, before opening the vault', async () => {
    const env = vaultEnv();
    const dir = temp('keyward-big-');
    const cases: Array<[string[], string]> = [
      [['import', 'aws-credentials', sparse(dir, 'credentials', FILE_LIMITS.awsCredentials.bytes + 1)], '1 MiB'],
      [['import', 'credential-report', sparse(dir, 'report.csv', FILE_LIMITS.credentialReport.bytes + 1)], '16 MiB'],
      [['import', 'access-key-csv', sparse(dir, 'keys.csv', FILE_LIMITS.accessKeyCsv.bytes + 1), '--name', 'x'], '16 KiB'],
      [['params', 'import', sparse(dir, 'params.json', FILE_LIMITS.paramsImport.bytes + 1)], '1 MiB'],
      [['restore', sparse(dir, 'vault.kwbackup', FILE_LIMITS.backup.bytes + 1)], '48 MiB'],
    ];
    for (const [args, limit] of cases) {
      const r = await cli([...args, '--json'], env);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.errorJson().error.message, args.join(' ')).toMatch(new RegExp(`larger than ${limit}, the most .* may be; it was not read`));
    }
    expect(existsSync(join(env.KEYWARD_HOME!, 'vault.sqlite'))).toBe(false);
  });

  it('stops reading stdin past 64 KiB', async () => {
    const env = vaultEnv();
    await cli(['init'], env);
    const r = await cli(['add', 'aws', '--name', 'big', '--access-key-id', 'AKIAIOSFODNN7EXAMPLE', '--no-verify', '--json'], env, 'x'.repeat(MAX_STDIN_BYTES + 1));
    expect(r.code).toBe(2);
    expect(r.errorJson().error.message).toMatch(/^Standard input is larger than 64 KiB/);
    expect((await cli(['list', '--json'], env)).json()).toEqual([]);
  });
});

describe('the CLI refuses what the window refuses, with the same message', () => {
  it('a secret over 16 KiB and a name of 121 characters: exit 2, the dispatcher’s words', async () => {
    const env = vaultEnv();
    await cli(['init'], env);
    const core = new KeywardCore({ vaultDir: temp('keyward-window-'), passphrase: PASSPHRASE });
    await core.init('passphrase', PASSPHRASE);
    const dispatch = createDispatcher(core);
    try {
      const cases = [
        { name: 'big secret', secret: 'S'.repeat(16 * 1024 + 1) },
        { name: 'n'.repeat(121), secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
      ];
      for (const c of cases) {
        const window = await dispatch('credentials.add', {
          name: c.name,
          provider: 'AWS',
          type: 'ACCESS_KEY',
          fields: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: c.secret },
          verify: false,
        });
        if (window.ok) throw new Error(`the window accepted ${c.name.slice(0, 20)}`);
        expect(window.error.code).toBe('INVALID_INPUT');
        const r = await cli(['add', 'aws', '--name', c.name, '--access-key-id', 'AKIAIOSFODNN7EXAMPLE', '--no-verify', '--json'], env, `${c.secret}\n`);
        expect(r.code).toBe(2);
        expect(r.errorJson().error).toEqual(window.error);
      }
      expect(await dispatch('credentials.list', {})).toEqual({ ok: true, data: [] });
    } finally {
      await core.close();
    }
    expect((await cli(['list', '--json'], env)).json()).toEqual([]);
  });
});

describe('global flags before or after the command', () => {
  it('keyward --vault-dir DIR restore FILE (the README example), --json and --passphrase-stdin first', async () => {
    const env = vaultEnv();
    await cli(['init'], env);
    await cli(['params', 'set', 'BUCKET', 'b-1'], env);
    const backup = join(temp('keyward-bk-'), 'v.kwbackup');
    expect((await cli(['backup', backup], env, 'a backup passphrase\n')).code).toBe(0);
    const target = join(temp('keyward-target-'), 'vault');
    const restored = await cli(['--vault-dir', target, '--json', 'restore', backup], { HOME: env.HOME, KEYWARD_PASSPHRASE: PASSPHRASE }, 'a backup passphrase\n');
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.json()).toMatchObject({ path: join(target, 'vault.sqlite'), audit: { ok: true } });
    const got = await cli(['--passphrase-stdin', '--vault-dir', target, 'params', 'get', 'BUCKET', '--json'], { HOME: env.HOME }, `${PASSPHRASE}\n`);
    expect(got.code, got.stderr).toBe(0);
    expect(got.json()).toMatchObject({ key: 'BUCKET', value: 'b-1' });
    expect((await cli(['params', '--vault-dir', target, 'get', 'BUCKET', '--json'], { HOME: env.HOME, KEYWARD_PASSPHRASE: PASSPHRASE })).json()).toMatchObject({ value: 'b-1' });
  });
});

describe('what a terminal shows', () => {
  it('escapes control characters of parameter values and names; --json keeps them as JSON escapes', async () => {
    const env = vaultEnv();
    await cli(['init'], env);
    const hostile = '\u001b]0;owned\u0007\u001b[2J\u009b31mred\r';
    expect((await cli(['params', 'set', 'NOTE', hostile, '--label', `label ${hostile}`], env)).code).toBe(0);
    for (const args of [['params', 'list'], ['params', 'get', 'NOTE'], ['audit']]) {
      const r = await cli(args, env);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout, args.join(' ')).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    }
    const shown = await cli(['params', 'get', 'NOTE'], env);
    expect(shown.stdout).toContain('\\u001b]0;owned\\u0007');
    const json = await cli(['params', 'get', 'NOTE', '--json'], env);
    expect(json.stdout.replace(/\n/g, '')).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(json.json()).toMatchObject({ value: hostile, label: `label ${hostile}` });
  });
});
