import { DescribeSecurityGroupsCommand } from '@aws-sdk/client-ec2';
import { CreateAccessKeyCommand, ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { clientsFor, codeOf, errorOf, messageOf, rawCall, startServer, startWithAlice } from './helpers';

type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: SourceData): string | Uint8Array =>
  typeof data === 'string' ? data : data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

/** node:crypto behind the Checksum interface the SDK's signer expects (so this test needs no extra package). */
class NodeSha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(this.secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
}

const CALLER_IDENTITY = 'Action=GetCallerIdentity&Version=2011-06-15';
const DESCRIBE_GROUPS = 'Action=DescribeSecurityGroups&Version=2016-11-15';

describe('SigV4 verification', () => {
  it('accepts a request signed by the real SDK signer', async () => {
    const { sts } = await startWithAlice();
    await expect(sts.send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({ Account: '123456789012' });
  });

  it('rejects a request signed with the wrong secret', async () => {
    const { server, credentials } = await startWithAlice();

    const response = await rawCall(server, {
      service: 'sts',
      body: CALLER_IDENTITY,
      credentials: { ...credentials, secretAccessKey: 'x'.repeat(40) },
    });

    expect(response.status).toBe(403);
    expect(codeOf(response.body)).toBe('SignatureDoesNotMatch');
    expect(messageOf(response.body)).toBe(
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
    expect(response.body).toContain('<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>');
  });

  it('rejects a body changed after signing', async () => {
    const { server, credentials } = await startWithAlice();

    const response = await rawCall(server, {
      service: 'iam',
      body: 'Action=ListAccessKeys&Version=2010-05-08',
      credentials,
      tamper: (headers) => ({ headers, body: 'Action=ListAccessKeys&Version=2010-05-08&UserName=bob' }),
    });

    expect(response.status).toBe(403);
    expect(codeOf(response.body)).toBe('SignatureDoesNotMatch');
    expect(response.body).toContain('xmlns="https://iam.amazonaws.com/doc/2010-05-08/"');
  });

  it('rejects a signed header changed after signing', async () => {
    const { server, credentials } = await startWithAlice();

    const response = await rawCall(server, {
      service: 'sts',
      body: CALLER_IDENTITY,
      credentials,
      tamper: (headers, body) => ({ headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body }),
    });

    expect(codeOf(response.body)).toBe('SignatureDoesNotMatch');
  });

  it('answers EC2 signature failures with SignatureDoesNotMatch in the EC2 error shape', async () => {
    const { server, credentials } = await startWithAlice();

    const response = await rawCall(server, {
      service: 'ec2',
      body: DESCRIBE_GROUPS,
      credentials: { ...credentials, secretAccessKey: 'y'.repeat(40) },
    });

    expect(response.status).toBe(403);
    expect(response.body).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<Response><Errors><Error><Code>SignatureDoesNotMatch<\/Code>/);
    expect(response.body).toMatch(/<RequestID>[0-9a-f-]{36}<\/RequestID><\/Response>$/);
  });

  it('rejects a request without authentication as MissingAuthenticationToken (STS) and AuthFailure (EC2)', async () => {
    const server = await startServer();

    const sts = await rawCall(server, { service: 'sts', body: CALLER_IDENTITY });
    const ec2 = await rawCall(server, { service: 'ec2', body: DESCRIBE_GROUPS });

    expect([sts.status, codeOf(sts.body), messageOf(sts.body)]).toEqual([403, 'MissingAuthenticationToken', 'Request is missing Authentication Token']);
    expect([ec2.status, codeOf(ec2.body)]).toEqual([401, 'AuthFailure']);
  });

  it('rejects an Authorization header without its parts as IncompleteSignature', async () => {
    const server = await startServer();

    const response = await rawCall(server, {
      service: 'sts',
      body: CALLER_IDENTITY,
      tamper: (headers, body) => ({ headers: { ...headers, authorization: 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/sts/aws4_request' }, body }),
    });

    expect(codeOf(response.body)).toBe('IncompleteSignature');
    expect(messageOf(response.body)).toContain("Authorization header requires 'Signature' parameter.");
  });

  it('accepts a presigned query-string request', async () => {
    const { server, credentials } = await startWithAlice();
    const url = new URL(server.url);
    const signer = new SignatureV4({ credentials, region: 'us-east-1', service: 'sts', sha256: NodeSha256 });
    const presigned = await signer.presign(
      {
        method: 'GET',
        protocol: 'http:',
        hostname: url.hostname,
        port: Number(url.port),
        path: '/',
        query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
        headers: { host: url.host },
      },
      { expiresIn: 60 },
    );
    const query = new URLSearchParams(presigned.query as Record<string, string>).toString();

    const response = await fetch(`${server.url}/?${query}`);

    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<Arn>arn:aws:iam::123456789012:user/alice</Arn>');
  });
});

describe('access key checks', () => {
  it('rejects an unknown access key id with InvalidClientTokenId', async () => {
    const server = await startServer();
    const { sts } = clientsFor(server, { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' });

    const error = await errorOf(sts.send(new GetCallerIdentityCommand({})));

    expect(error.name).toBe('InvalidClientTokenId');
    expect(error.message).toBe('The security token included in the request is invalid.');
    expect(error.$metadata.httpStatusCode).toBe(403);
  });

  it('rejects an inactive key like an unknown one', async () => {
    const { server, credentials, sts } = await startWithAlice();
    server.state.setAccessKeyStatus(credentials.accessKeyId, 'Inactive');

    const error = await errorOf(sts.send(new GetCallerIdentityCommand({})));

    expect(error.name).toBe('InvalidClientTokenId');
  });

  it('rejects a deleted key, and every key of a deleted user', async () => {
    const { server, credentials, sts } = await startWithAlice();
    const second = server.state.createAccessKey('alice');
    server.state.deleteAccessKey(credentials.accessKeyId);

    expect((await errorOf(sts.send(new GetCallerIdentityCommand({})))).name).toBe('InvalidClientTokenId');

    server.state.deleteUser('alice');
    const { sts: viaSecond } = clientsFor(server, second);
    expect((await errorOf(viaSecond.send(new GetCallerIdentityCommand({})))).name).toBe('InvalidClientTokenId');
  });

  it('answers an unknown key on EC2 with 401 AuthFailure', async () => {
    const server = await startServer();
    const { ec2 } = clientsFor(server, { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' });

    const error = await errorOf(ec2.send(new DescribeSecurityGroupsCommand({})));

    expect(error.name).toBe('AuthFailure');
    expect(error.message).toBe('AWS was not able to validate the provided access credentials');
    expect(error.$metadata.httpStatusCode).toBe(401);
  });

  it('answers expired temporary credentials on EC2 with 400 RequestExpired', async () => {
    const server = await startServer();
    server.state.createUser('alice');
    const session = server.state.createSessionCredentials('alice', { expiresAt: new Date(Date.now() - 1000) });

    const error = await errorOf(clientsFor(server, session).ec2.send(new DescribeSecurityGroupsCommand({})));

    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['RequestExpired', 400]);
  });
});

describe('clock skew', () => {
  const hour = 3_600_000;

  it('rejects an STS request signed an hour in the past with "Signature expired"', async () => {
    const { server, credentials } = await startWithAlice();

    const response = await rawCall(server, { service: 'sts', body: CALLER_IDENTITY, credentials, date: new Date(Date.now() - hour) });

    expect(response.status).toBe(403);
    expect(codeOf(response.body)).toBe('SignatureDoesNotMatch');
    expect(messageOf(response.body)).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/);
  });

  it('rejects an IAM request signed an hour in the future with "Signature not yet current"', async () => {
    const { server, credentials } = await startWithAlice();

    const response = await rawCall(server, {
      service: 'iam',
      body: 'Action=ListAccessKeys&Version=2010-05-08',
      credentials,
      date: new Date(Date.now() + hour),
    });

    expect(response.status).toBe(403);
    expect(messageOf(response.body)).toMatch(/^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 15 min\.\)$/);
  });

  it('answers a skewed EC2 request with 400 RequestExpired', async () => {
    const { server, credentials } = await startWithAlice();

    const response = await rawCall(server, { service: 'ec2', body: DESCRIBE_GROUPS, credentials, date: new Date(Date.now() - hour) });

    expect([response.status, codeOf(response.body), messageOf(response.body)]).toEqual([400, 'RequestExpired', 'Request has expired.']);
  });

  it('honours a custom tolerance', async () => {
    const { server, credentials } = await startWithAlice({ clockSkewToleranceMs: 5 * 60_000 });

    const response = await rawCall(server, { service: 'sts', body: CALLER_IDENTITY, credentials, date: new Date(Date.now() - 6 * 60_000) });

    expect(messageOf(response.body)).toMatch(/- 5 min\.\)$/);
  });

  it('sends a Date header from its own clock, which the SDK uses to correct a wrong client clock and retry', async () => {
    // The server's clock runs two hours ahead: from its point of view, this machine's clock is wrong.
    const { server, credentials } = await startWithAlice({ clockOffsetMs: 2 * hour });
    const { sts } = clientsFor(server, credentials, { maxAttempts: 2 });

    const identity = await sts.send(new GetCallerIdentityCommand({}));

    expect(identity.$metadata.attempts).toBe(2);
    expect(server.requests.map((r) => r.errorCode ?? r.status)).toEqual(['SignatureDoesNotMatch', 200]);
  });

  it('fails a skewed client that may not retry', async () => {
    const { server, credentials } = await startWithAlice();
    const { iam } = clientsFor(server, credentials, { systemClockOffset: 2 * hour });

    const error = await errorOf(iam.send(new ListAccessKeysCommand({})));

    expect(error.name).toBe('SignatureDoesNotMatch');
    expect(error.message).toMatch(/^Signature not yet current/);
  });
});

describe('propagation delay', () => {
  it('delays a newly created key by the propagation delay', async () => {
    const { server, iam } = await startWithAlice({ propagationDelayMs: 300 });
    const created = await iam.send(new CreateAccessKeyCommand({}));
    const fresh = clientsFor(server, { accessKeyId: created.AccessKey!.AccessKeyId!, secretAccessKey: created.AccessKey!.SecretAccessKey! });

    const early = await errorOf(fresh.sts.send(new GetCallerIdentityCommand({})));
    await new Promise((resolve) => setTimeout(resolve, 350));
    const later = await fresh.sts.send(new GetCallerIdentityCommand({}));

    expect(early.name).toBe('InvalidClientTokenId');
    expect(later.Arn).toBe('arn:aws:iam::123456789012:user/alice');
  });

  it('does not delay keys created through the state API', async () => {
    const { sts } = await startWithAlice({ propagationDelayMs: 60_000 });
    await expect(sts.send(new GetCallerIdentityCommand({}))).resolves.toBeDefined();
  });

  it('reads the delay at authentication time, so a test can shorten it', async () => {
    const { server, iam } = await startWithAlice({ propagationDelayMs: 60_000 });
    const created = await iam.send(new CreateAccessKeyCommand({}));
    const fresh = clientsFor(server, { accessKeyId: created.AccessKey!.AccessKeyId!, secretAccessKey: created.AccessKey!.SecretAccessKey! });

    server.state.propagationDelayMs = 0;

    await expect(fresh.sts.send(new GetCallerIdentityCommand({}))).resolves.toBeDefined();
  });
});

describe('every response', () => {
  it('carries x-amzn-RequestId, a text/xml body and a Date header', async () => {
    const { server, credentials } = await startWithAlice();

    const ok = await rawCall(server, { service: 'sts', body: CALLER_IDENTITY, credentials });
    const failed = await rawCall(server, { service: 'ec2', body: DESCRIBE_GROUPS });

    for (const response of [ok, failed]) {
      expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
      expect(response.headers.get('content-type')).toBe('text/xml');
      expect(Date.parse(response.headers.get('date') ?? '')).toBeGreaterThan(Date.now() - 60_000);
    }
    expect(ok.body).toContain(`<RequestId>${ok.headers.get('x-amzn-requestid')}</RequestId>`);
    expect(failed.body).toContain(`<RequestID>${failed.headers.get('x-amzn-requestid')}</RequestID>`);
  });
});
