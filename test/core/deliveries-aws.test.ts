// The AWS places a key is delivered to: an SSM Parameter Store SecureString and a Secrets
// Manager secret, each written, read back and restored against the AWS test server through
// the real SDK clients; their failures (AccessDenied, an unknown KMS key, a missing secret)
// diagnosed with the command to look yourself, and never a secret in what they say.
import { CreateSecretCommand, DeleteSecretCommand, DescribeSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, GetParameterHistoryCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import type { DeliveryContext } from '../../electron/core/deliveries/kind';
import { deliveryFiles } from '../../electron/core/deliveries/local-file';
import { placeFailure } from '../../electron/core/deliveries/aws-place';
import { secretsManagerKind } from '../../electron/core/deliveries/secrets-manager';
import { ssmParameterKind } from '../../electron/core/deliveries/ssm-parameter';
import { systemClock } from '../../electron/core/ports/clock';
import { awsClientConfig } from '../../electron/core/providers/aws/client';
import { RotationStepError } from '../../electron/core/rotation/errors';
import { awsKeyCredential, useAwsTestServer, vaultWithDeliveries } from '../support/deliveries';
import { fakeAccessKeyId, fakeSecretAccessKey, tempDir } from '../support/fixtures';

const aws = useAwsTestServer();
const newKey = () => ({ accessKeyId: fakeAccessKeyId(), secretAccessKey: fakeSecretAccessKey() });

/** A writer: an IAM user of the test server allowed `allow`, and a delivery context writing with its key. */
function writer(allow: string[] = ['*'], opts: { maxAttempts?: number } = {}) {
  const server = aws();
  const userName = `writer-${Math.random().toString(36).slice(2, 10)}`;
  server.state.createUser(userName, { allow });
  const key = server.state.createAccessKey(userName);
  const parts = { ...key, region: 'us-east-1', endpointUrl: server.url };
  const config = awsClientConfig(parts, { timeoutMs: 5000, maxAttempts: opts.maxAttempts ?? 1 });
  const ctx: DeliveryContext = {
    aws: () => config,
    clock: systemClock,
    fsRoot: tempDir(),
    files: deliveryFiles,
    parameters: { bound: () => [], values: () => ({}) },
    checkKey: () => Promise.reject(new Error('not in these tests')),
  };
  const sdk = { endpoint: server.url, region: 'us-east-1', credentials: { ...key }, maxAttempts: 1 };
  return { ctx, key, userName, ssm: new SSMClient(sdk), secrets: new SecretsManagerClient(sdk) };
}

const unique = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 10)}`;

async function failureOf(p: Promise<unknown>): Promise<RotationStepError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof RotationStepError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}

describe('ssm-parameter: a SecureString holding the key as JSON', () => {
  it('creates the parameter, reads it back decrypted, and on restore of a place that did not exist removes it', async () => {
    const { ctx, ssm } = writer();
    const config = ssmParameterKind.configSchema.parse({ name: `/${unique('app')}/aws-key` });
    const key = newKey();

    const saved = await ssmParameterKind.save(ctx, config);
    await ssmParameterKind.write(ctx, config, key);
    const sealed = await ssm.send(new GetParameterCommand({ Name: config.name }));
    const open = await ssm.send(new GetParameterCommand({ Name: config.name, WithDecryption: true }));

    expect(saved).toBeNull();
    expect(sealed.Parameter?.Type).toBe('SecureString');
    expect(sealed.Parameter?.Value).not.toContain(key.secretAccessKey);
    expect(JSON.parse(open.Parameter?.Value ?? '')).toEqual({ accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey });
    expect(await ssmParameterKind.readBack(ctx, config)).toEqual(key);

    await ssmParameterKind.restore(ctx, config, saved);
    expect(await ssmParameterKind.readBack(ctx, config)).toBeNull();
    await expect(ssm.send(new GetParameterCommand({ Name: config.name }))).rejects.toMatchObject({ name: 'ParameterNotFound' });
  });

  it('keeps the other fields of the JSON, maps field names, and restores the previous value and type', async () => {
    const { ctx, ssm } = writer();
    const name = `/${unique('svc')}/creds`;
    const before = JSON.stringify({ AWS_ACCESS_KEY_ID: 'AKIAOLDOLDOLDOLDOLD0', AWS_SECRET_ACCESS_KEY: 'old-secret-value', bucket: 'reports' });
    await ssm.send(new PutParameterCommand({ Name: name, Value: before, Type: 'String' }));
    const config = ssmParameterKind.configSchema.parse({ name, idField: 'AWS_ACCESS_KEY_ID', secretField: 'AWS_SECRET_ACCESS_KEY' });
    const key = newKey();

    const saved = await ssmParameterKind.save(ctx, config);
    await ssmParameterKind.write(ctx, config, key);
    await ssmParameterKind.write(ctx, config, key); // resumed: the same key again is harmless
    const written = await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }));

    expect(saved).toEqual({ type: 'String', value: before });
    expect(JSON.parse(written.Parameter?.Value ?? '')).toEqual({ AWS_ACCESS_KEY_ID: key.accessKeyId, AWS_SECRET_ACCESS_KEY: key.secretAccessKey, bucket: 'reports' });
    expect(written.Parameter?.Type).toBe('SecureString');
    expect(await ssmParameterKind.readBack(ctx, config)).toEqual(key);

    await ssmParameterKind.restore(ctx, config, saved);
    const restored = await ssm.send(new GetParameterCommand({ Name: name }));
    expect([restored.Parameter?.Type, restored.Parameter?.Value]).toEqual(['String', before]);
    expect(await ssmParameterKind.readBack(ctx, config)).toEqual({ accessKeyId: 'AKIAOLDOLDOLDOLDOLD0', secretAccessKey: 'old-secret-value' });
  });

  it('encrypts under the admin’s KMS key, and an unknown key stops the write with InvalidKeyId diagnosed', async () => {
    const { ctx, ssm, key: writerKey } = writer();
    const alias = `alias/${unique('keyward')}`;
    aws().state.kms.create({ account: '123456789012', region: 'us-east-1', alias });
    const good = ssmParameterKind.configSchema.parse({ name: `/${unique('kms')}`, kmsKeyId: alias });
    const bad = ssmParameterKind.configSchema.parse({ name: `/${unique('kms')}`, kmsKeyId: 'alias/nobody-made-this' });
    const key = newKey();

    await ssmParameterKind.write(ctx, good, key);
    const history = await ssm.send(new GetParameterHistoryCommand({ Name: good.name }));
    const failure = await failureOf(ssmParameterKind.write(ctx, bad, key));

    expect(history.Parameters?.map((p) => p.KeyId)).toEqual([alias]);
    expect(failure.code).toBe('AWS_ERROR');
    expect(failure.failure.error.code).toBe('InvalidKeyId');
    expect(failure.failure.operation).toBe('PutParameter');
    expect(failure.failure.diagnosis.cause).toContain('KMS key alias/nobody-made-this in us-east-1');
    expect(failure.failure.diagnosis.test).toBe('aws kms describe-key --key-id alias/nobody-made-this --region us-east-1');
    expect(JSON.stringify({ m: failure.message, f: failure.failure })).not.toContain(key.secretAccessKey);
    expect(JSON.stringify({ m: failure.message, f: failure.failure })).not.toContain(writerKey.secretAccessKey);
  });

  it('a writer without ssm:PutParameter stops the write with AccessDenied, the permission and the test command', async () => {
    const { ctx } = writer(['ssm:GetParameter']);
    const config = ssmParameterKind.configSchema.parse({ name: '/app/denied', region: 'us-east-1' });

    const failure = await failureOf(ssmParameterKind.write(ctx, config, newKey()));

    expect(failure.failure.error.code).toBe('AccessDeniedException');
    expect(failure.failure.diagnosis.cause).toBe('The credential that writes this delivery is valid but not allowed ssm:PutParameter on the parameter /app/denied in us-east-1.');
    expect(failure.failure.diagnosis.test).toBe('aws ssm get-parameter --name /app/denied --with-decryption --region us-east-1');
    expect(failure.message).toMatch(/^Write the key to SSM parameter \/app\/denied: PutParameter failed \(AccessDeniedException\)\./);
  });

  it('goes through throttling with the SDK’s retries', async () => {
    const { ctx } = writer(['*'], { maxAttempts: 3 });
    const config = ssmParameterKind.configSchema.parse({ name: `/${unique('throttled')}` });
    aws().faults.add({ service: 'ssm', action: 'PutParameter', kind: 'throttle', times: 2 });
    const key = newKey();

    await ssmParameterKind.write(ctx, config, key);

    expect(await ssmParameterKind.readBack(ctx, config)).toEqual(key);
  });

  it('refuses a parameter holding text that is not JSON, writing nothing', async () => {
    const { ctx, ssm } = writer();
    const name = `/${unique('plain')}`;
    await ssm.send(new PutParameterCommand({ Name: name, Value: 'just a string', Type: 'String' }));
    const config = ssmParameterKind.configSchema.parse({ name });

    await expect(ssmParameterKind.write(ctx, config, newKey())).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await ssm.send(new GetParameterCommand({ Name: name }))).Parameter).toMatchObject({ Value: 'just a string', Version: 1 });
  });

  it('names the IAM statements it needs, with the parameter ARN and the KMS key', () => {
    const config = ssmParameterKind.configSchema.parse({ name: '/app/key', kmsKeyId: '1234abcd-12ab-34cd-56ef-1234567890ab', region: 'eu-west-1' });
    const target = { partition: 'aws' as const, region: 'us-east-1', account: '123456789012' };

    expect(ssmParameterKind.awsActions(config, target)).toEqual([
      { actions: ['ssm:GetParameter', 'ssm:PutParameter', 'ssm:DeleteParameter'], resource: 'arn:aws:ssm:eu-west-1:123456789012:parameter/app/key' },
      { actions: ['kms:Encrypt', 'kms:Decrypt'], resource: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab' },
    ]);
    expect(ssmParameterKind.awsActions(ssmParameterKind.configSchema.parse({ name: 'plain' }), { ...target, account: null })).toEqual([
      { actions: ['ssm:GetParameter', 'ssm:PutParameter', 'ssm:DeleteParameter'], resource: 'arn:aws:ssm:us-east-1:*:parameter/plain' },
    ]);
  });

  it('bounds and validates its config', () => {
    expect(ssmParameterKind.configSchema.safeParse({ name: 'app/key' }).success).toBe(false);
    expect(ssmParameterKind.configSchema.safeParse({ name: '/app key' }).success).toBe(false);
    expect(ssmParameterKind.configSchema.safeParse({ name: `/${'x'.repeat(5000)}` }).success).toBe(false);
    expect(ssmParameterKind.configSchema.safeParse({ name: '/a', region: 'mars' }).success).toBe(false);
    expect(ssmParameterKind.configSchema.safeParse({ name: '/a', idField: 'bad field' }).success).toBe(false);
  });
});

describe('secrets-manager: a JSON secret with the key fields', () => {
  async function secretWith(client: SecretsManagerClient, value: string | undefined) {
    const name = unique('app/db');
    const created = await client.send(new CreateSecretCommand({ Name: name, ...(value !== undefined ? { SecretString: value } : {}) }));
    return { name, arn: created.ARN as string };
  }

  it('writes a new AWSCURRENT version keeping the other fields, is idempotent on resume, and restores the old value', async () => {
    const { ctx, secrets } = writer();
    const before = JSON.stringify({ host: 'db.internal', accessKeyId: 'AKIAOLDOLDOLDOLDOLD0', secretAccessKey: 'old-secret-value' });
    const { name } = await secretWith(secrets, before);
    const config = secretsManagerKind.configSchema.parse({ secretId: name });
    const key = newKey();

    const saved = await secretsManagerKind.save(ctx, config);
    await secretsManagerKind.write(ctx, config, key);
    await secretsManagerKind.write(ctx, config, key); // resumed
    const current = await secrets.send(new GetSecretValueCommand({ SecretId: name }));
    const previous = await secrets.send(new GetSecretValueCommand({ SecretId: name, VersionStage: 'AWSPREVIOUS' }));
    const described = await secrets.send(new DescribeSecretCommand({ SecretId: name }));

    expect(saved?.secretString).toBe(before);
    expect(JSON.parse(current.SecretString ?? '')).toEqual({ host: 'db.internal', accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey });
    expect(previous.SecretString).toBe(before);
    // The repeated write was the same version: two labelled versions, not three.
    expect(Object.values(described.VersionIdsToStages ?? {}).sort()).toEqual([['AWSCURRENT'], ['AWSPREVIOUS']]);
    expect(await secretsManagerKind.readBack(ctx, config)).toEqual(key);

    await secretsManagerKind.restore(ctx, config, saved);
    await secretsManagerKind.restore(ctx, config, saved);
    expect((await secrets.send(new GetSecretValueCommand({ SecretId: name }))).SecretString).toBe(before);
    expect(await secretsManagerKind.readBack(ctx, config)).toEqual({ accessKeyId: 'AKIAOLDOLDOLDOLDOLD0', secretAccessKey: 'old-secret-value' });
  });

  it('takes the field names the admin maps, by ARN and region, and fills a secret created empty', async () => {
    const { ctx, secrets } = writer();
    const { arn } = await secretWith(secrets, undefined);
    const config = secretsManagerKind.configSchema.parse({ secretId: arn, region: 'us-east-1', idField: 'id', secretField: 'secret' });
    const key = newKey();

    expect(await secretsManagerKind.save(ctx, config)).toBeNull();
    await secretsManagerKind.write(ctx, config, key);

    expect(JSON.parse((await secrets.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString ?? '')).toEqual({ id: key.accessKeyId, secret: key.secretAccessKey });
    expect(await secretsManagerKind.readBack(ctx, config)).toEqual(key);
    expect(secretsManagerKind.describe(config)).toBe(`secret ${arn} in us-east-1 (fields id, secret)`);
  });

  it('a secret that does not exist stops the delivery with ResourceNotFound diagnosed, and the command to look', async () => {
    const { ctx } = writer();
    const config = secretsManagerKind.configSchema.parse({ secretId: 'no/such/secret' });

    const failure = await failureOf(secretsManagerKind.save(ctx, config));

    expect(failure.failure.error.code).toBe('ResourceNotFoundException');
    expect(failure.failure.diagnosis.cause).toMatch(/^There is no secret no\/such\/secret in us-east-1/);
    expect(failure.failure.diagnosis.remedy.join(' ')).toContain('aws secretsmanager create-secret --name no/such/secret --secret-string "{}" --region us-east-1');
    expect(failure.failure.diagnosis.test).toBe('aws secretsmanager describe-secret --secret-id no/such/secret --region us-east-1');
  });

  it('a writer without secretsmanager:PutSecretValue stops the write with AccessDenied, writing nothing', async () => {
    const { ctx, secrets, userName } = writer();
    const { name } = await secretWith(secrets, '{}');
    aws().state.setUserPolicy(userName, { allow: ['secretsmanager:GetSecretValue'] });
    const config = secretsManagerKind.configSchema.parse({ secretId: name });

    const failure = await failureOf(secretsManagerKind.write(ctx, config, newKey()));

    expect(failure.failure.error.code).toBe('AccessDeniedException');
    expect(failure.failure.diagnosis.cause).toBe(`The credential that writes this delivery is valid but not allowed secretsmanager:PutSecretValue on the secret ${name} in us-east-1.`);
    expect(await secretsManagerKind.readBack(ctx, config)).toBeNull();
  });

  it('refuses a secret holding text that is not a JSON object, and a secret marked for deletion is diagnosed', async () => {
    const { ctx, secrets } = writer();
    const { name: plain } = await secretWith(secrets, 'hunter2-but-longer');
    const { name: doomed } = await secretWith(secrets, '{}');
    await secrets.send(new DeleteSecretCommand({ SecretId: doomed, RecoveryWindowInDays: 7 }));

    await expect(secretsManagerKind.write(ctx, secretsManagerKind.configSchema.parse({ secretId: plain }), newKey())).rejects.toMatchObject({ code: 'CONFLICT' });
    const failure = await failureOf(secretsManagerKind.write(ctx, secretsManagerKind.configSchema.parse({ secretId: doomed }), newKey()));

    expect((await secrets.send(new GetSecretValueCommand({ SecretId: plain }))).SecretString).toBe('hunter2-but-longer');
    expect(failure.failure.error.code).toBe('InvalidRequestException');
    expect(failure.failure.diagnosis.remedy[0]).toBe(`If it is still used, cancel the deletion: aws secretsmanager restore-secret --secret-id ${doomed} --region us-east-1.`);
  });

  it('names the IAM statements it needs on the secret’s ARN', () => {
    const target = { partition: 'aws-us-gov' as const, region: 'us-gov-west-1', account: '123456789012' };

    expect(secretsManagerKind.awsActions(secretsManagerKind.configSchema.parse({ secretId: 'app/db' }), target)).toEqual([
      { actions: ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'], resource: 'arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:app/db-??????' },
    ]);
  });
});

describe('the deliveries service with the AWS kinds', () => {
  it('adds an SSM delivery written now, tests it (read back, then STS with the key it holds), with a writer named by --as', async () => {
    const t = await vaultWithDeliveries();
    const { key, cred } = awsKeyCredential(aws(), t.credentials, unique('consumer'));
    const { cred: admin } = awsKeyCredential(aws(), t.credentials, unique('admin'));
    const name = `/${unique('svc')}/key`;

    const added = await t.deliveries.add({ credentialId: cred.id, kind: 'ssm-parameter', config: { name }, as: admin.id, write: true });
    const [tested] = await t.deliveries.test(added.id);

    expect(added).toMatchObject({ kind: 'ssm-parameter', title: 'SSM Parameter Store', description: `SecureString ${name}`, writerCredentialId: admin.id });
    expect(tested.lastWrite?.ok).toBe(true);
    expect(tested.lastCheck).toMatchObject({ ok: true, detail: expect.stringContaining('AWS accepts it') });
    const written = aws()
      .requests.filter((r) => r.service === 'ssm' && r.action === 'PutParameter')
      .at(-1);
    expect(written?.accessKeyId).toBe(t.credentials.repo.get(admin.id)!.fields.accessKeyId);
    expect(JSON.stringify([added, tested, t.audit.list({})])).not.toContain(key.secretAccessKey);
  });

  it('a test of a secret holding another key says so, with the command to look', async () => {
    const t = await vaultWithDeliveries();
    const { key, cred } = awsKeyCredential(aws(), t.credentials, unique('stale'));
    const secretId = unique('stale/db');
    await writer().secrets.send(new CreateSecretCommand({ Name: secretId, SecretString: JSON.stringify({ accessKeyId: 'AKIAOTHEROTHEROTHER0', secretAccessKey: 'x' }) }));
    const added = await t.deliveries.add({ credentialId: cred.id, kind: 'secrets-manager', config: { secretId } });

    const [tested] = await t.deliveries.test(added.id);

    expect(tested.lastCheck).toMatchObject({ ok: false, error: { code: 'DeliveryMismatch' } });
    expect(tested.lastCheck?.diagnosis?.test).toBe(`aws secretsmanager get-secret-value --secret-id ${secretId}`);
    expect(JSON.stringify(tested)).not.toContain(key.secretAccessKey);
  });
});

describe('a failed call to an AWS place', () => {
  it('keeps no secret of the writer, the key or the old value, even when the server echoes one', () => {
    const { key: writerKey } = writer();
    const key = newKey();
    const echoed = Object.assign(new Error(`bad request: ${key.secretAccessKey} and ${writerKey.secretAccessKey} and old-secret-value-123`), {
      name: 'ValidationException',
      $metadata: { httpStatusCode: 400, requestId: 'r-1' },
    });

    const failure = placeFailure(
      {
        step: 'Write the key to SSM parameter /a',
        operation: 'PutParameter',
        permission: 'ssm:PutParameter',
        fill: { name: '/a', region: 'us-east-1' },
        test: 'aws ssm get-parameter --name /a',
        secrets: [writerKey.secretAccessKey, key.secretAccessKey, 'old-secret-value-123'],
      },
      echoed,
    );
    const told = JSON.stringify({ message: failure.message, failure: failure.failure });

    expect(failure.failure.error.code).toBe('ValidationException');
    expect(told).toContain('[redacted]');
    for (const s of [key.secretAccessKey, writerKey.secretAccessKey, 'old-secret-value-123']) expect(told).not.toContain(s);
  });
});
