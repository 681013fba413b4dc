import { existsSync, mkdtempSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startAwsTestServer, type AwsTestServer } from '../support/aws-server';
import { credentialReportCsv } from '../support/credential-report';
import { fingerprint } from '../support/fixtures';
import { runCli, type CliResult } from './run-cli';

// Inventory commands as a process: credential-report import, export, backup, restore
// (fresh and --merge) and doctor; their JSON shapes, exit codes, and no secret anywhere.

vi.setConfig({ testTimeout: 60_000 });

const PASSPHRASE = 'inventory cli vault passphrase';
const BACKUP_PASSPHRASE = 'inventory cli backup passphrase';
let aws: AwsTestServer;
const outputs: string[] = [];
const secrets: string[] = [BACKUP_PASSPHRASE];
let work: string;
let env: NodeJS.ProcessEnv;
let keyId: string;

async function cli(args: string[], e: NodeJS.ProcessEnv, stdin?: string): Promise<CliResult> {
  const r = await runCli(args, { env: e, stdin });
  outputs.push(r.stdout, r.stderr);
  return r;
}

function homeEnv(passphrase = PASSPHRASE): NodeJS.ProcessEnv {
  const home = mkdtempSync(join(tmpdir(), 'keyward-inv-home-'));
  return { KEYWARD_HOME: join(home, 'vault'), HOME: home, KEYWARD_PASSPHRASE: passphrase };
}

beforeAll(async () => {
  aws = await startAwsTestServer();
  work = mkdtempSync(join(tmpdir(), 'keyward-inv-'));
  env = homeEnv();
  aws.state.createUser('inv-alice');
  const key = aws.state.createAccessKey('inv-alice');
  keyId = key.accessKeyId;
  secrets.push(key.secretAccessKey);
  expect((await cli(['init', '--json'], env)).code).toBe(0);
  const add = await cli(['add', 'aws', '--name', 'alice', '--access-key-id', key.accessKeyId, '--endpoint-url', aws.url, '--json'], env, `${key.secretAccessKey}\n`);
  expect(add.code).toBe(0);
  expect((add.json() as { status: string }).status).toBe('VALID');
}, 60_000);

afterAll(async () => {
  await aws?.close();
  for (const o of outputs) for (const s of secrets) expect(o).not.toContain(s);
});

describe('keyward import credential-report', () => {
  it('matches the vault key by its IAM user and lists keys known to AWS, not in Keyward', async () => {
    const file = join(work, 'report.csv');
    writeFileSync(
      file,
      credentialReportCsv([
        { user: '<root_account>', arn: 'arn:aws:iam::123456789012:root', root: true },
        { user: 'inv-alice', keys: [{ active: true, lastRotated: '2026-01-05T00:00:00+00:00', lastUsed: '2026-11-20T09:00:00+00:00', region: 'us-east-1', service: 'sts' }] },
        { user: 'inv-bob', keys: [{ active: true, lastRotated: '2025-01-01T00:00:00+00:00', lastUsed: null, region: null, service: null }] },
      ]),
    );
    const r = await cli(['import', 'credential-report', file, '--json'], env);
    expect(r.code).toBe(0);
    const s = r.json() as { users: number; matched: Array<{ credentialName: string; user: string }>; notInKeyward: Array<{ user: string }> };
    expect(s.users).toBe(3);
    expect(s.matched.map((k) => [k.credentialName, k.user])).toEqual([['alice', 'inv-alice']]);
    expect(s.notInKeyward.map((k) => k.user)).toEqual(['inv-bob']);
    const human = await cli(['import', 'credential-report', file], env);
    expect(human.stdout).toMatch(/Known to AWS, not in Keyward: 1 key/);
  });

  it('exits 2 on a file that is not a credential report, and on a missing file', async () => {
    const file = join(work, 'not-a-report.csv');
    writeFileSync(file, 'a,b\n1,2\n');
    const r = await cli(['import', 'credential-report', file, '--json'], env);
    expect(r.code).toBe(2);
    expect(r.errorJson().error.message).toMatch(/not an IAM credential report/);
    expect((await cli(['import', 'credential-report', join(work, 'nope.csv')], env)).code).toBe(2);
  });
});

describe('keyward export inventory', () => {
  it('prints every field but secrets, key ids masked unless asked', async () => {
    const r = await cli(['export', 'inventory', '--format', 'json'], env);
    expect(r.code).toBe(0);
    const [row] = r.json() as Array<Record<string, unknown>>;
    expect(row).toMatchObject({
      name: 'alice',
      status: 'VALID',
      arn: 'arn:aws:iam::123456789012:user/inv-alice',
      lastUsedDate: '2026-11-20T09:00:00.000Z',
      lastUsedService: 'sts',
      keyCreatedAt: '2026-01-05T00:00:00.000Z',
    });
    expect(row.accessKeyId).toBe(`${keyId.slice(0, 4)}************${keyId.slice(-4)}`);
    const full = await cli(['export', 'inventory', '--format', 'json', '--key-ids', 'full'], env);
    expect((full.json() as Array<{ accessKeyId: string }>)[0].accessKeyId).toBe(keyId);
    const csv = await cli(['export', 'inventory'], env);
    expect(csv.stdout.split('\r\n')[0]).toMatch(/^id,name,provider,type,status,accessKeyId,/);
    expect(csv.stdout).toContain(',alice,AWS,ACCESS_KEY,VALID,');
    expect((await cli(['export', 'inventory', '--format', 'xml'], env)).code).toBe(2);
  });
});

describe('keyward backup / restore', () => {
  let backup: string;
  it('writes an encrypted backup and never overwrites a file', async () => {
    backup = join(work, 'vault.kwbackup');
    const r = await cli(['backup', backup, '--json'], env, `${BACKUP_PASSPHRASE}\n`);
    expect(r.code).toBe(0);
    expect((r.json() as { tables: Record<string, number> }).tables.credentials).toBe(1);
    expect(readFileSync(backup).subarray(0, 8).toString()).toBe('KWBACKUP');
    const again = await cli(['backup', backup, '--json'], env, `${BACKUP_PASSPHRASE}\n`);
    expect(again.code).toBe(2);
    expect(again.errorJson().error.code).toBe('CONFLICT');
  });

  it('restores into an empty folder under another passphrase; everything lists and the audit chain verifies', async () => {
    const other = homeEnv('a passphrase for the new machine');
    const r = await cli(['restore', backup, '--json'], other, `${BACKUP_PASSPHRASE}\n`);
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ audit: { ok: true }, keyProvider: 'passphrase' });
    const list = await cli(['list', '--json'], other);
    expect((list.json() as Array<{ name: string; status: string }>).map((c) => [c.name, c.status])).toEqual([['alice', 'VALID']]);
    const verify = await cli(['audit', 'verify', '--json'], other);
    expect(verify.code).toBe(0);
    const audit = await cli(['audit', '--action', 'vault.restored', '--json'], other);
    expect((audit.json() as unknown[]).length).toBe(1);
    // The restored secret still works against AWS.
    expect((await cli(['verify', 'alice', '--json'], other)).code).toBe(0);
  }, 30_000);

  it('refuses a wrong passphrase or a damaged file, creating nothing', async () => {
    const other = homeEnv();
    const wrong = await cli(['restore', backup, '--json'], other, 'not the backup passphrase\n');
    expect(wrong.code).toBe(2);
    expect(wrong.errorJson().error.message).toMatch(/backup passphrase is wrong/);
    const cut = join(work, 'cut.kwbackup');
    writeFileSync(cut, readFileSync(backup).subarray(0, statSync(backup).size - 40));
    const damaged = await cli(['restore', cut, '--json'], other, `${BACKUP_PASSPHRASE}\n`);
    expect(damaged.code).toBe(2);
    expect(damaged.errorJson().error.message).toMatch(/damaged/);
    expect(existsSync(join(other.KEYWARD_HOME!, 'vault.sqlite'))).toBe(false);
  });

  it('refuses to restore over a vault and reports merge conflicts without overwriting', async () => {
    const before = fingerprint(join(env.KEYWARD_HOME!, 'vault.sqlite'));
    const over = await cli(['restore', backup, '--json'], env, `${BACKUP_PASSPHRASE}\n`);
    expect(over.code).toBe(2);
    expect(over.errorJson().error.message).toMatch(/--merge/);
    expect(fingerprint(join(env.KEYWARD_HOME!, 'vault.sqlite')).sha256).toBe(before.sha256);
    const merge = await cli(['restore', backup, '--merge', '--json'], env, `${BACKUP_PASSPHRASE}\n`);
    expect(merge.code).toBe(1);
    expect(merge.json()).toMatchObject({ added: [], conflicts: [{ name: 'alice' }] });
  });
});

describe('keyward doctor', () => {
  it('passes a healthy vault and names a damaged one without writing to it', async () => {
    const ok = await cli(['doctor', '--json'], env);
    expect(ok.code).toBe(0);
    expect(ok.json()).toMatchObject({ ok: true });
    const damagedEnv = homeEnv();
    expect((await cli(['restore', join(work, 'vault.kwbackup')], damagedEnv, `${BACKUP_PASSPHRASE}\n`)).code).toBe(0);
    const file = join(damagedEnv.KEYWARD_HOME!, 'vault.sqlite');
    truncateSync(file, Math.floor(statSync(file).size * 0.6));
    const before = fingerprint(file);
    const r = await cli(['doctor'], damagedEnv);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL/);
    expect(r.stdout).toMatch(/restore/);
    expect(fingerprint(file)).toEqual(before);
  }, 30_000);
});

describe('keyward import credential-report --fetch', () => {
  it('fetches the report from AWS with --fetch ADMIN_CRED', async () => {
    const r = await cli(['import', 'credential-report', '--fetch', 'alice', '--json'], env);
    expect(r.code).toBe(0);
    const s = r.json() as { source: string; generatedAt: string; matched: Array<{ credentialName: string }> };
    expect(s.source).toBe('fetch');
    expect(s.generatedAt).toMatch(/^\d{4}-/);
    expect(s.matched.map((k) => k.credentialName)).toEqual(['alice']);
    expect((await cli(['import', 'credential-report', '--fetch', 'nobody'], env)).code).toBe(2);
  });
});
