import { randomBytes, randomUUID } from 'node:crypto';
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
import { MAX_NAME_LENGTH } from '../../../shared/providers';

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

interface BackupContents {
  manifest: Omit<Manifest, 'dataKey'>;
  dataKey: Buffer;
  snapshot: Buffer;
}

function tablesOf(db: Db): Record<string, number> {
  const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
  return Object.fromEntries(
    names.map((n) => [
      n,
      db
        .prepare(`SELECT count(*) FROM "${n.replaceAll('"', '""')}"`)
        .pluck()
        .get() as number,
    ]),
  );
}

function tempName(dir: string, what: string): string {
  return join(dir, `.vault-${what}-${randomBytes(6).toString('hex')}.sqlite`);
}

function removeDb(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) rmSync(f, { force: true });
}

interface BackupResult {
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

/** What to do with a backup credential that collides with one here: the admin's, per conflict. */
export type ConflictChoice = 'keep' | 'backup' | 'copy';

interface MergeConflict {
  /** The backup's credential. */
  id: string;
  name: string;
  reason: string;
  /** The credential here it collides with (same id, or same name). */
  existingId: string;
  /** What was done (or, in a preview, would be): keep mine, take the backup's, restore it as a copy. */
  choice: ConflictChoice;
  /** A copy: the new credential's id and name. */
  restoredAs?: { id: string; name: string };
}

export interface MergeResult {
  added: Array<{ id: string; name: string }>;
  conflicts: MergeConflict[];
  /** Tables whose rows a merge does not bring over (the target keeps its own audit chain). */
  notMerged: Array<{ table: string; rows: number }>;
}

export interface MergeOptions {
  /** Per conflict, by the backup credential's id; a conflict not named keeps mine. */
  choices?: Record<string, ConflictChoice>;
  /** Report what would be added and what collides, and write nothing. */
  preview?: boolean;
  clock?: Clock;
}

/** "prod (restored 2026-12-01)", then "… 2", "… 3" while taken; within the name limit. */
function copyName(name: string, day: string, taken: (n: string) => boolean): string {
  for (let n = 1; ; n++) {
    const tail = ` (restored ${day}${n > 1 ? ` ${n}` : ''})`;
    const candidate = name.slice(0, MAX_NAME_LENGTH - tail.length).trimEnd() + tail;
    if (!taken(candidate)) return candidate;
  }
}

/**
 * Merges a backup's credentials into an open vault: each secret is opened with the
 * backup's data key and sealed again under this vault's. A credential whose id or name
 * is taken is a conflict: kept as it is here unless the admin chose, for it, to take the
 * backup's (this vault's record keeps its id, so its resources and bindings stay; the
 * fields, secrets and status become the backup's) or to restore it as a renamed copy.
 * Audited here, appended to this vault's chain.
 */
export function mergeBackup(vault: Vault, audit: AuditLog, contents: BackupContents, source = 'backup', opts: MergeOptions = {}): MergeResult {
  const tmp = tempName(vault.dir, 'merge');
  let src: Db | null = null;
  try {
    writeFileSync(tmp, contents.snapshot, { mode: 0o600 }); // owner-only from the first byte
    src = openDatabase(tmp, { readonly: true });
    checkSnapshot(src, contents.manifest.vaultId);
    const srcVaultId = contents.manifest.vaultId;
    const cols = (db: Db, t: string) => db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(t) as string[];
    const targetCols = new Set(cols(vault.db, 'credentials'));
    const shared = cols(src, 'credentials').filter((c) => targetCols.has(c));
    const insert = vault.db.prepare(`INSERT INTO credentials (${shared.map((c) => `"${c}"`).join(', ')}) VALUES (${shared.map(() => '?').join(', ')})`);
    const replaced = shared.filter((c) => c !== 'id' && c !== 'created_at');
    const replace = vault.db.prepare(`UPDATE credentials SET ${replaced.map((c) => `"${c}" = ?`).join(', ')} WHERE id = ?`);
    const putSecret = vault.db.prepare('INSERT INTO credential_secrets (credential_id, field, sealed) VALUES (?, ?, ?)');
    const dropSecrets = vault.db.prepare('DELETE FROM credential_secrets WHERE credential_id = ?');
    const idTaken = vault.db.prepare('SELECT name FROM credentials WHERE id = ?').pluck();
    const byId = vault.db.prepare('SELECT provider FROM credentials WHERE id = ?').pluck();
    const nameTaken = vault.db.prepare('SELECT id FROM credentials WHERE name = ?').pluck();
    const rotating = vault.db.prepare("SELECT 1 FROM rotations WHERE credential_id = ? AND state = 'IN_PROGRESS'").pluck();
    const rows = src.prepare(`SELECT ${shared.map((c) => `"${c}"`).join(', ')} FROM credentials ORDER BY created_at, rowid`).all() as Array<Record<string, unknown>>;
    const secretsOf = src.prepare('SELECT field, sealed FROM credential_secrets WHERE credential_id = ?');
    const day = isoNow(opts.clock ?? systemClock).slice(0, 10);
    const result: MergeResult = { added: [], conflicts: [], notMerged: [] };

    /** The backup's secrets of `id`, opened and sealed again here under `as`. */
    const copySecrets = (id: string, as: string, name: string) => {
      for (const s of secretsOf.all(id) as Array<{ field: string; sealed: Buffer }>) {
        let value: Buffer;
        try {
          value = open(contents.dataKey, s.sealed, secretFieldAad(srcVaultId, id, s.field));
        } catch {
          throw new KeywardError('INVALID_INPUT', `The secret "${s.field}" of "${name}" in the backup fails its integrity check. Nothing was merged; use another backup.`);
        }
        putSecret.run(as, s.field, vault.sealSecret(as, s.field, value.toString('utf8')));
        value.fill(0);
      }
    };

    const apply = () => {
      for (const row of rows) {
        const id = row.id as string;
        const name = row.name as string;
        const sameId = idTaken.get(id) !== undefined;
        const sameName = sameId ? undefined : (nameTaken.get(name) as string | undefined);
        if (!sameId && sameName === undefined) {
          if (!opts.preview) {
            insert.run(...shared.map((c) => row[c]));
            copySecrets(id, id, name);
            audit.append('credential.merged', { credentialId: id, details: { name, provider: row.provider ?? null, fromVault: srcVaultId } });
          }
          result.added.push({ id, name });
          continue;
        }
        const existingId = sameId ? id : sameName!;
        const reason = sameId ? 'this vault already holds a credential with the same id (restored before?)' : `this vault already has a credential named "${name}"`;
        const choice = opts.choices?.[id] ?? 'keep';
        const conflict: MergeConflict = { id, name, reason, existingId, choice };
        result.conflicts.push(conflict);
        if (choice === 'copy') {
          const as = { id: randomUUID(), name: copyName(name, day, (n) => nameTaken.get(n) !== undefined || result.conflicts.some((c) => c.restoredAs?.name === n)) };
          conflict.restoredAs = as;
          if (opts.preview) continue;
          insert.run(...shared.map((c) => (c === 'id' ? as.id : c === 'name' ? as.name : row[c])));
          copySecrets(id, as.id, name);
          audit.append('credential.merged', { credentialId: as.id, details: { name: as.name, provider: row.provider ?? null, fromVault: srcVaultId, copyOf: name } });
        } else if (choice === 'backup') {
          const provider = byId.get(existingId) as string;
          if (provider !== row.provider) {
            throw new KeywardError(
              'CONFLICT',
              `"${name}" is a ${provider} credential here and a ${String(row.provider)} one in the backup: it cannot take the backup's place. Restore it as a copy instead. Nothing was merged.`,
            );
          }
          const holder = nameTaken.get(name) as string | undefined;
          if (holder !== undefined && holder !== existingId) {
            throw new KeywardError('CONFLICT', `The backup's "${name}" would take the name of another credential here. Restore it as a copy instead. Nothing was merged.`);
          }
          if (rotating.get(existingId) !== undefined) {
            throw new KeywardError('CONFLICT', `"${name}" is in the middle of a key rotation here: finish or roll back the rotation first, or restore the backup's as a copy. Nothing was merged.`);
          }
          if (opts.preview) continue;
          replace.run(...replaced.map((c) => row[c]), existingId);
          dropSecrets.run(existingId);
          copySecrets(id, existingId, name);
          audit.append('credential.replaced', { credentialId: existingId, details: { name, provider: row.provider ?? null, fromVault: srcVaultId } });
        }
      }
      const counts = tablesOf(src!);
      for (const t of Object.keys(counts)) {
        if (!['meta', 'credentials', 'credential_secrets'].includes(t) && counts[t] > 0) result.notMerged.push({ table: t, rows: counts[t] });
      }
      if (opts.preview) return;
      audit.append('vault.merged', {
        details: {
          source,
          fromVault: srcVaultId,
          added: result.added.length,
          conflicts: result.conflicts.map((c) => ({ id: c.id, name: c.name, choice: c.choice, ...(c.restoredAs ? { restoredAs: c.restoredAs.name } : {}) })),
        },
      });
    };
    // A preview only reads: it runs outside a transaction, so a read-only vault can preview too.
    if (opts.preview) apply();
    else vault.tx(apply);
    return result;
  } catch (e) {
    throw storageError(e, tmp) ?? e;
  } finally {
    src?.close();
    removeDb(tmp);
  }
}
