import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KeywardCore } from '../../electron/core/app/core';
import { createDispatcher } from '../../electron/core/app/handlers';
import { awsFields, removeTempDirs, tempDir } from '../support/fixtures';

// Settings → the clipboard clear time and the default AWS region: kept in the vault,
// audited when changed, and read by core when a credential is added without a region.

afterEach(() => removeTempDirs());

async function openCore() {
  const core = new KeywardCore({ vaultDir: join(tempDir(), 'v') });
  await core.init('passphrase', 'settings test passphrase');
  return { core, call: createDispatcher(core) };
}

describe('vault settings', () => {
  it('start at 30 s and us-east-1, save a change, audit only what changed', async () => {
    const { core, call } = await openCore();
    expect(await call('settings.get', {})).toEqual({ ok: true, data: { clipboardClearSeconds: 30, defaultAwsRegion: 'us-east-1' } });
    expect(await call('settings.set', { defaultAwsRegion: 'eu-west-1' })).toEqual({ ok: true, data: { clipboardClearSeconds: 30, defaultAwsRegion: 'eu-west-1' } });
    await call('settings.set', { defaultAwsRegion: 'eu-west-1' }); // no change: nothing recorded
    const events = core.audit.list({ action: 'settings.changed' });
    expect(events.map((e) => e.details)).toEqual([{ defaultAwsRegion: 'eu-west-1' }]);
    await core.close();
  });

  it('refuses a region AWS does not have and a clear time not offered', async () => {
    const { core, call } = await openCore();
    const bad = await call('settings.set', { defaultAwsRegion: 'moon-1' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await call('settings.set', { clipboardClearSeconds: 45 })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await call('settings.set', { clipboardClearSeconds: 0 })).toMatchObject({ ok: true, data: { clipboardClearSeconds: 0 } });
    await core.close();
  });

  it('gives a new AWS credential without a region the vault default; a given region wins', async () => {
    const { core, call } = await openCore();
    await call('settings.set', { defaultAwsRegion: 'ap-southeast-2' });
    const { region: _r, ...noRegion } = awsFields();
    const a = core.credentials.add({ name: 'no region', provider: 'AWS', type: 'ACCESS_KEY', fields: noRegion, verify: false });
    expect(a.fields.region).toBe('ap-southeast-2');
    const b = core.credentials.add({ name: 'given', provider: 'AWS', type: 'ACCESS_KEY', fields: { ...awsFields(), region: 'us-west-2' }, verify: false });
    expect(b.fields.region).toBe('us-west-2');
    await core.close();
  });

  it('falls back to the defaults for a stored value this build does not know', async () => {
    const { core, call } = await openCore();
    core.openVault.db.prepare("INSERT INTO meta (key, value) VALUES ('vault_settings', ?)").run(JSON.stringify({ clipboardClearSeconds: 7, defaultAwsRegion: 'eu-north-1' }));
    expect(await call('settings.get', {})).toEqual({ ok: true, data: { clipboardClearSeconds: 30, defaultAwsRegion: 'eu-north-1' } });
    await core.close();
  });
});
