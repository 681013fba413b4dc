import { CreateSecretCommand, DeleteSecretCommand, DescribeSecretCommand, GetSecretValueCommand, PutSecretValueCommand, RestoreSecretCommand } from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { errorOf, jsonClientsFor, rawJsonCall, startWithJsonClients } from './helpers';

const TOKEN_A = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const TOKEN_B = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';

describe('Secrets Manager (awsJson1_1)', () => {
  it('creates a secret and reads it back as AWSCURRENT', async () => {
    const { secrets } = await startWithJsonClients();

    const created = await secrets.send(new CreateSecretCommand({ Name: 'app/key', SecretString: '{"accessKeyId":"AKIA1","secretAccessKey":"s1"}' }));
    const read = await secrets.send(new GetSecretValueCommand({ SecretId: 'app/key' }));

    expect(created.ARN).toMatch(/^arn:aws:secretsmanager:us-east-1:123456789012:secret:app\/key-[A-Za-z0-9]{6}$/);
    expect(created.VersionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(read).toMatchObject({
      ARN: created.ARN,
      Name: 'app/key',
      VersionId: created.VersionId,
      SecretString: '{"accessKeyId":"AKIA1","secretAccessKey":"s1"}',
      VersionStages: ['AWSCURRENT'],
    });
    expect(read.CreatedDate).toBeInstanceOf(Date);
  });

  it('moves AWSCURRENT to the new version and AWSPREVIOUS to the old one, dropping the older AWSPREVIOUS', async () => {
    const { secrets } = await startWithJsonClients();
    const created = await secrets.send(new CreateSecretCommand({ Name: 'k', SecretString: 'v1' }));

    const v2 = await secrets.send(new PutSecretValueCommand({ SecretId: 'k', SecretString: 'v2' }));
    const v3 = await secrets.send(new PutSecretValueCommand({ SecretId: created.ARN, SecretString: 'v3' }));
    const current = await secrets.send(new GetSecretValueCommand({ SecretId: 'k' }));
    const previous = await secrets.send(new GetSecretValueCommand({ SecretId: 'k', VersionStage: 'AWSPREVIOUS' }));
    const oldest = await secrets.send(new GetSecretValueCommand({ SecretId: 'k', VersionId: created.VersionId }));
    const described = await secrets.send(new DescribeSecretCommand({ SecretId: 'k' }));

    expect(v2.VersionStages).toEqual(['AWSCURRENT']);
    expect([current.SecretString, current.VersionId]).toEqual(['v3', v3.VersionId]);
    expect([previous.SecretString, previous.VersionId]).toEqual(['v2', v2.VersionId]);
    // The first version is deprecated: no labels, still readable by id.
    expect([oldest.SecretString, oldest.VersionStages]).toEqual(['v1', []]);
    expect(described.VersionIdsToStages).toEqual({ [v2.VersionId as string]: ['AWSPREVIOUS'], [v3.VersionId as string]: ['AWSCURRENT'] });
  });

  it('puts a version under a custom stage without moving AWSCURRENT', async () => {
    const { secrets } = await startWithJsonClients();
    await secrets.send(new CreateSecretCommand({ Name: 'k', SecretString: 'v1' }));

    await secrets.send(new PutSecretValueCommand({ SecretId: 'k', SecretString: 'pending', VersionStages: ['AWSPENDING'] }));
    const current = await secrets.send(new GetSecretValueCommand({ SecretId: 'k' }));
    const pending = await secrets.send(new GetSecretValueCommand({ SecretId: 'k', VersionStage: 'AWSPENDING' }));

    expect([current.SecretString, pending.SecretString]).toEqual(['v1', 'pending']);
  });

  it('makes a retried write with the same ClientRequestToken idempotent, and refuses the token with another value', async () => {
    const { secrets } = await startWithJsonClients();
    await secrets.send(new CreateSecretCommand({ Name: 'k', SecretString: 'v1' }));

    const first = await secrets.send(new PutSecretValueCommand({ SecretId: 'k', SecretString: 'v2', ClientRequestToken: TOKEN_A }));
    const retried = await secrets.send(new PutSecretValueCommand({ SecretId: 'k', SecretString: 'v2', ClientRequestToken: TOKEN_A }));
    const conflict = await errorOf(secrets.send(new PutSecretValueCommand({ SecretId: 'k', SecretString: 'v9', ClientRequestToken: TOKEN_A })));
    const previous = await secrets.send(new GetSecretValueCommand({ SecretId: 'k', VersionStage: 'AWSPREVIOUS' }));
    const shortToken = await errorOf(secrets.send(new PutSecretValueCommand({ SecretId: 'k', SecretString: 'v3', ClientRequestToken: 'short' })));

    expect([first.VersionId, retried.VersionId]).toEqual([TOKEN_A, TOKEN_A]);
    expect([conflict.name, conflict.message, conflict.$metadata.httpStatusCode]).toEqual(['ResourceExistsException', "You can't modify an existing version, you can only create a new version.", 400]);
    // The retry moved no label: v1 is still AWSPREVIOUS.
    expect(previous.SecretString).toBe('v1');
    expect([shortToken.name, shortToken.message]).toEqual([
      'ValidationException',
      "1 validation error detected: Value 'short' at 'clientRequestToken' failed to satisfy constraint: Member must have length greater than or equal to 32",
    ]);
  });

  it('answers ResourceNotFoundException for a missing secret, a missing stage and an unknown version', async () => {
    const { secrets } = await startWithJsonClients();
    await secrets.send(new CreateSecretCommand({ Name: 'empty' }));
    await secrets.send(new CreateSecretCommand({ Name: 'k', SecretString: 'v1', ClientRequestToken: TOKEN_A }));

    const missing = await errorOf(secrets.send(new GetSecretValueCommand({ SecretId: 'nope' })));
    const putMissing = await errorOf(secrets.send(new PutSecretValueCommand({ SecretId: 'nope', SecretString: 'x' })));
    const noValue = await errorOf(secrets.send(new GetSecretValueCommand({ SecretId: 'empty' })));
    const noVersion = await errorOf(secrets.send(new GetSecretValueCommand({ SecretId: 'k', VersionId: TOKEN_B })));
    const mismatch = await errorOf(secrets.send(new GetSecretValueCommand({ SecretId: 'k', VersionId: TOKEN_A, VersionStage: 'AWSPREVIOUS' })));

    expect([missing.name, missing.message, missing.$metadata.httpStatusCode]).toEqual(['ResourceNotFoundException', "Secrets Manager can't find the specified secret.", 400]);
    expect(putMissing.name).toBe('ResourceNotFoundException');
    expect(noValue.message).toBe("Secrets Manager can't find the specified secret value for staging label: AWSCURRENT");
    expect(noVersion.message).toBe(`Secrets Manager can't find the specified secret value for VersionId: ${TOKEN_B}`);
    expect([mismatch.name, mismatch.message]).toEqual(['InvalidRequestException', 'You provided a VersionStage that is not associated to the provided VersionId.']);
  });

  it('refuses a second secret of the same name with ResourceExistsException, unless it is the same retried create', async () => {
    const { secrets } = await startWithJsonClients();
    await secrets.send(new CreateSecretCommand({ Name: 'k', SecretString: 'v1', ClientRequestToken: TOKEN_A }));

    const retried = await secrets.send(new CreateSecretCommand({ Name: 'k', SecretString: 'v1', ClientRequestToken: TOKEN_A }));
    const duplicate = await errorOf(secrets.send(new CreateSecretCommand({ Name: 'k', SecretString: 'v2' })));
    const badName = await errorOf(secrets.send(new CreateSecretCommand({ Name: 'bad name', SecretString: 'x' })));
    const both = await errorOf(secrets.send(new CreateSecretCommand({ Name: 'b', SecretString: 'x', SecretBinary: Buffer.from('y') })));

    expect(retried.VersionId).toBe(TOKEN_A);
    expect([duplicate.name, duplicate.message]).toEqual(['ResourceExistsException', 'The operation failed because the secret k already exists.']);
    expect(badName.name).toBe('InvalidParameterException');
    expect(both.message).toBe("You can't specify both a binary secret value and a string secret value in the same secret.");
  });

  it('schedules a deletion (InvalidRequestException while marked), restores it, and force-deletes it', async () => {
    const { secrets } = await startWithJsonClients();
    await secrets.send(new CreateSecretCommand({ Name: 'k', SecretString: 'v1' }));

    const deleted = await secrets.send(new DeleteSecretCommand({ SecretId: 'k', RecoveryWindowInDays: 7 }));
    const read = await errorOf(secrets.send(new GetSecretValueCommand({ SecretId: 'k' })));
    const put = await errorOf(secrets.send(new PutSecretValueCommand({ SecretId: 'k', SecretString: 'v2' })));
    const recreate = await errorOf(secrets.send(new CreateSecretCommand({ Name: 'k', SecretString: 'v2' })));
    const described = await secrets.send(new DescribeSecretCommand({ SecretId: 'k' }));
    await secrets.send(new RestoreSecretCommand({ SecretId: 'k' }));
    const restored = await secrets.send(new GetSecretValueCommand({ SecretId: 'k' }));
    const badWindow = await errorOf(secrets.send(new DeleteSecretCommand({ SecretId: 'k', RecoveryWindowInDays: 3 })));
    await secrets.send(new DeleteSecretCommand({ SecretId: 'k', ForceDeleteWithoutRecovery: true }));
    const gone = await errorOf(secrets.send(new DescribeSecretCommand({ SecretId: 'k' })));

    expect((deleted.DeletionDate?.getTime() ?? 0) - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    expect([read.name, read.message]).toEqual(['InvalidRequestException', "You can't perform this operation on the secret because it was marked for deletion."]);
    expect(put.name).toBe('InvalidRequestException');
    expect(recreate.message).toBe("You can't create this secret because a secret with this name is already scheduled for deletion.");
    expect(described.DeletedDate).toBeInstanceOf(Date);
    expect(restored.SecretString).toBe('v1');
    expect([badWindow.name, badWindow.message]).toEqual(['InvalidParameterException', 'The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).']);
    expect(gone.name).toBe('ResourceNotFoundException');
  });

  it('refuses a caller without secretsmanager:PutSecretValue / GetSecretValue with AccessDeniedException naming the secret', async () => {
    const { server, secrets } = await startWithJsonClients({ allow: ['secretsmanager:CreateSecret'] });
    const created = await secrets.send(new CreateSecretCommand({ Name: 'k', SecretString: 'v1' }));

    server.state.setUserPolicy('alice', { allow: ['secretsmanager:GetSecretValue'] });
    const put = await errorOf(secrets.send(new PutSecretValueCommand({ SecretId: 'k', SecretString: 'v2' })));
    server.state.setUserPolicy('alice', { allow: ['secretsmanager:*'], deny: ['secretsmanager:GetSecretValue'] });
    const get = await errorOf(secrets.send(new GetSecretValueCommand({ SecretId: 'k' })));

    expect([put.name, put.$metadata.httpStatusCode]).toEqual(['AccessDeniedException', 400]);
    expect(put.message).toBe(
      `User: arn:aws:iam::123456789012:user/alice is not authorized to perform: secretsmanager:PutSecretValue on resource: ${created.ARN} because no identity-based policy allows the secretsmanager:PutSecretValue action`,
    );
    expect(get.message).toBe(
      `User: arn:aws:iam::123456789012:user/alice is not authorized to perform: secretsmanager:GetSecretValue on resource: ${created.ARN} with an explicit deny in an identity-based policy`,
    );
  });

  it('refuses a wrong secret key with InvalidSignatureException', async () => {
    const { server, credentials } = await startWithJsonClients();
    const wrong = jsonClientsFor(server, { accessKeyId: credentials.accessKeyId, secretAccessKey: 'y'.repeat(40) }).secrets;

    const error = await errorOf(wrong.send(new GetSecretValueCommand({ SecretId: 'k' })));

    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['InvalidSignatureException', 400]);
  });

  it('shows secrets and parameters in GET state by name and version, never their values', async () => {
    const { server, secrets, ssm } = await startWithJsonClients();
    const created = await secrets.send(new CreateSecretCommand({ Name: 'k', SecretString: 'top-secret-value' }));
    await ssm.send(new PutParameterCommand({ Name: '/p', Value: 'another-secret-value', Type: 'SecureString' }));

    const response = await fetch(`${server.url}/__admin/state`);
    const text = await response.text();

    expect(JSON.parse(text)).toMatchObject({
      secrets: [{ name: 'k', arn: created.ARN, versionIdsToStages: { [created.VersionId as string]: ['AWSCURRENT'] } }],
      parameters: [{ name: '/p', type: 'SecureString', version: 1, tier: 'Standard', keyId: 'alias/aws/ssm' }],
    });
    expect(text).not.toContain('top-secret-value');
    expect(text).not.toContain('another-secret-value');
  });

  it('words errors with Message (capital M) and x-amzn-ErrorType, as Secrets Manager does', async () => {
    const { server, credentials } = await startWithJsonClients();

    const raw = await rawJsonCall(server, { service: 'secretsmanager', target: 'secretsmanager.GetSecretValue', body: '{"SecretId":"nope"}', credentials });

    expect(raw.status).toBe(400);
    expect(raw.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.secretsmanager/');
    expect(JSON.parse(raw.body)).toEqual({ __type: 'ResourceNotFoundException', Message: "Secrets Manager can't find the specified secret." });
  });

  it('throttles with ThrottlingException, which the SDK retries through, and answers a 5xx as InternalServiceError', async () => {
    const { server, credentials, secrets } = await startWithJsonClients();
    await secrets.send(new CreateSecretCommand({ Name: 'k', SecretString: 'v1' }));
    const patient = jsonClientsFor(server, credentials, { maxAttempts: 3 }).secrets;

    server.faults.add({ service: 'secretsmanager', action: 'PutSecretValue', kind: 'throttle', times: 1 });
    const once = await errorOf(secrets.send(new PutSecretValueCommand({ SecretId: 'k', SecretString: 'v2' })));
    server.faults.add({ service: 'secretsmanager', action: 'PutSecretValue', kind: 'throttle', times: 2 });
    const retried = await patient.send(new PutSecretValueCommand({ SecretId: 'k', SecretString: 'v2' }));
    server.faults.add({ service: 'secretsmanager', kind: '5xx', times: 1 });
    const fault = await errorOf(secrets.send(new GetSecretValueCommand({ SecretId: 'k' })));

    expect([once.name, once.$metadata.httpStatusCode]).toEqual(['ThrottlingException', 400]);
    expect(retried.$metadata.attempts).toBe(3);
    expect([fault.name, fault.$metadata.httpStatusCode]).toEqual(['InternalServiceError', 500]);
  });
});
