import { existsSync } from 'node:fs';
import { dataKeyAad, open } from '../crypto/envelope';
import { KeywardError } from '../errors';
import type { KeyProvider } from '../keys/types';
import { vaultFilePath } from '../paths';
import { openDatabase, type Db } from '../vault/db';
import { MIGRATIONS, SCHEMA_VERSION } from '../vault/migrations';
import { readMeta } from '../vault/vault';
import type { DoctorCheck, DoctorReportView } from '../../../shared/channels/inventory';

// Checks a vault file without opening it for writing: a damaged vault is examined
// read-only, named, and never touched. Each problem says what to do.

export type DoctorReport = DoctorReportView;

const RESTORE = 'Keep this file as it is (copy it aside), then restore from your latest backup: `keyward restore FILE --vault-dir NEW_DIR`.';

/** `provider`: the key to check; 'unlocked' when this session already opened the vault with it. */
export async function runDoctor(dir: string, provider: KeyProvider | 'unlocked' | null): Promise<DoctorReport> {
  const path = vaultFilePath(dir);
  const checks: DoctorCheck[] = [];
  const report = (schemaVersion: number | null): DoctorReport => ({ ok: checks.every((c) => c.ok), path, schemaVersion, knownSchemaVersion: SCHEMA_VERSION, checks });
  const pass = (name: DoctorCheck['name'], message: string) => checks.push({ name, ok: true, message, remedy: null });
  const fail = (name: DoctorCheck['name'], message: string, remedy: string) => checks.push({ name, ok: false, message, remedy });

  if (!existsSync(path)) {
    fail('file', `No vault at ${path}.`, 'Run `keyward init`, or point --vault-dir / KEYWARD_HOME at your vault folder.');
    return report(null);
  }
  let db: Db;
  try {
    db = openDatabase(path, { readonly: true });
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (e) {
    fail('file', `${path} is not a readable SQLite database (${(e as Error).message}).`, RESTORE);
    return report(null);
  }
  pass('file', `${path} opens as a SQLite database.`);
  let version: number | null = null;
  try {
    try {
      const rows = db.pragma('integrity_check(20)', { simple: false }) as Array<{ integrity_check: string }>;
      const problems = rows.map((r) => r.integrity_check).filter((r) => r !== 'ok');
      if (problems.length) fail('integrity', `SQLite's integrity check found damage: ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? ` (and ${problems.length - 3} more)` : ''}.`, RESTORE);
      else pass('integrity', 'SQLite integrity check: ok.');
    } catch (e) {
      fail('integrity', `SQLite's integrity check could not run: the file is damaged (${(e as Error).message}).`, RESTORE);
    }

    try {
      version = db.pragma('user_version', { simple: true }) as number;
      const known = new Set(MIGRATIONS.map((m) => m.version));
      if (version > SCHEMA_VERSION) {
        fail('schema', `The vault's schema is version ${version}; this Keyward knows up to ${SCHEMA_VERSION}. It opens read-only here.`, 'Update Keyward to the version that wrote this vault.');
      } else if (version === 0 || (!known.has(version) && version !== 0)) {
        fail('schema', `The vault's schema version (${version}) is not one Keyward ever wrote.`, RESTORE);
      } else if (version < SCHEMA_VERSION) {
        pass('schema', `Schema version ${version}; it is brought to ${SCHEMA_VERSION} the next time the vault is opened.`);
      } else pass('schema', `Schema version ${version} (current).`);
    } catch (e) {
      fail('schema', `The schema version could not be read (${(e as Error).message}).`, RESTORE);
    }

    let meta: ReturnType<typeof readMeta> | null = null;
    try {
      meta = readMeta(dir);
      pass('meta', `Vault ${meta.vaultId}, key provider: ${meta.keyProvider}.`);
    } catch (e) {
      fail('meta', e instanceof KeywardError ? e.message : String(e), RESTORE);
    }

    if (meta) {
      if (provider === 'unlocked') {
        pass('key-provider', `The ${meta.keyProvider} key opened the vault in this session.`);
      } else if (!provider) {
        fail('key-provider', 'The vault uses a passphrase and none was given, so its key could not be checked.', 'Set KEYWARD_PASSPHRASE (or pass --passphrase-stdin) and run doctor again.');
      } else if (provider.kind !== meta.keyProvider) {
        fail(
          'key-provider',
          `The vault was made with the ${meta.keyProvider} provider; the ${provider.kind} provider was given.`,
          meta.keyProvider === 'passphrase' ? 'Set KEYWARD_PASSPHRASE.' : 'Unset KEYWARD_PASSPHRASE to use the OS keychain.',
        );
      } else {
        try {
          const kek = await provider.load(meta.vaultId, meta.kdf);
          try {
            open(kek, meta.wrappedDataKey, dataKeyAad(meta.vaultId)).fill(0);
            pass('key-provider', `The ${meta.keyProvider} key opens the vault's data key.`);
          } catch {
            fail('key-provider', `The ${meta.keyProvider} key does not open this vault's data key.`, meta.keyProvider === 'passphrase' ? 'Check the passphrase.' : RESTORE);
          } finally {
            kek.fill(0);
          }
        } catch (e) {
          fail(
            'key-provider',
            e instanceof KeywardError ? e.message : String(e),
            meta.keyProvider === 'keychain' ? 'Unlock or start the OS keychain, or restore from a backup with a passphrase.' : 'Check the passphrase.',
          );
        }
      }
    }

    try {
      const orphans = db.pragma('foreign_key_check') as Array<{ table: string; parent: string }>;
      if (orphans.length) {
        const by = new Map<string, number>();
        for (const o of orphans) by.set(`${o.table} → ${o.parent}`, (by.get(`${o.table} → ${o.parent}`) ?? 0) + 1);
        fail(
          'orphans',
          `Rows pointing at records that no longer exist: ${[...by].map(([k, n]) => `${n} in ${k}`).join(', ')}.`,
          'They are harmless leftovers but signal an edit outside Keyward. Back up, then restore the backup with --merge into a fresh vault to drop them, or keep them.',
        );
      } else pass('orphans', 'No orphaned rows.');
    } catch (e) {
      fail('orphans', `The orphaned-row check could not run (${(e as Error).message}).`, RESTORE);
    }

    try {
      const hasRotations = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'rotations'").get();
      if (hasRotations) {
        const open = db.prepare("SELECT count(*) FROM rotations WHERE state = 'IN_PROGRESS'").pluck().get() as number;
        if (open)
          fail(
            'rotations',
            `${open} key rotation(s) did not finish.`,
            'Resume or roll back each: `keyward rotate --resume` or `keyward rotate --rollback JOURNAL_ID` (in the app: the banner at start-up).',
          );
        else pass('rotations', 'No unfinished key rotations.');
      } else pass('rotations', 'No rotation journal in this vault.');
    } catch (e) {
      fail('rotations', `The rotation journal could not be read (${(e as Error).message}).`, RESTORE);
    }
  } finally {
    db.close();
  }
  return report(version);
}
