import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { AuditLog } from '../audit/log';
import { dataKeyAad, open, seal, secretFieldAad } from '../crypto/envelope';
import { KeywardError, storageError } from '../errors';
import type { KeyProvider } from '../keys/types';
import { vaultFilePath } from '../paths';
import { migrate, openDatabase, writeMeta, type Db } from '../vault/db';
import { SCHEMA_VERSION } from '../vault/migrations';
import { createPrivateFile, removeStaleTempFiles, type Vault } from '../vault/vault';
import { BACKUP_SCRYPT, openBackup, sealBackup } from './format';
import { isoNow, systemClock, type Clock } from '../ports/clock';
import { MIN_PASSPHRASE } from '../../../shared/passphrase';

// A whole-vault backup: a consistent SQLite snapshot (VACUUM INTO: every table, whatever
// features added them) plus the vault's data key, sealed together with the backup
// passphrase. Restoring keeps the vault id and data key, so every sealed field and the
// audit chain open and verify as before; only the key that wraps the data key changes.

interface Manifest {
  vaultId: string;
  dataKey: string; // base64; only ever inside the sealed payload
  schemaVersion: number;
  createdAt: string;
  tables: Record<string, number>;
}

export interface BackupContents {
  manifest: Omit<Manifest, 'dataKey'>;
  dataKey: Buffer;
  snapshot: Buffer;
}

function tablesOf(db: Db): Record<string, number> {
  const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
  return Object.fromEntries(names.map((n) => [n, db.prepare(`SELECT count(*) FROM "${n.replaceAll('"', '""')}"`).pluck().get() as number]));
}

function tempName(dir: string, what: string): string {
  return join(dir, `.vault-${what}-${randomBytes(6).toString('hex')}.sqlite`);
}

function removeDb(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) rmSync(f, { force: true });
}

export interface BackupResult {
  bytes: Buffer;
  tables: Record<string, number>;
  /** false when the vault is open read-only (damaged, or a read-only folder): the backup could not be recorded in its audit log. */
  audited: boolean;
}

/**
 * Seals the whole vault into backup bytes. `deliver` puts them where they go (a file
 * the CLI writes, the window's download); only once it succeeded is the backup recorded
 * in the audit log, so the log holds no backup that does not exist. A vault open
 * read-only (salvage from a damaged vault) is backed up too, unrecorded: `audited` says so.
 */
export async function createBackup(
  vault: Vault,
  audit: AuditLog,
  passphrase: string,
  opts: { kdf?: { N: number; r: number; p: number }; clock?: Clock; deliver?: (bytes: Buffer) => void | Promise<void> } = {},
): Promise<BackupResult> {
  if (passphrase.length < MIN_PASSPHRASE) throw new KeywardError('INVALID_INPUT', `Choose a backup passphrase of at least ${MIN_PASSPHRASE} characters; you will need it to restore.`);
  const snapshot = takeSnapshot(vault);
  const tables = tablesOf(vault.db);
  const dataKey = vault.dataKeyForBackup();
  let bytes: Buffer;
  try {
    const manifest: Manifest = { vaultId: vault.vaultId, dataKey: dataKey.toString('base64'), schemaVersion: SCHEMA_VERSION, createdAt: isoNow(opts.clock ?? systemClock), tables };
    const m = Buffer.from(JSON.stringify(manifest), 'utf8');
    const len = Buffer.alloc(4);
    len.writeUInt32BE(m.length);
    const payload = Buffer.concat([len, m, snapshot]);
    bytes = await sealBackup(payload, passphrase, opts.kdf, opts.clock);
    payload.fill(0);
    snapshot.fill(0);
  } finally {
    dataKey.fill(0);
  }
  await opts.deliver?.(bytes);
  if (vault.readOnly) return { bytes, tables, audited: false };
  audit.append('vault.backup.created', { details: { kdf: 'scrypt', ...(opts.kdf ?? BACKUP_SCRYPT), credentials: tables.credentials ?? 0 } });
  return { bytes, tables, audited: true };
}

/**
 * A consistent copy of the vault (VACUUM INTO: compact, no freed pages). The copy is a
 * temporary file in the vault's own folder, owner-only from its first byte, removed
 * whatever happens. When that folder is read-only, the copy is taken in memory instead.
 */
function takeSnapshot(vault: Vault): Buffer {
  const tmp = tempName(vault.dir, 'backup');
  try {
    createPrivateFile(tmp);
  } catch (e) {
    const told = storageError(e, tmp);
    if (told?.code === 'READ_ONLY_FOLDER' || (e as NodeJS.ErrnoException).code === 'EACCES') return vault.db.serialize();
    throw told ?? e;
  }
  try {
    vault.db.prepare('VACUUM INTO ?').run(tmp);
    return readFileSync(tmp);
  } catch (e) {
    throw storageError(e, tmp) ?? e;
  } finally {
    removeDb(tmp);
  }
}

/**
 * Writes a backup to `file`, next to it first and then linked into place: never half a
 * file, never over an existing one. Disk full and a read-only folder are told as such.
 */
export function writeBackupFile(file: string, bytes: Buffer): void {
  if (existsSync(file)) throw new KeywardError('CONFLICT', `${file} already exists. It was not touched; choose another file name.`);
  const tmp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, bytes, { mode: 0o600 });
    linkSync(tmp, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new KeywardError('CONFLICT', `${file} already exists. It was not touched; choose another file name.`);
    const told = storageError(e, file);
    if (told) throw new KeywardError(told.code, `${told.message} The backup file was not written.`, told.context);
    throw new KeywardError('INVALID_INPUT', `Cannot write ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}). Check the folder exists and is writable.`);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** Opens and checks a backup in memory; nothing on disk changes. */
export async function readBackup(bytes: Buffer, passphrase: string): Promise<BackupContents> {
  const { payload } = await openBackup(bytes, passphrase);
  const len = payload.readUInt32BE(0);
  const m = JSON.parse(payload.subarray(4, 4 + len).toString('utf8')) as Manifest;
  const dataKey = Buffer.from(m.dataKey, 'base64');
  const { dataKey: _omit, ...manifest } = m;
  return { manifest, dataKey, snapshot: Buffer.from(payload.subarray(4 + len)) };
}

function checkSnapshot(db: Db, vaultId: string): void {
  const integrity = db.pragma('integrity_check', { simple: true });
  if (integrity !== 'ok') throw new KeywardError('INVALID_INPUT', `The vault inside the backup fails SQLite's integrity check (${String(integrity)}). Nothing was changed; use another backup.`);
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new KeywardError('VAULT_READ_ONLY', `The backup comes from a newer Keyward (schema ${version}, this build knows ${SCHEMA_VERSION}). Update Keyward to restore it. Nothing was changed.`);
  }
  const id = db.prepare("SELECT value FROM meta WHERE key = 'vault_id'").pluck().get();
  if (id !== vaultId) throw new KeywardError('INVALID_INPUT', 'The backup is inconsistent (its manifest names another vault). Nothing was changed; use another backup.');
}

/**
 * Restores a backup as the vault in `dir`, which must hold none. The data key is wrapped
 * by `provider` (this machine's keychain, or a passphrase). Built under a temporary name
 * and linked into place, so a failure leaves no vault, never half of one.
 */
export async function restoreVault(dir: string, contents: BackupContents, provider: KeyProvider): Promise<{ vaultId: string; tables: Record<string, number> }> {
  const file = vaultFilePath(dir);
  if (existsSync(file)) {
    throw new KeywardError('VAULT_EXISTS', `A vault already exists at ${file}. It was not touched: restore into an empty folder (--vault-dir), or merge with \`keyward restore FILE --merge\`.`);
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { vaultId } = contents.manifest;
  const tmp = tempName(dir, 'restore');
  let created = false;
  try {
    removeStaleTempFiles(dir);
    writeFileSync(tmp, contents.snapshot, { mode: 0o600 }); // owner-only from the first byte
    const db = openDatabase(tmp);
    try {
      checkSnapshot(db, vaultId);
      // On the machine that made the vault, its keychain entry already exists: reuse it,
      // since replacing it would lock the original vault out.
      const existing = provider.kind === 'keychain' ? await provider.load(vaultId, null).catch(() => null) : null;
      const { kek, kdf } = existing ? { kek: existing, kdf: null } : await provider.create(vaultId);
      created = !existing;
      try {
        migrate(db);
        writeMeta(db, { key_provider: provider.kind, kdf: JSON.stringify(kdf), wrapped_data_key: seal(kek, contents.dataKey, dataKeyAad(vaultId)).toString('base64') });
      } finally {
        kek.fill(0);
      }
      db.pragma('journal_mode = DELETE');
    } finally {
      db.close();
    }
    linkSync(tmp, file);
    return { vaultId, tables: contents.manifest.tables };
  } catch (e) {
    if (created && !existsSync(file)) await provider.discard(vaultId).catch(() => undefined);
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new KeywardError('VAULT_EXISTS', `A vault appeared at ${file} during the restore. It was not touched.`);
    throw storageError(e, file) ?? e;
  } finally {
    removeDb(tmp);
  }
}

export interface MergeResult {
  added: Array<{ id: string; name: string }>;
  conflicts: Array<{ id: string; name: string; reason: string }>;
  /** Tables whose rows a merge does not bring over (the target keeps its own audit chain). */
  notMerged: Array<{ table: string; rows: number }>;
}

/**
 * Merges a backup's credentials into an open vault: each secret is opened with the
 * backup's data key and sealed again under this vault's. A credential whose id or name
 * is taken is reported, never overwritten. Audited here, appended to this vault's chain.
 */
export function mergeBackup(vault: Vault, audit: AuditLog, contents: BackupContents, source = 'backup'): MergeResult {
  const tmp = tempName(vault.dir, 'merge');
  let src: Db | null = null;
  try {
    writeFileSync(tmp, contents.snapshot, { mode: 0o600 }); // owner-only from the first byte
    src = openDatabase(tmp, { readonly: true });
    checkSnapshot(src, contents.manifest.vaultId);
    const srcVaultId = contents.manifest.vaultId;
    const cols = (db: Db, t: string) => (db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(t) as string[]);
    const targetCols = new Set(cols(vault.db, 'credentials'));
    const shared = cols(src, 'credentials').filter((c) => targetCols.has(c));
    const insert = vault.db.prepare(`INSERT INTO credentials (${shared.map((c) => `"${c}"`).join(', ')}) VALUES (${shared.map(() => '?').join(', ')})`);
    const putSecret = vault.db.prepare('INSERT INTO credential_secrets (credential_id, field, sealed) VALUES (?, ?, ?)');
    const idTaken = vault.db.prepare('SELECT name FROM credentials WHERE id = ?').pluck();
    const nameTaken = vault.db.prepare('SELECT id FROM credentials WHERE name = ?').pluck();
    const rows = src.prepare(`SELECT ${shared.map((c) => `"${c}"`).join(', ')} FROM credentials ORDER BY created_at, rowid`).all() as Array<Record<string, unknown>>;
    const secretsOf = src.prepare('SELECT field, sealed FROM credential_secrets WHERE credential_id = ?');
    const result: MergeResult = { added: [], conflicts: [], notMerged: [] };
    vault.tx(() => {
      for (const row of rows) {
        const id = row.id as string;
        const name = row.name as string;
        if (idTaken.get(id) !== undefined) {
          result.conflicts.push({ id, name, reason: 'this vault already holds a credential with the same id (restored before?)' });
          continue;
        }
        if (nameTaken.get(name) !== undefined) {
          result.conflicts.push({ id, name, reason: `this vault already has a credential named "${name}"; rename one and merge again` });
          continue;
        }
        insert.run(...shared.map((c) => row[c]));
        for (const s of secretsOf.all(id) as Array<{ field: string; sealed: Buffer }>) {
          let value: Buffer;
          try {
            value = open(contents.dataKey, s.sealed, secretFieldAad(srcVaultId, id, s.field));
          } catch {
            throw new KeywardError('INVALID_INPUT', `The secret "${s.field}" of "${name}" in the backup fails its integrity check. Nothing was merged; use another backup.`);
          }
          putSecret.run(id, s.field, vault.sealSecret(id, s.field, value.toString('utf8')));
          value.fill(0);
        }
        audit.append('credential.merged', { credentialId: id, details: { name, provider: row.provider ?? null, fromVault: srcVaultId } });
        result.added.push({ id, name });
      }
      const counts = tablesOf(src!);
      for (const t of Object.keys(counts)) {
        if (!['meta', 'credentials', 'credential_secrets'].includes(t) && counts[t] > 0) result.notMerged.push({ table: t, rows: counts[t] });
      }
      audit.append('vault.merged', {
        details: { source, fromVault: srcVaultId, added: result.added.length, conflicts: result.conflicts.map((c) => ({ id: c.id, name: c.name })) },
      });
    });
    return result;
  } catch (e) {
    throw storageError(e, tmp) ?? e;
  } finally {
    src?.close();
    removeDb(tmp);
  }
}
