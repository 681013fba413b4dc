// `keyward delivery add --kind ssm-parameter | secrets-manager` as a process over a real vault
// and the AWS test server: the flags each kind takes, the key written and tested there, and a
// refused write told with its diagnosis, never a secret.
import { CreateSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Delivery } from '../../shared/channels/deliveries';
import type { AwsTestServer } from '../support/aws-server';
import { runCli } from './run-cli';
import { startCliWorld, stopCliWorld, userWithCredential } from './rotate-support';

let aws: AwsTestServer;
let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => ({ aws, dir, env } = await startCliWorld()));
afterAll(() => stopCliWorld(aws));

const sdk = (key: { accessKeyId: string; secretAccessKey: string }) => {
  const config = { endpoint: aws.url, region: 'us-east-1', credentials: { ...key }, maxAttempts: 1 };
  return { ssm: new SSMClient(config), secrets: new SecretsManagerClient(config) };
};

describe('keyward delivery with AWS places', { timeout: 60_000 }, () => {
  it('adds and writes an SSM SecureString under a KMS key, and tests it', async () => {
    const { cred, key } = await userWithCredential(aws, dir, 'SsmUser');
    aws.state.kms.create({ account: '123456789012', region: 'us-east-1', alias: 'alias/cli-app' });

    const added = await runCli(['delivery', 'add', cred.name, '--kind', 'ssm-parameter', '--name', '/cli/app/key', '--kms-key-id', 'alias/cli-app', '--region', 'us-east-1', '--write', '--json'], {
      env,
    });
    const tested = await runCli(['delivery', 'test', cred.name], { env });

    expect(added.code, added.stderr).toBe(0);
    expect(added.json() as Delivery).toMatchObject({
      kind: 'ssm-parameter',
      description: 'SecureString /cli/app/key in us-east-1 (KMS key alias/cli-app)',
      config: { name: '/cli/app/key', kmsKeyId: 'alias/cli-app', region: 'us-east-1' },
      lastWrite: { ok: true },
    });
    const value = (await sdk(key).ssm.send(new GetParameterCommand({ Name: '/cli/app/key', WithDecryption: true }))).Parameter?.Value;
    expect(JSON.parse(value ?? '')).toEqual({ accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey });
    expect(tested.code, tested.stdout).toBe(0);
    expect(tested.stdout).toMatch(/ok +SSM Parameter Store: SecureString \/cli\/app\/key/);
    for (const out of [added.stdout, tested.stdout]) expect(out).not.toContain(key.secretAccessKey);
  });

  it('adds and writes a Secrets Manager secret with mapped field names, keeping its other fields', async () => {
    const { cred, key } = await userWithCredential(aws, dir, 'SecretUser');
    const { secrets } = sdk(key);
    await secrets.send(new CreateSecretCommand({ Name: 'cli/app/db', SecretString: JSON.stringify({ host: 'db.internal' }) }));

    const added = await runCli(['delivery', 'add', cred.id, '--kind', 'secrets-manager', '--secret-id', 'cli/app/db', '--id-field', 'AKID', '--secret-field', 'SECRET', '--write'], { env });

    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/Added delivery [0-9a-f]{8}: Secrets Manager, secret cli\/app\/db \(fields AKID, SECRET\)\./);
    const held = JSON.parse((await secrets.send(new GetSecretValueCommand({ SecretId: 'cli/app/db' }))).SecretString ?? '');
    expect(held).toEqual({ host: 'db.internal', AKID: key.accessKeyId, SECRET: key.secretAccessKey });
    expect(added.stdout).not.toContain(key.secretAccessKey);
  });

  it('tells a refused write with AWS’s code and the diagnosis, and refuses another kind’s flag with exit 2', async () => {
    const { cred, key } = await userWithCredential(aws, dir, 'DeniedUser');

    const refused = await runCli(['delivery', 'add', cred.name, '--kind', 'ssm-parameter', '--name', '/cli/denied', '--kms-key-id', 'alias/nobody', '--write', '--json'], { env });
    const tested = await runCli(['delivery', 'test', cred.name], { env });
    const wrongFlag = await runCli(['delivery', 'add', cred.name, '--kind', 'ssm-parameter', '--secret-id', 'x'], { env });
    const badName = await runCli(['delivery', 'add', cred.name, '--kind', 'ssm-parameter', '--name', 'relative/name'], { env });

    expect(refused.code).toBe(1);
    expect(refused.errorJson().error.code).toBe('AWS_ERROR');
    expect(refused.errorJson().error.message).toMatch(/PutParameter failed \(InvalidKeyId\)\. Parameter Store does not know the KMS key alias\/nobody in us-east-1/);
    expect(tested.code).toBe(1);
    expect(tested.stdout).toContain('test it: aws ssm get-parameter --name /cli/denied --with-decryption');
    expect(wrongFlag.code).toBe(2);
    expect(badName.code).toBe(2);
    for (const out of [refused.stdout, refused.stderr, tested.stdout]) expect(out).not.toContain(key.secretAccessKey);
  });
});
