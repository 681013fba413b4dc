import Database from 'better-sqlite3';
import { KeywardError } from '../errors';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations';

export type Db = Database.Database;

export function openDatabase(file: string, opts: { readonly?: boolean; create?: boolean } = {}): Db {
  let db: Db;
  try {
    db = new Database(file, { readonly: opts.readonly ?? false, fileMustExist: !opts.create });
  } catch (e) {
    throw new KeywardError('VAULT_LOCKED', `The vault file ${file} could not be opened (${(e as Error).message}). Nothing was changed.`, {
      reason: 'open-failed',
    });
  }
  // A second process (the CLI beside the app) waits for the writer instead of failing.
  db.pragma('busy_timeout = 5000');
  if (!opts.readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // Checkpoint the WAL every ~40 MB instead of every 4 MB: each small transaction (one
    // credential and its audit event) then costs a WAL append, not a frequent copy back
    // (adds about 15% faster in `npm run bench`). Closing the vault checkpoints.
    db.pragma('wal_autocheckpoint = 10000');
  }
  db.pragma('foreign_keys = ON');
  return db;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Brings the schema to SCHEMA_VERSION; refuses a vault from a newer Keyward. */
export function migrate(db: Db): void {
  const current = schemaVersion(db);
  if (current > SCHEMA_VERSION) {
    throw new KeywardError(
      'VAULT_READ_ONLY',
      `This vault was written by a newer Keyward (schema ${current}, this build knows ${SCHEMA_VERSION}). Update Keyward; the vault was not changed.`,
    );
  }
  // In version order, whatever order the list was written in.
  for (const m of [...MIGRATIONS].sort((a, b) => a.version - b.version)) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
}
