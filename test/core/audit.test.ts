import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog, assertNoSecrets } from '../../electron/core/audit/log';
import { Vault } from '../../electron/core/vault/vault';
import { vaultFilePath } from '../../electron/core/paths';
import { actionsInGroup, AUDIT_GROUPS } from '../../shared/audit-actions';
import { awsFields, fastProvider, newVaultWithService, rawVaultBytes, removeTempDirs } from '../support/fixtures';

// The audit log is append-only and hash-chained: whatever someone does to the file —
// edit a row, delete one, reorder two, cut the end off — verify names the first break.

afterEach(() => removeTempDirs());

async function logWithEvents(n: number) {
  const { dir, vault } = await newVaultWithService();
  const audit = new AuditLog(vault, 'cli');
  for (let i = 1; i <= n; i++) audit.append('credential.verified', { credentialId: `c${i % 3}`, details: { i, note: `event ${i}` } });
  vault.close();
  return dir;
}

/** Opens the vault file the way an attacker would: raw SQLite, triggers dropped. */
function tamper(dir: string, sql: string[]): void {
  const db = new Database(vaultFilePath(dir));
  db.exec('DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete;');
  for (const s of sql) db.exec(s);
  db.close();
}

async function verify(dir: string) {
  const vault = await Vault.open(dir, fastProvider());
  try {
    return new AuditLog(vault, 'cli').verify();
  } finally {
    vault.close();
  }
}

describe('audit log chain', () => {
  it('verifies an untouched log', async () => {
    const dir = await logWithEvents(10);
    expect(await verify(dir)).toEqual({ ok: true, events: 10 });
  });

  it('names the row whose content was edited', async () => {
    const dir = await logWithEvents(10);
    tamper(dir, [`UPDATE audit_events SET details = '{"i":4,"note":"nothing happened"}' WHERE seq = 4`]);
    expect(await verify(dir)).toMatchObject({ ok: false, brokenAt: 4, reason: expect.stringMatching(/changed/) });
  });

  it('names the row whose action or time was edited', async () => {
    const dir = await logWithEvents(6);
    tamper(dir, [`UPDATE audit_events SET at = '2020-01-01T00:00:00.000Z' WHERE seq = 2`]);
    expect(await verify(dir)).toMatchObject({ ok: false, brokenAt: 2 });
  });

  it('names the gap where a row was deleted', async () => {
    const dir = await logWithEvents(10);
    tamper(dir, ['DELETE FROM audit_events WHERE seq = 7']);
    expect(await verify(dir)).toMatchObject({ ok: false, brokenAt: 7, reason: expect.stringMatching(/missing/) });
  });

  it('names the first of two rows that were swapped', async () => {
    const dir = await logWithEvents(10);
    // Swap rows 3 and 5 whole (content and hashes), keeping seq in place.
    tamper(dir, [
      'CREATE TEMP TABLE a AS SELECT * FROM audit_events WHERE seq IN (3, 5)',
      `UPDATE audit_events SET at = (SELECT at FROM a WHERE seq = 5), action = (SELECT action FROM a WHERE seq = 5), credential_id = (SELECT credential_id FROM a WHERE seq = 5), details = (SELECT details FROM a WHERE seq = 5), prev_hash = (SELECT prev_hash FROM a WHERE seq = 5), hash = (SELECT hash FROM a WHERE seq = 5) WHERE seq = 3`,
      `UPDATE audit_events SET at = (SELECT at FROM a WHERE seq = 3), action = (SELECT action FROM a WHERE seq = 3), credential_id = (SELECT credential_id FROM a WHERE seq = 3), details = (SELECT details FROM a WHERE seq = 3), prev_hash = (SELECT prev_hash FROM a WHERE seq = 3), hash = (SELECT hash FROM a WHERE seq = 3) WHERE seq = 5`,
    ]);
    expect(await verify(dir)).toMatchObject({ ok: false, brokenAt: 3 });
  });

  it('catches events cut off the end, even when the head record is rewritten without the key', async () => {
    const dir = await logWithEvents(10);
    tamper(dir, ['DELETE FROM audit_events WHERE seq > 8']);
    expect(await verify(dir)).toMatchObject({ ok: false, brokenAt: 9, reason: expect.stringMatching(/removed/) });
    // An attacker points the head at the new last row; its MAC needs the vault key.
    tamper(dir, [`UPDATE meta SET value = json_set(value, '$.seq', 8, '$.hash', (SELECT hash FROM audit_events WHERE seq = 8)) WHERE key = 'audit_head'`]);
    expect(await verify(dir)).toMatchObject({ ok: false, reason: expect.stringMatching(/altered/) });
  });

  it('refuses ordinary updates and deletes (append-only triggers)', async () => {
    const dir = await logWithEvents(3);
    const db = new Database(vaultFilePath(dir));
    expect(() => db.exec("UPDATE audit_events SET action = 'x' WHERE seq = 1")).toThrow(/append-only/);
    expect(() => db.exec('DELETE FROM audit_events WHERE seq = 1')).toThrow(/append-only/);
    db.close();
    expect(await verify(dir)).toEqual({ ok: true, events: 3 });
  });
});

describe('what the log records', () => {
  it('records credential changes with old and new public values and never a secret', async () => {
    const { vault, service } = await newVaultWithService();
    const fields = awsFields();
    const c = service.add({ name: 'audited', provider: 'AWS', type: 'ACCESS_KEY', fields, verify: false });
    const newSecret = awsFields().secretAccessKey;
    service.update({ id: c.id, name: 'audited-2', fields: { region: 'eu-west-1', secretAccessKey: newSecret } }, { verify: false });
    service.delete(c.id);
    const audit = new AuditLog(vault, 'desktop');
    const events = audit.list({ credentialId: c.id }).reverse();
    expect(events.map((e) => e.action)).toEqual(['credential.created', 'credential.edited', 'credential.deleted']);
    expect(events[1].details).toMatchObject({
      changed: ['name', 'region', 'secretAccessKey'],
      before: { region: 'us-east-1', name: 'audited' },
      after: { region: 'eu-west-1', name: 'audited-2' },
      secretsChanged: ['secretAccessKey'],
    });
    const all = JSON.stringify(audit.list({}));
    expect(all).not.toContain(fields.secretAccessKey);
    expect(all).not.toContain(newSecret);
    expect(rawVaultBytes(vault.path).includes(Buffer.from(newSecret))).toBe(false);
    expect(audit.verify()).toMatchObject({ ok: true });
    vault.close();
  });

  it('filters by action family, credential and time, newest first, and pages by seq', async () => {
    const { vault } = await newVaultWithService();
    const audit = new AuditLog(vault, 'desktop');
    audit.append('credential.created', { credentialId: 'a', at: '2026-11-01T00:00:00.000Z' });
    audit.append('credential.verified', { credentialId: 'a', at: '2026-11-02T00:00:00.000Z' });
    audit.append('vault.unlocked', { at: '2026-11-03T00:00:00.000Z' });
    audit.append('credential.deleted', { credentialId: 'b', at: '2026-11-04T00:00:00.000Z' });
    audit.append('credentials.imported', { at: '2026-11-05T00:00:00.000Z' });
    // "All credential events" holds credentials.imported too: the group rule, not a hand list.
    expect(audit.list({ action: 'credential' }).map((e) => e.seq)).toEqual([5, 4, 2, 1]);
    expect(AUDIT_GROUPS).toContain('credential');
    expect(AUDIT_GROUPS).not.toContain('credentials');
    expect(actionsInGroup('credential')).toContain('credentials.imported');
    expect(audit.list({ credentialId: 'a' }).map((e) => e.action)).toEqual(['credential.verified', 'credential.created']);
    expect(audit.list({ since: '2026-11-02T00:00:00.000Z', until: '2026-11-04T00:00:00.000Z' }).map((e) => e.seq)).toEqual([3, 2]);
    expect(audit.list({ beforeSeq: 3, limit: 1 }).map((e) => e.seq)).toEqual([2]);
    vault.close();
  });

  it('refuses details that carry a secret-looking value', () => {
    expect(() => assertNoSecrets({ secretAccessKey: 'abc' })).toThrow(/looks like a secret/);
    expect(() => assertNoSecrets({ nested: { adminApiKey: 'abc' } })).toThrow(/details\.nested\.adminApiKey/);
    expect(() => assertNoSecrets({ secretsChanged: ['secretAccessKey'], accessKeyId: 'AKIA…' })).not.toThrow();
  });
});
