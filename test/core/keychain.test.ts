// The keychain key provider against the real Secret Service (gnome-keyring over D-Bus).
// Run through `npm test` (scripts/test.sh), which starts a private D-Bus session with an
// unlocked gnome-keyring. Without one these tests fail on purpose: a silent skip would
// hide that the keychain path was never tested.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { AsyncEntry } from '@napi-rs/keyring';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KeywardCore } from '../../electron/core/app/core';
import { CredentialService } from '../../electron/core/credentials/service';
import { EventBus } from '../../electron/core/events';
import { osKeyProviders } from '../../electron/core/keys/choose';
import { KeychainKeyProvider, loadKeyring } from '../../electron/core/keys/keychain';
import { vaultFilePath } from '../../electron/core/paths';
import { Vault } from '../../electron/core/vault/vault';
import { awsFields, fastProvider, fingerprint, removeTempDirs, tempDir } from '../support/fixtures';
import { keywardError } from '../support/expect-error';

const SERVICE = `keyward-test-${process.pid}-${randomBytes(4).toString('hex')}`;
const ENTRY_OPTIONS = { linux: { store: 'secret-service' as const } };
const createdVaultIds = new Set<string>();
const openVaults: Vault[] = [];

function entry(vaultId: string, service = SERVICE): AsyncEntry {
  return new AsyncEntry(service, `vault-${vaultId}`, ENTRY_OPTIONS);
}

/** What `secret-tool` (libsecret, independent of our library) finds for the entry. */
function secretToolLookup(vaultId: string): Buffer | null {
  const r = spawnSync('secret-tool', ['lookup', 'service', SERVICE, 'username', `vault-${vaultId}`]);
  return r.status === 0 ? r.stdout : null;
}

async function initKeychainVault(): Promise<{ dir: string; vaultId: string }> {
  const dir = tempDir();
  const v = await Vault.init(dir, new KeychainKeyProvider(SERVICE));
  createdVaultIds.add(v.vaultId);
  const vaultId = v.vaultId;
  v.close();
  return { dir, vaultId };
}

beforeAll(async () => {
  if (!process.env.DBUS_SESSION_BUS_ADDRESS) {
    throw new Error(
      'The keychain tests need a D-Bus session bus with an unlocked Secret Service (gnome-keyring), and DBUS_SESSION_BUS_ADDRESS is not set. ' +
        'Run the suite with `npm test` (scripts/test.sh starts dbus-run-session and unlocks gnome-keyring), or by hand: ' +
        "dbus-run-session -- bash -c 'export XDG_DATA_HOME=$(mktemp -d) XDG_RUNTIME_DIR=$(mktemp -d); chmod 700 $XDG_RUNTIME_DIR; " +
        "echo -n test | gnome-keyring-daemon --unlock --components=secrets >/dev/null; npx vitest run test/core/keychain.test.ts'",
    );
  }
  const probe = entry('probe');
  try {
    await probe.setSecret(Buffer.from('probe'));
    await probe.deleteCredential();
  } catch (e) {
    throw new Error(
      `A D-Bus session is set (${process.env.DBUS_SESSION_BUS_ADDRESS}) but its Secret Service does not work (${(e as Error).message}). ` +
        'Start and unlock gnome-keyring (`echo -n test | gnome-keyring-daemon --unlock --components=secrets`), or run via `npm test`.',
    );
  }
});

afterEach(() => {
  for (const v of openVaults.splice(0)) v.close();
});

afterAll(async () => {
  for (const id of createdVaultIds) await new KeychainKeyProvider(SERVICE).discard(id);
  removeTempDirs();
});

describe('a vault whose key lives in the OS keychain', () => {
  it('stores a 32-byte key for the new vault under the service and "vault-<id>"', async () => {
    const { vaultId } = await initKeychainVault();
    const kek = await new KeychainKeyProvider(SERVICE).load(vaultId);
    expect(kek.length).toBe(32);
    const viaLibsecret = secretToolLookup(vaultId);
    expect(viaLibsecret, 'secret-tool finds the entry').not.toBeNull();
    expect(viaLibsecret!.equals(kek)).toBe(true);
    // Another service name is another keychain entry: it has no key for this vault.
    expect(await entry(vaultId, `${SERVICE}-other`).getSecret()).toBeNull();
  });

  it('reopens with a new provider instance and reads its secrets back', async () => {
    const dir = tempDir();
    const first = await Vault.init(dir, new KeychainKeyProvider(SERVICE));
    createdVaultIds.add(first.vaultId);
    const fields = awsFields();
    const cred = new CredentialService(first, new EventBus()).add({ name: 'kc', provider: 'AWS', type: 'ACCESS_KEY', fields, verify: false });
    first.close();

    const again = await Vault.open(dir, new KeychainKeyProvider(SERVICE));
    openVaults.push(again);
    expect(again.keyProvider).toBe('keychain');
    expect(new CredentialService(again, new EventBus()).repo.secretsOf(cred.id)).toEqual({ secretAccessKey: fields.secretAccessKey });
  });

  it('unlocks by itself at start-up, without asking for anything', async () => {
    const { dir } = await initKeychainVault();
    const core = new KeywardCore({ vaultDir: dir, keys: osKeyProviders({ keychainService: SERVICE }) });
    try {
      const status = await core.start();
      expect(status).toMatchObject({ state: 'UNLOCKED', keyProvider: 'keychain', reason: null });
      expect(core.credentials.list()).toEqual([]);
    } finally {
      await core.close();
    }
  });

  it('is locked, says what to do, and is left untouched when its keychain entry was deleted', async () => {
    const { dir, vaultId } = await initKeychainVault();
    const saved = Buffer.from((await entry(vaultId).getSecret())!);
    execFileSync('secret-tool', ['clear', 'service', SERVICE, 'username', `vault-${vaultId}`]);
    expect(secretToolLookup(vaultId)).toBeNull();
    const before = fingerprint(vaultFilePath(dir));

    const err = await keywardError(() => Vault.open(dir, new KeychainKeyProvider(SERVICE)));
    expect(err.code).toBe('VAULT_LOCKED');
    expect(err.context.reason).toBe('keychain-entry-missing');
    expect(err.message).toContain(`"${SERVICE}" / "vault-${vaultId}"`);
    expect(err.message).toMatch(/restore from an encrypted backup/);
    expect(err.message).toMatch(/was not changed/);
    expect(fingerprint(vaultFilePath(dir))).toEqual(before);
    // Nothing was re-created in the keychain either: the vault was not re-keyed.
    expect(await entry(vaultId).getSecret()).toBeNull();

    // The app shows the same reason instead of offering to start over.
    const core = new KeywardCore({ vaultDir: dir, keys: osKeyProviders({ keychainService: SERVICE }) });
    const status = await core.start();
    expect(status.state).toBe('LOCKED');
    expect(status.reason).toBe(err.message);
    await core.close();

    // Putting the key back opens the same vault again.
    await entry(vaultId).setSecret(saved);
    openVaults.push(await Vault.open(dir, new KeychainKeyProvider(SERVICE)));
  });

  it('is locked when the keychain entry holds another 32-byte key', async () => {
    const { dir, vaultId } = await initKeychainVault();
    await entry(vaultId).setSecret(randomBytes(32));
    const before = fingerprint(vaultFilePath(dir));
    const err = await keywardError(() => Vault.open(dir, new KeychainKeyProvider(SERVICE)));
    expect(err.code).toBe('VAULT_LOCKED');
    expect(err.context).toMatchObject({ reason: 'wrong-key', keyProvider: 'keychain' });
    expect(err.message).toMatch(/does not open this vault/);
    expect(fingerprint(vaultFilePath(dir))).toEqual(before);
  });

  it('is locked when the keychain entry is not a Keyward key', async () => {
    const { dir, vaultId } = await initKeychainVault();
    await entry(vaultId).setSecret(Buffer.from('hunter2'));
    const err = await keywardError(() => Vault.open(dir, new KeychainKeyProvider(SERVICE)));
    expect(err.code).toBe('VAULT_LOCKED');
    expect(err.context.reason).toBe('keychain-entry-malformed');
  });

  it('names the keychain when a keychain vault is opened with a passphrase', async () => {
    const { dir } = await initKeychainVault();
    const before = fingerprint(vaultFilePath(dir));
    const err = await keywardError(() => Vault.open(dir, fastProvider()));
    expect(err.code).toBe('VAULT_LOCKED');
    expect(err.context).toMatchObject({ reason: 'provider-mismatch', keyProvider: 'keychain' });
    expect(err.message).toMatch(/created with the OS keychain/);
    expect(err.message).toMatch(/Unset KEYWARD_PASSPHRASE/);
    expect(fingerprint(vaultFilePath(dir))).toEqual(before);
  });

  it('forgets the keychain entry when asked to discard it', async () => {
    const { vaultId } = await initKeychainVault();
    await new KeychainKeyProvider(SERVICE).discard(vaultId);
    expect(secretToolLookup(vaultId)).toBeNull();
    // Discarding what is not there is not an error.
    await expect(new KeychainKeyProvider(SERVICE).discard(vaultId)).resolves.toBeUndefined();
  });
});

describe('loading the keychain module', () => {
  const realRequire = createRequire(import.meta.url);

  it("takes this platform's package directly, the one the package's own loader would choose", () => {
    const asked: string[] = [];
    const mod = loadKeyring((id) => (asked.push(id), realRequire(id)), 'linux-x64');
    expect(asked).toEqual(['@napi-rs/keyring-linux-x64-gnu']);
    expect(mod.AsyncEntry).toBe(realRequire('@napi-rs/keyring').AsyncEntry);
    if (process.platform === 'linux' && process.arch === 'x64') expect(loadKeyring()).toBe(mod);
  });

  it("falls back to the package's loader where that package is not installed or has none for the platform", () => {
    const asked: string[] = [];
    const notInstalled = (id: string) => {
      asked.push(id);
      if (id !== '@napi-rs/keyring') throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' });
      return realRequire(id);
    };
    expect(loadKeyring(notInstalled, 'linux-x64').AsyncEntry).toBe(realRequire('@napi-rs/keyring').AsyncEntry);
    expect(loadKeyring(notInstalled, 'freebsd-x64').AsyncEntry).toBe(realRequire('@napi-rs/keyring').AsyncEntry);
    expect(asked).toEqual(['@napi-rs/keyring-linux-x64-gnu', '@napi-rs/keyring', '@napi-rs/keyring']);
  });
});

describe('when no Secret Service can be reached', () => {
  type Outcome = { ok: boolean; code?: string; reason?: string; message?: string };
  let report: { init: Outcome; vaultFileExists: boolean; load: Outcome; discard: Outcome };

  beforeAll(() => {
    // A separate process: the keyring library keeps its D-Bus connection for the life of a process.
    const root = resolve(import.meta.dirname, '../..');
    const dir = tempDir();
    const r = spawnSync(process.execPath, ['--import', 'tsx', resolve(root, 'test/support/keychain-probe.ts'), dir, SERVICE], {
      cwd: root,
      env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: `unix:path=${dir}/no-such-bus` },
      encoding: 'utf8',
      timeout: 20_000,
    });
    if (r.status !== 0) throw new Error(`keychain-probe failed: ${r.stderr}`);
    report = JSON.parse(r.stdout.trim().split('\n').pop()!);
  });

  it('refuses to create a vault, says to unlock the keychain or use a passphrase, and creates no file', () => {
    expect(report.init).toMatchObject({ ok: false, code: 'KEY_PROVIDER_FAILED' });
    expect(report.init.message).toMatch(/could not store the vault key/);
    expect(report.init.message).toMatch(/KEYWARD_PASSPHRASE/);
    expect(report.vaultFileExists).toBe(false);
  });

  it('reports an existing vault as locked because the keychain could not be read', () => {
    expect(report.load).toMatchObject({ ok: false, code: 'VAULT_LOCKED', reason: 'keychain-unavailable' });
    expect(report.load.message).toMatch(/could not be read/);
    expect(report.load.message).toMatch(/was not changed/);
  });

  it('never throws from discard, the clean-up step of a failed init', () => {
    // Vault.init calls discard() in its catch block: a throw there would replace the real error.
    expect(report.discard).toEqual({ ok: true });
  });
});
