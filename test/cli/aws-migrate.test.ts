// `keyward import aws-credentials --migrate` on real-shaped files in a throwaway HOME:
// the dry run, the migration, the real AWS CLI reading the vault afterwards, and kills
// in the middle (the backups are there, each file is whole, a second run finishes).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwsTestServer, type AwsTestServer } from '../support/aws-server';
import { closeAndRemoveTemp, fingerprint, SSO_PROFILE_INI } from '../support/fixtures';
import { awsCallerIdentity, awsHome, keyward, REPO, runProgram, type AwsHome } from './aws-use-support';
import { newCliVault } from './rotate-support';

let aws: AwsTestServer;

beforeAll(async () => void (aws = await startAwsTestServer()));
afterAll(() => closeAndRemoveTemp(aws));

let n = 0;
async function scenario() {
  const { dir, env } = await newCliVault();
  const keys = Object.fromEntries(
    ['default', 'deploy'].map((p) => {
      const user = `migrate-${p}-${++n}`;
      aws.state.createUser(user);
      return [p, { user, ...aws.state.createAccessKey(user) }];
    }),
  );
  const credentials = `# Managed by hand.
[default]
aws_access_key_id = ${keys.default.accessKeyId}
aws_secret_access_key = ${keys.default.secretAccessKey}

; the CI deploy user
[deploy]
aws_access_key_id=${keys.deploy.accessKeyId}
aws_secret_access_key=${keys.deploy.secretAccessKey}

[temp]
aws_access_key_id = ASIAQWERTYUIOPASDFGH
aws_secret_access_key = tempSecretThatStaysWhereItIs0000000000000
aws_session_token = IQoJb3JpZ2luX2VjEXAMPLETOKEN
`;
  const config = `[default]
region = us-east-1

[profile deploy]
region = us-east-1
output = json

[profile admin]
role_arn = arn:aws:iam::123456789012:role/Admin
source_profile = deploy

${SSO_PROFILE_INI}`;
  const h = awsHome({ endpointUrl: aws.url, vaultEnv: env, config, credentials });
  return { dir, h, keys, credentials, config };
}

const section = (text: string, header: string) => text.slice(text.indexOf(header)).split(/\n(?=\[)/)[0];

function backupsOf(h: AwsHome): string[] {
  return readdirSync(dirname(h.config))
    .filter((f) => f.includes('.keyward-backup-'))
    .sort();
}

describe('keyward import aws-credentials --migrate', { timeout: 120_000 }, () => {
  it('--dry-run shows the change, keys masked, and writes nothing', async () => {
    const { h, keys } = await scenario();
    const before = { config: fingerprint(h.config), credentials: fingerprint(h.credentials) };
    const r = await keyward(h, ['import', 'aws-credentials', '--migrate', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Would change (dry run: nothing was written)');
    expect(r.stdout).toContain('+ credential_process = keyward credential-process "deploy"');
    expect(r.stdout).toContain('- aws_secret_access_key=****');
    expect(r.stdout).not.toContain(keys.deploy.secretAccessKey);
    expect(r.stdout).not.toContain(keys.deploy.accessKeyId);
    expect({ config: fingerprint(h.config), credentials: fingerprint(h.credentials) }).toEqual(before);
    expect(backupsOf(h)).toEqual([]);
    const list = await keyward(h, ['list', '--json']);
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([]);
  });

  it('migrates: the AWS CLI then reads the vault, the keys are gone from the files, other profiles untouched', async () => {
    const { h, keys, credentials, config } = await scenario();
    const r = await keyward(h, ['import', 'aws-credentials', '--migrate', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { profiles: Array<{ profile: string; action: string }>; backups: string[] };
    expect(report.profiles.map((p) => [p.profile, p.action])).toEqual([
      ['temp', 'skip'],
      ['default', 'import'],
      ['deploy', 'import'],
    ]);
    expect(report.backups.map((b) => readFileSync(b, 'utf8'))).toEqual([credentials, config]);

    const after = { config: readFileSync(h.config, 'utf8'), credentials: readFileSync(h.credentials, 'utf8') };
    for (const k of Object.values(keys)) {
      expect(after.credentials).not.toContain(k.secretAccessKey);
      expect(after.credentials).not.toContain(k.accessKeyId);
    }
    expect(section(after.credentials, '[temp]')).toBe(section(credentials, '[temp]'));
    for (const header of ['[profile admin]', '[profile sso-dev]', '[sso-session corp]']) expect(section(after.config, header)).toBe(section(config, header));
    expect(section(after.config, '[profile deploy]')).toBe('[profile deploy]\nregion = us-east-1\noutput = json\ncredential_process = keyward credential-process "deploy"\n');

    for (const profile of ['default', 'deploy'] as const) {
      const cli = await awsCallerIdentity(h, profile);
      expect(cli.code, cli.stderr).toBe(0);
      expect(JSON.parse(cli.stdout).Arn).toBe(aws.state.getUser(keys[profile].user)!.arn);
      expect(aws.requests.some((q) => q.action === 'GetCallerIdentity' && q.status === 200 && q.accessKeyId === keys[profile].accessKeyId)).toBe(true);
    }
  });

  for (const point of ['config-tmp', 'after-config', 'credentials-tmp'] as const) {
    it(`killed at ${point}: backups there, each file whole (old or new), a second run finishes`, async () => {
      const { dir, h, keys, credentials, config } = await scenario();
      const killed = await runProgram(process.execPath, ['--import', 'tsx', join(REPO, 'test/support/aws-migrate-killer.ts'), dir, h.credentials, h.config, point], h.env, { cwd: REPO });
      expect(killed.signal, killed.stderr + killed.stdout).toBe('SIGKILL');
      const backups = backupsOf(h);
      expect(backups).toHaveLength(2);
      expect(backups.map((b) => readFileSync(join(dirname(h.config), b), 'utf8')).sort()).toEqual([config, credentials].sort());

      const now = { config: readFileSync(h.config, 'utf8'), credentials: readFileSync(h.credentials, 'utf8') };
      expect(now.credentials).toBe(credentials); // never half-written
      if (point === 'config-tmp') expect(now.config).toBe(config);
      else expect(now.config).toContain('credential_process = keyward credential-process "deploy"');
      // Every key profile still works: where config already points at the vault, the keys still in the file are used first.
      const cli = await awsCallerIdentity(h, 'deploy');
      expect(cli.code, cli.stderr).toBe(0);

      const again = await keyward(h, ['import', 'aws-credentials', '--migrate', '--no-verify', '--json']);
      expect(again.code, again.stderr).toBe(0);
      const report = JSON.parse(again.stdout) as { profiles: Array<{ profile: string; action: string }> };
      expect(report.profiles.filter((p) => p.action !== 'skip').map((p) => [p.profile, p.action])).toEqual([
        ['default', 'in-vault'],
        ['deploy', 'in-vault'],
      ]);
      const done = readFileSync(h.credentials, 'utf8');
      expect(done).not.toContain(keys.deploy.secretAccessKey);
      expect(readdirSync(dirname(h.config)).filter((f) => f.startsWith('.keyward-migrate-'))).toEqual([]);
      const cli2 = await awsCallerIdentity(h, 'deploy');
      expect(cli2.code, cli2.stderr).toBe(0);
    });
  }
});
