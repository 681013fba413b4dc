import { openSync, readFileSync, statSync, truncateSync, writeSync, closeSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { runDoctor } from '../../electron/core/doctor/doctor';
import { KeywardCore } from '../../electron/core/app/core';
import { toErrorPayload } from '../../electron/core/errors';
import { CredentialRepo } from '../../electron/core/credentials/repo';
import { Vault } from '../../electron/core/vault/vault';
import { fakeAccessKeyId, fakeSecretAccessKey, fastProvider, fingerprint, PASSPHRASE, removeTempDirs, tempDir } from '../support/fixtures';

afterEach(removeTempDirs);

async function closedVault(credentials = 200): Promise<{ dir: string; path: string }> {
  const vault = await Vault.init(tempDir(), fastProvider());
  const repo = new CredentialRepo(vault);
  for (let i = 0; i < credentials; i++) {
    repo.insert(
      { id: `c${i}`, name: `cred ${i} ${'x'.repeat(200)}`, provider: 'AWS', type: 'ACCESS_KEY', fields: { accessKeyId: fakeAccessKeyId(), region: 'us-east-1' } },
      { secretAccessKey: fakeSecretAccessKey() },
      new Date().toISOString(),
    );
  }
  const { dir, path } = vault;
  vault.db.pragma('wal_checkpoint(TRUNCATE)');
  vault.close();
  return { dir, path };
}

const failed = (r: Awaited<ReturnType<typeof runDoctor>>) => r.checks.filter((c) => !c.ok).map((c) => c.name);

describe('keyward doctor', () => {
  it('passes a healthy vault', async () => {
    const { dir } = await closedVault(5);
    const r = await runDoctor(dir, fastProvider());
    expect(failed(r)).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it('names a truncated vault file and leaves it as it was', async () => {
    const { dir, path } = await closedVault();
    truncateSync(path, Math.floor(statSync(path).size / 2));
    const before = fingerprint(path);
    const r = await runDoctor(dir, fastProvider());
    expect(r.ok).toBe(false);
    const problem = r.checks.find((c) => !c.ok)!;
    expect(problem.message).toMatch(/malformed|damage/);
    expect(problem.remedy).toMatch(/restore/);
    expect(fingerprint(path)).toEqual(before);
  });

  it('names a page of garbage in the middle of the file', async () => {
    const { dir, path } = await closedVault();
    const pageSize = 4096;
    const pages = Math.floor(statSync(path).size / pageSize);
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, Math.floor(pages / 2) * pageSize);
    closeSync(fd);
    const before = readFileSync(path);
    const r = await runDoctor(dir, fastProvider());
    expect(failed(r)).toContain('integrity');
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('names a schema version this build does not know', async () => {
    const { dir, path } = await closedVault(1);
    const db = new Database(path);
    db.pragma('user_version = 99');
    db.close();
    const r = await runDoctor(dir, fastProvider());
    expect(r.schemaVersion).toBe(99);
    expect(r.checks.find((c) => c.name === 'schema')).toMatchObject({ ok: false, remedy: expect.stringMatching(/Update Keyward/) });
  });

  it('finds orphaned secrets and a wrong passphrase', async () => {
    const { dir, path } = await closedVault(1);
    const db = new Database(path);
    db.pragma('foreign_keys = OFF');
    db.prepare('INSERT INTO credential_secrets (credential_id, field, sealed) VALUES (?, ?, ?)').run('gone', 'secretAccessKey', Buffer.from('x'));
    db.close();
    const r = await runDoctor(dir, fastProvider('a different passphrase'));
    expect(failed(r).sort()).toEqual(['key-provider', 'orphans']);
    expect(r.checks.find((c) => c.name === 'orphans')?.message).toMatch(/1 in credential_secrets → credentials/);
  });

  it('says when there is no vault at all', async () => {
    const r = await runDoctor(tempDir(), null);
    expect(r.checks).toEqual([expect.objectContaining({ name: 'file', ok: false, remedy: expect.stringMatching(/keyward init/) })]);
  });
});

describe('opening a damaged vault', () => {
  it('opens it read-only, reads what it can, refuses writes and never writes to the file', async () => {
    const { dir, path } = await closedVault();
    const pageSize = 4096;
    const pages = Math.floor(statSync(path).size / pageSize);
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (pages - 2) * pageSize);
    closeSync(fd);
    const before = fingerprint(path);
    const vault = await Vault.open(dir, fastProvider());
    expect(vault.readOnly).toBe(true);
    expect(vault.damage).toBeTruthy();
    const repo = new CredentialRepo(vault);
    let error: unknown;
    try {
      repo.insert({ id: 'new', name: 'new', provider: 'AWS', type: 'ACCESS_KEY', fields: {} }, {}, new Date().toISOString());
    } catch (e) {
      error = e;
    }
    expect(toErrorPayload(error)).toMatchObject({ code: 'VAULT_READ_ONLY', message: expect.stringMatching(/keyward doctor/) });
    vault.close();
    expect(fingerprint(path).sha256).toBe(before.sha256);
  });

  it('tells the app the vault is read-only, and why', async () => {
    const { dir, path } = await closedVault();
    truncateSync(path, statSync(path).size - 4096);
    const core = new KeywardCore({ vaultDir: dir, passphrase: PASSPHRASE });
    const before = fingerprint(path);
    const status = await core.start();
    await core.close();
    if (status.state === 'UNLOCKED') expect(status).toMatchObject({ readOnly: true, reason: expect.stringMatching(/damaged.*restore from a backup/) });
    else expect(status).toMatchObject({ state: 'LOCKED', reason: expect.stringMatching(/damaged|could not be opened/) });
    expect(fingerprint(path).sha256).toBe(before.sha256);
  });
});
