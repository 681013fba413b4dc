// Many Keywards writing one vault at once. Writes start IMMEDIATE and wait for the lock
// (vault.tx), so none fails with SQLITE_BUSY reported as INTERNAL: 20 `keyward`
// processes mixing adds, deletes, params set, verify and audit all exit 0, and 100
// writer processes released together all succeed; the audit chain verifies after both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../electron/core/audit/log';
import { startAwsTestServer, type AwsTestServer } from '../support/aws-server';
import { awsFields, removeTempDirs } from '../support/fixtures';
import { spawnVaultWriter } from '../support/vault-writer-process';
import { runCli, type CliResult } from './run-cli';
import { newCliVault, withVault } from './rotate-support';

let aws: AwsTestServer;
beforeAll(async () => {
  aws = await startAwsTestServer();
});
afterAll(async () => {
  await aws?.close();
  removeTempDirs();
});

describe('20 keyward processes at once', () => {
  it('all exit 0 (adds, deletes, params set, verify, audit), every write is there and the audit chain verifies', async () => {
    const { dir, env } = await newCliVault();
    // Credentials to verify (real keys at the AWS test server) and to delete.
    const keys = Array.from({ length: 4 }, (_, i) => {
      aws.state.createUser(`conc-${i}`);
      return aws.state.createAccessKey(`conc-${i}`);
    });
    await withVault(dir, ({ credentials }) => {
      keys.forEach((k, i) =>
        credentials.add({
          name: `verify-${i}`,
          provider: 'AWS',
          type: 'ACCESS_KEY',
          fields: { accessKeyId: k.accessKeyId, secretAccessKey: k.secretAccessKey, region: 'us-east-1', endpointUrl: aws.url },
          verify: false,
        }),
      );
      for (let i = 0; i < 4; i++) credentials.add({ name: `delete-${i}`, provider: 'AWS', type: 'ACCESS_KEY', fields: awsFields(), verify: false });
    });
    const jobs: Array<{ args: string[]; stdin?: string }> = [
      ...Array.from({ length: 6 }, (_, i) => {
        const f = awsFields();
        return { args: ['add', 'aws', '--name', `added-${i}`, '--access-key-id', f.accessKeyId, '--region', 'eu-west-1', '--no-verify', '--json'], stdin: `${f.secretAccessKey}\n` };
      }),
      ...Array.from({ length: 4 }, (_, i) => ({ args: ['delete', `delete-${i}`, '--yes', '--json'] })),
      ...Array.from({ length: 4 }, (_, i) => ({ args: ['params', 'set', `conc.key${i}`, `value-${i}`, '--json'] })),
      ...Array.from({ length: 4 }, (_, i) => ({ args: ['verify', `verify-${i}`, '--json'] })),
      { args: ['audit', '--json'] },
      { args: ['audit', 'verify', '--json'] },
    ];
    expect(jobs).toHaveLength(20);
    const started: number[] = [];
    const ended: number[] = [];
    const results: CliResult[] = await Promise.all(
      jobs.map(async (j) => {
        started.push(Date.now());
        const r = await runCli(j.args, { env, stdin: j.stdin });
        ended.push(Date.now());
        return r;
      }),
    );
    // They really ran at the same time: the last one started before the first one ended.
    expect(Math.max(...started)).toBeLessThan(Math.min(...ended));
    const failed = results.map((r, i) => ({ r, job: jobs[i].args.join(' ') })).filter((x) => x.r.code !== 0);
    console.log(`concurrency: ${failed.length} of ${jobs.length} keyward processes failed`);
    expect(failed.map((f) => `${f.job}: exit ${f.r.code} ${f.r.stderr}`)).toEqual([]);
    await withVault(dir, ({ vault, credentials }) => {
      const names = credentials
        .list()
        .map((c) => c.name)
        .sort();
      expect(names).toEqual([...Array.from({ length: 6 }, (_, i) => `added-${i}`), ...Array.from({ length: 4 }, (_, i) => `verify-${i}`)].sort());
      expect(
        credentials
          .list()
          .filter((c) => c.name.startsWith('verify-'))
          .map((c) => c.status),
      ).toEqual(['VALID', 'VALID', 'VALID', 'VALID']);
      expect(vault.db.prepare("SELECT count(*) FROM system_parameters WHERE key LIKE 'conc.%'").pluck().get()).toBe(4);
      expect(new AuditLog(vault, 'cli').verify()).toMatchObject({ ok: true });
    });
  }, 180_000);
});

describe('100 writers released together', () => {
  it('none fails: every credential of every writer is stored, and the audit chain verifies', async () => {
    const { dir } = await newCliVault();
    const WRITERS = 100;
    const EACH = 3;
    const children = Array.from({ length: WRITERS }, (_, i) => spawnVaultWriter(dir, `w${String(i).padStart(3, '0')}`, EACH));
    // Every writer has the vault open and waits; then all are released at once.
    await Promise.all(children.map((c) => c.ready(20)));
    for (const c of children) c.child.stdin.write('go\n');
    const codes = await Promise.all(children.map((c) => c.exited));
    const reports = children.map((c) => JSON.parse(c.out().trim().split('\n').pop()!) as { added: number; errors: string[] });
    const failedWriters = reports.filter((r, i) => codes[i] !== 0 || r.errors.length > 0 || r.added !== EACH).length;
    console.log(`concurrency: ${failedWriters} of ${WRITERS} concurrent writers failed (${reports.reduce((n, r) => n + r.added, 0)} of ${WRITERS * EACH} writes stored)`);
    expect(reports.flatMap((r) => r.errors)).toEqual([]);
    expect(failedWriters).toBe(0);
    await withVault(dir, ({ vault, credentials }) => {
      expect(credentials.list()).toHaveLength(WRITERS * EACH);
      expect(new AuditLog(vault, 'cli').verify()).toMatchObject({ ok: true, events: WRITERS * EACH });
    });
  }, 600_000);
});
