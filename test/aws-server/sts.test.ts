import { GetCallerIdentityCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts';
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

describe('STS GetSessionToken', () => {
  it('issues ASIA session credentials for the duration asked, which GetCallerIdentity then accepts as the same user', async () => {
    const { server, sts } = await startWithAlice();
    const before = Date.now();
    const out = await sts.send(new GetSessionTokenCommand({ DurationSeconds: 900 }));
    const c = out.Credentials!;
    expect(c.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(c.Expiration!.getTime() - before).toBeGreaterThanOrEqual(899_000);
    expect(c.Expiration!.getTime() - before).toBeLessThan(905_000);
    const session = clientsFor(server, { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! });
    expect((await session.sts.send(new GetCallerIdentityCommand({}))).Arn).toBe('arn:aws:iam::123456789012:user/alice');
    // Session credentials cannot make another session.
    const again = await errorOf(session.sts.send(new GetSessionTokenCommand({})));
    expect([again.name, again.message, again.$metadata.httpStatusCode]).toEqual(['AccessDenied', 'Cannot call GetSessionToken with session credentials', 403]);
  });

  it('refuses durations outside 900-129600 seconds with AWS validation messages', async () => {
    const { sts } = await startWithAlice();
    const short = await errorOf(sts.send(new GetSessionTokenCommand({ DurationSeconds: 899 })));
    expect([short.name, short.message]).toEqual([
      'ValidationError',
      "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
    ]);
    const long = await errorOf(sts.send(new GetSessionTokenCommand({ DurationSeconds: 129_601 })));
    expect(long.message).toMatch(/less than or equal to 129600$/);
  });

  it("checks an MFA code against the user's device", async () => {
    const { server, sts } = await startWithAlice();
    const serial = server.state.addMfaDevice('alice', { code: '246810' });
    const wrong = await errorOf(sts.send(new GetSessionTokenCommand({ SerialNumber: serial, TokenCode: '135791' })));
    expect([wrong.name, wrong.message.trim()]).toEqual(['AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code.']);
    const unknown = await errorOf(sts.send(new GetSessionTokenCommand({ SerialNumber: 'arn:aws:iam::123456789012:mfa/nobody', TokenCode: '246810' })));
    expect(unknown.message).toBe('MultiFactorAuthentication failed, unable to validate MFA code.');
    const ok = await sts.send(new GetSessionTokenCommand({ SerialNumber: serial, TokenCode: '246810' }));
    expect(ok.Credentials?.AccessKeyId).toMatch(/^ASIA/);
  });
});
