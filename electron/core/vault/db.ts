import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { KeywardError, storageError } from '../errors';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations';

export type Db = Database.Database;

let binding: { path: string | undefined } | undefined;
/**
 * better-sqlite3's native module for the runtime running now: the build kept for this ABI
 * beside the package's own (scripts/native-abi.mjs keeps one per runtime, so the CLI on
 * Node and the app on Electron both open the vault whichever was rebuilt last), else the
 * package's own Release build, else whatever the package finds itself (its `bindings`
 * lookup, which tries a dozen paths: a few milliseconds of every CLI call when it runs).
 * Pass it as `nativeBinding` wherever a database is opened.
 */
function sqliteNativeBinding(): string | undefined {
  if (!binding) {
    const pkg = dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json'));
    const kept = join(pkg, 'build-abi', `${process.versions.modules}-${process.platform}-${process.arch}`, 'better_sqlite3.node');
    const release = join(pkg, 'build', 'Release', 'better_sqlite3.node');
    binding = { path: [kept, release].find((f) => existsSync(f)) };
  }
  return binding.path;
}

/** The one line to say when the native module was built for another runtime, else null. */
function sqliteRuntimeMismatch(e: unknown): string | null {
  const m = /NODE_MODULE_VERSION (\d+)[^]*?NODE_MODULE_VERSION (\d+)/.exec((e as Error)?.message ?? '');
  if (!m) return null;
  return `The SQLite module (better-sqlite3) was built for another runtime (ABI ${m[1]}; this one is ${m[2]}): run \`npm rebuild better-sqlite3\` where Keyward is installed (a checkout keeps one build per runtime with \`node scripts/native-abi.mjs keep\`). Nothing was changed.`;
}

/** How long one statement waits for another process's write lock (SQLite's busy handler). */
const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens the vault file. `copy` (read-only only) reads it into memory and opens that: a
 * WAL-mode file in a read-only folder cannot be opened in place (SQLite must create its
 * -shm), and a copy in memory lets everything be read out. The copy is marked as a
 * rollback-journal database (header bytes 18-19), as a deserialized database must be.
 */
export function openDatabase(file: string, opts: { readonly?: boolean; create?: boolean; busyTimeoutMs?: number; copy?: boolean } = {}): Db {
  let db: Db;
  try {
    if (opts.copy) {
      const bytes = readFileSync(file);
      if (bytes.length >= 20 && bytes[18] === 2 && bytes[19] === 2) bytes[18] = bytes[19] = 1;
      db = new Database(bytes, { readonly: true, nativeBinding: sqliteNativeBinding() });
    } else db = new Database(file, { readonly: opts.readonly ?? false, fileMustExist: !opts.create, nativeBinding: sqliteNativeBinding() });
  } catch (e) {
    const mismatch = sqliteRuntimeMismatch(e);
    if (mismatch) throw new KeywardError('VAULT_LOCKED', mismatch, { reason: 'sqlite-runtime' });
    const told = storageError(e, file);
    if (told && told.code !== 'VAULT_READ_ONLY') throw told;
    throw new KeywardError('VAULT_LOCKED', `The vault file ${file} could not be opened (${(e as Error).message}). Nothing was changed.`, {
      reason: 'open-failed',
    });
  }
  try {
    // A second process (the CLI beside the app) waits for the writer instead of failing.
    db.pragma(`busy_timeout = ${Math.max(0, Math.round(opts.busyTimeoutMs ?? BUSY_TIMEOUT_MS))}`);
    if (!opts.readonly) {
      db.pragma('journal_mode = WAL');
      // NORMAL, not FULL: in WAL mode a commit survives the process crashing or being killed
      // (the tests kill writers mid-transaction); only a power cut or OS crash can lose the
      // last few commits, never corrupt the file. FULL would fsync on every small transaction.
      db.pragma('synchronous = NORMAL');
      // Checkpoint the WAL every ~40 MB instead of every 4 MB: each small transaction (one
      // credential and its audit event) then costs a WAL append, not a frequent copy back
      // (adds about 15% faster in `npm run bench`). Closing the vault checkpoints.
      db.pragma('wal_autocheckpoint = 10000');
    }
    db.pragma('foreign_keys = ON');
  } catch (e) {
    db.close();
    throw storageError(e, file) ?? e;
  }
  return db;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Brings the schema to SCHEMA_VERSION; refuses a vault from a newer Keyward. */
export function migrate(db: Db): void {
  const current = schemaVersion(db);
  if (current > SCHEMA_VERSION) {
    throw new KeywardError('VAULT_READ_ONLY', `This vault was written by a newer Keyward (schema ${current}, this build knows ${SCHEMA_VERSION}). Update Keyward; the vault was not changed.`);
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

/** Sets meta keys in one transaction (a new or restored vault's key provider and wrapped data key). */
export function writeMeta(db: Db, values: Record<string, string>): void {
  const put = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  db.transaction(() => {
    for (const [k, v] of Object.entries(values)) put.run(k, v);
  }).immediate();
}
