import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../electron/core/audit/log';
import { CredentialRepo } from '../../electron/core/credentials/repo';
import { CredentialReports, matchReportKeys, parseCredentialReport } from '../../electron/core/inventory/report';
import { parseCsv } from '../../shared/csv';
import { Vault } from '../../electron/core/vault/vault';
import { fakeAccessKeyId, fakeSecretAccessKey, fastProvider, removeTempDirs, tempDir } from '../support/fixtures';
import { credentialReportCsv, type ReportUser } from '../support/credential-report';

afterEach(removeTempDirs);

const ACCOUNT = '123456789012';
const arn = (u: string) => `arn:aws:iam::${ACCOUNT}:user/${u}`;

const USERS: ReportUser[] = [
  { user: '<root_account>', arn: `arn:aws:iam::${ACCOUNT}:root`, root: true },
  { user: 'alice', keys: [{ active: true, lastRotated: '2026-01-10T08:00:00+00:00', lastUsed: '2026-11-01T10:00:00+00:00', region: 'us-east-1', service: 'sts' }] },
  {
    user: 'bob',
    keys: [
      { active: true, lastRotated: '2025-03-01T00:00:00+00:00', lastUsed: null, region: null, service: null },
      { active: false, lastRotated: '2026-06-01T00:00:00+00:00', lastUsed: '2026-06-02T00:00:00+00:00', region: 'eu-west-1', service: 'ec2' },
    ],
  },
  { user: 'carol' }, // console user, no keys
  { user: 'dave', keys: [{ active: true, lastRotated: '2026-02-01T00:00:00+00:00', lastUsed: null, region: null, service: null }] },
];

describe('parseCredentialReport', () => {
  it('reads both key slots, skips empty ones and turns N/A, not_supported and no_information into nothing', () => {
    const r = parseCredentialReport(credentialReportCsv(USERS, ACCOUNT));
    expect(r.users).toBe(5);
    expect(r.account).toBe(ACCOUNT);
    expect(r.keys.map((k) => `${k.user}#${k.keyIndex}`)).toEqual(['alice#1', 'bob#1', 'bob#2', 'dave#1']);
    const bob2 = r.keys.find((k) => k.user === 'bob' && k.keyIndex === 2)!;
    expect(bob2).toMatchObject({ active: false, lastRotated: '2026-06-01T00:00:00.000Z', lastUsedDate: '2026-06-02T00:00:00.000Z', lastUsedRegion: 'eu-west-1', lastUsedService: 'ec2' });
    const bob1 = r.keys.find((k) => k.user === 'bob' && k.keyIndex === 1)!;
    expect(bob1).toMatchObject({ lastUsedDate: null, lastUsedRegion: null, lastUsedService: null });
    // The root row's not_supported password fields and N/A keys produce no key.
    expect(r.keys.some((k) => k.user === '<root_account>')).toBe(false);
  });

  it('refuses a file that is not a credential report, saying how to get one', () => {
    expect(() => parseCredentialReport('name,value\na,b\n')).toThrow(/not an IAM credential report.*get-credential-report/);
  });

  it('reads quoted CSV fields and CRLF line ends', () => {
    expect(parseCsv('a,"b,""c"""\r\nd,e\r\n')).toEqual([
      ['a', 'b,"c"'],
      ['d', 'e'],
    ]);
  });

  it('parses a 5,000-user report', () => {
    const many: ReportUser[] = Array.from({ length: 5000 }, (_, i) => ({
      user: `user-${i}`,
      keys: i % 3 === 0 ? [] : [{ active: true, lastRotated: '2026-01-01T00:00:00+00:00', lastUsed: 'N/A', region: 'N/A', service: 'N/A' }],
    }));
    const started = performance.now();
    const r = parseCredentialReport(credentialReportCsv(many, ACCOUNT));
    expect(r.users).toBe(5000);
    expect(r.keys).toHaveLength(3333);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

async function vaultWith(creds: Array<{ name: string; user: string | null }>) {
  const vault = await Vault.init(tempDir(), fastProvider());
  const audit = new AuditLog(vault, 'cli');
  const repo = new CredentialRepo(vault);
  const ids: Record<string, string> = {};
  for (const [i, c] of creds.entries()) {
    const id = `cred-${i}`;
    ids[c.name] = id;
    repo.insert(
      { id, name: c.name, provider: 'AWS', type: 'ACCESS_KEY', fields: { accessKeyId: fakeAccessKeyId(), region: 'us-east-1' } },
      { secretAccessKey: fakeSecretAccessKey() },
      '2026-01-01T00:00:00.000Z',
    );
    if (c.user) repo.recordCheck(id, { status: 'VALID', identity: { account: ACCOUNT, arn: arn(c.user), userId: `AIDA${i}` }, error: null, diagnosis: null, at: '2026-11-01T00:00:00.000Z' });
  }
  return { vault, audit, repo, ids, reports: new CredentialReports(vault, audit, () => repo.list()) };
}

describe('matching report keys to the vault', () => {
  it('matches a user with one key by ARN and lists keys the vault does not hold', async () => {
    const { reports, ids, vault } = await vaultWith([
      { name: 'alice key', user: 'alice' },
      { name: 'never verified', user: null },
    ]);
    const s = reports.import(credentialReportCsv(USERS, ACCOUNT), { source: 'file' });
    expect(s.matched.map((k) => [k.user, k.credentialId, k.credentialName])).toEqual([['alice', ids['alice key'], 'alice key']]);
    expect(s.notInKeyward.map((k) => `${k.user}#${k.keyIndex}`)).toEqual(['bob#1', 'bob#2', 'dave#1']);
    expect(reports.keyUsage().get(ids['alice key'])).toMatchObject({ lastUsedDate: '2026-11-01T10:00:00.000Z', lastUsedService: 'sts', lastRotated: '2026-01-10T08:00:00.000Z' });
    expect(reports.latest()?.notInKeyward).toHaveLength(3);
    vault.close();
  });

  it('tells two keys of one user apart by creation time, and guesses nothing without it', async () => {
    const { reports, ids, vault } = await vaultWith([
      { name: 'bob old', user: 'bob' },
      { name: 'bob new', user: 'bob' },
    ]);
    let s = reports.import(credentialReportCsv(USERS, ACCOUNT), { source: 'file' });
    expect(s.matched).toHaveLength(0);
    reports.recordKeyCreatedAt(ids['bob new'], 'AKIAEXAMPLE2', '2026-06-01T00:00:10.000Z');
    reports.recordKeyCreatedAt(ids['bob old'], 'AKIAEXAMPLE1', '2025-03-01T00:00:00.000Z');
    s = reports.import(credentialReportCsv(USERS, ACCOUNT), { source: 'file' });
    expect(Object.fromEntries(s.matched.map((k) => [k.credentialName, k.keyIndex]))).toEqual({ 'bob old': 1, 'bob new': 2 });
    vault.close();
  });

  it('does not match a single credential to one of two keys without a creation time', () => {
    const r = parseCredentialReport(credentialReportCsv(USERS, ACCOUNT));
    const m = matchReportKeys(r.keys, [{ id: 'x', name: 'x', provider: 'AWS', identity: { account: ACCOUNT, arn: arn('bob'), userId: 'u' } } as never], new Map());
    expect(m.filter((k) => k.credentialId)).toHaveLength(0);
  });

  it('records the import in the audit log and imports 5,000 users in under a second', async () => {
    const { reports, audit, vault } = await vaultWith([{ name: 'user-7', user: 'user-7' }]);
    const many: ReportUser[] = Array.from({ length: 5000 }, (_, i) => ({
      user: `user-${i}`,
      keys: [{ active: true, lastRotated: '2026-01-01T00:00:00+00:00', lastUsed: '2026-11-01T00:00:00+00:00', region: 'us-east-1', service: 's3' }],
    }));
    const text = credentialReportCsv(many, ACCOUNT);
    const started = performance.now();
    const s = reports.import(text, { source: 'file', fileName: 'report.csv' });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(s.users).toBe(5000);
    expect(s.matched).toHaveLength(1);
    expect(s.notInKeyward).toHaveLength(4999);
    const ev = audit.list({ action: 'inventory.report.imported' });
    expect(ev[0]?.details).toMatchObject({ users: 5000, keys: 5000, matched: 1, file: 'report.csv' });
    vault.close();
  });
});
