import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { clientsFor, errorOf, startServer, startWithAlice } from './helpers';

describe('STS GetCallerIdentity', () => {
  it("returns the caller's account, user ARN and AIDA user id", async () => {
    const { server, sts } = await startWithAlice();
    const alice = server.state.getUser('alice');

    const identity = await sts.send(new GetCallerIdentityCommand({}));

    expect(identity.Account).toBe('123456789012');
    expect(identity.Arn).toBe('arn:aws:iam::123456789012:user/alice');
    expect(identity.UserId).toBe(alice?.userId);
    expect(identity.UserId).toMatch(/^AIDA[A-Z2-7]{17}$/);
    expect(identity.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers even a user whose policy explicitly denies everything', async () => {
    const server = await startServer();
    server.state.createUser('locked', { allow: [], deny: ['*'] });
    const { sts } = clientsFor(server, server.state.createAccessKey('locked'));

    const identity = await sts.send(new GetCallerIdentityCommand({}));

    expect(identity.Arn).toBe('arn:aws:iam::123456789012:user/locked');
  });

  it('reports the account and path of users outside the default account', async () => {
    const server = await startServer();
    const account = server.state.createAccount();
    server.state.createUser('svc', { account, path: '/apps/' });
    const { sts } = clientsFor(server, server.state.createAccessKey('svc', { account }));

    const identity = await sts.send(new GetCallerIdentityCommand({}));

    expect(account).toMatch(/^\d{12}$/);
    expect(identity).toMatchObject({ Account: account, Arn: `arn:aws:iam::${account}:user/apps/svc` });
  });

  it('accepts temporary credentials with their session token', async () => {
    const server = await startServer();
    server.state.createUser('alice');
    const session = server.state.createSessionCredentials('alice', { expiresAt: new Date(Date.now() + 3_600_000) });
    const { sts } = clientsFor(server, session);

    const identity = await sts.send(new GetCallerIdentityCommand({}));

    expect(session.accessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(identity.Arn).toBe('arn:aws:iam::123456789012:user/alice');
  });

  it('rejects expired temporary credentials with ExpiredToken', async () => {
    const server = await startServer();
    server.state.createUser('alice');
    const session = server.state.createSessionCredentials('alice', { expiresAt: new Date(Date.now() - 1000) });
    const { sts } = clientsFor(server, session);

    const error = await errorOf(sts.send(new GetCallerIdentityCommand({})));

    expect(error.name).toBe('ExpiredToken');
    expect(error.message).toBe('The security token included in the request is expired');
    expect(error.$metadata.httpStatusCode).toBe(403);
  });

  it('rejects a session key presented with the wrong token as InvalidClientTokenId', async () => {
    const server = await startServer();
    server.state.createUser('alice');
    const session = server.state.createSessionCredentials('alice', { expiresAt: new Date(Date.now() + 60_000) });
    const { sts } = clientsFor(server, { ...session, sessionToken: 'not-the-token' });

    const error = await errorOf(sts.send(new GetCallerIdentityCommand({})));

    expect(error.name).toBe('InvalidClientTokenId');
    expect(error.$metadata.httpStatusCode).toBe(403);
  });

  it('records each use of a key with service and region', async () => {
    const { server, credentials, sts } = await startWithAlice({}, { region: 'eu-west-1' });

    await sts.send(new GetCallerIdentityCommand({}));

    const [key] = server.state.listAccessKeys('alice');
    expect(key.lastUsed).toMatchObject({ service: 'sts', region: 'eu-west-1' });
    expect(server.requests.at(-1)).toMatchObject({ service: 'sts', action: 'GetCallerIdentity', accessKeyId: credentials.accessKeyId, status: 200 });
  });
});
