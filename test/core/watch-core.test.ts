// Keeping watch through the core: lock, re-keying the vault, and check runs that notice a
// key that went invalid, against the AWS-compatible test server on 127.0.0.1.
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL_NAMES, type ChannelName, type Envelope } from '../../shared/contract';
import { KeywardCore } from '../../electron/core/app/core';
import { createDispatcher } from '../../electron/core/app/handlers';
import { KeychainKeyProvider } from '../../electron/core/keys/keychain';
import { osKeyProviders } from '../../electron/core/keys/choose';
import { Vault, readMeta } from '../../electron/core/vault/vault';
import { startAwsTestServer, type AwsTestServer } from '../support/aws-server';
import { fastProvider, PASSPHRASE, removeTempDirs, tempDir } from '../support/fixtures';
import { FakeClock } from '../support/fake-clock';

const SERVICE = `keyward-test-watch-${process.pid}-${randomBytes(4).toString('hex')}`;
const cores: KeywardCore[] = [];
let aws: AwsTestServer;

beforeAll(async () => {
  aws = await startAwsTestServer({ latencyMs: 0, propagationDelayMs: 0 });
});
afterEach(async () => {
  for (const c of cores.splice(0)) await c.close();
});
afterAll(async () => {
  await aws.close();
  removeTempDirs();
});

async function passphraseVault(): Promise<string> {
  const dir = tempDir();
  (await Vault.init(dir, fastProvider())).close();
  return dir;
}

function track(core: KeywardCore): KeywardCore {
  cores.push(core);
  return core;
}

function data<T>(env: Envelope<unknown>): T {
  expect(env, JSON.stringify(env)).toMatchObject({ ok: true });
  return (env as { ok: true; data: T }).data;
}

describe('locking', () => {
  it('drops the session: every channel but the vault gate answers VAULT_LOCKED, and the lock is audited', async () => {
    const dir = await passphraseVault();
    const core = track(new KeywardCore({ vaultDir: dir, passphrase: PASSPHRASE }));
    await core.start();
    const events: string[] = [];
    core.events.onAny((e) => events.push(e));
    const dispatch = createDispatcher(core);
    const status = data<{ state: string }>(await dispatch('vault.lock', {}));
    expect(status.state).toBe('LOCKED');
    expect(events).toContain('vault.locked');

    // The gate (with its keychain probe for first run), and the health check that reads the file without its key.
    const gate: ChannelName[] = ['vault.status', 'vault.unlock', 'vault.init', 'vault.lock', 'vault.probeKeychain', 'inventory.doctor'];
    for (const channel of CHANNEL_NAMES.filter((c) => !gate.includes(c))) {
      const env = await dispatch(channel, {});
      // A request that fails validation never reaches the core; every other one is refused as locked.
      if (!env.ok && env.error.code === 'INVALID_INPUT' && env.error.message.startsWith('Invalid request')) continue;
      expect(env, channel).toMatchObject({ ok: false, error: { code: 'VAULT_LOCKED' } });
    }

    data(await dispatch('vault.unlock', { passphrase: PASSPHRASE }));
    const audit = data<Array<{ action: string }>>(await dispatch('audit.list', {}));
    expect(audit.map((e) => e.action)).toContain('vault.locked');
  });
});

describe('changing how the vault key is kept', () => {
  it('changes the passphrase in one step: the new one opens the vault, the old one no longer does', async () => {
    const dir = await passphraseVault();
    const core = track(new KeywardCore({ vaultDir: dir, passphrase: PASSPHRASE }));
    await core.start();
    const before = readMeta(dir);
    const dispatch = createDispatcher(core);
    const wrong = await dispatch('vault.changePassphrase', { current: 'not the passphrase', next: 'a brand new passphrase' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: 'The current passphrase is wrong. Nothing was changed.' } });
    expect(readMeta(dir).wrappedDataKey.equals(before.wrappedDataKey)).toBe(true);

    data(await dispatch('vault.changePassphrase', { current: PASSPHRASE, next: 'a brand new passphrase' }));
    const after = readMeta(dir);
    expect(after.kdf?.salt).not.toBe(before.kdf?.salt);
    await core.close();

    await expect(Vault.open(dir, fastProvider())).rejects.toMatchObject({ code: 'VAULT_LOCKED', context: { reason: 'wrong-key' } });
    const reopened = track(new KeywardCore({ vaultDir: dir, passphrase: 'a brand new passphrase' }));
    expect((await reopened.start()).state).toBe('UNLOCKED');
    expect(reopened.audit.list({}).map((e) => e.action)).toContain('vault.passphrase-changed');
  });

  it('moves the key to the OS keychain and back, re-wrapping the data key only', async () => {
    const dir = await passphraseVault();
    const core = track(new KeywardCore({ vaultDir: dir, passphrase: PASSPHRASE, keys: osKeyProviders({ keychainService: SERVICE }) }));
    await core.start();
    const dispatch = createDispatcher(core);
    const { vaultId } = readMeta(dir);
    const id = data<{ id: string }>(
      await dispatch('credentials.add', { provider: 'APISIX', type: 'ADMIN_API_KEY', name: 'gateway', fields: { endpoint: 'http://127.0.0.1:9', adminApiKey: 'k'.repeat(32) }, verify: false }),
    ).id;

    expect(await dispatch('vault.setKeyProvider', { keyProvider: 'keychain' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(data<{ keyProvider: string }>(await dispatch('vault.setKeyProvider', { keyProvider: 'keychain', current: PASSPHRASE })).keyProvider).toBe('keychain');
    await core.close();

    const viaKeychain = await Vault.open(dir, new KeychainKeyProvider(SERVICE));
    viaKeychain.close();
    const keychainCore = track(new KeywardCore({ vaultDir: dir, keys: osKeyProviders({ keychainService: SERVICE }) }));
    await keychainCore.start();
    // Nothing else was re-encrypted: the secret sealed before still opens.
    expect(keychainCore.credentials.repo.secretsOf(id)).toEqual({ adminApiKey: 'k'.repeat(32) });

    const back = createDispatcher(keychainCore);
    expect(data<{ keyProvider: string }>(await back('vault.setKeyProvider', { keyProvider: 'passphrase', passphrase: 'another long passphrase' })).keyProvider).toBe('passphrase');
    await keychainCore.close();
    // The keychain entry is gone with the switch.
    await expect(new KeychainKeyProvider(SERVICE).load(vaultId)).rejects.toMatchObject({ context: { reason: 'keychain-entry-missing' } });
    const final = track(new KeywardCore({ vaultDir: dir, passphrase: 'another long passphrase' }));
    expect((await final.start()).state).toBe('UNLOCKED');
    expect(final.audit.list({ action: 'vault.key-provider-changed' })).toHaveLength(2);
  });
});

describe('check runs', () => {
  it('notices a key that went invalid between two runs, tells it once, and records each run', async () => {
    const dir = await passphraseVault();
    const notices: Array<{ title: string; body: string }> = [];
    const clock = new FakeClock(Date.now());
    const core = track(new KeywardCore({ vaultDir: dir, passphrase: PASSPHRASE, clock, watch: { notifier: { notify: (n) => notices.push(n) } } }));
    await core.start();
    const dispatch = createDispatcher(core);
    aws.state.createUser('watch-user');
    const key = aws.state.createAccessKey('watch-user');
    const other = aws.state.createAccessKey('watch-user');
    for (const [name, k] of [
      ['watched', key],
      ['steady', other],
    ] as const) {
      data(
        await dispatch('credentials.add', {
          provider: 'AWS',
          type: 'ACCESS_KEY',
          name,
          fields: { accessKeyId: k.accessKeyId, region: 'us-east-1', endpointUrl: aws.url, secretAccessKey: k.secretAccessKey },
          verify: false,
        }),
      );
    }

    const first = data<{ run: { checked: number; counts: { VALID: number } }; attention: { items: unknown[] } }>(await dispatch('watch.check', { verify: true }));
    expect(first.run).toMatchObject({ checked: 2, counts: { VALID: 2 } });
    expect(first.attention.items).toEqual([]);

    aws.state.deleteAccessKey(key.accessKeyId);
    clock.sleep(60_000);
    await core.watch.run('schedule', { verify: true });
    expect(notices).toHaveLength(1);
    expect(notices[0].body).toBe('watched turned Invalid');
    expect(JSON.stringify(notices)).not.toContain(key.secretAccessKey);

    // The same occurrence is not told again at the next run.
    clock.sleep(60_000);
    await core.watch.run('schedule', { verify: true });
    expect(notices).toHaveLength(1);

    const status = data<{ lastRun: { trigger: string; counts: { INVALID: number } } }>(await dispatch('watch.status', {}));
    expect(status.lastRun).toMatchObject({ trigger: 'schedule', counts: { INVALID: 1 } });
    const runs = core.audit.list({ action: 'watch.run' });
    expect(runs).toHaveLength(3);
    expect(runs[0].details).toMatchObject({ checked: 2, VALID: 1, INVALID: 1, notified: 0 });
  });

  it('leaves skipped credentials out of the scheduled checks, and keeps muted kinds out of notices', async () => {
    const dir = await passphraseVault();
    const notices: string[] = [];
    const core = track(new KeywardCore({ vaultDir: dir, passphrase: PASSPHRASE, watch: { notifier: { notify: (n) => notices.push(n.body) } } }));
    await core.start();
    const dispatch = createDispatcher(core);
    aws.state.createUser('skip-user');
    const k = aws.state.createAccessKey('skip-user');
    const { id } = data<{ id: string }>(
      await dispatch('credentials.add', {
        provider: 'AWS',
        type: 'ACCESS_KEY',
        name: 'skipped',
        fields: { accessKeyId: k.accessKeyId, region: 'us-east-1', endpointUrl: aws.url, secretAccessKey: k.secretAccessKey },
        verify: false,
      }),
    );
    data(await dispatch('watch.setSettings', { skip: [id], mutedKinds: ['turned-invalid'] }));
    const r = data<{ run: { checked: number } }>(await dispatch('watch.check', { verify: true }));
    expect(r.run.checked).toBe(0);
    expect(core.credentials.get(id).status).toBe('UNVERIFIED');
    data(await dispatch('watch.setSettings', { skip: [] }));
    await core.watch.run('schedule', { verify: true });
    aws.state.deleteAccessKey(k.accessKeyId);
    await core.watch.run('schedule', { verify: true });
    expect(core.watch.attention().items.map((i) => i.kind)).toEqual(['turned-invalid']);
    expect(notices).toEqual([]);
  });
});
