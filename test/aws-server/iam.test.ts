import { CreateAccessKeyCommand, DeleteAccessKeyCommand, GetAccessKeyLastUsedCommand, GetUserCommand, ListAccessKeysCommand, ListUsersCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { clientsFor, codeOf, errorOf, rawCall, startServer, startWithAlice } from './helpers';

describe('IAM users', () => {
  it('returns the caller from GetUser without a UserName', async () => {
    const { server, iam } = await startWithAlice();

    const { User } = await iam.send(new GetUserCommand({}));

    expect(User).toMatchObject({ UserName: 'alice', Path: '/', Arn: 'arn:aws:iam::123456789012:user/alice', UserId: server.state.getUser('alice')?.userId });
    expect(User?.CreateDate).toBeInstanceOf(Date);
  });

  it('answers an unknown user with 404 NoSuchEntity', async () => {
    const { iam } = await startWithAlice();

    const error = await errorOf(iam.send(new GetUserCommand({ UserName: 'ghost' })));

    expect(error.name).toBe('NoSuchEntityException');
    expect(error.message).toBe('The user with name ghost cannot be found.');
    expect(error.$metadata.httpStatusCode).toBe(404);
  });

  it('pages ListUsers with Marker and MaxItems and filters by PathPrefix', async () => {
    const { server, iam } = await startWithAlice();
    for (const name of ['bob', 'carol', 'dave']) server.state.createUser(name, { path: name === 'dave' ? '/ops/' : '/' });

    const first = await iam.send(new ListUsersCommand({ MaxItems: 2 }));
    const second = await iam.send(new ListUsersCommand({ MaxItems: 2, Marker: first.Marker }));
    const ops = await iam.send(new ListUsersCommand({ PathPrefix: '/ops/' }));

    expect(first.Users?.map((u) => u.UserName)).toEqual(['alice', 'bob']);
    expect(first.IsTruncated).toBe(true);
    expect(second.Users?.map((u) => u.UserName)).toEqual(['carol', 'dave']);
    expect(second.IsTruncated).toBe(false);
    expect(second.Marker).toBeUndefined();
    expect(ops.Users?.map((u) => u.Arn)).toEqual(['arn:aws:iam::123456789012:user/ops/dave']);
  });

  it('keeps accounts apart', async () => {
    const { server, iam } = await startWithAlice();
    server.state.createUser('outsider', { account: server.state.createAccount() });

    const { Users } = await iam.send(new ListUsersCommand({}));

    expect(Users?.map((u) => u.UserName)).toEqual(['alice']);
    expect((await errorOf(iam.send(new GetUserCommand({ UserName: 'outsider' })))).name).toBe('NoSuchEntityException');
  });

  it('rejects an out-of-range MaxItems with ValidationError', async () => {
    const { iam } = await startWithAlice();

    const error = await errorOf(iam.send(new ListUsersCommand({ MaxItems: 0 })));

    expect(error.name).toBe('ValidationError');
    expect(error.message).toBe("1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1");
    expect(error.$metadata.httpStatusCode).toBe(400);
  });
});

describe('IAM access keys', () => {
  it("lists the caller's keys when no UserName is given", async () => {
    const { credentials, iam } = await startWithAlice();

    const listed = await iam.send(new ListAccessKeysCommand({}));

    expect(listed.AccessKeyMetadata).toEqual([{ UserName: 'alice', AccessKeyId: credentials.accessKeyId, Status: 'Active', CreateDate: expect.any(Date) }]);
    expect(listed.IsTruncated).toBe(false);
  });

  it('lists keys oldest first with their seeded status and creation date', async () => {
    const { server, credentials, iam } = await startWithAlice();
    server.state.createUser('bob');
    const old = server.state.createAccessKey('bob', { status: 'Inactive', createDate: new Date('2025-01-02T03:04:05Z') });

    const listed = await iam.send(new ListAccessKeysCommand({ UserName: 'bob' }));

    expect(listed.AccessKeyMetadata).toEqual([{ UserName: 'bob', AccessKeyId: old.accessKeyId, Status: 'Inactive', CreateDate: new Date('2025-01-02T03:04:05Z') }]);
    expect(credentials.accessKeyId).not.toBe(old.accessKeyId);
  });

  it('creates a usable Active key and shows its secret once', async () => {
    const { server, iam } = await startWithAlice();

    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }));

    expect(AccessKey?.AccessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(AccessKey?.SecretAccessKey).toMatch(/^[A-Za-z0-9+/]{40}$/);
    expect(AccessKey).toMatchObject({ UserName: 'alice', Status: 'Active' });
    const { sts } = clientsFor(server, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! });
    await expect(sts.send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({ Arn: 'arn:aws:iam::123456789012:user/alice' });
    expect(JSON.stringify(server.state.snapshot())).not.toContain(AccessKey!.SecretAccessKey!);
  });

  it('rejects a third key with LimitExceeded', async () => {
    const { server, iam } = await startWithAlice();
    server.state.createAccessKey('alice');

    const error = await errorOf(iam.send(new CreateAccessKeyCommand({})));

    expect(error.name).toBe('LimitExceededException');
    expect(error.message).toBe('Cannot exceed quota for AccessKeysPerUser: 2');
    expect(error.$metadata.httpStatusCode).toBe(409);
  });

  it('deactivates and reactivates a key with UpdateAccessKey', async () => {
    const { server, iam } = await startWithAlice();
    const other = server.state.createAccessKey('alice');

    await iam.send(new UpdateAccessKeyCommand({ AccessKeyId: other.accessKeyId, Status: 'Inactive' }));
    expect(server.state.getAccessKey(other.accessKeyId)?.status).toBe('Inactive');
    await iam.send(new UpdateAccessKeyCommand({ UserName: 'alice', AccessKeyId: other.accessKeyId, Status: 'Active' }));
    expect(server.state.getAccessKey(other.accessKeyId)?.status).toBe('Active');
  });

  it('answers UpdateAccessKey and DeleteAccessKey for a key it cannot find with 404 NoSuchEntity', async () => {
    const { server, iam } = await startWithAlice();
    server.state.createUser('bob');
    const bobs = server.state.createAccessKey('bob');

    const update = await errorOf(iam.send(new UpdateAccessKeyCommand({ AccessKeyId: 'AKIAIOSFODNN7EXAMPLE', Status: 'Inactive' })));
    // A key of another user is as invisible as a missing one.
    const remove = await errorOf(iam.send(new DeleteAccessKeyCommand({ UserName: 'alice', AccessKeyId: bobs.accessKeyId })));

    expect([update.name, update.message, update.$metadata.httpStatusCode]).toEqual(['NoSuchEntityException', 'The Access Key with id AKIAIOSFODNN7EXAMPLE cannot be found.', 404]);
    expect(remove.message).toBe(`The Access Key with id ${bobs.accessKeyId} cannot be found.`);
    expect(server.state.getAccessKey(bobs.accessKeyId)).toBeDefined();
  });

  it('rejects an unknown Status with ValidationError', async () => {
    const { credentials, iam } = await startWithAlice();

    const error = await errorOf(iam.send(new UpdateAccessKeyCommand({ AccessKeyId: credentials.accessKeyId, Status: 'Paused' as 'Active' })));

    expect(error.name).toBe('ValidationError');
    expect(error.message).toBe("1 validation error detected: Value 'Paused' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]");
  });

  it('deletes a key so it no longer authenticates', async () => {
    const { server, iam } = await startWithAlice();
    const spare = server.state.createAccessKey('alice');

    await iam.send(new DeleteAccessKeyCommand({ AccessKeyId: spare.accessKeyId }));

    expect(server.state.getAccessKey(spare.accessKeyId)).toBeUndefined();
    const error = await errorOf(clientsFor(server, spare).sts.send(new GetCallerIdentityCommand({})));
    expect(error.name).toBe('InvalidClientTokenId');
  });

  it("reports N/A for a key that was never used, then the last call's service and region", async () => {
    const { server, iam } = await startWithAlice();
    const spare = server.state.createAccessKey('alice');

    const never = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: spare.accessKeyId }));
    await clientsFor(server, spare, { region: 'eu-central-1' }).sts.send(new GetCallerIdentityCommand({}));
    const used = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: spare.accessKeyId }));

    expect(never.UserName).toBe('alice');
    expect(never.AccessKeyLastUsed).toEqual({ ServiceName: 'N/A', Region: 'N/A' });
    expect(used.AccessKeyLastUsed).toEqual({ ServiceName: 'sts', Region: 'eu-central-1', LastUsedDate: expect.any(Date) });
  });

  it('reports a use recorded through the state API', async () => {
    const { server, iam } = await startWithAlice();
    const spare = server.state.createAccessKey('alice');
    server.state.recordKeyUse(spare.accessKeyId, { service: 's3', region: 'ap-south-1', at: new Date('2026-01-01T00:00:00Z') });

    const { AccessKeyLastUsed } = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: spare.accessKeyId }));

    expect(AccessKeyLastUsed).toEqual({ ServiceName: 's3', Region: 'ap-south-1', LastUsedDate: new Date('2026-01-01T00:00:00Z') });
  });
});

describe('IAM authorization', () => {
  it('refuses an action the policy does not allow, naming user, action and resource', async () => {
    const server = await startServer();
    server.state.createUser('reader', { allow: ['sts:*', 'iam:Get*'] });
    const { iam } = clientsFor(server, server.state.createAccessKey('reader'));

    const error = await errorOf(iam.send(new ListAccessKeysCommand({ UserName: 'reader' })));

    expect(error.name).toBe('AccessDenied');
    expect(error.$metadata.httpStatusCode).toBe(403);
    expect(error.message).toBe(
      'User: arn:aws:iam::123456789012:user/reader is not authorized to perform: iam:ListAccessKeys on resource: user reader because no identity-based policy allows the iam:ListAccessKeys action',
    );
  });

  it('lets an explicit deny win over an allow, and says so', async () => {
    const server = await startServer();
    server.state.createUser('admin', { allow: ['*'], deny: ['iam:CreateAccessKey'] });
    const { iam } = clientsFor(server, server.state.createAccessKey('admin'));

    const error = await errorOf(iam.send(new CreateAccessKeyCommand({ UserName: 'target' })));

    expect(error.message).toBe(
      'User: arn:aws:iam::123456789012:user/admin is not authorized to perform: iam:CreateAccessKey on resource: user target with an explicit deny in an identity-based policy',
    );
  });

  it('names the user ARN as the resource of a refused GetUser', async () => {
    const server = await startServer();
    server.state.createUser('nobody', { allow: [] });
    const { iam } = clientsFor(server, server.state.createAccessKey('nobody'));

    const error = await errorOf(iam.send(new GetUserCommand({})));

    expect(error.message).toBe(
      'User: arn:aws:iam::123456789012:user/nobody is not authorized to perform: iam:GetUser on resource: arn:aws:iam::123456789012:user/nobody because no identity-based policy allows the iam:GetUser action',
    );
  });

  it('applies a policy changed at runtime to the next call', async () => {
    const { server, iam } = await startWithAlice();
    server.state.setUserPolicy('alice', { allow: ['iam:ListAccessKeys'] });

    await expect(iam.send(new ListAccessKeysCommand({}))).resolves.toBeDefined();
    expect((await errorOf(iam.send(new ListUsersCommand({})))).name).toBe('AccessDenied');
  });

  it('answers an unknown action with InvalidAction in the IAM error shape', async () => {
    const { server, credentials } = await startWithAlice();

    const response = await rawCall(server, { service: 'iam', body: 'Action=ListMagic&Version=2010-05-08', credentials });

    expect(response.status).toBe(400);
    expect(codeOf(response.body)).toBe('InvalidAction');
    expect(response.body).toContain('<Message>Could not find operation ListMagic for version 2010-05-08</Message>');
    expect(response.body).toContain('<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">');
  });
});
