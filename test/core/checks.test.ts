// Verification outcomes, end to end: CredentialService → provider → real HTTP on
// 127.0.0.1 → the AWS-compatible test server (or a fake APISIX Admin API).
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Credential } from '../../shared/contract';
import { CredentialService } from '../../electron/core/credentials/service';
import { Vault } from '../../electron/core/vault/vault';
import { startAwsTestServer, type AwsTestServer } from '../support/aws-server';
import { startApisixTestServer, type ApisixTestServer } from '../support/apisix-server';
import { fakeAccessKeyId, fakeSecretAccessKey, fastProvider, removeTempDirs, tempDir } from '../support/fixtures';
import { causeOf, checkingService, type CheckOverrides, closedPort } from '../support/checks';

let vault: Vault;
let aws: AwsTestServer;
let apisix: ApisixTestServer;
let user: { userName: string; arn: string; userId: string; account: string };
let key: { accessKeyId: string; secretAccessKey: string };
let n = 0;

function service(check: CheckOverrides = {}): CredentialService {
  return checkingService(vault, { timeoutMs: 2000, ...check });
}

function addAws(svc: CredentialService, k: { accessKeyId: string; secretAccessKey: string }, extra: Record<string, string> = {}): Credential {
  return svc.add({
    name: `aws-${++n}`,
    provider: 'AWS',
    type: 'ACCESS_KEY',
    fields: { accessKeyId: k.accessKeyId, secretAccessKey: k.secretAccessKey, region: 'us-east-1', endpointUrl: aws.url, ...extra },
    verify: false,
  });
}

async function verifyAws(k = key, check: CheckOverrides = {}, extra: Record<string, string> = {}) {
  const svc = service(check);
  const cred = addAws(svc, k, extra);
  return { svc, cred, checked: await svc.verify(cred.id) };
}

const callerIdentityCalls = () => aws.requests.filter((r) => r.action === 'GetCallerIdentity');

/** An HTTP server that is not AWS (a captive portal, a proxy's error page): same answer to everything. */
async function notAws(status: number, contentType: string, body: string): Promise<{ url: string; server: Server }> {
  const server = createHttpServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(status, { 'content-type': contentType });
      res.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}
const stubs: Server[] = [];
afterEach(async () => {
  for (const s of stubs.splice(0)) await new Promise<void>((r) => (s.closeAllConnections(), s.close(() => r())));
});

beforeAll(async () => {
  vault = await Vault.init(tempDir(), fastProvider());
  aws = await startAwsTestServer();
  apisix = await startApisixTestServer();
});

afterAll(async () => {
  vault.close();
  await aws.close();
  await apisix.close();
  removeTempDirs();
});

beforeEach(() => {
  aws.state.reset();
  aws.faults.clear();
  aws.requests.length = 0;
  const u = aws.state.createUser('deploy-bot');
  user = { userName: u.userName, arn: u.arn, userId: u.userId, account: u.account };
  key = aws.state.createAccessKey('deploy-bot');
  apisix.reset();
});

describe('AWS verification', () => {
  it('is VALID with the identity AWS returns (account, ARN, user id)', async () => {
    const { checked, svc } = await verifyAws();
    expect(checked.status).toBe('VALID');
    expect(checked.identity).toEqual({ account: '123456789012', arn: 'arn:aws:iam::123456789012:user/deploy-bot', userId: user.userId });
    expect(checked.error).toBeNull();
    expect(checked.diagnosis).toBeNull();
    expect(checked.lastVerifiedAt).not.toBeNull();
    expect(checked.verifying).toBe(false);
    // It was recorded in the vault, not only returned.
    expect(svc.get(checked.id)).toMatchObject({ status: 'VALID', identity: checked.identity });
    expect(callerIdentityCalls().map((r) => [r.service, r.accessKeyId, r.status])).toEqual([['sts', key.accessKeyId, 200]]);
  });

  it('signs for the credential’s own region', async () => {
    await verifyAws(key, {}, { region: 'eu-central-1' });
    expect(callerIdentityCalls()[0].region).toBe('eu-central-1');
  });

  it('is INVALID with SignatureDoesNotMatch and the wrong-secret diagnosis when the secret is wrong', async () => {
    const { checked } = await verifyAws({ accessKeyId: key.accessKeyId, secretAccessKey: fakeSecretAccessKey() });
    expect(checked.status).toBe('INVALID');
    expect(checked.error?.code).toBe('SignatureDoesNotMatch');
    expect(checked.error?.message).toMatch(/signature we calculated does not match/);
    expect(checked.diagnosis?.cause).toBe(causeOf('aws.wrong-secret'));
    expect(checked.diagnosis?.test).toBe(`aws sts get-caller-identity --region us-east-1 --endpoint-url ${aws.url}`);
    expect(checked.identity).toBeNull();
  });

  it('is INVALID with the clock-skew diagnosis when AWS says the signature expired', async () => {
    // A negative tolerance makes every signature "expired", as a machine clock far behind would.
    aws.config.clockSkewToleranceMs = -60 * 60_000;
    try {
      const { checked } = await verifyAws();
      expect(checked.status).toBe('INVALID');
      expect(checked.error?.code).toBe('SignatureDoesNotMatch');
      expect(checked.error?.message).toMatch(/Signature expired/);
      expect(checked.diagnosis?.cause).toBe(causeOf('aws.clock-skew'));
    } finally {
      aws.config.clockSkewToleranceMs = 15 * 60_000;
    }
  });

  it('is INVALID with InvalidClientTokenId when AWS does not know the key', async () => {
    const { checked } = await verifyAws({ accessKeyId: fakeAccessKeyId(), secretAccessKey: fakeSecretAccessKey() });
    expect(checked.status).toBe('INVALID');
    expect(checked.error).toEqual({ code: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.' });
    expect(checked.diagnosis?.cause).toBe(causeOf('aws.invalid-key-id'));
  });

  it('is INVALID when the key was deactivated', async () => {
    aws.state.setAccessKeyStatus(key.accessKeyId, 'Inactive');
    const { checked } = await verifyAws();
    expect(checked.status).toBe('INVALID');
    expect(checked.error?.code).toBe('InvalidClientTokenId');
  });

  it('is INVALID when the key’s IAM user was deleted, and keeps the identity it had', async () => {
    const svc = service();
    const cred = addAws(svc, key);
    expect((await svc.verify(cred.id)).status).toBe('VALID');
    aws.state.deleteUser('deploy-bot');
    const checked = await svc.verify(cred.id);
    expect(checked.status).toBe('INVALID');
    expect(checked.error?.code).toBe('InvalidClientTokenId');
  });

  describe('when AWS cannot give a verdict', () => {
    it('is UNREACHABLE when AWS throttles every call, and keeps the last good identity', async () => {
      const svc = service({ timeoutMs: 8000, maxAttempts: 3 });
      const cred = addAws(svc, key);
      const good = await svc.verify(cred.id);
      expect(good.status).toBe('VALID');

      aws.faults.add({ kind: 'throttle' });
      const checked = await svc.verify(cred.id);
      expect(checked.status).toBe('UNREACHABLE');
      expect(checked.error?.code).toBe('Throttling');
      expect(checked.error?.message).toMatch(/throttled/);
      expect(checked.diagnosis?.cause).toBe(causeOf('aws.throttled'));
      expect(checked.identity).toEqual(good.identity);
      expect(svc.get(cred.id).identity).toEqual(good.identity);
      // 1 good call, then the first attempt and 2 retries.
      expect(callerIdentityCalls().length).toBe(4);
    });

    it('is UNREACHABLE after retries when AWS answers 500', async () => {
      aws.faults.add({ kind: '5xx' });
      const { checked } = await verifyAws(key, { timeoutMs: 8000, maxAttempts: 3 });
      expect(checked.status).toBe('UNREACHABLE');
      expect(checked.error?.code).toBe('InternalFailure');
      expect(checked.diagnosis?.cause).toBe(causeOf('aws.server-error'));
      expect(callerIdentityCalls().length).toBe(3);
    });

    it('is UNREACHABLE when AWS answers 503', async () => {
      aws.faults.add({ kind: '5xx', status: 503 });
      const { checked } = await verifyAws(key, { timeoutMs: 8000, maxAttempts: 2 });
      expect(checked.status).toBe('UNREACHABLE');
      expect(checked.error?.code).toBe('ServiceUnavailable');
      expect(checked.diagnosis?.cause).toBe(causeOf('aws.server-error'));
    });

    it('is UNREACHABLE when the connection is dropped without an answer', async () => {
      aws.faults.add({ kind: 'drop' });
      const { checked } = await verifyAws(key, { timeoutMs: 8000, maxAttempts: 2 });
      expect(checked.status).toBe('UNREACHABLE');
      expect(checked.error?.code).toBe('ECONNRESET');
      expect(checked.diagnosis?.cause).toBe(causeOf('network.reset'));
    });

    it('is UNREACHABLE with TIMEOUT when AWS does not answer within the check’s deadline', async () => {
      aws.faults.add({ kind: 'timeout' });
      const started = Date.now();
      const { checked } = await verifyAws(key, { timeoutMs: 500 });
      const elapsed = Date.now() - started;
      expect(checked.status).toBe('UNREACHABLE');
      expect(checked.error?.code).toBe('TIMEOUT');
      expect(checked.diagnosis?.cause).toBe(causeOf('network.timeout'));
      expect(elapsed).toBeGreaterThanOrEqual(450);
      expect(elapsed).toBeLessThan(2000);
    });

    it('is UNREACHABLE with ECONNREFUSED and the refused-connection diagnosis on a closed port', async () => {
      const port = await closedPort();
      const { checked } = await verifyAws(key, {}, { endpointUrl: `http://127.0.0.1:${port}` });
      expect(checked.status).toBe('UNREACHABLE');
      expect(checked.error?.code).toBe('ECONNREFUSED');
      expect(checked.error?.message).toContain(`127.0.0.1:${port}`);
      expect(checked.diagnosis?.cause).toBe(causeOf('network.refused'));
      expect(checked.diagnosis?.remedy.join(' ')).toContain(`--endpoint-url http://127.0.0.1:${port}`);
    });

    it('never turns a VALID credential INVALID because the network failed', async () => {
      const svc = service();
      const cred = addAws(svc, key);
      const good = await svc.verify(cred.id);
      const port = await closedPort();
      // Point the same stored credential at a dead endpoint: the secret is kept (empty = keep).
      svc.update({ id: cred.id, fields: { endpointUrl: `http://127.0.0.1:${port}` } }, { verify: false });
      const checked = await svc.verify(cred.id);
      expect(checked.status).toBe('UNREACHABLE');
      expect(checked.identity).toEqual(good.identity);
    });
  });

  it('does not show the old key’s identity once the key was replaced and the new one could not be checked', async () => {
    const svc = service();
    const cred = addAws(svc, key);
    const old = await svc.verify(cred.id);
    expect(old.identity?.arn).toBe(user.arn);
    aws.state.createUser('someone-else', { account: '210987654321' });
    const other = aws.state.createAccessKey('someone-else', { account: '210987654321' });
    const port = await closedPort();
    svc.update({ id: cred.id, fields: { ...other, endpointUrl: `http://127.0.0.1:${port}` } }, { verify: false });
    const checked = await svc.verify(cred.id);
    expect(checked.status).toBe('UNREACHABLE');
    // The recorded identity was the old key's (another account): it says nothing about this key.
    expect(checked.identity).toBeNull();
  });

  describe('when the endpoint is not AWS (wrong Endpoint URL, captive portal, proxy)', () => {
    async function verifyAgainst(status: number, contentType: string, body: string) {
      const stub = await notAws(status, contentType, body);
      stubs.push(stub.server);
      return (await verifyAws(key, { maxAttempts: 1 }, { endpointUrl: stub.url })).checked;
    }

    it('is not VALID when a web page answers 200 instead of AWS', async () => {
      const checked = await verifyAgainst(200, 'text/html', '<html><body>Welcome! Accept the terms to get online.</body></html>');
      expect(checked.status).toBe('UNREACHABLE');
      expect(checked.error?.code).toBe('BadResponse');
      expect(checked.identity).toBeNull();
      expect(checked.diagnosis?.cause).toBe(causeOf('proxy.bad-response'));
    });

    it('is not VALID when the endpoint answers 200 with an empty body', async () => {
      const checked = await verifyAgainst(200, 'text/xml', '');
      expect(checked.status).toBe('UNREACHABLE');
      expect(checked.identity).toBeNull();
    });

    it('is not INVALID when a proxy answers 403 with its own page', async () => {
      const checked = await verifyAgainst(403, 'text/html', '<html><body>Blocked by corporate proxy</body></html>');
      expect(checked.status).toBe('UNREACHABLE');
      expect(checked.error?.code).toBe('BadResponse');
      expect(checked.diagnosis?.cause).toBe(causeOf('proxy.bad-response'));
    });

    it('is not INVALID when another service answers 404 with JSON', async () => {
      const checked = await verifyAgainst(404, 'application/json', '{"error_msg":"404 Route Not Found"}');
      expect(checked.status).toBe('UNREACHABLE');
      expect(checked.error?.code).toBe('BadResponse');
    });

    it('is UNREACHABLE when a gateway answers 502 with a web page', async () => {
      const checked = await verifyAgainst(502, 'text/html', '<html>Bad gateway</html>');
      expect(checked.status).toBe('UNREACHABLE');
    });
  });

  it('retries a throttled call and ends VALID (throttled once, 3 attempts allowed)', async () => {
    aws.faults.add({ kind: 'throttle', times: 1 });
    const { checked } = await verifyAws(key, { timeoutMs: 8000, maxAttempts: 3 });
    expect(checked.status).toBe('VALID');
    expect(callerIdentityCalls().map((r) => r.status)).toEqual([400, 200]);
  });

  it('does not retry when only one attempt is allowed', async () => {
    aws.faults.add({ kind: 'throttle', times: 1 });
    const { checked } = await verifyAws(key, { timeoutMs: 8000, maxAttempts: 1 });
    expect(checked.status).toBe('UNREACHABLE');
    expect(callerIdentityCalls()).toHaveLength(1);
  });

  it('honours AWS_ENDPOINT_URL when the credential has no endpoint of its own', async () => {
    const saved = process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL = aws.url;
    try {
      const svc = service();
      const cred = svc.add({
        name: `aws-${++n}`,
        provider: 'AWS',
        type: 'ACCESS_KEY',
        fields: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey, region: 'us-west-2' },
        verify: false,
      });
      expect(cred.fields.endpointUrl).toBeUndefined();
      const checked = await svc.verify(cred.id);
      expect(checked.status).toBe('VALID');
      expect(checked.identity?.arn).toBe(user.arn);
      expect(callerIdentityCalls()).toHaveLength(1);
      expect(callerIdentityCalls()[0].region).toBe('us-west-2');
    } finally {
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL;
      else process.env.AWS_ENDPOINT_URL = saved;
    }
  });
});

describe('APISIX verification', () => {
  function addApisix(svc: CredentialService, fields: Record<string, string> = {}) {
    return svc.add({
      name: `apisix-${++n}`,
      provider: 'APISIX',
      type: 'ADMIN_API_KEY',
      fields: { endpoint: apisix.url, adminApiKey: apisix.adminKey, ...fields },
      verify: false,
    });
  }
  async function verifyApisix(fields: Record<string, string> = {}, check: CheckOverrides = {}) {
    const svc = service(check);
    return svc.verify(addApisix(svc, fields).id);
  }

  it('is VALID when the Admin API accepts the key', async () => {
    const checked = await verifyApisix();
    expect(checked.status).toBe('VALID');
    expect(checked.identity).toBeNull();
    expect(apisix.requests.map((r) => [r.method, r.path, r.authorised, r.status])).toEqual([['GET', '/apisix/admin/routes', true, 200]]);
  });

  it('is INVALID Unauthorized, with APISIX’s message and diagnosis, for a wrong key', async () => {
    const checked = await verifyApisix({ adminApiKey: 'not-the-admin-key' });
    expect(checked.status).toBe('INVALID');
    expect(checked.error).toEqual({ code: 'Unauthorized', message: 'failed to check token' });
    expect(checked.diagnosis?.cause).toBe(causeOf('apisix.unauthorized'));
    expect(checked.diagnosis?.test).toBe(`curl -i -H 'X-API-KEY: <admin key>' ${apisix.url}/apisix/admin/routes`);
  });

  it('is UNREACHABLE after retrying 503s, and tried maxAttempts times', async () => {
    apisix.setFault({ status: 503 });
    const checked = await verifyApisix({}, { maxAttempts: 3, timeoutMs: 8000 });
    expect(checked.status).toBe('UNREACHABLE');
    expect(checked.error?.code).toBe('HTTP503');
    expect(apisix.requests).toHaveLength(3);
  });

  it('is VALID when a 503 is followed by a good answer', async () => {
    apisix.setFault({ status: 503, times: 1 });
    const checked = await verifyApisix({}, { maxAttempts: 3, timeoutMs: 8000 });
    expect(checked.status).toBe('VALID');
    expect(apisix.requests.map((r) => r.status)).toEqual([503, 200]);
  });

  it('is INVALID NotFound with the admin-port diagnosis when the path is not the Admin API', async () => {
    const checked = await verifyApisix({ endpoint: `${apisix.url}/gateway` });
    expect(checked.status).toBe('INVALID');
    expect(checked.error?.code).toBe('NotFound');
    expect(checked.error?.message).toContain(`${apisix.url}/gateway/apisix/admin/routes`);
    expect(checked.diagnosis?.cause).toBe(causeOf('apisix.not-found'));
  });

  it('is UNREACHABLE with ECONNREFUSED on a closed port', async () => {
    const port = await closedPort();
    const checked = await verifyApisix({ endpoint: `http://127.0.0.1:${port}` }, { maxAttempts: 1 });
    expect(checked.status).toBe('UNREACHABLE');
    expect(checked.error?.code).toBe('ECONNREFUSED');
    expect(checked.diagnosis?.cause).toBe(causeOf('network.refused'));
  });

  it('is UNREACHABLE with TIMEOUT when the Admin API answers too late', async () => {
    apisix.setFault({ delayMs: 1500 });
    const checked = await verifyApisix({}, { timeoutMs: 300 });
    expect(checked.status).toBe('UNREACHABLE');
    expect(checked.error?.code).toBe('TIMEOUT');
  });

  it('is not VALID when a web page answers 200 instead of the Admin API', async () => {
    const stub = await notAws(200, 'text/html', '<html><body>Welcome! Accept the terms to get online.</body></html>');
    stubs.push(stub.server);
    const checked = await verifyApisix({ endpoint: stub.url }, { maxAttempts: 1 });
    expect(checked.status).toBe('UNREACHABLE');
    expect(checked.error?.code).toBe('BadResponse');
  });

  it('is not INVALID when something redirects the request elsewhere (captive portal, login page)', async () => {
    const server = createHttpServer((req, res) => {
      res.writeHead(302, { location: 'http://login.example.invalid/portal' });
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    stubs.push(server);
    const checked = await verifyApisix({ endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }, { maxAttempts: 1 });
    expect(checked.status).toBe('UNREACHABLE');
  });

  it('redacts the key if the service echoes it in an error message', async () => {
    const key = 'leaky-admin-key-0123456789';
    apisix.setFault({ status: 403, message: `key ${key} is not allowed from this address` });
    const checked = await verifyApisix({ adminApiKey: key });
    expect(checked.status).toBe('INVALID');
    expect(checked.error).toEqual({ code: 'Forbidden', message: 'key [redacted] is not allowed from this address' });
    expect(JSON.stringify(checked)).not.toContain(key);
  });
});
