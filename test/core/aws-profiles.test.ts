// Moving plaintext AWS profiles into the vault: real-shaped files (comments, [default],
// [profile x], nested s3 blocks, source_profile chains, SSO), exact results, the dry run,
// backups, and which profiles use a credential.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../electron/core/audit/log';
import { IniFile } from '../../electron/core/aws-profiles/ini-file';
import { credentialProcessCommand, shellWord } from '../../electron/core/aws-profiles/migrate';
import { keywardCredentialOf, shellWords } from '../../electron/core/aws-profiles/profiles-using';
import { migrateProfiles, profilesUsingCredential } from '../../electron/core/aws-profiles/service';
import { fakeAccessKeyId, fakeSecretAccessKey, fastProvider, newVaultWithService, PASSPHRASE, removeTempDirs, SSO_PROFILE_INI, tempDir } from '../support/fixtures';
import { CHANNEL_NAMES, cliChannels } from '../../shared/contract';
import { createKeywardApi } from '../../shared/api';
import { KeywardCore } from '../../electron/core/app/core';
import { createCliDispatcher, createDispatcher } from '../../electron/core/app/handlers';
import { Vault } from '../../electron/core/vault/vault';

afterEach(() => removeTempDirs());

const K = { def: fakeAccessKeyId(), deploy: fakeAccessKeyId(), base: fakeAccessKeyId() };
const S = { def: fakeSecretAccessKey(), deploy: fakeSecretAccessKey(), base: fakeSecretAccessKey() };

const CREDENTIALS = `# Managed by hand. Work keys below.
[default]
aws_access_key_id = ${K.def}
aws_secret_access_key = ${S.def}

; the CI deploy user
[deploy]
aws_access_key_id=${K.deploy}
aws_secret_access_key=${S.deploy}
region = eu-west-1

[temp]
aws_access_key_id = ASIAQWERTYUIOPASDFGH
aws_secret_access_key = ${fakeSecretAccessKey()}
aws_session_token = IQoJb3JpZ2luX2VjEXAMPLETOKEN

[base]
aws_access_key_id = ${K.base}
aws_secret_access_key = ${S.base}
`;

/** The admin profile (a role over the base user's key) and SSO, which a migration leaves as they are. */
const ADMIN_INI = `# assumes Admin with the base user's key
[profile admin]
role_arn = arn:aws:iam::123456789012:role/Admin
source_profile = base
region = us-east-1
`;
const SSO_INI = `${SSO_PROFILE_INI}sso_registration_scopes = sso:account:access\n`;

const CONFIG = `# AWS CLI config
[default]
region = us-east-1
output = json

[profile deploy]
region = eu-west-1
s3 =
  max_concurrent_requests = 20

${ADMIN_INI}
[profile base]
region = us-east-1

${SSO_INI}`;

const CONFIG_AFTER = `# AWS CLI config
[default]
region = us-east-1
output = json
credential_process = keyward credential-process "default"

[profile deploy]
region = eu-west-1
s3 =
  max_concurrent_requests = 20
credential_process = keyward credential-process "deploy"

${ADMIN_INI}
[profile base]
region = us-east-1
credential_process = keyward credential-process "base"

${SSO_INI}`;

function files(credentials = CREDENTIALS, config = CONFIG) {
  const dir = tempDir('keyward-aws-files-');
  const f = { credentialsFile: join(dir, 'credentials'), configFile: join(dir, 'config') };
  writeFileSync(f.credentialsFile, credentials, { mode: 0o600 });
  writeFileSync(f.configFile, config, { mode: 0o644 });
  return { dir, ...f };
}

describe('import aws-credentials --migrate (core)', () => {
  it('imports each key profile, points config at credential-process and takes the keys out, leaving everything else as it was', async () => {
    const { vault, service } = await newVaultWithService();
    const f = files();
    const report = migrateProfiles(service, new AuditLog(vault, 'cli'), { ...f, dryRun: false, verify: false });

    expect(readFileSync(f.configFile, 'utf8')).toBe(CONFIG_AFTER);
    const temp = CREDENTIALS.slice(CREDENTIALS.indexOf('[temp]'), CREDENTIALS.indexOf('[base]'));
    expect(readFileSync(f.credentialsFile, 'utf8')).toBe(`# Managed by hand. Work keys below.\n; the CI deploy user\n[deploy]\nregion = eu-west-1\n\n${temp}`.trimEnd() + '\n');
    expect(report.profiles.map((p) => [p.profile, p.action])).toEqual([
      ['temp', 'skip'],
      ['default', 'import'],
      ['deploy', 'import'],
      ['base', 'import'],
    ]);
    // Each profile is now a credential holding its key, named after it.
    for (const [name, id, secret] of [
      ['default', K.def, S.def],
      ['deploy', K.deploy, S.deploy],
      ['base', K.base, S.base],
    ]) {
      const rec = service.repo.getByName(name)!;
      expect(rec.fields.accessKeyId).toBe(id);
      expect(service.repo.secretsOf(rec.id).secretAccessKey).toBe(secret);
    }
    expect(service.repo.getByName('deploy')!.fields.region).toBe('eu-west-1');
    // Backups of both files, as they were, owner-only; the files keep their modes.
    expect(report.backups).toHaveLength(2);
    expect(report.backups.map((b) => readFileSync(b, 'utf8'))).toEqual([CREDENTIALS, CONFIG]);
    for (const b of report.backups) {
      expect(b).toMatch(/\.keyward-backup-\d{8}T\d{6}Z$/);
      expect(statSync(b).mode & 0o777).toBe(0o600);
    }
    expect(statSync(f.configFile).mode & 0o777).toBe(0o644);
    expect(statSync(f.credentialsFile).mode & 0o777).toBe(0o600);
    expect(readdirSync(f.dir).filter((n) => n.startsWith('.keyward-migrate-'))).toEqual([]);
    const events = new AuditLog(vault, 'cli').list({ action: 'aws-profiles.migrated' });
    expect(events).toHaveLength(1);
    expect(events[0].details.profiles).toEqual(['default', 'deploy', 'base']);
    expect(JSON.stringify(new AuditLog(vault, 'cli').list())).not.toContain(S.deploy);
  });

  it('--dry-run writes nothing and shows each change with the keys masked', async () => {
    const { vault, service } = await newVaultWithService();
    const f = files();
    const report = migrateProfiles(service, new AuditLog(vault, 'cli'), { ...f, dryRun: true, verify: false });
    expect(readFileSync(f.credentialsFile, 'utf8')).toBe(CREDENTIALS);
    expect(readFileSync(f.configFile, 'utf8')).toBe(CONFIG);
    expect(service.repo.count()).toBe(0);
    expect(report.backups).toEqual([]);
    expect(readdirSync(f.dir).sort()).toEqual(['config', 'credentials']);
    expect(report.changes).toContainEqual({ file: f.configFile, section: 'profile deploy', op: 'add', after: 'credential_process = keyward credential-process "deploy"' });
    expect(report.changes).toContainEqual({ file: f.credentialsFile, section: 'deploy', op: 'remove', before: `aws_secret_access_key=****` });
    expect(report.changes).toContainEqual({ file: f.credentialsFile, section: 'deploy', op: 'remove', before: `aws_access_key_id=${K.deploy.slice(0, 4)}${'*'.repeat(12)}${K.deploy.slice(-4)}` });
    const text = JSON.stringify(report);
    for (const secret of [...Object.values(S), ...Object.values(K)]) expect(text).not.toContain(secret);
  });

  it('a second run changes nothing; a profile whose name holds another key in the vault is left alone', async () => {
    const { vault, service } = await newVaultWithService();
    const audit = new AuditLog(vault, 'cli');
    const f = files();
    migrateProfiles(service, audit, { ...f, dryRun: false, verify: false });
    const again = migrateProfiles(service, audit, { ...f, dryRun: false, verify: false });
    expect(again.changes).toEqual([]);
    expect(again.backups).toEqual([]);
    expect(readFileSync(f.configFile, 'utf8')).toBe(CONFIG_AFTER);

    const other = files(`[deploy]\naws_access_key_id = ${fakeAccessKeyId()}\naws_secret_access_key = ${fakeSecretAccessKey()}\n`, '');
    const r = migrateProfiles(service, audit, { ...other, dryRun: false, verify: false });
    expect(r.profiles).toEqual([{ profile: 'deploy', action: 'skip', reason: expect.stringMatching(/holds another key/) }]);
    expect(r.changes).toEqual([]);
  });

  it('a config file that does not exist yet is created with the profiles, 0600', async () => {
    const { vault, service } = await newVaultWithService();
    const dir = tempDir();
    const f = { credentialsFile: join(dir, 'credentials'), configFile: join(dir, 'config') };
    writeFileSync(f.credentialsFile, `[default]\naws_access_key_id = ${K.def}\naws_secret_access_key = ${S.def}\n[o'brien]\naws_access_key_id = ${K.base}\naws_secret_access_key = ${S.base}\n`);
    const report = migrateProfiles(service, new AuditLog(vault, 'cli'), { ...f, dryRun: false, verify: false, vaultDir: '/home/me/My Vault' });
    expect(readFileSync(f.configFile, 'utf8')).toBe(
      `[default]\ncredential_process = keyward --vault-dir "/home/me/My Vault" credential-process "default"\n\n[profile o'brien]\ncredential_process = keyward --vault-dir "/home/me/My Vault" credential-process "o'brien"\n`,
    );
    expect(readFileSync(f.credentialsFile, 'utf8')).toBe('');
    expect(statSync(f.configFile).mode & 0o777).toBe(0o600);
    expect(report.backups).toHaveLength(1);
  });

  it('the Credentials details name the profiles that read a credential, and those still holding it in clear', async () => {
    const { vault, service } = await newVaultWithService();
    const f = files();
    migrateProfiles(service, new AuditLog(vault, 'cli'), { ...f, dryRun: false, verify: false });
    const deploy = service.repo.getByName('deploy')!;
    writeFileSync(f.credentialsFile, `${readFileSync(f.credentialsFile, 'utf8')}\n[old-copy]\naws_access_key_id = ${K.deploy}\naws_secret_access_key = ${S.deploy}\n`);
    writeFileSync(f.configFile, `${readFileSync(f.configFile, 'utf8')}\n[profile by-id]\ncredential_process = /usr/local/bin/keyward credential-process ${deploy.id} --session --duration 2h\n`);
    expect(profilesUsingCredential(service, 'deploy', f)).toEqual([
      { profile: 'deploy', file: f.configFile, via: 'credential_process' },
      { profile: 'by-id', file: f.configFile, via: 'credential_process' },
      { profile: 'old-copy', file: f.credentialsFile, via: 'plaintext' },
    ]);
    expect(profilesUsingCredential(service, 'base', f)).toEqual([{ profile: 'base', file: f.configFile, via: 'credential_process' }]);
  });
});

describe('the AWS files, line by line', () => {
  it('keeps CRLF line endings and a missing final newline', () => {
    const ini = IniFile.parse('[default]\r\nregion = us-east-1');
    ini.set(ini.find('default')!, 'output', 'json');
    expect(ini.toString()).toBe('[default]\r\nregion = us-east-1\r\noutput = json');
  });

  it('quotes names so that a shell and the AWS CLI read one word, and reads them back', () => {
    for (const name of ['prod', 'AWS Production (us-east-1)', `o'brien`, 'a "quoted" $name', 'back\\slash']) {
      const line = credentialProcessCommand(name);
      expect(shellWords(line)).toEqual(['keyward', 'credential-process', name]);
      expect(keywardCredentialOf(line)).toBe(name);
    }
    expect(shellWord('prod')).toBe('"prod"');
    expect(keywardCredentialOf('aws-vault exec prod --json')).toBeNull();
    expect(keywardCredentialOf('keyward --vault-dir /v credential-process --session prod')).toBe('prod');
  });
});

describe('the CLI-only channels', () => {
  it("hand out the key to the CLI dispatcher only: the window's dispatcher, CHANNEL_NAMES and the preload API know nothing of them", async () => {
    const dir = tempDir();
    (await Vault.init(dir, fastProvider())).close();
    const core = new KeywardCore({ vaultDir: dir, passphrase: PASSPHRASE, actor: 'cli' });
    await core.open();
    try {
      const key = { accessKeyId: fakeAccessKeyId(), secretAccessKey: fakeSecretAccessKey() };
      core.credentials.add({ name: 'prod', provider: 'AWS', type: 'ACCESS_KEY', fields: { ...key, region: 'us-east-1' }, verify: false });
      const req = { credential: 'prod', tool: 'credential-process' };
      for (const name of Object.keys(cliChannels)) expect(CHANNEL_NAMES).not.toContain(name);
      expect(await createDispatcher(core)('awsProfiles.credentials', req)).toEqual({ ok: false, error: { code: 'INVALID_INPUT', message: 'Unknown channel "awsProfiles.credentials".' } });
      const api = createKeywardApi({ invoke: () => Promise.reject(new Error('must not be sent')), subscribe: () => () => undefined });
      await expect(api.invoke('awsProfiles.credentials' as never, req as never)).rejects.toThrow(/Unknown channel/);
      expect(await createCliDispatcher(core)('awsProfiles.credentials', req)).toEqual({ ok: true, data: { Version: 1, AccessKeyId: key.accessKeyId, SecretAccessKey: key.secretAccessKey } });
    } finally {
      await core.close();
    }
  });
});
