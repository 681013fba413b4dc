// Errors that say what happened: another Keyward writing (busy), a full disk, a
// read-only folder, a damaged file; an audit log that records only what happened;
// salvage from a vault that can only be read; temporary files that never linger.
// Disk full and read-only run on a small tmpfs that this test mounts (root only).
import { execFileSync, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { closeSync, mkdirSync, openSync, readdirSync, readSync, rmSync, statSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { KeywardCore } from '../../electron/core/app/core';
import { AuditLog } from '../../electron/core/audit/log';
import { createBackup, readBackup } from '../../electron/core/backup/vault-backup';
import { CredentialService } from '../../electron/core/credentials/service';
import { toErrorPayload } from '../../electron/core/errors';
import { EventBus } from '../../electron/core/events';
import { exportInventory } from '../../electron/core/inventory/service';
import { vaultFilePath } from '../../electron/core/paths';
import { openDatabase } from '../../electron/core/vault/db';
import { createPrivateFile, removeStaleTempFiles, Vault } from '../../electron/core/vault/vault';
import { awsFields, FAST_SCRYPT, fastProvider, fingerprint, PASSPHRASE, removeTempDirs, tempDir } from '../support/fixtures';

const BACKUP_PASS = 'backup passphrase for tests';

function payloadOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (e) {
    return toErrorPayload(e);
  }
  throw new Error('expected an error');
}

async function payloadOfAsync(fn: () => Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await fn();
  } catch (e) {
    return toErrorPayload(e);
  }
  throw new Error('expected an error');
}

const add = (service: CredentialService, name: string) => service.add({ name, provider: 'AWS', type: 'ACCESS_KEY', fields: awsFields(), verify: false });

describe('another Keyward writing', () => {
  it('waits for the lock, and says VAULT_BUSY (never INTERNAL) when the vault stays busy; nothing is written', async () => {
    const dir = tempDir();
    (await Vault.init(dir, fastProvider())).close();
    const vault = await Vault.open(dir, fastProvider(), { busyTimeoutMs: 50, busyRetryMs: 300 });
    const service = new CredentialService(vault, new EventBus());
    // The same SQLite build the vault loaded: two copies of the library in one process do not
    // see each other's locks (POSIX locks are per process), so this writer must share the vault's.
    const other = openDatabase(vaultFilePath(dir));
    other.exec('BEGIN IMMEDIATE');
    const started = Date.now();
    const busy = payloadOf(() => add(service, 'while-busy'));
    expect(busy.code).toBe('VAULT_BUSY');
    expect(busy.message).toMatch(/Another Keyward .* is writing .*nothing was written\. Try again/);
    // It kept trying for its retry window before giving up.
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    other.exec('ROLLBACK');
    other.close();
    expect(service.list().map((c) => c.name)).toEqual([]);
    add(service, 'after');
    expect(service.list().map((c) => c.name)).toEqual(['after']);
    vault.close();
  });

  it('goes on once the other writer commits within the wait', async () => {
    const dir = tempDir();
    (await Vault.init(dir, fastProvider())).close();
    const vault = await Vault.open(dir, fastProvider(), { busyTimeoutMs: 50, busyRetryMs: 20_000 });
    const service = new CredentialService(vault, new EventBus());
    // Another process holds the write lock for 600 ms.
    const holder = execFileAsync(process.execPath, [
      '-e',
      `const D=require(${JSON.stringify(createRequire(import.meta.url).resolve('better-sqlite3'))});const d=new D(${JSON.stringify(vaultFilePath(dir))});d.exec('BEGIN IMMEDIATE');console.log('held');setTimeout(()=>{d.exec('COMMIT');d.close()},600)`,
    ]);
    await holder.ready;
    add(service, 'waited');
    await holder.done;
    expect(service.list().map((c) => c.name)).toEqual(['waited']);
    expect(new AuditLog(vault, 'cli').verify()).toMatchObject({ ok: true });
    vault.close();
  });
});

/** A child process that prints "held" once it holds the lock. */
function execFileAsync(cmd: string, args: string[]) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const ready = new Promise<void>((r) => child.stdout.on('data', (d: Buffer) => d.toString().includes('held') && r()));
  const done = new Promise<void>((r) => child.on('exit', () => r()));
  return { ready, done };
}

describe('a damaged vault', () => {
  /** Garbage over the freelist's first page: quick_check fails, every table still reads (the data to salvage). */
  function damageFreelist(path: string): void {
    const db = new Database(path);
    db.pragma('journal_mode = DELETE');
    // Pages to free: a scratch table filled, then dropped.
    db.exec('CREATE TABLE scratch (x BLOB); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40) INSERT INTO scratch SELECT randomblob(3000) FROM n; DROP TABLE scratch;');
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    db.close();
    const header = Buffer.alloc(100);
    const fd = openSync(path, 'r+');
    readSync(fd, header, 0, 100, 0);
    const trunk = header.readUInt32BE(32);
    expect(trunk).toBeGreaterThan(0);
    writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (trunk - 1) * pageSize);
    closeSync(fd);
  }

  async function damagedVault() {
    const dir = tempDir();
    const vault = await Vault.init(dir, fastProvider());
    const service = new CredentialService(vault, new EventBus());
    for (let i = 0; i < 120; i++) add(service, `cred-${i}`);
    vault.close();
    damageFreelist(vaultFilePath(dir));
    return dir;
  }

  it('leaves no empty -wal/-shm beside it when opened, and never changes it', async () => {
    const dir = await damagedVault();
    const before = fingerprint(vaultFilePath(dir));
    const vault = await Vault.open(dir, fastProvider());
    expect(vault.readOnly).toBe(true);
    expect(vault.damage).toBeTruthy();
    vault.close();
    expect(readdirSync(dir)).toEqual(['vault.sqlite']);
    expect(fingerprint(vaultFilePath(dir)).sha256).toBe(before.sha256);
  });

  it('still exports the inventory and makes a backup (salvage), unrecorded and saying so', async () => {
    const dir = await damagedVault();
    const core = new KeywardCore({ vaultDir: dir, passphrase: PASSPHRASE, actor: 'cli' });
    await core.open();
    expect(core.status()).toMatchObject({ readOnly: true });
    const exported = exportInventory(core, 'json', 'masked');
    expect(exported.audited).toBe(false);
    expect(exported.rows).toBeGreaterThan(0);
    const events = core.audit.list({}).length;
    const backup = await createBackup(core.openVault, core.audit, BACKUP_PASS, { kdf: FAST_SCRYPT });
    expect(backup.audited).toBe(false);
    expect((await readBackup(backup.bytes, BACKUP_PASS)).manifest.vaultId).toBe(core.openVault.vaultId);
    expect(core.audit.list({}).length).toBe(events);
    // A write says why it cannot happen.
    expect(payloadOf(() => core.credentials.add({ name: 'x', provider: 'AWS', type: 'ACCESS_KEY', fields: awsFields(), verify: false }))).toMatchObject({
      code: 'VAULT_READ_ONLY',
      message: expect.stringMatching(/damaged.*keyward doctor/),
    });
    await core.close();
    expect(readdirSync(dir)).toEqual(['vault.sqlite']);
  });
});

describe('the audit log records only what happened', () => {
  it('has no vault.backup.created for a backup whose file could not be written', async () => {
    const dir = tempDir();
    const vault = await Vault.init(dir, fastProvider());
    const audit = new AuditLog(vault, 'cli');
    const before = audit.list({}).length;
    await expect(
      createBackup(vault, audit, BACKUP_PASS, {
        kdf: FAST_SCRYPT,
        deliver: () => {
          throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
        },
      }),
    ).rejects.toThrow(/no space/);
    expect(audit.list({ action: 'vault.backup.created' })).toEqual([]);
    expect(audit.list({}).length).toBe(before);
    await createBackup(vault, audit, BACKUP_PASS, { kdf: FAST_SCRYPT, deliver: () => undefined });
    expect(audit.list({ action: 'vault.backup.created' })).toHaveLength(1);
    vault.close();
  });
});

describe('temporary files', () => {
  it('are owner-only from the first byte', () => {
    const f = join(tempDir(), '.vault-backup-000000000000.sqlite');
    createPrivateFile(f);
    expect(statSync(f).mode & 0o777).toBe(0o600);
    expect(statSync(f).size).toBe(0);
  });

  it('leave nothing behind after a backup, and stale ones are removed at the next start (fresh ones may be another process’s)', async () => {
    const dir = tempDir();
    const vault = await Vault.init(dir, fastProvider());
    await createBackup(vault, new AuditLog(vault, 'cli'), BACKUP_PASS, { kdf: FAST_SCRYPT });
    vault.close();
    expect(readdirSync(dir)).toEqual(['vault.sqlite']);
    const stale = ['.vault-backup-0123456789ab.sqlite', '.vault-restore-0123456789ab.sqlite', '.vault-restore-0123456789ab.sqlite-wal'];
    for (const name of [...stale, '.vault-merge-ffffffffffff.sqlite', 'notes.txt']) writeFileSync(join(dir, name), 'x', { mode: 0o600 });
    const old = new Date(Date.now() - 3600_000);
    for (const name of stale) utimesSync(join(dir, name), old, old);
    (await Vault.open(dir, fastProvider())).close();
    expect(readdirSync(dir).sort()).toEqual(['.vault-merge-ffffffffffff.sqlite', 'notes.txt', 'vault.sqlite']);
    expect(removeStaleTempFiles(dir, Date.now() + 3600_000)).toEqual(['.vault-merge-ffffffffffff.sqlite']);
  });
});

// --- a small file system that fills up, and one that is read-only ---

function canMount(): string | null {
  if (process.getuid?.() !== 0) return 'not root: mounting a tmpfs needs root';
  const probe = tempDir('keyward-mount-probe-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return null;
  } catch (e) {
    return `cannot mount a tmpfs here (${(e as Error).message.split('\n')[0]})`;
  }
}
const mountSkip = canMount();
if (mountSkip) console.log(`disk-full and read-only tests skipped: ${mountSkip}`);

const mounts: string[] = [];
// Unmounted before the temporary folders are removed.
afterEach(removeTempDirs);
function mountTmpfs(size: string): string {
  const dir = tempDir('keyward-tmpfs-');
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir]);
  mounts.push(dir);
  return dir;
}
afterEach(() => {
  for (const m of mounts.splice(0)) execFileSync('umount', ['-l', m], { stdio: 'ignore' });
});

/** Fills the file system holding `dir` to the last byte. */
function fill(dir: string): string {
  const f = join(dir, 'filler');
  const fd = openSync(f, 'w');
  const chunk = Buffer.alloc(4096, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  } finally {
    closeSync(fd);
  }
  return f;
}

describe.skipIf(mountSkip !== null)('a full disk', () => {
  it('says the disk is full and nothing was written (not damaged, not INTERNAL); all is there once space is freed', async () => {
    const mount = mountTmpfs('4m');
    const dir = join(mount, 'vault');
    const vault = await Vault.init(dir, fastProvider());
    const service = new CredentialService(vault, new EventBus());
    for (let i = 0; i < 5; i++) add(service, `before-${i}`);
    const filler = fill(mount);
    const errors: Array<{ code: string; message: string }> = [];
    for (let i = 0; i < 40; i++) {
      try {
        add(service, `full-${i}`);
      } catch (e) {
        errors.push(toErrorPayload(e));
      }
    }
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) {
      expect(e.code).toBe('DISK_FULL');
      expect(e.message).toMatch(/disk is full.*nothing was written/);
    }
    // A backup fails the same way, leaving no temporary copy and no audit event.
    const audit = new AuditLog(vault, 'cli');
    const backupEvents = audit.list({ action: 'vault.backup.created' }).length;
    expect((await payloadOfAsync(() => createBackup(vault, audit, BACKUP_PASS, { kdf: FAST_SCRYPT }))).code).toBe('DISK_FULL');
    expect(readdirSync(dir).filter((f) => f.startsWith('.vault-'))).toEqual([]);
    rmSync(filler);
    expect(audit.list({ action: 'vault.backup.created' }).length).toBe(backupEvents);
    const names = service.list().map((c) => c.name);
    expect(names.filter((n) => n.startsWith('before-'))).toHaveLength(5);
    // What failed was not written; what succeeded (if the disk had a page left) is whole.
    expect(names.length).toBe(5 + 40 - errors.length);
    add(service, 'after');
    expect(audit.verify()).toMatchObject({ ok: true });
    vault.close();
    const reopened = await Vault.open(dir, fastProvider());
    expect(reopened.readOnly).toBe(false);
    reopened.close();
  });
});

describe.skipIf(mountSkip !== null)('a read-only folder', () => {
  it('opens the vault read-only, says the folder is read-only on a write, and still exports and backs up', async () => {
    const mount = mountTmpfs('4m');
    const dir = join(mount, 'vault');
    mkdirSync(dir);
    const vault = await Vault.init(dir, fastProvider());
    const service = new CredentialService(vault, new EventBus());
    for (let i = 0; i < 3; i++) add(service, `kept-${i}`);
    vault.close();
    execFileSync('mount', ['-o', 'remount,ro', mount]);
    const core = new KeywardCore({ vaultDir: dir, passphrase: PASSPHRASE, actor: 'cli' });
    await core.open();
    expect(core.status()).toMatchObject({ state: 'UNLOCKED', readOnly: true });
    expect(core.credentials.list()).toHaveLength(3);
    const write = payloadOf(() => core.credentials.add({ name: 'new', provider: 'AWS', type: 'ACCESS_KEY', fields: awsFields(), verify: false }));
    expect(write).toMatchObject({ code: 'READ_ONLY_FOLDER', message: expect.stringMatching(/read-only: nothing was written/) });
    expect(exportInventory(core, 'csv', 'masked')).toMatchObject({ rows: 3, audited: false });
    const backup = await createBackup(core.openVault, core.audit, BACKUP_PASS, { kdf: FAST_SCRYPT });
    expect(backup).toMatchObject({ audited: false, tables: expect.objectContaining({ credentials: 3 }) });
    await core.close();
    expect(readdirSync(dir)).toEqual(['vault.sqlite']);
  });
});
