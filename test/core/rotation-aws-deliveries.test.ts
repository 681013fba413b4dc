// A rotation delivering the new key to AWS places (an SSM SecureString, a Secrets Manager
// secret) against the AWS test server: written and read back before the old key goes; a
// refused write (AccessDenied on PutParameter, a secret that does not exist) stops the
// rotation before anything is deactivated, the old key Active, with its diagnosis; a
// rollback puts back what each place held.
import { CreateSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { RotationStepError } from '../../electron/core/rotation/errors';
import { awsKeyCredential, useAwsTestServer, vaultWithDeliveries } from '../support/deliveries';

const aws = useAwsTestServer();
const unique = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 10)}`;

function sdkAs(key: { accessKeyId: string; secretAccessKey: string }) {
  // A copy: the SDK marks the credentials object it is given.
  const config = { endpoint: aws().url, region: 'us-east-1', credentials: { ...key }, maxAttempts: 1 };
  return { ssm: new SSMClient(config), secrets: new SecretsManagerClient(config) };
}

const decoded = async (ssm: SSMClient, name: string) => JSON.parse((await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }))).Parameter?.Value ?? 'null') as unknown;

/** A vault with deliveries, its rotation engine, and a credential holding the one key of a new IAM user. */
async function rotationWith(prefix: string) {
  const t = await vaultWithDeliveries();
  const made = awsKeyCredential(aws(), t.credentials, unique(prefix));
  return { t, rotations: t.engine(), ...made, oldKey: made.key, admin: sdkAs(made.key) };
}

describe('a rotation with AWS deliveries', () => {
  it('writes the new key to an SSM parameter and a secret, keeping the secret’s other fields, before the old key goes', async () => {
    const { t, rotations, userName, oldKey, cred, admin } = await rotationWith('app');
    const name = `/${unique('app')}/aws`;
    const secretId = unique('app/db');
    const before = JSON.stringify({ host: 'db.internal', accessKeyId: oldKey.accessKeyId, secretAccessKey: oldKey.secretAccessKey });
    await admin.secrets.send(new CreateSecretCommand({ Name: secretId, SecretString: before }));
    await t.deliveries.add({ credentialId: cred.id, kind: 'ssm-parameter', config: { name } });
    await t.deliveries.add({ credentialId: cred.id, kind: 'secrets-manager', config: { secretId } });

    const rot = await rotations.start(await rotations.plan(cred.id));

    expect(rot.state).toBe('DONE');
    const active = aws()
      .state.listAccessKeys(userName)
      .filter((k) => k.status === 'Active');
    expect(active.map((k) => k.accessKeyId)).toEqual([rot.newAccessKeyId]);
    const newKey = { accessKeyId: rot.newAccessKeyId as string, secretAccessKey: aws().state.getAccessKey(rot.newAccessKeyId as string)!.secretAccessKey };
    const reader = sdkAs(newKey);
    expect(await decoded(reader.ssm, name)).toEqual(newKey);
    const secret = await reader.secrets.send(new GetSecretValueCommand({ SecretId: secretId }));
    expect(JSON.parse(secret.SecretString ?? '')).toEqual({ host: 'db.internal', ...newKey });
    expect((await reader.secrets.send(new GetSecretValueCommand({ SecretId: secretId, VersionStage: 'AWSPREVIOUS' }))).SecretString).toBe(before);
    expect(t.deliveries.list(cred.id).map((d) => [d.kind, d.lastWrite?.ok])).toEqual([
      ['ssm-parameter', true],
      ['secrets-manager', true],
    ]);
    // Nothing the rotation recorded holds a secret.
    const recorded = JSON.stringify([t.deliveries.list(cred.id), t.audit.list({})]);
    for (const s of [newKey.secretAccessKey, oldKey.secretAccessKey]) expect(recorded).not.toContain(s);
  });

  it('an SSM write refused by IAM stops the rotation before deactivation: the old key stays Active, with the diagnosis', async () => {
    const { t, rotations, userName, oldKey, cred } = await rotationWith('denied');
    aws().state.setUserPolicy(userName, { allow: ['*'], deny: ['ssm:PutParameter'] });
    const name = `/${unique('denied')}/aws`;
    await t.deliveries.add({ credentialId: cred.id, kind: 'ssm-parameter', config: { name } });

    const err = (await rotations.start(await rotations.plan(cred.id)).catch((e: unknown) => e)) as RotationStepError;

    expect(err).toBeInstanceOf(RotationStepError);
    expect(err.failure.error.code).toBe('AccessDeniedException');
    expect(err.failure.diagnosis.cause).toContain(`not allowed ssm:PutParameter on the parameter ${name} in us-east-1`);
    expect(err.failure.diagnosis.test).toBe(`aws ssm get-parameter --name ${name} --with-decryption --region us-east-1`);
    expect(aws().state.getAccessKey(oldKey.accessKeyId)?.status).toBe('Active');
    expect(JSON.stringify(err.failure)).not.toContain(oldKey.secretAccessKey);
    const [open] = rotations.listOpen();
    expect(open.error?.error.code).toBe('AccessDeniedException');

    // Rolled back: the new key goes, the parameter (which did not exist) stays absent.
    const back = await rotations.rollback(open.id);
    expect(back.state).toBe('ROLLED_BACK');
    expect(
      aws()
        .state.listAccessKeys(userName)
        .map((k) => [k.accessKeyId, k.status]),
    ).toEqual([[oldKey.accessKeyId, 'Active']]);
    await expect(sdkAs(oldKey).ssm.send(new GetParameterCommand({ Name: name }))).rejects.toMatchObject({ name: 'ParameterNotFound' });
  });

  it('a secret that does not exist stops the rotation before deactivation, saying so and how to create it', async () => {
    const { t, rotations, oldKey, cred } = await rotationWith('missing');
    await t.deliveries.add({ credentialId: cred.id, kind: 'secrets-manager', config: { secretId: 'nobody/made/this' } });

    const err = (await rotations.start(await rotations.plan(cred.id)).catch((e: unknown) => e)) as RotationStepError;

    expect(err.failure.error.code).toBe('ResourceNotFoundException');
    expect(err.failure.diagnosis.cause).toMatch(/^There is no secret nobody\/made\/this in us-east-1/);
    expect(err.failure.diagnosis.test).toBe('aws secretsmanager describe-secret --secret-id nobody/made/this --region us-east-1');
    expect(aws().state.getAccessKey(oldKey.accessKeyId)?.status).toBe('Active');
  });

  it('a rollback after a later delivery failed puts the SSM parameter’s old value back', async () => {
    const { t, rotations, userName, oldKey, cred, admin } = await rotationWith('rollback');
    const name = `/${unique('rb')}/aws`;
    const before = JSON.stringify({ accessKeyId: oldKey.accessKeyId, secretAccessKey: oldKey.secretAccessKey, note: 'kept' });
    await admin.ssm.send(new PutParameterCommand({ Name: name, Value: before, Type: 'SecureString' }));
    await t.deliveries.add({ credentialId: cred.id, kind: 'ssm-parameter', config: { name } });
    await t.deliveries.add({ credentialId: cred.id, kind: 'secrets-manager', config: { secretId: unique('absent') } });

    await expect(rotations.start(await rotations.plan(cred.id))).rejects.toBeInstanceOf(RotationStepError);
    const [open] = rotations.listOpen();
    const back = await rotations.rollback(open.id);

    expect(back.state).toBe('ROLLED_BACK');
    expect(
      aws()
        .state.listAccessKeys(userName)
        .map((k) => k.accessKeyId),
    ).toEqual([oldKey.accessKeyId]);
    expect(await decoded(admin.ssm, name)).toEqual(JSON.parse(before));
  });

  it('a fleet run under latency and SSM / Secrets Manager throttling delivers every new key to its parameter and its secret', { timeout: 60_000 }, async () => {
    const t = await vaultWithDeliveries();
    const keys = Array.from({ length: 8 }, (_, i) => awsKeyCredential(aws(), t.credentials, unique(`fleet${i}`), { createDate: new Date(Date.now() - 120 * 86_400_000) }));
    for (const k of keys) {
      await sdkAs(k.key).secrets.send(new CreateSecretCommand({ Name: `fleet/${k.userName}`, SecretString: '{}' }));
      await t.deliveries.add({ credentialId: k.cred.id, kind: 'ssm-parameter', config: { name: `/fleet/${k.userName}` } });
      await t.deliveries.add({ credentialId: k.cred.id, kind: 'secrets-manager', config: { secretId: `fleet/${k.userName}` } });
    }
    const rotations = t.engine();
    const planned = await rotations.fleet.plan({ match: 'user-fleet*' });
    aws().config.latencyMs = 5;
    // One throttled answer per action: the delivery's client has two attempts here (three in the app).
    for (const [service, action] of [
      ['ssm', 'PutParameter'],
      ['ssm', 'GetParameter'],
      ['secretsmanager', 'PutSecretValue'],
      ['secretsmanager', 'GetSecretValue'],
    ] as const) {
      aws().faults.add({ service, action, kind: 'throttle', times: 1 });
    }
    try {
      const summary = await rotations.fleet.start(planned).done;
      expect(summary).toMatchObject({ total: 8, rotated: 8, failed: 0 });
    } finally {
      aws().config.latencyMs = 0;
      aws().faults.clear();
    }
    for (const k of keys) {
      const [active] = aws()
        .state.listAccessKeys(k.userName)
        .filter((x) => x.status === 'Active');
      const newKey = { accessKeyId: active.accessKeyId, secretAccessKey: aws().state.getAccessKey(active.accessKeyId)!.secretAccessKey };
      expect(aws().state.listAccessKeys(k.userName)).toHaveLength(1);
      const reader = sdkAs(newKey);
      expect(await decoded(reader.ssm, `/fleet/${k.userName}`)).toEqual(newKey);
      expect(JSON.parse((await reader.secrets.send(new GetSecretValueCommand({ SecretId: `fleet/${k.userName}` }))).SecretString ?? '')).toEqual(newKey);
    }
    expect(aws().requests.filter((r) => r.fault === 'throttle' && (r.service === 'ssm' || r.service === 'secretsmanager'))).toHaveLength(4);
  });
});
