// Imports and names that refuse cleanly: a file with no profiles (empty, binary, plain
// text) is "no profiles found in FILE" with exit 2 and no audit event; duplicate sections
// are reported; an import is one transaction (kill -9 at any moment stores all or none);
// a name with bidi controls or invisible characters, or one that another credential's id
// would be taken for, is refused by the core (so by the window and the CLI alike).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../electron/core/audit/log';
import { toErrorPayload } from '../../electron/core/errors';
import { fakeAccessKeyId, fakeSecretAccessKey, removeTempDirs, tempDir } from '../support/fixtures';
import { runCli } from './run-cli';
import { newCliVault, withVault } from './rotate-support';

afterAll(removeTempDirs);

const tally = { inputs: 0, clean: 0 };
afterAll(() => console.log(`import/name refusals: ${tally.clean} clean of ${tally.inputs} bad inputs tried`));

function credentialsFile(n: number, extra = ''): string {
  const f = join(tempDir('keyward-import-'), 'credentials');
  const body = Array.from(
    { length: n },
    (_, i) => `[p-${String(i).padStart(4, '0')}]\naws_access_key_id = ${fakeAccessKeyId()}\naws_secret_access_key = ${fakeSecretAccessKey()}\nregion = eu-west-1\n`,
  ).join('\n');
  writeFileSync(f, body + extra);
  return f;
}

describe('importing a file with no profiles', () => {
  const cases: Array<[string, string | Buffer]> = [
    ['an empty file', ''],
    ['a binary file', randomBytes(4096)],
    ['a binary file with brackets in it', Buffer.concat([Buffer.from('[default]\naws_access_key_id = x\n'), Buffer.alloc(64, 0)])],
    ['plain text', 'just some notes\nnothing = here\n'],
    ['only comments', '# [default]\n; aws_access_key_id = AKIA\n'],
  ];
  it.each(cases)('refuses %s with exit 2 "No profiles found in FILE" and no audit event', async (_what, content) => {
    const { dir, env } = await newCliVault();
    const file = join(tempDir('keyward-import-'), 'credentials');
    writeFileSync(file, content);
    tally.inputs++;
    const r = await runCli(['import', 'aws-credentials', file, '--no-verify', '--json'], { env });
    expect(r.code, r.stderr).toBe(2);
    expect(r.errorJson().error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining(`No profiles found in ${file}`) });
    await withVault(dir, ({ vault, credentials }) => {
      expect(credentials.list()).toEqual([]);
      expect(new AuditLog(vault, 'cli').list({ action: 'credentials.imported' })).toEqual([]);
    });
    tally.clean++;
  });

  it('reports a profile named twice (the AWS CLI refuses such a file) and imports the rest', async () => {
    const { env } = await newCliVault();
    const file = credentialsFile(2, `\n[p-0000]\naws_access_key_id = ${fakeAccessKeyId()}\naws_secret_access_key = ${fakeSecretAccessKey()}\n`);
    tally.inputs++;
    const r = await runCli(['import', 'aws-credentials', file, '--no-verify', '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    const out = r.json() as { imported: Array<{ name: string }>; skipped: Array<{ profile: string; reason: string }> };
    expect(out.imported.map((c) => c.name)).toEqual(['p-0001']);
    expect(out.skipped).toEqual([{ profile: 'p-0000', reason: expect.stringMatching(/more than once/) }]);
    tally.clean++;
  });
});

describe('an import killed with SIGKILL', () => {
  it('stores all of its profiles or none, at any moment of the kill; the vault opens and its audit chain verifies', async () => {
    const N = 150;
    const outcomes = new Set<number>();
    for (const delayMs of [150, 400, 700, 1000, 1300, 1700, 2200, 3000]) {
      const { dir, env } = await newCliVault();
      const file = credentialsFile(N);
      const child = spawn(process.execPath, [resolve(import.meta.dirname, '../../bin/keyward.cjs'), 'import', 'aws-credentials', file, '--no-verify', '--json'], {
        env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
        stdio: ['ignore', 'ignore', 'ignore'],
      });
      const exited = new Promise<void>((r) => child.on('exit', () => r()));
      await new Promise((r) => setTimeout(r, delayMs));
      child.kill('SIGKILL');
      await exited;
      await withVault(dir, ({ vault, credentials }) => {
        const n = credentials.list().length;
        outcomes.add(n);
        expect([0, N], `killed after ${delayMs} ms: ${n} stored`).toContain(n);
        const audit = new AuditLog(vault, 'cli');
        expect(audit.verify()).toMatchObject({ ok: true });
        expect(audit.list({ action: 'credentials.imported' })).toHaveLength(n === N ? 1 : 0);
      });
    }
    console.log(`kill -9 during import: stored counts seen ${[...outcomes].join(', ')} (of ${N})`);
  }, 120_000);
});

describe('names', () => {
  it('refuses bidi controls, invisible characters and another credential’s id (or its start), in the core', async () => {
    const { dir } = await newCliVault();
    await withVault(dir, ({ credentials }) => {
      const add = (name: string) =>
        credentials.add({ name, provider: 'AWS', type: 'ACCESS_KEY', fields: { accessKeyId: fakeAccessKeyId(), secretAccessKey: fakeSecretAccessKey(), region: 'us-east-1' }, verify: false });
      const first = add('prod');
      const bad = [
        'prod\u202egnp.exe', // right-to-left override
        'a\u2066b\u2069', // isolates
        '\u200fprod-rtl-mark',
        'pr\u200bod', // zero-width space: looks like "prod"
        'prod\u2060',
        'pro\ufeffd', // a BOM inside (trim() drops one at the ends)
        'soft\u00adhyphen',
        'del\u007f',
        first.id,
        first.id.slice(0, 8),
        first.id.slice(0, 13).toUpperCase(),
        '01234567-89ab-cdef-0123-456789abcdef',
      ];
      for (const name of bad) {
        tally.inputs++;
        let payload: { code: string; message: string } | null = null;
        try {
          add(name);
        } catch (e) {
          payload = toErrorPayload(e);
        }
        expect(payload, JSON.stringify(name)).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/^Name must not/) });
        // The refusal never repeats the name it refused.
        expect(payload!.message.includes(name)).toBe(false);
        tally.clean++;
      }
      expect(() => credentials.update({ id: first.id, name: `x\u202e` })).toThrow(/text-direction/);
      // Ordinary names, hex-looking ones included, are fine when no id starts with them.
      for (const ok of ['café ☕ prod', 'dead', 'ab-12', 'Prod (eu-west-1)']) expect(add(ok).name).toBe(ok);
      expect(credentials.list()).toHaveLength(5);
    });
  });
});
