import { hkdfSync, randomUUID, randomBytes } from 'node:crypto';
import { accessSync, closeSync, constants, existsSync, linkSync, mkdirSync, openSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isBusy, KeywardError, storageError } from '../errors';
import { dataKeyAad, open, randomKey, seal, SealError, secretFieldAad } from '../crypto/envelope';
import type { KdfParams, KeyProvider, KeyProviderKind } from '../keys/types';
import { vaultFilePath } from '../paths';
import type { Transaction } from 'better-sqlite3';
import { migrate, openDatabase, type Db } from './db';
import { isoNow, systemClock, type Clock } from '../ports/clock';

/** How long a write keeps trying for the vault's lock (on top of each try's busy timeout) before VAULT_BUSY. */
const BUSY_RETRY_MS = 20_000;

/** How patient writes are with another process's lock. Tests shorten it; the defaults suit people. */
interface VaultOptions {
  /** One statement's wait for the lock (SQLite's busy timeout). */
  busyTimeoutMs?: number;
  /** How long a write keeps trying, all tries together, before VAULT_BUSY. */
  busyRetryMs?: number;
}

export interface VaultMeta {
  vaultId: string;
  keyProvider: KeyProviderKind;
  kdf: KdfParams | null;
  wrappedDataKey: Buffer;
  createdAt: string;
}

/**
 * What opening learns of the file from one read-only look, before the key is asked for:
 * its meta, whether the folder is read-only (the file is then opened from a copy in
 * memory), what SQLite's quick check found (null: nothing), and which -wal/-shm existed
 * before the look (a look at a damaged file removes only those it made).
 */
export interface VaultInspection {
  meta: VaultMeta;
  copy: boolean;
  damage: string | null;
  sidecarsBefore: Set<string>;
}

/**
 * An open, unlocked vault: the SQLite file and the data key that seals its secrets.
 * Only this class sees the data key; the rest of core asks it to seal or open a field.
 */
export class Vault {
  private closed = false;
  private constructor(
    readonly db: Db,
    readonly dir: string,
    readonly vaultId: string,
    private kind: KeyProviderKind,
    private readonly dataKey: Buffer,
    /** Opened read-only because the file is damaged: nothing is ever written to it. */
    readonly readOnly = false,
    readonly damage: string | null = null,
    private readonly busyRetryMs = BUSY_RETRY_MS,
  ) {}

  #runner: Transaction<(fn: () => unknown) => unknown> | undefined;
  /** One transaction wrapper, made once: better-sqlite3 builds four closures for every db.transaction() call. */
  private get runner(): Transaction<(fn: () => unknown) => unknown> {
    return (this.#runner ??= this.db.transaction((f: () => unknown) => f()));
  }

  /**
   * The one write path: runs fn in one transaction (a savepoint when one is open).
   * It starts IMMEDIATE, taking the write lock first: a deferred transaction that reads
   * and then writes fails with SQLITE_BUSY when another process wrote in between, which
   * no wait can fix. Waiting for the lock is SQLite's busy timeout; a vault still busy
   * after it is tried again, then told as VAULT_BUSY. Storage failures say what they
   * are (disk full, read-only folder, damaged).
   */
  tx<T>(fn: () => T): T {
    if (this.db.inTransaction) return this.runner(fn) as T;
    if (this.readOnly) throw this.readOnlyError();
    const deadline = Date.now() + this.busyRetryMs;
    for (let attempt = 1; ; attempt++) {
      let began = false;
      try {
        return this.runner.immediate(() => {
          began = true;
          return fn();
        }) as T;
      } catch (e) {
        // Only a transaction that never began is tried again: fn has not run.
        if (!began && isBusy(e) && Date.now() < deadline) {
          sleepSync(Math.random() * Math.min(200, 10 * 2 ** attempt));
          continue;
        }
        throw storageError(e, this.path) ?? e;
      }
    }
  }

  /**
   * Runs fn in one read transaction: all its reads see the file as it was at the first of
   * them, while other processes write on (WAL). Without it, each statement reads the file
   * as it is then, and a check that reads twice (the audit chain, then its head) can see
   * half of a write made in between. Works on a read-only vault too.
   */
  readSnapshot<T>(fn: () => T): T {
    if (this.db.inTransaction) return fn();
    try {
      return this.runner.deferred(fn) as T;
    } catch (e) {
      throw storageError(e, this.path) ?? e;
    }
  }

  private durableHolds = 0;

  /**
   * Until the returned release is called, every commit on this connection reaches the disk
   * before it returns (synchronous=FULL). The vault runs NORMAL, which survives a crash or
   * kill of the process but may lose the last commits to a power cut or OS crash: work that
   * acts outside the vault on what it has just recorded (a rotation creating or deactivating
   * an AWS key after journaling it) holds this, so a power cut cannot forget a key AWS has.
   * Holds nest (a fleet runs four rotations at once); the last release returns to NORMAL.
   */
  holdDurable(): () => void {
    if (this.readOnly) return () => {};
    if (this.durableHolds++ === 0) this.db.pragma('synchronous = FULL');
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--this.durableHolds === 0 && this.db.open) this.db.pragma('synchronous = NORMAL');
    };
  }

  /** Why a write to this read-only vault cannot happen, in words the admin can act on. */
  readOnlyError(): KeywardError {
    return this.damage
      ? new KeywardError(
          'VAULT_READ_ONLY',
          `The vault is open read-only because its file is damaged (${this.damage.replace(/\s+/g, ' ')}); nothing was written. Run \`keyward doctor\`, then restore from a backup.`,
        )
      : new KeywardError(
          'READ_ONLY_FOLDER',
          `The vault's folder (${this.dir}) is read-only, so the vault is open read-only: nothing was written. Make the folder writable, or copy the vault somewhere writable.`,
        );
  }

  /** Where the key that opens this vault is kept. */
  get keyProvider(): KeyProviderKind {
    return this.kind;
  }

  /**
   * Wraps the data key under a new key-encryption key: the wrapped key, its provider and
   * its KDF settings in one transaction; no sealed field is touched.
   */
  rewrap(kind: KeyProviderKind, kek: Buffer, kdf: KdfParams | null): void {
    const wrapped = seal(kek, this.dataKey, dataKeyAad(this.vaultId)).toString('base64');
    const put = this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    this.tx(() => {
      put.run('key_provider', kind);
      put.run('kdf', JSON.stringify(kdf));
      put.run('wrapped_data_key', wrapped);
    });
    this.kind = kind;
  }

  get path(): string {
    return vaultFilePath(this.dir);
  }

  sealSecret(credentialId: string, field: string, value: string): Buffer {
    return seal(this.dataKey, value, secretFieldAad(this.vaultId, credentialId, field));
  }

  openSecret(credentialId: string, field: string, sealed: Buffer): string {
    try {
      return open(this.dataKey, sealed, secretFieldAad(this.vaultId, credentialId, field)).toString('utf8');
    } catch (e) {
      if (e instanceof SealError) {
        throw new KeywardError(
          'INTERNAL',
          `The stored secret "${field}" of credential ${credentialId} failed its integrity check: it was altered or moved. Re-enter it with Edit, or restore from a backup.`,
          { credentialId, field },
        );
      }
      throw e;
    }
  }

  /**
   * A copy of the data key, for an encrypted backup only: the backup carries it, sealed
   * with the backup passphrase, so a restored vault's sealed fields and audit chain open.
   */
  dataKeyForBackup(): Buffer {
    return Buffer.from(this.dataKey);
  }

  /** A key for one purpose (e.g. the audit chain), derived from the data key with HKDF. */
  subkey(purpose: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.dataKey, Buffer.from(this.vaultId), Buffer.from(`keyward/v1/${purpose}`), 32));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.dataKey.fill(0);
    this.db.close();
    // A damaged vault is never written: the empty -wal/-shm its read-only connection made go too.
    if (this.damage) removeEmptySidecars(this.path, this.sidecarsBefore);
  }

  /** The -wal/-shm files that existed before this process opened a damaged vault (those are kept). */
  private sidecarsBefore: Set<string> = new Set();

  /** Creates a new vault in `dir`. Never overwrites: an existing vault is an error. */
  static async init(dir: string, provider: KeyProvider, clock: Clock = systemClock): Promise<Vault> {
    const file = vaultFilePath(dir);
    if (existsSync(file)) {
      throw new KeywardError('VAULT_EXISTS', `A vault already exists at ${file}. It was not touched; use it, or choose another folder with --vault-dir.`);
    }
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const vaultId = randomUUID();
    const { kek, kdf } = await provider.create(vaultId);
    const dataKey = randomKey();
    // Build the whole vault under a temporary name, then link it into place: a crash
    // leaves either no vault or a complete one, and link() never replaces a file.
    const tmp = join(dir, `.vault-init-${randomBytes(6).toString('hex')}.sqlite`);
    try {
      createPrivateFile(tmp); // owner-only from the first byte: it will hold the wrapped data key
      const db = openDatabase(tmp, { create: true });
      try {
        migrate(db);
        const put = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
        db.transaction(() => {
          put.run('vault_id', vaultId);
          put.run('key_provider', provider.kind);
          put.run('kdf', JSON.stringify(kdf));
          put.run('wrapped_data_key', seal(kek, dataKey, dataKeyAad(vaultId)).toString('base64'));
          put.run('created_at', isoNow(clock));
        })();
        db.pragma('wal_checkpoint(TRUNCATE)');
        db.pragma('journal_mode = DELETE');
      } finally {
        db.close();
      }
      // Owner-only (created so above): the file holds the wrapped data key and the KDF
      // salt. SQLite gives its -wal and -shm files the same mode as the database file.
      linkSync(tmp, file);
    } catch (e) {
      await provider.discard(vaultId);
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new KeywardError('VAULT_EXISTS', `A vault was created at ${file} at the same moment. It was not touched.`);
      }
      throw storageError(e, file) ?? e;
    } finally {
      for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true });
      kek.fill(0);
    }
    return Vault.unlockFile(dir, vaultId, provider.kind, dataKey, { inspection: inspectVault(dir) });
  }

  /** Opens an existing vault. A missing or wrong key leaves the file exactly as it was. */
  static async open(dir: string, provider: KeyProvider, opts: VaultOptions & { inspection?: VaultInspection } = {}): Promise<Vault> {
    // The caller may have looked just now (openVaultWithKey): not a second connection for it.
    const inspection = opts.inspection ?? inspectVault(dir);
    const { meta } = inspection;
    if (meta.keyProvider !== provider.kind) {
      throw locked(meta.keyProvider, 'provider-mismatch', {
        passphrase: 'Vault is locked: it was created with a passphrase. Set KEYWARD_PASSPHRASE or pass --passphrase-stdin (in the app: enter the passphrase). The vault file was not changed.',
        keychain: 'Vault is locked: it was created with the OS keychain, and a passphrase was given. Unset KEYWARD_PASSPHRASE to use the keychain. The vault file was not changed.',
      });
    }
    const kek = await provider.load(meta.vaultId, meta.kdf);
    let dataKey: Buffer;
    try {
      dataKey = open(kek, meta.wrappedDataKey, dataKeyAad(meta.vaultId));
    } catch {
      throw locked(meta.keyProvider, 'wrong-key', {
        passphrase: 'Vault is locked: the passphrase is wrong. Try again; the vault file was not changed.',
        keychain: 'Vault is locked: the key in the OS keychain does not open this vault (it belongs to another vault or was replaced). Restore from a backup; the vault file was not changed.',
      });
    } finally {
      kek.fill(0);
    }
    return Vault.unlockFile(dir, meta.vaultId, meta.keyProvider, dataKey, { ...opts, inspection });
  }

  private static unlockFile(dir: string, vaultId: string, kind: KeyProviderKind, dataKey: Buffer, opts: VaultOptions & { inspection: VaultInspection }): Vault {
    const file = vaultFilePath(dir);
    // Checked on a read-only connection first (inspectVault): a damaged file is opened
    // read-only and never written to (not even the switch to WAL), so a restore can still
    // use it. A read-only folder (a read-only mount, a copy on a DVD): opened read-only
    // from a copy in memory, so everything can still be read out.
    const { sidecarsBefore: before, copy, damage } = opts.inspection;
    if (damage || copy) {
      const vault = new Vault(openDatabase(file, { readonly: true, copy }), dir, vaultId, kind, dataKey, true, damage);
      vault.sidecarsBefore = before;
      return vault;
    }
    removeStaleTempFiles(dir);
    const db = openDatabase(file, { busyTimeoutMs: opts.busyTimeoutMs });
    try {
      migrate(db);
    } catch (e) {
      db.close();
      throw storageError(e, file) ?? e;
    }
    return new Vault(db, dir, vaultId, kind, dataKey, false, null, opts.busyRetryMs);
  }
}

/** null when SQLite's quick check passes; else what it found. Busy, full or read-only is not damage: those throw. */
/** VAULT_LOCKED in the words for the vault's key provider. */
function locked(keyProvider: KeyProviderKind, reason: 'provider-mismatch' | 'wrong-key', words: Record<KeyProviderKind, string>): KeywardError {
  return new KeywardError('VAULT_LOCKED', words[keyProvider], { reason, keyProvider });
}

function quickCheck(db: Db, file: string): string | null {
  try {
    const rows = db.pragma('quick_check(3)', { simple: false }) as Array<{ quick_check: string }>;
    const bad = rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
    return bad.length ? bad.join('; ') : null;
  } catch (e) {
    const told = storageError(e, file);
    if (told && told.code !== 'VAULT_READ_ONLY') throw told;
    return (e as Error).message;
  }
}

/** Can this process create files in the vault's folder? (A read-only mount answers EROFS; root passes permission bits.) */
function folderWritable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    const probe = join(dir, `.keyward-probe-${randomBytes(4).toString('hex')}`);
    closeSync(openSync(probe, 'wx', 0o600));
    rmSync(probe, { force: true });
    return true;
  } catch {
    return false;
  }
}

const SIDECARS = ['-wal', '-shm'];

function existingSidecars(file: string): Set<string> {
  return new Set(SIDECARS.filter((s) => existsSync(file + s)));
}

/** Removes the -wal/-shm a read-only look at a damaged file created, when the -wal is empty (nothing to lose). */
function removeEmptySidecars(file: string, before: Set<string>): void {
  try {
    if (before.size || statSync(`${file}-wal`).size !== 0) return;
  } catch {
    return;
  }
  for (const s of SIDECARS) rmSync(file + s, { force: true });
}

/** Keyward's temporary files in the vault folder: backup snapshots, restores, merges, new vaults. */
const TEMP_FILE = /^\.vault-(backup|restore|merge|init)-[0-9a-f]{12}\.sqlite(-wal|-shm|-journal)?$/;
/** Younger ones may belong to a backup or restore running now in another process. */
const STALE_TEMP_MS = 10 * 60_000;

/** Removes what a crashed backup, restore or init left behind (they hold vault data: never leave it lying around). */
export function removeStaleTempFiles(dir: string, now = Date.now()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!TEMP_FILE.test(name)) continue;
    const f = join(dir, name);
    try {
      if (now - statSync(f).mtimeMs < STALE_TEMP_MS) continue;
      rmSync(f, { force: true });
      removed.push(name);
    } catch {
      /* gone already, or not ours to remove */
    }
  }
  return removed;
}

/** Creates an empty file that is owner-only from its first byte (SQLite and VACUUM INTO then write into it). */
export function createPrivateFile(file: string): void {
  closeSync(openSync(file, 'wx', 0o600));
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, Math.max(1, Math.round(ms)));
}

export function vaultExists(dir: string): boolean {
  return existsSync(vaultFilePath(dir));
}

/** Reads what the vault says about itself, read-only, before any key is at hand. */
export function readMeta(dir: string): VaultMeta {
  return lookAt(dir, (db) => metaOf(db));
}

/** The meta, and what opening must know of the file, from one read-only connection (see VaultInspection). */
export function inspectVault(dir: string): VaultInspection {
  return lookAt(dir, (db, look) => ({ meta: metaOf(db), copy: look.copy, sidecarsBefore: look.before, damage: quickCheck(db, look.file) }));
}

/** One read-only connection to the vault file, for `read`; meta that cannot be read is VAULT_LOCKED, damaged. */
function lookAt<T>(dir: string, read: (db: Db, look: { file: string; copy: boolean; before: Set<string> }) => T): T {
  const file = vaultFilePath(dir);
  if (!existsSync(file)) {
    throw new KeywardError('VAULT_NOT_INITIALIZED', `No vault at ${file}. Run \`keyward init\` or start the app to create one (or point --vault-dir / KEYWARD_HOME at yours).`);
  }
  const before = existingSidecars(file);
  const copy = !folderWritable(dir);
  const db = openDatabase(file, { readonly: true, copy });
  let damaged = false;
  try {
    return read(db, { file, copy, before });
  } catch (e) {
    if (e instanceof KeywardError) throw e;
    const told = storageError(e, file);
    if (told && told.code !== 'VAULT_READ_ONLY') throw told;
    damaged = true;
    throw new KeywardError('VAULT_LOCKED', `Vault is locked: ${file} is damaged or is not a Keyward vault (${(e as Error).message}). It was not changed; restore it from a backup.`, {
      reason: 'damaged',
    });
  } finally {
    db.close();
    if (damaged) removeEmptySidecars(file, before);
  }
}

function metaOf(db: Db): VaultMeta {
  const rows = db.prepare('SELECT key, value FROM meta').all() as Array<{ key: string; value: string }>;
  const m = new Map(rows.map((r) => [r.key, r.value]));
  const vaultId = m.get('vault_id');
  const keyProvider = m.get('key_provider');
  const wrapped = m.get('wrapped_data_key');
  if (!vaultId || !wrapped || (keyProvider !== 'keychain' && keyProvider !== 'passphrase')) throw new Error('meta incomplete');
  return {
    vaultId,
    keyProvider,
    kdf: JSON.parse(m.get('kdf') ?? 'null') as KdfParams | null,
    wrappedDataKey: Buffer.from(wrapped, 'base64'),
    createdAt: m.get('created_at') ?? '',
  };
}
