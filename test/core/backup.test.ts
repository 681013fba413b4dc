import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../electron/core/audit/log';
import { openBackup, sealBackup } from '../../electron/core/backup/format';
import { createBackup, mergeBackup, readBackup, restoreVault } from '../../electron/core/backup/vault-backup';
import { CredentialRepo } from '../../electron/core/credentials/repo';
import { CredentialReports } from '../../electron/core/inventory/report';
import { Vault } from '../../electron/core/vault/vault';
import { credentialReportCsv } from '../support/credential-report';
import { fakeClock } from '../support/fake-clock';
import { FAST_SCRYPT, fakeAccessKeyId, fakeSecretAccessKey, fastProvider, fingerprint, removeTempDirs, tempDir } from '../support/fixtures';

afterEach(removeTempDirs);

const BACKUP_PASS = 'backup passphrase for tests';
const opts = { kdf: FAST_SCRYPT };

async function seededVault(names = ['prod', 'staging', 'ci']) {
  const vault = await Vault.init(tempDir(), fastProvider());
  const audit = new AuditLog(vault, 'cli');
  const repo = new CredentialRepo(vault);
  const secrets: Record<string, string> = {};
  for (const name of names) {
    const id = `${name}-${randomBytes(4).toString('hex')}`;
    secrets[id] = fakeSecretAccessKey();
    repo.insert({ id, name, provider: 'AWS', type: 'ACCESS_KEY', fields: { accessKeyId: fakeAccessKeyId(), region: 'us-east-1' } }, { secretAccessKey: secrets[id] }, new Date().toISOString());
    audit.append('credential.created', { credentialId: id, details: { name } });
    repo.recordCheck(id, {
      status: 'VALID',
      identity: { account: '123456789012', arn: `arn:aws:iam::123456789012:user/${name}`, userId: 'AIDA' },
      error: null,
      diagnosis: null,
      at: new Date().toISOString(),
    });
  }
  const reports = new CredentialReports(vault, audit, () => repo.list());
  reports.import(credentialReportCsv([{ user: 'prod', keys: [{ active: true, lastRotated: '2026-01-01T00:00:00+00:00', lastUsed: null, region: null, service: null }] }]), { source: 'file' });
  return { vault, audit, repo, secrets };
}

function rowsOf(vault: Vault, table: string): unknown[] {
  return vault.db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all();
}

describe('backup and restore into an empty vault', () => {
  it('restores everything: rows equal, secrets open, the audit chain still verifies', async () => {
    const { vault, audit, secrets } = await seededVault();
    const { bytes, tables } = await createBackup(vault, audit, BACKUP_PASS, opts);
    expect(tables.credentials).toBe(3);
    // No secret in clear in the file.
    for (const s of Object.values(secrets)) expect(bytes.includes(Buffer.from(s))).toBe(false);

    const dir = join(tempDir(), 'restored');
    const contents = await readBackup(bytes, BACKUP_PASS);
    await restoreVault(dir, contents, fastProvider('another machine passphrase'));
    const restored = await Vault.open(dir, fastProvider('another machine passphrase'));
    expect(restored.vaultId).toBe(vault.vaultId);
    for (const t of ['credentials', 'credential_secrets', 'credential_reports', 'credential_report_keys']) {
      expect(rowsOf(restored, t), t).toEqual(rowsOf(vault, t));
    }
    // The backup is recorded once it exists, so its own event is in the vault, not in the backup.
    const events = rowsOf(vault, 'audit_events') as Array<{ action: string }>;
    expect(events.at(-1)?.action).toBe('vault.backup.created');
    expect(rowsOf(restored, 'audit_events')).toEqual(events.slice(0, -1));
    const repo = new CredentialRepo(restored);
    for (const [id, secret] of Object.entries(secrets)) expect(repo.secretsOf(id).secretAccessKey).toBe(secret);
    const restoredAudit = new AuditLog(restored, 'cli');
    expect(restoredAudit.verify()).toMatchObject({ ok: true });
    restoredAudit.append('vault.restored', { details: { fromVault: vault.vaultId } });
    expect(restoredAudit.verify()).toMatchObject({ ok: true });
    // The old passphrase does not open the restored vault: its key is wrapped anew.
    await expect(Vault.open(dir, fastProvider())).rejects.toThrow(/passphrase is wrong/);
    restored.close();
    vault.close();
  });

  it('refuses a wrong passphrase, changing nothing', async () => {
    const { vault, audit } = await seededVault();
    const { bytes } = await createBackup(vault, audit, BACKUP_PASS, opts);
    await expect(readBackup(bytes, 'not the right passphrase')).rejects.toThrow(/backup passphrase is wrong/);
    vault.close();
  });

  it('reports a truncated or bit-flipped file as damaged', async () => {
    const { vault, audit } = await seededVault();
    const { bytes } = await createBackup(vault, audit, BACKUP_PASS, opts);
    await expect(readBackup(bytes.subarray(0, bytes.length - 100), BACKUP_PASS)).rejects.toThrow(/damaged/);
    await expect(readBackup(bytes.subarray(0, 30), BACKUP_PASS)).rejects.toThrow(/damaged/);
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 500] ^= 0x01;
    await expect(readBackup(flipped, BACKUP_PASS)).rejects.toThrow(/damaged/);
    await expect(readBackup(Buffer.from('SQLite format 3\0 not a backup'), BACKUP_PASS)).rejects.toThrow(/not a Keyward backup/);
    vault.close();
  });

  it('catches a large backup cut exactly at a block boundary', async () => {
    const payload = randomBytes(2.5 * 1024 * 1024);
    const sealed = await sealBackup(payload, BACKUP_PASS, FAST_SCRYPT);
    expect((await openBackup(sealed, BACKUP_PASS)).payload.equals(payload)).toBe(true);
    const cut = sealed.subarray(0, sealed.length - (payload.length - 2 * 1024 * 1024) - 16);
    await expect(openBackup(cut, BACKUP_PASS)).rejects.toThrow(/cut short/);
  });

  it('never restores over an existing vault', async () => {
    const { vault, audit } = await seededVault();
    const { bytes } = await createBackup(vault, audit, BACKUP_PASS, opts);
    const before = fingerprint(vault.path);
    await expect(restoreVault(vault.dir, await readBackup(bytes, BACKUP_PASS), fastProvider())).rejects.toThrow(/already exists.*--merge/);
    expect(fingerprint(vault.path).sha256).toBe(before.sha256);
    expect(readdirSync(vault.dir).filter((f) => f.startsWith('.vault-'))).toEqual([]);
    vault.close();
  });
});

describe('merging a backup into an existing vault', () => {
  it('adds new credentials re-sealed under this vault, reports name conflicts and overwrites nothing', async () => {
    const source = await seededVault(['prod', 'staging']);
    const { bytes } = await createBackup(source.vault, source.audit, BACKUP_PASS, opts);
    const target = await seededVault(['prod', 'laptop']);
    const targetProdId = target.repo.getByName('prod')!.id;
    const result = mergeBackup(target.vault, target.audit, await readBackup(bytes, BACKUP_PASS), 'test.kwbackup');
    expect(result.added.map((a) => a.name)).toEqual(['staging']);
    expect(result.conflicts.map((c) => [c.name, c.reason])).toEqual([['prod', expect.stringMatching(/already has a credential named "prod"/)]]);
    expect(result.notMerged.map((n) => n.table)).toContain('audit_events');
    // The target's own prod is untouched; the merged one opens under the target's key.
    expect(target.repo.secretsOf(targetProdId).secretAccessKey).toBe(target.secrets[targetProdId]);
    const staging = target.repo.getByName('staging')!;
    expect(target.repo.secretsOf(staging.id).secretAccessKey).toBe(source.secrets[staging.id]);
    expect(target.audit.verify()).toMatchObject({ ok: true });
    expect(target.audit.list({ action: 'vault.merged' })[0]?.details).toMatchObject({ added: 1, conflicts: [{ name: 'prod' }] });
    // Merging again finds every credential already there.
    const again = mergeBackup(target.vault, target.audit, await readBackup(bytes, BACKUP_PASS));
    expect(again.added).toEqual([]);
    expect(again.conflicts).toHaveLength(2);
    expect(existsSync(join(target.vault.dir, 'vault.sqlite'))).toBe(true);
    source.vault.close();
    target.vault.close();
  });
});

describe("merge conflicts: keep mine, take the backup's, or restore as a copy", () => {
  it("previews without writing, then applies each conflict's choice in one merge", async () => {
    const source = await seededVault(['prod', 'staging', 'ci', 'new']);
    const { bytes } = await createBackup(source.vault, source.audit, BACKUP_PASS, opts);
    const target = await seededVault(['prod', 'staging', 'ci']);
    const mine = Object.fromEntries(['prod', 'staging', 'ci'].map((n) => [n, target.repo.getByName(n)!]));
    const backupIdOf = (n: string) => source.repo.getByName(n)!.id;
    const contents = await readBackup(bytes, BACKUP_PASS);
    const before = rowsOf(target.vault, 'credentials');
    const events = target.audit.list({}).length;

    const preview = mergeBackup(target.vault, target.audit, contents, 'b.kwbackup', { preview: true });
    expect(preview.added.map((a) => a.name)).toEqual(['new']);
    expect(preview.conflicts.map((c) => [c.name, c.existingId, c.choice])).toEqual([
      ['prod', mine.prod.id, 'keep'],
      ['staging', mine.staging.id, 'keep'],
      ['ci', mine.ci.id, 'keep'],
    ]);
    expect(rowsOf(target.vault, 'credentials')).toEqual(before);
    expect(target.audit.list({})).toHaveLength(events);

    const clock = fakeClock('2026-12-01T10:00:00Z');
    const result = mergeBackup(target.vault, target.audit, contents, 'b.kwbackup', {
      choices: { [backupIdOf('staging')]: 'backup', [backupIdOf('ci')]: 'copy' },
      clock,
    });
    expect(result.conflicts.map((c) => [c.name, c.choice, c.restoredAs?.name])).toEqual([
      ['prod', 'keep', undefined],
      ['staging', 'backup', undefined],
      ['ci', 'copy', 'ci (restored 2026-12-01)'],
    ]);
    // Keep mine: untouched.
    expect(target.repo.secretsOf(mine.prod.id).secretAccessKey).toBe(target.secrets[mine.prod.id]);
    // The backup's: same id here, the backup's key and secret (sealed under this vault).
    const staging = target.repo.get(mine.staging.id)!;
    expect(staging.fields.accessKeyId).toBe(source.repo.getByName('staging')!.fields.accessKeyId);
    expect(target.repo.secretsOf(mine.staging.id).secretAccessKey).toBe(source.secrets[backupIdOf('staging')]);
    // A copy: both kept, the copy under a new id and a dated name.
    expect(target.repo.secretsOf(mine.ci.id).secretAccessKey).toBe(target.secrets[mine.ci.id]);
    const copy = target.repo.getByName('ci (restored 2026-12-01)')!;
    expect(copy.id).not.toBe(backupIdOf('ci'));
    expect(target.repo.secretsOf(copy.id).secretAccessKey).toBe(source.secrets[backupIdOf('ci')]);
    expect(target.audit.list({ action: 'credential.replaced' }).map((e) => e.credentialId)).toEqual([mine.staging.id]);
    expect(target.audit.list({ action: 'vault.merged' })[0]?.details).toMatchObject({
      conflicts: [
        { name: 'prod', choice: 'keep' },
        { name: 'staging', choice: 'backup' },
        { name: 'ci', choice: 'copy', restoredAs: 'ci (restored 2026-12-01)' },
      ],
    });
    expect(target.audit.verify()).toMatchObject({ ok: true });

    // A second copy the same day takes the next free name.
    const again = mergeBackup(target.vault, target.audit, contents, 'b.kwbackup', { choices: { [backupIdOf('ci')]: 'copy' }, clock });
    expect(again.conflicts.find((c) => c.name === 'ci')?.restoredAs?.name).toBe('ci (restored 2026-12-01 2)');
    source.vault.close();
    target.vault.close();
  });

  it("refuses to let a backup credential of another provider take one's place, and writes nothing", async () => {
    const source = await seededVault(['prod']);
    const { bytes } = await createBackup(source.vault, source.audit, BACKUP_PASS, opts);
    const target = await seededVault([]);
    target.repo.insert({ id: 'gw', name: 'prod', provider: 'APISIX', type: 'ADMIN_API_KEY', fields: { endpoint: 'http://127.0.0.1:9' } }, { adminApiKey: 'k'.repeat(32) }, new Date().toISOString());
    const before = rowsOf(target.vault, 'credentials');
    const contents = await readBackup(bytes, BACKUP_PASS);
    expect(() => mergeBackup(target.vault, target.audit, contents, 'b', { choices: { [source.repo.getByName('prod')!.id]: 'backup' } })).toThrow(/APISIX credential here.*Restore it as a copy/);
    expect(rowsOf(target.vault, 'credentials')).toEqual(before);
    source.vault.close();
    target.vault.close();
  });
});
