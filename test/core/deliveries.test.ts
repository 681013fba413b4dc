// Deliveries: each kind written, read back and restored on real files in temp folders, the
// rest of each file untouched byte for byte, 0600 with a 0600 backup; the truth told when a
// file cannot be written; the service's add / list / test / remove against the AWS test
// server, audited with masked key ids and never a secret.
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { awsProfileKind } from '../../electron/core/deliveries/aws-profile';
import { dotenvKind } from '../../electron/core/deliveries/dotenv';
import type { DeliveryContext } from '../../electron/core/deliveries/kind';
import { deliveryFiles } from '../../electron/core/deliveries/local-file';
import type { FileWriter } from '../../electron/core/file-replace';
import { PolicyService } from '../../electron/core/policy/service';
import { systemClock } from '../../electron/core/ports/clock';
import { ResourceService } from '../../electron/core/resources/service';
import { awsKeyCredential, useAwsTestServer, vaultWithDeliveries } from '../support/deliveries';
import { fakeAccessKeyId, fakeSecretAccessKey, tempDir } from '../support/fixtures';

const mode = (f: string) => statSync(f).mode & 0o777;
const backupsOf = (dir: string, name: string) => readdirSync(dir).filter((n) => n.startsWith(`${name}.keyward-backup-`));
const newKey = () => ({ accessKeyId: fakeAccessKeyId(), secretAccessKey: fakeSecretAccessKey() });

function fileCtx(files: FileWriter = deliveryFiles, root = tempDir()): DeliveryContext {
  return {
    aws: () => {
      throw new Error('a file kind calls no AWS');
    },
    clock: systemClock,
    fsRoot: root,
    files,
    parameters: { bound: () => [], values: () => ({}) },
    checkKey: () => Promise.reject(new Error('not in these tests')),
  };
}

describe('aws-profile: a section of an AWS shared credentials file', () => {
  const before = [
    '# my profiles',
    '[default]',
    'aws_access_key_id=AKIADEFAULTDEFAULT00',
    'aws_secret_access_key = defaultsecret',
    '',
    '[prod]  ; the app',
    'region = eu-west-1',
    'aws_access_key_id = AKIAOLDOLDOLDOLDOLD0',
    'aws_secret_access_key = oldsecret',
    'aws_session_token = oldtoken',
    's3 =',
    '  max_concurrent_requests = 20',
    '',
    '[other]',
    'aws_access_key_id = AKIAOTHEROTHEROTHER0',
    '',
  ].join('\r\n');

  it('replaces the keys of its profile, keeps every other byte, writes 0600 with a 0600 backup; restore puts the old values back', async () => {
    const ctx = fileCtx();
    const file = join(ctx.fsRoot, 'credentials');
    writeFileSync(file, before, { mode: 0o644 });
    const config = awsProfileKind.configSchema.parse({ file: '~/credentials', profile: 'prod' });
    const saved = await awsProfileKind.save(ctx, config);
    const key = newKey();
    await awsProfileKind.write(ctx, config, key);

    const after = readFileSync(file, 'utf8');
    expect(after).toBe(
      before
        .replace('aws_access_key_id = AKIAOLDOLDOLDOLDOLD0', `aws_access_key_id = ${key.accessKeyId}`)
        .replace('aws_secret_access_key = oldsecret', `aws_secret_access_key = ${key.secretAccessKey}`)
        .replace('aws_session_token = oldtoken\r\n', ''),
    );
    expect(mode(file)).toBe(0o600);
    const backups = backupsOf(ctx.fsRoot, 'credentials');
    expect(backups).toHaveLength(1);
    expect(readFileSync(join(ctx.fsRoot, backups[0]), 'utf8')).toBe(before);
    expect(mode(join(ctx.fsRoot, backups[0]))).toBe(0o600);
    expect(await awsProfileKind.readBack(ctx, config)).toEqual(key);

    await awsProfileKind.restore(ctx, config, saved);
    const restored = readFileSync(file, 'utf8');
    expect(await awsProfileKind.readBack(ctx, config)).toEqual({ accessKeyId: 'AKIAOLDOLDOLDOLDOLD0', secretAccessKey: 'oldsecret' });
    expect(restored).toContain('aws_session_token = oldtoken');
    expect(restored.split('[other]')[1]).toBe(before.split('[other]')[1]);
    expect(restored.split('[prod]')[0]).toBe(before.split('[prod]')[0]);
  });

  it('adds a missing profile at the end and, on restore, takes it out again; a file it created goes', async () => {
    const ctx = fileCtx();
    const file = join(ctx.fsRoot, 'credentials');
    writeFileSync(file, '[default]\naws_access_key_id = AKIAKEEPKEEPKEEPKEEP\n');
    const config = awsProfileKind.configSchema.parse({ file, profile: 'app' });
    const saved = await awsProfileKind.save(ctx, config);
    const key = newKey();
    await awsProfileKind.write(ctx, config, key);
    expect(readFileSync(file, 'utf8')).toBe(`[default]\naws_access_key_id = AKIAKEEPKEEPKEEPKEEP\n\n[app]\naws_access_key_id = ${key.accessKeyId}\naws_secret_access_key = ${key.secretAccessKey}\n`);
    await awsProfileKind.restore(ctx, config, saved);
    expect(readFileSync(file, 'utf8')).toBe('[default]\naws_access_key_id = AKIAKEEPKEEPKEEPKEEP\n');

    const fresh = join(ctx.fsRoot, 'new-credentials');
    const cfg2 = awsProfileKind.configSchema.parse({ file: fresh, profile: 'app' });
    const none = await awsProfileKind.save(ctx, cfg2);
    expect(none).toBeNull();
    await awsProfileKind.write(ctx, cfg2, key);
    expect(mode(fresh)).toBe(0o600);
    await awsProfileKind.restore(ctx, cfg2, none);
    expect(existsSync(fresh)).toBe(false);
  });

  it('refuses a file made read-only, a missing folder and a full disk, saying so, and changes nothing', async () => {
    const ctx = fileCtx();
    const file = join(ctx.fsRoot, 'credentials');
    writeFileSync(file, '[prod]\naws_access_key_id = AKIAOLDOLDOLDOLDOLD0\n');
    chmodSync(file, 0o400);
    const config = awsProfileKind.configSchema.parse({ file, profile: 'prod' });
    await expect(awsProfileKind.write(ctx, config, newKey())).rejects.toThrow(/read-only \(mode 0400\).*chmod u\+w/);
    expect(readFileSync(file, 'utf8')).toBe('[prod]\naws_access_key_id = AKIAOLDOLDOLDOLDOLD0\n');
    expect(backupsOf(ctx.fsRoot, 'credentials')).toEqual([]);

    const missing = awsProfileKind.configSchema.parse({ file: join(ctx.fsRoot, 'no', 'such', 'credentials'), profile: 'prod' });
    await expect(awsProfileKind.write(ctx, missing, newKey())).rejects.toThrow(/folder .*no\/such does not exist: create it/);

    const full: FileWriter = {
      writeBackup: deliveryFiles.writeBackup,
      writeAtomic: () => {
        throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      },
    };
    chmodSync(file, 0o600);
    await expect(awsProfileKind.write(fileCtx(full, ctx.fsRoot), config, newKey())).rejects.toMatchObject({ code: 'DISK_FULL', message: expect.stringMatching(/disk holding .* is full/) });
    expect(readFileSync(file, 'utf8')).toBe('[prod]\naws_access_key_id = AKIAOLDOLDOLDOLDOLD0\n');
  });

  it('bounds and validates its config', () => {
    expect(awsProfileKind.configSchema.safeParse({ file: 'x', profile: 'a]b' }).success).toBe(false);
    expect(awsProfileKind.configSchema.safeParse({ file: 'x'.repeat(5000), profile: 'p' }).success).toBe(false);
    expect(awsProfileKind.configSchema.safeParse({ file: 'x', profile: 'p\n[evil]' }).success).toBe(false);
  });
});

describe('dotenv: named variables of a .env file', () => {
  it('replaces the two variables (keeping export), keeps other lines, and restores their exact lines', async () => {
    const ctx = fileCtx();
    const file = join(ctx.fsRoot, '.env');
    const before = '# app settings\nexport AWS_ACCESS_KEY_ID="AKIAOLDOLDOLDOLDOLD0"\nBUCKET=files\nAWS_SECRET_ACCESS_KEY=old/secret+1 # rotated by hand\nLAST=1';
    writeFileSync(file, before);
    const config = dotenvKind.configSchema.parse({ file });
    const saved = await dotenvKind.save(ctx, config);
    expect(await dotenvKind.readBack(ctx, config)).toEqual({ accessKeyId: 'AKIAOLDOLDOLDOLDOLD0', secretAccessKey: 'old/secret+1' });
    const key = { accessKeyId: fakeAccessKeyId(), secretAccessKey: 'abc/def+ghi' };
    await dotenvKind.write(ctx, config, key);
    expect(readFileSync(file, 'utf8')).toBe(`# app settings\nexport AWS_ACCESS_KEY_ID=${key.accessKeyId}\nBUCKET=files\nAWS_SECRET_ACCESS_KEY="abc/def+ghi"\nLAST=1`);
    expect(mode(file)).toBe(0o600);
    expect(await dotenvKind.readBack(ctx, config)).toEqual(key);
    await dotenvKind.restore(ctx, config, saved);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('takes the names the admin gives and adds missing variables at the end', async () => {
    const ctx = fileCtx();
    const file = join(ctx.fsRoot, 'app.env');
    writeFileSync(file, 'PORT=8080\n');
    const config = dotenvKind.configSchema.parse({ file, idVar: 'S3_KEY', secretVar: 'S3_SECRET' });
    const saved = await dotenvKind.save(ctx, config);
    const key = newKey();
    await dotenvKind.write(ctx, config, key);
    expect(readFileSync(file, 'utf8')).toBe(`PORT=8080\nS3_KEY=${key.accessKeyId}\nS3_SECRET=${JSON.stringify(key.secretAccessKey).replace(/^"([\w./:@-]*)"$/, '$1')}\n`);
    expect(await dotenvKind.readBack(ctx, config)).toEqual(key);
    await dotenvKind.restore(ctx, config, saved);
    expect(readFileSync(file, 'utf8')).toBe('PORT=8080\n');
    expect(dotenvKind.configSchema.safeParse({ file, idVar: 'A', secretVar: 'A' }).success).toBe(false);
    expect(dotenvKind.configSchema.safeParse({ file, idVar: '1BAD' }).success).toBe(false);
  });
});

describe('the deliveries service', () => {
  const server = useAwsTestServer();
  let t: Awaited<ReturnType<typeof vaultWithDeliveries>>;
  beforeEach(async () => {
    t = await vaultWithDeliveries();
  });
  const awsCred = (name = 'app') => awsKeyCredential(server(), t.credentials, name);

  it('adds a profile delivery, writes the key with --write, tests it with STS, and audits it all without the secret', async () => {
    const { cred, key } = awsCred();
    const dir = tempDir();
    const file = join(dir, 'credentials');
    const added = await t.deliveries.add({ credentialId: cred.name, kind: 'aws-profile', config: { file, profile: 'app' }, write: true });
    expect(added).toMatchObject({ kind: 'aws-profile', title: 'AWS credentials profile', description: `[app] in ${file}`, lastWrite: { ok: true, accessKeyId: expect.stringMatching(/^AKIA\*+/) } });
    expect(readFileSync(file, 'utf8')).toContain(key.secretAccessKey);
    const [tested] = await t.deliveries.test(added.id.slice(0, 8));
    expect(tested.lastCheck).toMatchObject({ ok: true, detail: expect.stringMatching(/the AWS SDK reads \[app\] and AWS accepts it as arn:aws:iam::/) });
    // The key made inactive: the profile still holds it, and the check says AWS refuses it, with the diagnosis.
    server().state.setAccessKeyStatus(key.accessKeyId, 'Inactive');
    const [refused] = await t.deliveries.test(added.id);
    expect(refused.lastCheck).toMatchObject({
      ok: false,
      error: { code: 'InvalidClientTokenId' },
      diagnosis: { cause: expect.any(String), test: expect.stringContaining('aws sts get-caller-identity') },
    });
    server().state.setAccessKeyStatus(key.accessKeyId, 'Active');
    expect(t.deliveries.list(cred.id).map((d) => d.id)).toEqual([added.id]);
    await expect(Promise.resolve().then(() => t.deliveries.add({ credentialId: cred.id, kind: 'aws-profile', config: { file, profile: 'app' } }))).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(t.deliveries.remove(added.id)).toEqual({ id: added.id, removed: true });
    const events = t.audit.list({ credentialId: cred.id }).filter((e) => e.action.startsWith('delivery.'));
    expect(events.map((e) => e.action).sort()).toEqual(['delivery.added', 'delivery.removed', 'delivery.tested', 'delivery.tested', 'delivery.written']);
    expect(JSON.stringify(events)).not.toContain(key.secretAccessKey);
    expect(JSON.stringify(events)).not.toContain(key.accessKeyId);
  });

  it('a test finds a place holding another key, with its diagnosis and the command to look yourself', async () => {
    const { cred } = awsCred();
    const file = join(tempDir(), '.env');
    const other = newKey();
    writeFileSync(file, `AWS_ACCESS_KEY_ID=${other.accessKeyId}\nAWS_SECRET_ACCESS_KEY=${other.secretAccessKey}\n`);
    const added = await t.deliveries.add({ credentialId: cred.id, kind: 'dotenv', config: { file } });
    const [mismatch] = await t.deliveries.test(cred.name);
    expect(mismatch.id).toBe(added.id);
    expect(mismatch.lastCheck).toMatchObject({ ok: false, error: { code: 'DeliveryMismatch' }, diagnosis: { test: `(set -a; . ${file}; aws sts get-caller-identity)` } });
    expect(JSON.stringify(mismatch)).not.toContain(other.secretAccessKey);
  });

  it('lists the System Parameters bound to a key as one delivery while they are bound', async () => {
    const { cred, key } = awsCred();
    t.params.bind('IAM_ACCESS_KEY', cred.id, 'accessKeyId');
    t.params.bind('SECRET_IAM_KEY', cred.id, 'secretAccessKey');
    const [d] = t.deliveries.list(cred.id);
    expect(d).toMatchObject({ kind: 'system-parameters', title: 'System Parameters', description: 'IAM_ACCESS_KEY, SECRET_IAM_KEY' });
    const [tested] = await t.deliveries.test(d.id);
    expect(tested.lastCheck).toMatchObject({ ok: true, accessKeyId: expect.stringMatching(new RegExp(`^${key.accessKeyId.slice(0, 4)}\\*+${key.accessKeyId.slice(-4)}$`)) });
    expect(() => t.deliveries.remove(d.id)).toThrow(/unbind them/);
    t.params.unbind('IAM_ACCESS_KEY');
    t.params.unbind('SECRET_IAM_KEY');
    expect(t.deliveries.list(cred.id)).toEqual([]);
  });

  it('refuses an unknown kind and a config its kind does not accept', () => {
    const { cred } = awsCred();
    expect(() => t.deliveries.add({ credentialId: cred.id, kind: 'ftp', config: {} })).toThrow(/No delivery kind "ftp"/);
    expect(() => t.deliveries.add({ credentialId: cred.id, kind: 'aws-profile', config: { file: '/tmp/x' } })).toThrow(/profile/);
  });

  it('the IAM policy grants the writer of each AWS delivery what its kind names, on its ARN', async () => {
    const { cred } = awsCred('writer');
    await t.credentials.verify(cred.id);
    const account = t.credentials.get(cred.id).identity!.account;
    await t.deliveries.add({ credentialId: cred.id, kind: 'ssm-parameter', config: { name: '/app/aws-key' } });
    await t.deliveries.add({ credentialId: cred.id, kind: 'aws-profile', config: { file: join(tempDir(), 'credentials'), profile: 'app' } });
    const resources = new ResourceService(t.vault, t.credentials, t.audit, { timeoutMs: 1000, maxAttempts: 1 });
    const policy = new PolicyService(t.vault, t.credentials, resources.repo, t.deliveries).generate({ credential: cred.id });
    expect(policy.document.Statement.filter((st) => st.Sid.startsWith('Deliver'))).toEqual([
      { Sid: 'DeliverSsm', Effect: 'Allow', Action: ['ssm:DeleteParameter', 'ssm:GetParameter', 'ssm:PutParameter'], Resource: `arn:aws:ssm:us-east-1:${account}:parameter/app/aws-key` },
    ]);
    // Another credential's policy does not carry it.
    const { cred: other } = awsCred('other');
    expect(new PolicyService(t.vault, t.credentials, resources.repo, t.deliveries).generate({ credential: other.id }).document.Statement.some((st) => st.Sid.startsWith('Deliver'))).toBe(false);
  });
});
