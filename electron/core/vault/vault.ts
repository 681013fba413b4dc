import { hkdfSync, randomUUID, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, linkSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { KeywardError } from '../errors';
import { dataKeyAad, open, randomKey, seal, SealError, secretFieldAad } from '../crypto/envelope';
import type { KdfParams, KeyProvider, KeyProviderKind } from '../keys/types';
import { vaultFilePath } from '../paths';
import { migrate, openDatabase, type Db } from './db';
import { isoNow, systemClock, type Clock } from '../ports/clock';

interface VaultMeta {
  vaultId: string;
  keyProvider: KeyProviderKind;
  kdf: KdfParams | null;
  wrappedDataKey: Buffer;
  createdAt: string;
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
  ) {}

  private runner: ((fn: () => unknown) => unknown) | undefined;

  /**
   * Runs fn in one transaction (a savepoint when one is open). One wrapper, made once:
   * better-sqlite3 builds four closures for every db.transaction() call.
   */
  tx<T>(fn: () => T): T {
    this.runner ??= this.db.transaction((f: () => unknown) => f());
    return this.runner(fn) as T;
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
  }

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
      // Owner-only: the file holds the wrapped data key and the KDF salt. SQLite gives
      // its -wal and -shm files the same mode as the database file.
      chmodSync(tmp, 0o600);
      linkSync(tmp, file);
    } catch (e) {
      await provider.discard(vaultId);
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new KeywardError('VAULT_EXISTS', `A vault was created at ${file} at the same moment. It was not touched.`);
      }
      throw e;
    } finally {
      for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true });
      kek.fill(0);
    }
    return Vault.unlockFile(dir, vaultId, provider.kind, dataKey);
  }

  /** Opens an existing vault. A missing or wrong key leaves the file exactly as it was. */
  static async open(dir: string, provider: KeyProvider): Promise<Vault> {
    const meta = readMeta(dir);
    if (meta.keyProvider !== provider.kind) {
      throw new KeywardError(
        'VAULT_LOCKED',
        meta.keyProvider === 'passphrase'
          ? 'Vault is locked: it was created with a passphrase. Set KEYWARD_PASSPHRASE or pass --passphrase-stdin (in the app: enter the passphrase). The vault file was not changed.'
          : 'Vault is locked: it was created with the OS keychain, and a passphrase was given. Unset KEYWARD_PASSPHRASE to use the keychain. The vault file was not changed.',
        { reason: 'provider-mismatch', keyProvider: meta.keyProvider },
      );
    }
    const kek = await provider.load(meta.vaultId, meta.kdf);
    let dataKey: Buffer;
    try {
      dataKey = open(kek, meta.wrappedDataKey, dataKeyAad(meta.vaultId));
    } catch {
      throw new KeywardError(
        'VAULT_LOCKED',
        meta.keyProvider === 'passphrase'
          ? 'Vault is locked: the passphrase is wrong. Try again; the vault file was not changed.'
          : 'Vault is locked: the key in the OS keychain does not open this vault (it belongs to another vault or was replaced). Restore from a backup; the vault file was not changed.',
        { reason: 'wrong-key', keyProvider: meta.keyProvider },
      );
    } finally {
      kek.fill(0);
    }
    return Vault.unlockFile(dir, meta.vaultId, meta.keyProvider, dataKey);
  }

  private static unlockFile(dir: string, vaultId: string, kind: KeyProviderKind, dataKey: Buffer): Vault {
    // Checked on a read-only connection first: a damaged file is opened read-only and
    // never written to (not even the switch to WAL), so a restore can still use it.
    const damage = quickCheck(vaultFilePath(dir));
    if (damage) {
      return new Vault(openDatabase(vaultFilePath(dir), { readonly: true }), dir, vaultId, kind, dataKey, true, damage);
    }
    const db = openDatabase(vaultFilePath(dir));
    try {
      migrate(db);
    } catch (e) {
      db.close();
      throw e;
    }
    return new Vault(db, dir, vaultId, kind, dataKey);
  }
}

/** null when SQLite's quick check passes; else what it found. */
function quickCheck(file: string): string | null {
  const db = openDatabase(file, { readonly: true });
  try {
    const rows = db.pragma('quick_check(3)', { simple: false }) as Array<{ quick_check: string }>;
    const bad = rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
    return bad.length ? bad.join('; ') : null;
  } catch (e) {
    return (e as Error).message;
  } finally {
    db.close();
  }
}

export function vaultExists(dir: string): boolean {
  return existsSync(vaultFilePath(dir));
}

/** Reads what the vault says about itself, read-only, before any key is at hand. */
export function readMeta(dir: string): VaultMeta {
  const file = vaultFilePath(dir);
  if (!existsSync(file)) {
    throw new KeywardError('VAULT_NOT_INITIALIZED', `No vault at ${file}. Run \`keyward init\` or start the app to create one (or point --vault-dir / KEYWARD_HOME at yours).`);
  }
  const db = openDatabase(file, { readonly: true });
  try {
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
  } catch (e) {
    if (e instanceof KeywardError) throw e;
    throw new KeywardError(
      'VAULT_LOCKED',
      `Vault is locked: ${file} is damaged or is not a Keyward vault (${(e as Error).message}). It was not changed; restore it from a backup.`,
      { reason: 'damaged' },
    );
  } finally {
    db.close();
  }
}

