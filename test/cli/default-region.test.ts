import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it, vi } from 'vitest';
import { KeywardCore } from '../../electron/core/app/core';
import { writeVaultSettings } from '../../electron/core/settings/vault-settings';
import { fakeAccessKeyId, fakeSecretAccessKey } from '../support/fixtures';
import { runCli } from './run-cli';

// `keyward add aws` without --region, and a profile imported from ~/.aws/credentials that
// names no region (nor does ~/.aws/config), take the vault's default region (Settings in
// the window), read through core, as the Add form does.

vi.setConfig({ testTimeout: 60_000 });

it('add aws without --region, and an imported profile without a region, take the vault default region; a given one wins', async () => {
  const home = mkdtempSync(join(tmpdir(), 'keyward-region-'));
  const env = { KEYWARD_HOME: join(home, 'vault'), HOME: home, KEYWARD_PASSPHRASE: 'default region passphrase' };
  expect((await runCli(['init'], { env })).code).toBe(0);
  const core = new KeywardCore({ vaultDir: env.KEYWARD_HOME, passphrase: env.KEYWARD_PASSPHRASE });
  await core.start();
  writeVaultSettings(core.openVault, core.audit, { defaultAwsRegion: 'eu-central-1' });
  await core.close();

  const add = (name: string, extra: string[] = []) =>
    runCli(['add', 'aws', '--name', name, '--access-key-id', fakeAccessKeyId(), '--no-verify', '--json', ...extra], { env, stdin: `${fakeSecretAccessKey()}\n` });
  const plain = await add('no region');
  expect(plain.code, plain.stderr).toBe(0);
  expect(plain.json()).toMatchObject({ region: 'eu-central-1' });
  const given = await add('given region', ['--region', 'us-west-2']);
  expect(given.json()).toMatchObject({ region: 'us-west-2' });

  const credentials = join(home, 'credentials');
  const config = join(home, 'config');
  const section = (name: string) => `[${name}]\naws_access_key_id = ${fakeAccessKeyId()}\naws_secret_access_key = ${fakeSecretAccessKey()}\n`;
  writeFileSync(credentials, `${section('no-region')}${section('config-region')}${section('file-region')}region = ap-south-1\n`);
  writeFileSync(config, '[profile config-region]\nregion = sa-east-1\n');
  const imported = await runCli(['import', 'aws-credentials', credentials, '--config', config, '--no-verify', '--json'], { env });
  expect(imported.code, imported.stderr).toBe(0);
  const regions = Object.fromEntries((imported.json() as { imported: Array<{ name: string; region: string }> }).imported.map((c) => [c.name, c.region]));
  expect(regions).toEqual({ 'no-region': 'eu-central-1', 'config-region': 'sa-east-1', 'file-region': 'ap-south-1' });
});
