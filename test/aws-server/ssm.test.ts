import { DeleteParameterCommand, GetParameterCommand, GetParameterHistoryCommand, GetParametersCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { errorOf, jsonClientsFor, rawJsonCall, startWithJsonClients } from './helpers';

describe('SSM Parameter Store (awsJson1_1)', () => {
  it('puts a SecureString under the default key, answers ciphertext without decryption and the value with it', async () => {
    const { server, ssm } = await startWithJsonClients();

    const put = await ssm.send(new PutParameterCommand({ Name: '/app/key', Value: 'sekret-value', Type: 'SecureString' }));
    const sealed = await ssm.send(new GetParameterCommand({ Name: '/app/key' }));
    const open = await ssm.send(new GetParameterCommand({ Name: '/app/key', WithDecryption: true }));

    expect([put.Version, put.Tier]).toEqual([1, 'Standard']);
    expect(sealed.Parameter?.Value).not.toContain('sekret');
    expect(Buffer.from(sealed.Parameter?.Value ?? '', 'base64').toString('latin1')).not.toContain('sekret-value');
    expect(open.Parameter).toMatchObject({
      Name: '/app/key',
      Type: 'SecureString',
      Value: 'sekret-value',
      Version: 1,
      ARN: 'arn:aws:ssm:us-east-1:123456789012:parameter/app/key',
      DataType: 'text',
    });
    expect(open.Parameter?.LastModifiedDate).toBeInstanceOf(Date);
    expect(server.requests.map((r) => [r.service, r.action, r.status])).toEqual([
      ['ssm', 'PutParameter', 200],
      ['ssm', 'GetParameter', 200],
      ['ssm', 'GetParameter', 200],
    ]);
  });

  it('refuses to overwrite without Overwrite, then bumps the version with it and keeps the history', async () => {
    const { ssm } = await startWithJsonClients();
    await ssm.send(new PutParameterCommand({ Name: '/app/key', Value: 'one', Type: 'SecureString', Description: 'the key' }));

    const refused = await errorOf(ssm.send(new PutParameterCommand({ Name: '/app/key', Value: 'two', Type: 'SecureString' })));
    const second = await ssm.send(new PutParameterCommand({ Name: '/app/key', Value: 'two', Overwrite: true }));
    const history = await ssm.send(new GetParameterHistoryCommand({ Name: '/app/key', WithDecryption: true }));
    const first = await ssm.send(new GetParameterCommand({ Name: '/app/key:1', WithDecryption: true }));

    expect([refused.name, refused.message, refused.$metadata.httpStatusCode]).toEqual([
      'ParameterAlreadyExists',
      'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
      400,
    ]);
    expect(second.Version).toBe(2);
    expect(history.Parameters?.map((p) => [p.Version, p.Value, p.Type, p.KeyId, p.Description])).toEqual([
      [1, 'one', 'SecureString', 'alias/aws/ssm', 'the key'],
      [2, 'two', 'SecureString', 'alias/aws/ssm', 'the key'],
    ]);
    expect(history.Parameters?.[0].LastModifiedUser).toBe('arn:aws:iam::123456789012:user/alice');
    expect([first.Parameter?.Value, first.Parameter?.Selector]).toEqual(['one', ':1']);
  });

  it('encrypts under a named customer key and refuses a key it does not know with InvalidKeyId', async () => {
    const { server, ssm } = await startWithJsonClients();
    const key = server.state.kms.create({ account: '123456789012', region: 'us-east-1', alias: 'alias/app' });

    await ssm.send(new PutParameterCommand({ Name: '/a', Value: 'v1', Type: 'SecureString', KeyId: 'alias/app' }));
    await ssm.send(new PutParameterCommand({ Name: '/b', Value: 'v2', Type: 'SecureString', KeyId: key.arn }));
    await ssm.send(new PutParameterCommand({ Name: '/c', Value: 'v3', Type: 'SecureString', KeyId: key.keyId }));
    const unknown = await errorOf(ssm.send(new PutParameterCommand({ Name: '/d', Value: 'v4', Type: 'SecureString', KeyId: 'alias/missing' })));
    const otherRegion = await errorOf(
      jsonClientsFor(server, server.state.createAccessKey('alice'), { region: 'eu-west-1' }).ssm.send(new PutParameterCommand({ Name: '/e', Value: 'v5', Type: 'SecureString', KeyId: 'alias/app' })),
    );
    const notSecure = await errorOf(ssm.send(new PutParameterCommand({ Name: '/f', Value: 'v6', Type: 'String', KeyId: 'alias/app' })));
    const read = await ssm.send(new GetParametersCommand({ Names: ['/a', '/b', '/c'], WithDecryption: true }));

    expect([unknown.name, unknown.$metadata.httpStatusCode]).toEqual(['InvalidKeyId', 400]);
    expect(unknown.message).toContain('alias/missing');
    expect(otherRegion.name).toBe('InvalidKeyId');
    expect([notSecure.name, notSecure.message]).toEqual(['ValidationException', 'KeyId is required for SecureString type parameter only.']);
    expect(read.Parameters?.map((p) => p.Value)).toEqual(['v1', 'v2', 'v3']);
  });

  it('makes a KMS key through the admin API that PutParameter then accepts', async () => {
    const { server, ssm } = await startWithJsonClients();

    const response = await fetch(`${server.url}/__admin/kms-keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ region: 'us-east-1', alias: 'alias/ci' }),
    });
    const key = (await response.json()) as { keyId: string; arn: string; aliases: string[] };
    await ssm.send(new PutParameterCommand({ Name: '/ci', Value: 'v', Type: 'SecureString', KeyId: 'alias/ci' }));
    const history = await ssm.send(new GetParameterHistoryCommand({ Name: '/ci' }));

    expect(response.status).toBe(201);
    expect(key.arn).toBe(`arn:aws:kms:us-east-1:123456789012:key/${key.keyId}`);
    expect(key.aliases).toEqual(['alias/ci']);
    expect(history.Parameters?.[0].KeyId).toBe('alias/ci');
  });

  it('answers ParameterNotFound, ParameterVersionNotFound and lists the missing names of GetParameters', async () => {
    const { ssm } = await startWithJsonClients();
    await ssm.send(new PutParameterCommand({ Name: '/here', Value: 'plain', Type: 'String' }));

    const missing = await errorOf(ssm.send(new GetParameterCommand({ Name: '/nowhere' })));
    const version = await errorOf(ssm.send(new GetParameterCommand({ Name: '/here:7' })));
    const many = await ssm.send(new GetParametersCommand({ Names: ['/here', '/nowhere', '/gone'] }));
    const tooMany = await errorOf(ssm.send(new GetParametersCommand({ Names: Array.from({ length: 11 }, (_, i) => `/p${i}`) })));

    expect([missing.name, missing.message, missing.$metadata.httpStatusCode]).toEqual(['ParameterNotFound', 'Parameter /nowhere not found.', 400]);
    expect([version.name, version.message]).toEqual(['ParameterVersionNotFound', 'Systems Manager could not find version 7 of /here. Verify the version and try again.']);
    expect(many.Parameters?.map((p) => [p.Name, p.Value])).toEqual([['/here', 'plain']]);
    expect(many.InvalidParameters).toEqual(['/nowhere', '/gone']);
    expect([tooMany.name, tooMany.message]).toEqual([
      'ValidationException',
      "1 validation error detected: Value '[/p0, /p1, /p2, /p3, /p4, /p5, /p6, /p7, /p8, /p9, /p10]' at 'names' failed to satisfy constraint: Member must have length less than or equal to 10",
    ]);
  });

  it('deletes a parameter, and answers ParameterNotFound for one that is not there', async () => {
    const { ssm } = await startWithJsonClients();
    await ssm.send(new PutParameterCommand({ Name: '/tmp', Value: 'x', Type: 'String' }));

    await ssm.send(new DeleteParameterCommand({ Name: '/tmp' }));
    const again = await errorOf(ssm.send(new DeleteParameterCommand({ Name: '/tmp' })));
    const read = await errorOf(ssm.send(new GetParameterCommand({ Name: '/tmp' })));

    expect(again.name).toBe('ParameterNotFound');
    expect(read.name).toBe('ParameterNotFound');
  });

  it('validates names, types, values and tiers as Parameter Store does', async () => {
    const { ssm } = await startWithJsonClients();
    const put = (input: ConstructorParameters<typeof PutParameterCommand>[0]) => errorOf(ssm.send(new PutParameterCommand(input)));

    const reserved = await put({ Name: '/aws/thing', Value: 'x', Type: 'String' });
    const relative = await put({ Name: 'app/key', Value: 'x', Type: 'String' });
    const noType = await put({ Name: '/new', Value: 'x' });
    const badType = await put({ Name: '/new', Value: 'x', Type: 'Secret' as never });
    const empty = await put({ Name: '/new', Value: '', Type: 'SecureString' });
    const big = await put({ Name: '/big', Value: 'x'.repeat(4097), Type: 'String' });
    const advanced = await ssm.send(new PutParameterCommand({ Name: '/big', Value: 'x'.repeat(4097), Type: 'String', Tier: 'Advanced' }));
    const downgrade = await put({ Name: '/big', Value: 'small', Overwrite: true, Tier: 'Standard' });
    const smart = await ssm.send(new PutParameterCommand({ Name: '/smart', Value: 'y'.repeat(5000), Type: 'String', Tier: 'Intelligent-Tiering' }));

    expect(reserved.name).toBe('ValidationException');
    expect(reserved.message).toMatch(/^Parameter name: can't be prefixed with "aws" or "ssm"/);
    expect([relative.name, relative.message]).toEqual(['ValidationException', 'Parameter name must be a fully qualified name.']);
    expect([noType.name, noType.message]).toEqual(['ValidationException', 'A parameter type is required when you create a parameter.']);
    expect(badType.message).toBe("1 validation error detected: Value 'Secret' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [String, StringList, SecureString]");
    // The value is sensitive: AWS never echoes it in a validation message.
    expect(empty.message).toBe("1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1");
    expect(big.message).toMatch(/^Standard tier parameters support a maximum parameter value of 4096 characters/);
    expect(advanced.Tier).toBe('Advanced');
    expect(downgrade.message).toMatch(/You can't downgrade a parameter from the advanced-parameter tier/);
    expect(smart.Tier).toBe('Advanced');
  });

  it('keeps parameters apart per region', async () => {
    const { server, credentials, ssm } = await startWithJsonClients();
    const west = jsonClientsFor(server, credentials, { region: 'eu-west-1' }).ssm;
    await ssm.send(new PutParameterCommand({ Name: '/app/key', Value: 'east', Type: 'String' }));

    const error = await errorOf(west.send(new GetParameterCommand({ Name: '/app/key' })));

    expect(error.name).toBe('ParameterNotFound');
  });

  it('refuses a caller without ssm:PutParameter / ssm:GetParameter with AccessDeniedException naming the parameter ARN', async () => {
    const { ssm } = await startWithJsonClients({ allow: ['ssm:GetParameter*'], deny: ['ssm:GetParameter'] });

    const put = await errorOf(ssm.send(new PutParameterCommand({ Name: '/app/key', Value: 'x', Type: 'SecureString' })));
    const get = await errorOf(ssm.send(new GetParameterCommand({ Name: '/app/key' })));

    expect([put.name, put.$metadata.httpStatusCode]).toEqual(['AccessDeniedException', 400]);
    expect(put.message).toBe(
      'User: arn:aws:iam::123456789012:user/alice is not authorized to perform: ssm:PutParameter on resource: arn:aws:ssm:us-east-1:123456789012:parameter/app/key because no identity-based policy allows the ssm:PutParameter action',
    );
    expect(get.message).toBe(
      'User: arn:aws:iam::123456789012:user/alice is not authorized to perform: ssm:GetParameter on resource: arn:aws:ssm:us-east-1:123456789012:parameter/app/key with an explicit deny in an identity-based policy',
    );
  });

  it('refuses a wrong secret with InvalidSignatureException and an unknown key with UnrecognizedClientException', async () => {
    const { server, credentials } = await startWithJsonClients();
    const wrong = jsonClientsFor(server, { accessKeyId: credentials.accessKeyId, secretAccessKey: 'x'.repeat(40) }).ssm;
    const stranger = jsonClientsFor(server, { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x'.repeat(40) }).ssm;

    const badSignature = await errorOf(wrong.send(new GetParameterCommand({ Name: '/x' })));
    const unknownKey = await errorOf(stranger.send(new GetParameterCommand({ Name: '/x' })));

    expect([badSignature.name, badSignature.$metadata.httpStatusCode]).toEqual(['InvalidSignatureException', 400]);
    expect(badSignature.message).toMatch(/^The request signature we calculated does not match/);
    expect([unknownKey.name, unknownKey.message, unknownKey.$metadata.httpStatusCode]).toEqual(['UnrecognizedClientException', 'The security token included in the request is invalid.', 400]);
  });

  it('speaks the awsJson wire shapes: __type, x-amzn-ErrorType, a body tampered after signing, an unknown target', async () => {
    const { server, credentials } = await startWithJsonClients();

    const notFound = await rawJsonCall(server, { service: 'ssm', target: 'AmazonSSM.GetParameter', body: '{"Name":"/none"}', credentials });
    const tampered = await rawJsonCall(server, {
      service: 'ssm',
      target: 'AmazonSSM.GetParameter',
      body: '{"Name":"/a"}',
      credentials,
      tamper: (headers) => ({ headers, body: '{"Name":"/b"}' }),
    });
    const unsigned = await rawJsonCall(server, { service: 'ssm', target: 'AmazonSSM.GetParameter', body: '{"Name":"/a"}' });
    const unknownOp = await rawJsonCall(server, { service: 'ssm', target: 'AmazonSSM.Frobnicate', body: '{}', credentials });
    const notJson = await rawJsonCall(server, { service: 'ssm', target: 'AmazonSSM.GetParameter', body: '{"Name":', credentials });

    expect(notFound.status).toBe(400);
    expect(notFound.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(notFound.headers.get('x-amzn-errortype')).toBe('ParameterNotFound:http://internal.amazon.com/coral/com.amazonaws.ssm/');
    expect(JSON.parse(notFound.body)).toEqual({ __type: 'ParameterNotFound', message: 'Parameter /none not found.' });
    expect(JSON.parse(tampered.body).__type).toBe('InvalidSignatureException');
    expect([unsigned.status, JSON.parse(unsigned.body).__type]).toEqual([400, 'MissingAuthenticationTokenException']);
    expect([unknownOp.status, JSON.parse(unknownOp.body)]).toEqual([400, { __type: 'UnknownOperationException' }]);
    expect(JSON.parse(notJson.body).__type).toBe('SerializationException');
  });

  it('throttles with ThrottlingException, which the SDK retries through', async () => {
    const { server, credentials, ssm } = await startWithJsonClients();
    const patient = jsonClientsFor(server, credentials, { maxAttempts: 3 }).ssm;
    server.faults.add({ service: 'ssm', action: 'PutParameter', kind: 'throttle', times: 1 });

    const once = await errorOf(ssm.send(new PutParameterCommand({ Name: '/t', Value: 'x', Type: 'String' })));
    server.faults.add({ service: 'ssm', action: 'PutParameter', kind: 'throttle', times: 2 });
    const retried = await patient.send(new PutParameterCommand({ Name: '/t', Value: 'x', Type: 'String' }));

    expect([once.name, once.message, once.$metadata.httpStatusCode]).toEqual(['ThrottlingException', 'Rate exceeded', 400]);
    expect(retried.$metadata.attempts).toBe(3);
    expect(server.requests.map((r) => r.errorCode ?? r.status)).toEqual(['ThrottlingException', 'ThrottlingException', 'ThrottlingException', 200]);
  });

  it('answers a server fault as InternalServerError and adds injected latency', async () => {
    const { server, ssm } = await startWithJsonClients();
    server.faults.add({ service: 'ssm', kind: '5xx', times: 1 });
    const error = await errorOf(ssm.send(new GetParameterCommand({ Name: '/x' })));
    server.faults.add({ service: 'ssm', kind: 'latency', latencyMs: 30, times: 1 });
    await errorOf(ssm.send(new GetParameterCommand({ Name: '/x' })));

    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['InternalServerError', 500]);
    expect(server.requests.map((r) => r.fault)).toEqual(['5xx', 'latency']);
  });
});
