import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CredentialService } from '../../electron/core/credentials/service';
import { KeywardError } from '../../electron/core/errors';
import { EventBus } from '../../electron/core/events';
import { KeychainKeyProvider } from '../../electron/core/keys/keychain';
import { DEFAULT_SCRYPT, PassphraseKeyProvider } from '../../electron/core/keys/passphrase';
import { vaultFilePath } from '../../electron/core/paths';
import { SCHEMA_VERSION } from '../../electron/core/vault/migrations';
import { readMeta, Vault } from '../../electron/core/vault/vault';
import { openDatabase } from '../../electron/core/vault/db';
import { awsFields, FAST_SCRYPT, fastProvider, fingerprint, PASSPHRASE, rawVaultBytes, removeTempDirs, tempDir } from '../support/fixtures';
import { keywardError } from '../support/expect-error';
import { spawnVaultWriter } from '../support/vault-writer-process';

const open: Vault[] = [];
function track(v: Vault): Vault {
  open.push(v);
  return v;
}
afterEach(() => {
  for (const v of open.splice(0)) v.close();
});
afterAll(() => removeTempDirs());

/** Only SQLite's own sidecar files may appear beside the vault, and no change is pending in the WAL. */
function expectNothingWrittenBeside(dir: string) {
  expect(readdirSync(dir).filter((f) => !/^vault\.sqlite(-wal|-shm)?$/.test(f))).toEqual([]);
  const wal = `${vaultFilePath(dir)}-wal`;
  if (existsSync(wal)) expect(statSync(wal).size).toBe(0);
}

async function initClosedVault(provider = fastProvider()): Promise<string> {
  const dir = tempDir();
  const v = await Vault.init(dir, provider);
  v.close();
  return dir;
}

function addAws(service: CredentialService, name: string, fields = awsFields()) {
  return { cred: service.add({ name, provider: 'AWS', type: 'ACCESS_KEY', fields, verify: false }), fields };
}

describe('creating a vault', () => {
  it('creates vault.sqlite in the folder at the current schema, in WAL mode with foreign keys on', async () => {
    const dir = tempDir();
    const vault = track(await Vault.init(dir, fastProvider()));
    expect(vault.path).toBe(join(dir, 'vault.sqlite'));
    expect(existsSync(vaultFilePath(dir))).toBe(true);
    expect(vault.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(vault.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(vault.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(vault.keyProvider).toBe('passphrase');
    // No half-built temporary file is left behind.
    expect(readdirSync(dir).filter((f) => f.startsWith('.vault-init-'))).toEqual([]);
  });

  it('records its id, key provider and KDF parameters in the file, and the data key only wrapped', async () => {
    const dir = tempDir();
    const vault = track(await Vault.init(dir, fastProvider()));
    const meta = readMeta(dir);
    expect(meta.vaultId).toBe(vault.vaultId);
    expect(meta.keyProvider).toBe('passphrase');
    expect(meta.kdf).toMatchObject({ algorithm: 'scrypt', ...FAST_SCRYPT });
    expect(Buffer.from(meta.kdf!.salt, 'base64').length).toBe(16);
    // version | nonce | tag | 32-byte key
    expect(meta.wrappedDataKey.length).toBe(1 + 12 + 16 + 32);
  });

  it('refuses to create a vault where one exists, and leaves the existing file byte for byte', async () => {
    const dir = await initClosedVault();
    const before = fingerprint(vaultFilePath(dir));
    const err = await keywardError(() => Vault.init(dir, fastProvider('another passphrase 123')));
    expect(err.code).toBe('VAULT_EXISTS');
    expect(err.message).toContain(vaultFilePath(dir));
    expect(fingerprint(vaultFilePath(dir))).toEqual(before);
    // and the old passphrase still opens it
    track(await Vault.open(dir, fastProvider()));
  });

  it('lets only one of two simultaneous inits win; the other gets VAULT_EXISTS and the winner’s vault opens', async () => {
    const dir = tempDir();
    const results = await Promise.allSettled([Vault.init(dir, fastProvider('first passphrase!!')), Vault.init(dir, fastProvider('second passphrase!!'))]);
    const won = results.filter((r): r is PromiseFulfilledResult<Vault> => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0].reason).toBeInstanceOf(KeywardError);
    expect(lost[0].reason.code).toBe('VAULT_EXISTS');
    const winner = won[0].value;
    const winningPassphrase = results[0].status === 'fulfilled' ? 'first passphrase!!' : 'second passphrase!!';
    const vaultId = winner.vaultId;
    winner.close();
    expect(readdirSync(dir).filter((f) => f.startsWith('.vault-init-'))).toEqual([]);
    const reopened = track(await Vault.open(dir, fastProvider(winningPassphrase)));
    expect(reopened.vaultId).toBe(vaultId);
  });

  it('creates a missing vault folder private to the user', async () => {
    const dir = join(tempDir(), 'nested', 'Keyward');
    track(await Vault.init(dir, fastProvider()));
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('refuses a passphrase shorter than 12 characters and creates nothing', async () => {
    const dir = tempDir();
    const err = await keywardError(() => Vault.init(dir, new PassphraseKeyProvider('short', FAST_SCRYPT)));
    expect(err.code).toBe('INVALID_INPUT');
    expect(existsSync(vaultFilePath(dir))).toBe(false);
  });
});

describe('opening a vault', () => {
  it('reopens with the right passphrase and reads the secrets back', async () => {
    const dir = tempDir();
    const first = await Vault.init(dir, fastProvider());
    const { cred, fields } = addAws(new CredentialService(first, new EventBus()), 'prod');
    const vaultId = first.vaultId;
    first.close();

    const again = track(await Vault.open(dir, fastProvider()));
    expect(again.vaultId).toBe(vaultId);
    const service = new CredentialService(again, new EventBus());
    expect(service.repo.secretsOf(cred.id)).toEqual({ secretAccessKey: fields.secretAccessKey });
    expect(service.get('prod').fields).toEqual({ accessKeyId: fields.accessKeyId, region: 'us-east-1' });
  });

  it('says the passphrase is wrong, and leaves the file untouched (bytes and mtime)', async () => {
    const dir = await initClosedVault();
    const before = fingerprint(vaultFilePath(dir));
    const err = await keywardError(() => Vault.open(dir, fastProvider('not the passphrase!')));
    expect(err.code).toBe('VAULT_LOCKED');
    expect(err.message).toMatch(/passphrase is wrong/);
    expect(err.context).toMatchObject({ reason: 'wrong-key', keyProvider: 'passphrase' });
    expect(fingerprint(vaultFilePath(dir))).toEqual(before);
    expectNothingWrittenBeside(dir);
  });

  it('names the passphrase when a passphrase vault is opened with the OS keychain', async () => {
    const dir = await initClosedVault();
    const before = fingerprint(vaultFilePath(dir));
    const err = await keywardError(() => Vault.open(dir, new KeychainKeyProvider('keyward-test-never-used')));
    expect(err.code).toBe('VAULT_LOCKED');
    expect(err.message).toMatch(/created with a passphrase/);
    expect(err.message).toMatch(/KEYWARD_PASSPHRASE/);
    expect(err.context).toMatchObject({ reason: 'provider-mismatch', keyProvider: 'passphrase' });
    expect(fingerprint(vaultFilePath(dir))).toEqual(before);
    expectNothingWrittenBeside(dir);
  });

  it('reports a missing vault as not initialised and creates nothing', async () => {
    const dir = tempDir();
    const err = await keywardError(() => Vault.open(dir, fastProvider()));
    expect(err.code).toBe('VAULT_NOT_INITIALIZED');
    expect(err.message).toContain(vaultFilePath(dir));
    expect(readdirSync(dir)).toEqual([]);
  });

  it('works with the shipped scrypt parameters (N = 2^17): init, wrong passphrase, reopen', async () => {
    const dir = tempDir();
    const v = await Vault.init(dir, new PassphraseKeyProvider(PASSPHRASE));
    v.close();
    expect(readMeta(dir).kdf).toMatchObject({ algorithm: 'scrypt', ...DEFAULT_SCRYPT });
    expect(await keywardError(() => Vault.open(dir, new PassphraseKeyProvider('wrong passphrase here')))).toMatchObject({ code: 'VAULT_LOCKED' });
    // The parameters stored in the vault are used on open, whatever the provider was built with.
    track(await Vault.open(dir, new PassphraseKeyProvider(PASSPHRASE, FAST_SCRYPT)));
  });
});

describe('a damaged or foreign vault file', () => {
  async function expectDamaged(dir: string) {
    const file = vaultFilePath(dir);
    const before = fingerprint(file);
    const err = await keywardError(() => Vault.open(dir, fastProvider()));
    expect(err.code).toBe('VAULT_LOCKED');
    expect(err.context.reason).toBe('damaged');
    expect(err.message).toMatch(/damaged or is not a Keyward vault/);
    expect(fingerprint(file)).toEqual(before);
    expectNothingWrittenBeside(dir);
  }

  it('reports garbage bytes as a damaged vault and does not change them', async () => {
    const dir = tempDir();
    writeFileSync(vaultFilePath(dir), Buffer.alloc(8192, 0x5a));
    await expectDamaged(dir);
  });

  it('reports a vault truncated to its first bytes as damaged', async () => {
    const dir = await initClosedVault();
    const full = readFileSync(vaultFilePath(dir));
    writeFileSync(vaultFilePath(dir), full.subarray(0, 100));
    await expectDamaged(dir);
  });

  it('reports a vault cut after its first page as damaged', async () => {
    const dir = await initClosedVault();
    const full = readFileSync(vaultFilePath(dir));
    const pageSize = full.readUInt16BE(16);
    expect(full.length).toBeGreaterThan(pageSize);
    writeFileSync(vaultFilePath(dir), full.subarray(0, pageSize));
    await expectDamaged(dir);
  });

  it('reports an empty file as damaged', async () => {
    const dir = tempDir();
    writeFileSync(vaultFilePath(dir), '');
    await expectDamaged(dir);
  });

  it('reports another application’s SQLite database as not a Keyward vault', async () => {
    const dir = tempDir();
    const db = new Database(vaultFilePath(dir));
    db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('hello');");
    db.close();
    await expectDamaged(dir);
  });

  it('refuses a vault written by a newer Keyward as read-only and leaves it untouched', async () => {
    const dir = await initClosedVault();
    const db = new Database(vaultFilePath(dir));
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const before = fingerprint(vaultFilePath(dir));
    const err = await keywardError(() => Vault.open(dir, fastProvider()));
    expect(err.code).toBe('VAULT_READ_ONLY');
    expect(err.message).toMatch(new RegExp(`schema ${SCHEMA_VERSION + 1}`));
    expect(fingerprint(vaultFilePath(dir))).toEqual(before);
    const check = new Database(vaultFilePath(dir), { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
    check.close();
  });
});

describe('secrets at rest', () => {
  it('never stores a secret in clear or as base64, in the database or its WAL', async () => {
    const dir = tempDir();
    const vault = track(await Vault.init(dir, fastProvider()));
    const service = new CredentialService(vault, new EventBus());
    const { fields } = addAws(service, 'at-rest');
    const apisixKey = 'edd1c9f034335f136f87ad84b625c8f1';
    service.add({ name: 'gateway', provider: 'APISIX', type: 'ADMIN_API_KEY', fields: { endpoint: 'http://127.0.0.1:9', adminApiKey: apisixKey }, verify: false });

    const file = vaultFilePath(dir);
    expect(existsSync(`${file}-wal`) && statSync(`${file}-wal`).size > 0, 'the WAL holds the new rows').toBe(true);
    const needles = (secret: string) => [secret, Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('hex')];
    const check = () => {
      const raw = rawVaultBytes(file);
      // Positive control: the public access key id is stored in clear, so the search works.
      expect(raw.includes(fields.accessKeyId)).toBe(true);
      for (const secret of [fields.secretAccessKey, apisixKey]) {
        for (const n of needles(secret)) expect(raw.includes(n), `found ${n.slice(0, 6)}… in the vault file`).toBe(false);
      }
    };
    check();
    vault.db.pragma('wal_checkpoint(TRUNCATE)');
    check();
  });

  describe('sealed values are bound to their credential and field', () => {
    async function twoCredentials() {
      const vault = track(await Vault.init(tempDir(), fastProvider()));
      const service = new CredentialService(vault, new EventBus());
      const a = addAws(service, 'a');
      const b = addAws(service, 'b');
      const blobOf = (id: string, field: string) => (vault.db.prepare('SELECT sealed FROM credential_secrets WHERE credential_id = ? AND field = ?').get(id, field) as { sealed: Buffer }).sealed;
      const setBlob = (id: string, field: string, sealed: Buffer) => vault.db.prepare('UPDATE credential_secrets SET sealed = ? WHERE credential_id = ? AND field = ?').run(sealed, id, field);
      return { vault, service, a, b, blobOf, setBlob };
    }

    it('fails to open both secrets after their sealed blobs are swapped between two credentials', async () => {
      const { service, a, b, blobOf, setBlob } = await twoCredentials();
      expect(service.repo.secretsOf(a.cred.id)).toEqual({ secretAccessKey: a.fields.secretAccessKey });
      const blobA = blobOf(a.cred.id, 'secretAccessKey');
      const blobB = blobOf(b.cred.id, 'secretAccessKey');
      setBlob(a.cred.id, 'secretAccessKey', blobB);
      setBlob(b.cred.id, 'secretAccessKey', blobA);
      for (const id of [a.cred.id, b.cred.id]) {
        const err = await keywardError(() => service.repo.secretsOf(id));
        expect(err.code).toBe('INTERNAL');
        expect(err.message).toContain('"secretAccessKey"');
        expect(err.message).toContain(id);
        expect(err.message).toMatch(/altered or moved/);
        expect(err.context).toEqual({ credentialId: id, field: 'secretAccessKey' });
      }
    });

    it('fails to open a sealed value moved to another field of the same credential', async () => {
      const { vault, service, a } = await twoCredentials();
      vault.db.prepare("UPDATE credential_secrets SET field = 'sessionToken' WHERE credential_id = ?").run(a.cred.id);
      const err = await keywardError(() => service.repo.secretsOf(a.cred.id));
      expect(err.code).toBe('INTERNAL');
      expect(err.message).toContain('"sessionToken"');
    });

    it('fails to open a sealed value with a single flipped bit', async () => {
      const { service, a, blobOf, setBlob } = await twoCredentials();
      const blob = Buffer.from(blobOf(a.cred.id, 'secretAccessKey'));
      blob[blob.length - 1] ^= 0x80;
      setBlob(a.cred.id, 'secretAccessKey', blob);
      expect((await keywardError(() => service.repo.secretsOf(a.cred.id))).code).toBe('INTERNAL');
    });

    it('deletes a credential’s sealed secrets with it (foreign key cascade)', async () => {
      const { vault, service, a, b } = await twoCredentials();
      service.delete(a.cred.id);
      const rows = vault.db.prepare('SELECT credential_id FROM credential_secrets').all() as Array<{ credential_id: string }>;
      expect(rows.map((r) => r.credential_id)).toEqual([b.cred.id]);
    });
  });
});

describe('two processes writing to one vault', () => {
  it('keeps every credential from both writers, without SQLITE_BUSY failures', async () => {
    const dir = await initClosedVault();
    const vault = track(await Vault.open(dir, fastProvider()));
    const service = new CredentialService(vault, new EventBus());
    const writer = spawnVaultWriter(dir, 'child', 200);
    await writer.ready(10);
    writer.child.stdin.write('go\n');

    const errors: string[] = [];
    const firstAt = Date.now();
    for (let i = 0; i < 200; i++) {
      try {
        addAws(service, `parent-${String(i).padStart(3, '0')}`);
      } catch (e) {
        errors.push(`${(e as KeywardError).code ?? ''} ${(e as Error).message}`);
      }
      await new Promise((r) => setImmediate(r));
    }
    const lastAt = Date.now();
    expect(await writer.exited, writer.err()).toBe(0);
    const report = JSON.parse(writer.out().trim().split('\n').pop()!) as { added: number; errors: string[]; firstAt: number; lastAt: number };
    // The two writers really overlapped in time.
    expect(report.firstAt).toBeLessThan(lastAt);
    expect(firstAt).toBeLessThan(report.lastAt);
    expect(errors).toEqual([]);
    expect(report.errors).toEqual([]);
    expect(report.added).toBe(200);

    const names = service.list().map((c) => c.name);
    expect(names).toHaveLength(400);
    expect(names.filter((n) => n.startsWith('parent-'))).toHaveLength(200);
    expect(names.filter((n) => n.startsWith('child-'))).toHaveLength(200);
    // The other process's secrets open with this process's key.
    const childCred = service.get('child-199');
    expect(service.repo.secretsOf(childCred.id).secretAccessKey).toHaveLength(40);
  });
});

describe('a read snapshot', () => {
  it('sees the file as at its first read while another connection commits in between; after it, the commit shows', async () => {
    const dir = tempDir();
    const vault = track(await Vault.init(dir, fastProvider()));
    const writer = openDatabase(vaultFilePath(dir));
    const count = () => vault.db.prepare('SELECT COUNT(*) FROM meta').pluck().get() as number;
    try {
      const seen = vault.readSnapshot(() => {
        const before = count();
        writer.prepare("INSERT INTO meta (key, value) VALUES ('snapshot_probe', 'x')").run();
        return [before, count()];
      });
      expect(seen[1]).toBe(seen[0]);
      expect(count()).toBe(seen[0] + 1);
      // Without one, the second read sees the commit: what the audit check tripped on.
      const [a, b] = [count(), (writer.prepare("DELETE FROM meta WHERE key = 'snapshot_probe'").run(), count())];
      expect(b).toBe(a - 1);
    } finally {
      writer.close();
    }
  });

  it('holds a listing and a lookup (each two queries): a credential added in between is not shown without its secret fields', async () => {
    const dir = tempDir();
    const vault = track(await Vault.init(dir, fastProvider()));
    const service = new CredentialService(vault, new EventBus());
    const { cred } = addAws(service, 'first');
    const writer = openDatabase(vaultFilePath(dir));
    // Another process's add, committed between the repository's two queries.
    const stmts = (service.repo as unknown as { stmt: Record<string, { all: (...a: unknown[]) => unknown }> }).stmt;
    const between = (name: string, write: () => void) => {
      const real = stmts[name];
      stmts[name] = { all: (...a) => (write(), (stmts[name] = real), real.all(...a)) };
    };
    const add = (id: string) => () => {
      writer.prepare("INSERT INTO credentials (id, name, provider, type, fields, created_at, updated_at) VALUES (?, ?, 'AWS', 'ACCESS_KEY', '{}', 'z', 'z')").run(id, id);
      writer.prepare("INSERT INTO credential_secrets (credential_id, field, sealed) VALUES (?, 'secretAccessKey', x'00')").run(id);
    };
    try {
      between('list', add('added-by-another'));
      expect(service.list().map((c) => [c.name, c.secretFields])).toEqual([['first', ['secretAccessKey']]]);
      // The next listing sees it whole.
      expect(service.list().map((c) => [c.name, c.secretFields])).toEqual([
        ['first', ['secretAccessKey']],
        ['added-by-another', ['secretAccessKey']],
      ]);
      // A lookup reads the row, then its secret fields: a field removed in between is still listed.
      between('secretFields', () => writer.prepare('DELETE FROM credential_secrets WHERE credential_id = ?').run(cred.id));
      expect(service.repo.get(cred.id)?.secretFields).toEqual(['secretAccessKey']);
      expect(service.repo.get(cred.id)?.secretFields).toEqual([]);
    } finally {
      writer.close();
    }
  });
});
