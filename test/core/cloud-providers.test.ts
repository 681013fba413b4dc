// GCP service account keys, Azure app client secrets and HashiCorp Vault tokens, checked
// end to end: CredentialService → provider → real HTTP on 127.0.0.1 → the stand-ins in
// test/support/oauth-servers.ts, which implement each provider's documented protocol.
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credential } from '../../shared/contract';
import { parseServiceAccountKey } from '../../shared/providers/gcp';
import { validateFields, type ProviderId } from '../../shared/providers';
import { AuditLog } from '../../electron/core/audit/log';
import { CredentialService } from '../../electron/core/credentials/service';
import { CATALOG } from '../../electron/core/diagnosis/catalog';
import { diagnose, findEntry } from '../../electron/core/diagnosis/diagnose';
import { DEFAULT_INVENTORY_SETTINGS, inventorySummary } from '../../electron/core/inventory/summary';
import { checkVault } from '../../electron/core/providers/vault/verify';
import { checkGcp } from '../../electron/core/providers/gcp/verify';
import { Vault } from '../../electron/core/vault/vault';
import { startGoogleTokenServer, startMicrosoftTokenServer, startVaultTestServer, type GoogleTokenServer, type MicrosoftTokenServer, type VaultTestServer } from '../support/oauth-servers';
import { fastProvider, rawVaultBytes, removeTempDirs, tempDir } from '../support/fixtures';
import { causeOf, checkingService, type CheckOverrides, expectNoSecret, closedPort, ONE_ATTEMPT as OPTS } from '../support/checks';

const TYPE: Record<'GCP' | 'AZURE' | 'VAULT', 'SERVICE_ACCOUNT_KEY' | 'CLIENT_SECRET' | 'TOKEN'> = { GCP: 'SERVICE_ACCOUNT_KEY', AZURE: 'CLIENT_SECRET', VAULT: 'TOKEN' };
const SECRET_KEYS = ['serviceAccountKey', 'clientSecret', 'token'];

let vault: Vault;
let google: GoogleTokenServer;
let microsoft: MicrosoftTokenServer;
let hv: VaultTestServer;
let n = 0;
/** Every secret a test sent, right or wrong (and each private key's PEM lines): none may show up anywhere. */
const secretsSent = new Set<string>();
/** Distinctive pieces of secrets, looked for in the vault file's plain bytes. */
const secretPieces = new Set<string>();

function remember(fields: Record<string, string>): void {
  for (const k of SECRET_KEYS) {
    const v = fields[k];
    if (!v) continue;
    secretsSent.add(v);
    secretPieces.add(v);
    const parsed = parseServiceAccountKey(v);
    if ('key' in parsed) {
      secretsSent.add(parsed.key.privateKey);
      for (const line of parsed.key.privateKey.split('\n')) if (line.length >= 60) secretPieces.add(line);
    }
  }
}

function service(check: CheckOverrides = {}): CredentialService {
  return checkingService(vault, { ...OPTS, ...check });
}

function add(svc: CredentialService, provider: 'GCP' | 'AZURE' | 'VAULT', fields: Record<string, string>): Credential {
  remember(fields);
  expect(validateFields(provider, fields)).toEqual({}); // what the form and main accept
  const cred = svc.add({ name: `${provider.toLowerCase()}-${++n}`, provider, type: TYPE[provider], fields, verify: false });
  assertNoSecret(cred);
  return cred;
}

async function verify(provider: 'GCP' | 'AZURE' | 'VAULT', fields: Record<string, string>, check: CheckOverrides = {}): Promise<Credential> {
  const svc = service(check);
  const checked = await svc.verify(add(svc, provider, fields).id);
  assertNoSecret(checked);
  return checked;
}

const assertNoSecret = (value: unknown) => expectNoSecret(value, secretsSent);

beforeAll(async () => {
  vault = await Vault.init(tempDir(), fastProvider());
  google = await startGoogleTokenServer();
  microsoft = await startMicrosoftTokenServer();
  hv = await startVaultTestServer();
});

afterAll(async () => {
  // Nothing the tests sent as a secret is in the audit log or in clear in the vault file.
  assertNoSecret(new AuditLog(vault, 'desktop').list({}));
  const raw = rawVaultBytes(vault.path);
  expect(secretPieces.size).toBeGreaterThan(10);
  for (const s of secretPieces) expect(raw.includes(Buffer.from(s))).toBe(false);
  vault.close();
  await google?.close();
  await microsoft?.close();
  await hv?.close();
  removeTempDirs();
});

describe('GCP service account keys (OAuth 2.0 JWT bearer grant)', () => {
  let acct = 0;
  function newKey() {
    const email = google.createServiceAccount(`svc-${++acct}`, 'keyward-prod');
    return { email, ...google.createKey(email) };
  }

  it('is VALID with the service account and project as identity, after a correctly signed JWT bearer request', async () => {
    const k = newKey();
    google.requests.length = 0;
    const checked = await verify('GCP', { serviceAccountKey: k.json });
    expect(checked.status).toBe('VALID');
    expect(checked.identity).toEqual({ principal: k.email, project: 'keyward-prod' });
    expect(checked.error).toBeNull();
    // Only the non-secret parts of the key file are public fields; the JSON is the secret.
    expect(checked.fields).toEqual({ clientEmail: k.email, projectId: 'keyward-prod', keyId: k.privateKeyId });
    expect(checked.secretFields).toEqual(['serviceAccountKey']);
    expect(google.requests).toEqual([
      {
        grantType: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        iss: k.email,
        kid: k.privateKeyId,
        aud: google.tokenUrl,
        scope: 'https://www.googleapis.com/auth/cloud-platform.read-only',
        lifetimeS: 3600,
        status: 200,
        error: null,
      },
    ]);
  });

  it('is INVALID "Invalid JWT Signature." with the key-deleted diagnosis when the key was deleted', async () => {
    const k = newKey();
    google.deleteKey(k.email, k.privateKeyId);
    const checked = await verify('GCP', { serviceAccountKey: k.json });
    expect(checked.status).toBe('INVALID');
    expect(checked.error).toEqual({ code: 'InvalidJwtSignature', message: 'invalid_grant: Invalid JWT Signature.' });
    expect(checked.diagnosis?.cause).toBe(causeOf('gcp.invalid-signature'));
    expect(checked.diagnosis?.test).toBe(`gcloud iam service-accounts keys list --iam-account=${k.email} --project=keyward-prod`);
    expect(checked.diagnosis?.link).toMatch(/^https:\/\/cloud\.google\.com\//);
  });

  it('is INVALID "Invalid JWT Signature." when the JSON holds another key’s private key', async () => {
    const k = newKey();
    const other = newKey();
    const forged = JSON.stringify({ ...JSON.parse(k.json), private_key: other.privateKey });
    const checked = await verify('GCP', { serviceAccountKey: forged });
    expect(checked.status).toBe('INVALID');
    expect(checked.error?.code).toBe('InvalidJwtSignature');
  });

  it('is INVALID "account not found" with its own diagnosis when the service account was deleted', async () => {
    const k = newKey();
    google.deleteAccount(k.email);
    const checked = await verify('GCP', { serviceAccountKey: k.json });
    expect(checked.status).toBe('INVALID');
    expect(checked.error).toEqual({ code: 'AccountNotFound', message: 'invalid_grant: Invalid grant: account not found' });
    expect(checked.diagnosis?.cause).toBe(causeOf('gcp.account-not-found'));
    expect(checked.diagnosis?.test).toBe(`gcloud iam service-accounts describe ${k.email} --project=keyward-prod`);
  });

  it('is INVALID with the disabled diagnosis when the service account is disabled', async () => {
    const k = newKey();
    google.disableAccount(k.email);
    const checked = await verify('GCP', { serviceAccountKey: k.json });
    expect(checked.status).toBe('INVALID');
    expect(checked.error).toEqual({ code: 'ServiceAccountDisabled', message: 'disabled_client: The OAuth client was disabled.' });
    expect(checked.diagnosis?.cause).toBe(causeOf('gcp.disabled'));
    // A disabled key of an enabled account answers the same way.
    const other = newKey();
    google.disableKey(other.email, other.privateKeyId);
    expect((await verify('GCP', { serviceAccountKey: other.json })).error?.code).toBe('ServiceAccountDisabled');
  });

  it('is INVALID with the clock diagnosis when this machine’s clock is two hours off', async () => {
    const k = newKey();
    google.clockSkewMs = 2 * 3600_000;
    try {
      const checked = await verify('GCP', { serviceAccountKey: k.json });
      expect(checked.status).toBe('INVALID');
      expect(checked.error?.code).toBe('InvalidJwtTime');
      expect(checked.error?.message).toMatch(/short-lived token/);
      expect(checked.diagnosis?.cause).toBe(causeOf('gcp.clock'));
    } finally {
      google.clockSkewMs = 0;
    }
  });

  it('is UNREACHABLE (never INVALID) with the refused diagnosis when the token endpoint is closed', async () => {
    const k = newKey();
    const port = await closedPort();
    const checked = await verify('GCP', { serviceAccountKey: k.json, endpointUrl: `http://127.0.0.1:${port}/token` });
    expect(checked.status).toBe('UNREACHABLE');
    expect(checked.error?.code).toBe('ECONNREFUSED');
    expect(checked.diagnosis?.cause).toBe(causeOf('network.refused'));
    expect(checked.diagnosis?.test).toBe(`gcloud auth activate-service-account ${k.email} --key-file=KEY.json && gcloud auth print-access-token ${k.email}`);
  });

  it('is UNREACHABLE with the TransportError diagnosis when the connection drops before an answer', async () => {
    const k = newKey();
    const dropper = createServer((socket) => socket.destroy());
    await new Promise<void>((r) => dropper.listen(0, '127.0.0.1', r));
    try {
      const { port } = dropper.address() as AddressInfo;
      const checked = await verify('GCP', { serviceAccountKey: k.json, endpointUrl: `http://127.0.0.1:${port}/token` }, { maxAttempts: 2 });
      expect(checked.status).toBe('UNREACHABLE');
      expect(['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE']).toContain(checked.error?.code);
      expect(checked.diagnosis?.cause).toBe(causeOf('gcp.transport'));
    } finally {
      await new Promise<void>((r) => dropper.close(() => r()));
    }
  });

  it('is UNREACHABLE after retrying 503s, having tried maxAttempts times', async () => {
    const k = newKey();
    google.requests.length = 0;
    const before = google.hits;
    google.setFault({ status: 503 });
    try {
      const checked = await verify('GCP', { serviceAccountKey: k.json }, { maxAttempts: 3, timeoutMs: 8000 });
      expect(checked.status).toBe('UNREACHABLE');
      expect(checked.error?.code).toBe('HTTP503');
    } finally {
      google.setFault(null);
    }
    expect(google.hits - before).toBe(3);
    expect(google.requests).toHaveLength(0); // the fault answered before the token endpoint logic
  });

  it('is VALID when a 503 is followed by a good answer (retry with a freshly signed JWT)', async () => {
    const k = newKey();
    google.requests.length = 0;
    const before = google.hits;
    google.setFault({ status: 503, times: 1 });
    const checked = await verify('GCP', { serviceAccountKey: k.json }, { maxAttempts: 3, timeoutMs: 8000 });
    expect(checked.status).toBe('VALID');
    expect(google.requests.map((r) => r.status)).toEqual([200]);
    expect(google.hits - before).toBe(2);
  });

  it('says what is wrong with a malformed key JSON, never quoting the private key', () => {
    const k = newKey();
    const good = JSON.parse(k.json) as Record<string, string>;
    const cases: Array<[string, RegExp]> = [
      ['{"type": "service_account",', /not valid JSON/],
      [JSON.stringify({ ...good, type: 'authorized_user' }), /not a service account key \(authorized_user\)/],
      // Any other "type" is not quoted back: validation never repeats what was pasted.
      [JSON.stringify({ ...good, type: good.private_key.slice(30, 90) }), /not a service account key \(its "type" is not "service_account"\)/],
      [JSON.stringify({ ...good, client_email: undefined, token_uri: undefined }), /missing "client_email", "token_uri"/],
      [JSON.stringify({ ...good, private_key: good.private_key.slice(0, 200) }), /not a PEM private key/],
      [JSON.stringify({ ...good, token_uri: 'ftp://example.com/token' }), /must start with http/],
    ];
    secretsSent.add(good.private_key.slice(0, 200));
    secretsSent.add(good.private_key.slice(30, 90));
    for (const [json, message] of cases) {
      const errors = validateFields('GCP', { serviceAccountKey: json });
      expect(errors.serviceAccountKey).toMatch(message);
      expect(() => service().add({ name: `bad-gcp-${++n}`, provider: 'GCP', type: 'SERVICE_ACCOUNT_KEY', fields: { serviceAccountKey: json }, verify: false })).toThrow(message);
      assertNoSecret(errors);
    }
  });

  it('refuses a derived public field given by hand, and re-derives them when the key is replaced', async () => {
    const k = newKey();
    expect(validateFields('GCP', { serviceAccountKey: k.json, clientEmail: 'someone@else.example' })).toEqual({
      clientEmail: 'Service account is read from the other fields when saved; it cannot be set.',
    });
    const svc = service();
    const cred = add(svc, 'GCP', { serviceAccountKey: k.json });
    const next = google.createKey(k.email);
    remember({ serviceAccountKey: next.json });
    const edited = svc.update({ id: cred.id, fields: { serviceAccountKey: next.json } }, { verify: false });
    expect(edited.fields.keyId).toBe(next.privateKeyId);
    expect(edited.fields.clientEmail).toBe(k.email);
  });

  it('throws (no verdict) when the check is cancelled', async () => {
    const k = newKey();
    google.setFault({ delayMs: 2000 });
    try {
      const ac = new AbortController();
      const p = checkGcp({}, { serviceAccountKey: k.json }, { ...OPTS, signal: ac.signal });
      setTimeout(() => ac.abort(new Error('cancelled by the admin')), 100);
      await expect(p).rejects.toThrow('cancelled by the admin');
    } finally {
      google.setFault(null);
    }
  });
});

describe('Azure app client secrets (client credentials grant)', () => {
  function newApp(expiresAt?: Date) {
    const tenantId = microsoft.createTenant();
    const clientId = microsoft.createApp(tenantId);
    const clientSecret = microsoft.addSecret(tenantId, clientId, expiresAt);
    return { tenantId, clientId, clientSecret, authorityHost: microsoft.url };
  }

  it('is VALID with the tenant and app id read from the access token', async () => {
    const app = newApp();
    microsoft.requests.length = 0;
    const checked = await verify('AZURE', { ...app, expiresAt: '2099-12-31' });
    expect(checked.status).toBe('VALID');
    expect(checked.identity).toEqual({ principal: app.clientId, appId: app.clientId, tenant: app.tenantId });
    expect(checked.fields).toEqual({ tenantId: app.tenantId, clientId: app.clientId, expiresAt: '2099-12-31', authorityHost: microsoft.url });
    expect(microsoft.requests).toEqual([
      { tenant: app.tenantId, clientId: app.clientId, grantType: 'client_credentials', scope: 'https://graph.microsoft.com/.default', secretSent: true, status: 200, aadsts: null },
    ]);
  });

  it('is VALID with the tenant given as its domain', async () => {
    const tenantId = microsoft.createTenant('contoso-keyward.onmicrosoft.com');
    const clientId = microsoft.createApp(tenantId);
    const checked = await verify('AZURE', { tenantId: 'contoso-keyward.onmicrosoft.com', clientId, clientSecret: microsoft.addSecret(tenantId, clientId), authorityHost: microsoft.url });
    expect(checked.status).toBe('VALID');
    expect(checked.identity?.tenant).toBe(tenantId);
  });

  it('is INVALID AADSTS7000215 with the invalid-secret diagnosis for a wrong secret', async () => {
    const app = newApp();
    const checked = await verify('AZURE', { ...app, clientSecret: 'Xy98Q~not-the-secret-value-at-all-000000' });
    expect(checked.status).toBe('INVALID');
    expect(checked.error?.code).toBe('AADSTS7000215');
    expect(checked.error?.message).toMatch(/^invalid_client: AADSTS7000215: Invalid client secret provided\./);
    expect(checked.error?.message).not.toMatch(/Trace ID/);
    expect(checked.diagnosis?.cause).toBe(causeOf('azure.invalid-secret'));
    expect(checked.diagnosis?.test).toBe(`read -rs AZ_SECRET && az login --service-principal -u ${app.clientId} -p "$AZ_SECRET" --tenant ${app.tenantId} --allow-no-subscriptions`);
    expect(checked.diagnosis?.found).toBeUndefined();
  });

  it('is INVALID AADSTS7000222 with the expired-secret diagnosis, and warns from the recorded expiry date', async () => {
    const app = newApp(new Date(Date.now() - 86_400_000 * 3));
    const expiresAt = new Date(Date.now() - 86_400_000 * 3).toISOString().slice(0, 10);
    const checked = await verify('AZURE', { ...app, expiresAt });
    expect(checked.status).toBe('INVALID');
    expect(checked.error?.code).toBe('AADSTS7000222');
    expect(checked.diagnosis?.cause).toBe(causeOf('azure.expired-secret'));
    expect(checked.diagnosis?.found).toContain(`${expiresAt}, has passed`);
    expect(checked.diagnosis?.test).toBe(`az ad app credential list --id ${app.clientId}`);
  });

  it('is INVALID AADSTS700016 when the application is not in the tenant', async () => {
    const app = newApp();
    microsoft.deleteApp(app.tenantId, app.clientId);
    const checked = await verify('AZURE', app);
    expect(checked.status).toBe('INVALID');
    expect(checked.error?.code).toBe('AADSTS700016');
    expect(checked.diagnosis?.cause).toBe(causeOf('azure.app-not-found'));
  });

  it('is INVALID AADSTS90002 when the tenant does not exist', async () => {
    const app = newApp();
    const tenantId = '0e0e0e0e-1111-2222-3333-444444444444';
    const checked = await verify('AZURE', { ...app, tenantId });
    expect(checked.status).toBe('INVALID');
    expect(checked.error?.code).toBe('AADSTS90002');
    expect(checked.diagnosis?.cause).toBe(causeOf('azure.tenant-not-found'));
    expect(checked.diagnosis?.test).toBe(`curl -s ${microsoft.url}/${tenantId}/v2.0/.well-known/openid-configuration`);
  });

  it('is UNREACHABLE (never INVALID) on a closed port, and still warns that the recorded expiry date has passed', async () => {
    const app = newApp();
    const port = await closedPort();
    const checked = await verify('AZURE', { ...app, authorityHost: `http://127.0.0.1:${port}`, expiresAt: '2020-01-31' });
    expect(checked.status).toBe('UNREACHABLE');
    expect(checked.error?.code).toBe('ECONNREFUSED');
    expect(checked.diagnosis?.cause).toBe(causeOf('network.refused'));
    expect(checked.diagnosis?.found).toContain('2020-01-31, has passed');
  });

  it('is UNREACHABLE after "temporarily unavailable" 503s, with its diagnosis', async () => {
    const app = newApp();
    const before = microsoft.hits;
    microsoft.setFault({ status: 503 });
    try {
      const checked = await verify('AZURE', app, { maxAttempts: 2, timeoutMs: 8000 });
      expect(microsoft.hits - before).toBe(2);
      expect(checked.status).toBe('UNREACHABLE');
      expect(checked.error?.code).toBe('temporarily_unavailable');
      expect(checked.diagnosis?.cause).toBe(causeOf('azure.unavailable'));
    } finally {
      microsoft.setFault(null);
    }
  });

  it('validates the fields with messages that say what to do', () => {
    const ok = { tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', clientId: '11111111-2222-3333-4444-555555555555', clientSecret: 'abc8Q~secretvalue' };
    expect(validateFields('AZURE', ok)).toEqual({});
    expect(validateFields('AZURE', { ...ok, tenantId: 'common' }).tenantId).toMatch(/not a tenant/);
    expect(validateFields('AZURE', { ...ok, clientId: 'my-app' }).clientId).toMatch(/is a GUID/);
    expect(validateFields('AZURE', { ...ok, clientSecret: '9a8b7c6d-1111-2222-3333-444444444444' }).clientSecret).toMatch(/Secret ID/);
    expect(validateFields('AZURE', { ...ok, expiresAt: '2025-02-30' }).expiresAt).toMatch(/not a real date/);
    expect(validateFields('AZURE', { ...ok, expiresAt: '31/12/2025' }).expiresAt).toMatch(/YYYY-MM-DD/);
  });
});

describe('HashiCorp Vault tokens (auth/token/lookup-self)', () => {
  const fields = (token: string, over: Record<string, string> = {}) => ({ address: hv.url, token, ...over });

  it('is VALID with the display name, policies and expiry as identity, sending the token only in X-Vault-Token', async () => {
    const token = hv.createToken({ displayName: 'token-ci-deploy', policies: ['default', 'ci-read'], ttlS: 30 * 24 * 3600 });
    hv.requests.length = 0;
    const checked = await verify('VAULT', fields(token));
    expect(checked.status).toBe('VALID');
    expect(checked.identity).toMatchObject({ principal: 'token-ci-deploy', policies: ['default', 'ci-read'] });
    expect(Date.parse(checked.identity!.expiresAt!)).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    expect(checked.identity?.warning).toBeUndefined();
    expect(hv.requests).toEqual([{ path: '/v1/auth/token/lookup-self', namespace: null, tokenSent: true, status: 200 }]);
  });

  it('warns when the token expires within 24 hours', async () => {
    const checked = await verify('VAULT', fields(hv.createToken({ ttlS: 3 * 3600 })));
    expect(checked.status).toBe('VALID');
    expect(checked.identity?.warning).toMatch(/^The token expires in 2 h 59 min|^The token expires in 3 h 0 min/);
  });

  it('is VALID without expiry or warning for a token that never expires', async () => {
    const checked = await verify('VAULT', fields(hv.createToken({ policies: ['root'], ttlS: 0, displayName: 'root' })));
    expect(checked.status).toBe('VALID');
    expect(checked.identity).toEqual({ principal: 'root', policies: ['root'] });
  });

  it('is INVALID "invalid token" with the runbook’s `vault token lookup` for an unknown token', async () => {
    const checked = await verify('VAULT', fields('hvs.not-a-token-vault-knows'));
    expect(checked.status).toBe('INVALID');
    expect(checked.error?.code).toBe('InvalidToken');
    expect(checked.error?.message).toMatch(/permission denied/);
    expect(checked.diagnosis?.cause).toBe(causeOf('vault.invalid-token'));
    expect(checked.diagnosis?.test).toBe(`VAULT_ADDR=${hv.url} vault token lookup`);
  });

  it('is INVALID "invalid token" for a revoked token', async () => {
    const token = hv.createToken();
    hv.revoke(token);
    const checked = await verify('VAULT', fields(token));
    expect(checked.status).toBe('INVALID');
    expect(checked.error?.code).toBe('InvalidToken');
  });

  it('says "token expired" when a token Keyward saw valid has passed its expire_time', async () => {
    const svc = service();
    const cred = add(svc, 'VAULT', fields(hv.createToken({ ttlS: 1, displayName: 'short-lived' })));
    const first = await svc.verify(cred.id);
    expect(first.status).toBe('VALID');
    await new Promise((r) => setTimeout(r, 1200));
    const second = await svc.verify(cred.id);
    assertNoSecret(second);
    expect(second.status).toBe('INVALID');
    expect(second.error?.code).toBe('InvalidToken');
    expect(second.diagnosis?.cause).toBe(causeOf('vault.token-expired').replace('{expiresAt}', first.identity!.expiresAt!));
    expect(second.diagnosis?.found).toContain(first.identity!.expiresAt!);
  });

  it('is INVALID "permission denied" with the policy diagnosis for a token without the default policy', async () => {
    const checked = await verify('VAULT', fields(hv.createToken({ policies: ['ci-read'] })));
    expect(checked.status).toBe('INVALID');
    expect(checked.error?.code).toBe('PermissionDenied');
    expect(checked.error?.message).not.toMatch(/invalid token/);
    expect(checked.diagnosis?.cause).toBe(causeOf('vault.permission-denied'));
  });

  it('sends the namespace in X-Vault-Namespace, and a token of another namespace is not found', async () => {
    const token = hv.createToken({ namespace: 'admin/team-a', displayName: 'team-a' });
    hv.requests.length = 0;
    const inside = await verify('VAULT', fields(token, { namespace: 'admin/team-a' }));
    expect(inside.status).toBe('VALID');
    expect(hv.requests[0].namespace).toBe('admin/team-a');
    expect(inside.diagnosis).toBeNull();
    const outside = await verify('VAULT', fields(token));
    expect(outside.status).toBe('INVALID');
    expect(outside.error?.code).toBe('InvalidToken');
  });

  it('is UNREACHABLE (never INVALID) when Vault is sealed, without retrying, and keeps the last good identity', async () => {
    const svc = service({ maxAttempts: 3 });
    const cred = add(svc, 'VAULT', fields(hv.createToken({ displayName: 'kept' })));
    expect((await svc.verify(cred.id)).status).toBe('VALID');
    hv.sealed = true;
    hv.requests.length = 0;
    try {
      const checked = await svc.verify(cred.id);
      expect(checked.status).toBe('UNREACHABLE');
      expect(checked.error).toEqual({ code: 'VaultSealed', message: 'Vault answered 503: Vault is sealed.' });
      expect(checked.diagnosis?.cause).toBe(causeOf('vault.sealed'));
      expect(checked.diagnosis?.test).toBe(`VAULT_ADDR=${hv.url} vault status`);
      expect(checked.identity?.principal).toBe('kept');
      expect(hv.requests).toHaveLength(1);
    } finally {
      hv.sealed = false;
    }
  });

  it('is UNREACHABLE after retrying 500s, tried maxAttempts times', async () => {
    const token = hv.createToken();
    const before = hv.hits;
    hv.setFault({ status: 500 });
    try {
      const checked = await verify('VAULT', fields(token), { maxAttempts: 3, timeoutMs: 8000 });
      expect(hv.hits - before).toBe(3);
      expect(checked.status).toBe('UNREACHABLE');
      expect(checked.error?.code).toBe('HTTP500');
      expect(checked.diagnosis?.cause).toBe(causeOf('vault.server-error'));
    } finally {
      hv.setFault(null);
    }
  });

  it('is UNREACHABLE on a closed port, with the shared refused diagnosis', async () => {
    const port = await closedPort();
    const checked = await verify('VAULT', fields(hv.createToken(), { address: `http://127.0.0.1:${port}` }));
    expect(checked.status).toBe('UNREACHABLE');
    expect(checked.error?.code).toBe('ECONNREFUSED');
    expect(checked.diagnosis?.cause).toBe(causeOf('network.refused'));
  });

  it('is UNREACHABLE TIMEOUT when Vault does not answer within timeoutMs', async () => {
    hv.setFault({ delayMs: 1500 });
    try {
      const started = Date.now();
      const checked = await verify('VAULT', fields(hv.createToken()), { timeoutMs: 300, maxAttempts: 3 });
      expect(checked.status).toBe('UNREACHABLE');
      expect(checked.error?.code).toBe('TIMEOUT');
      expect(Date.now() - started).toBeLessThan(1400);
    } finally {
      hv.setFault(null);
    }
  });

  it('throws (no verdict) when the check is cancelled', async () => {
    hv.setFault({ delayMs: 2000 });
    try {
      const ac = new AbortController();
      const p = checkVault({ address: hv.url }, { token: hv.createToken() }, { ...OPTS, signal: ac.signal });
      setTimeout(() => ac.abort(new Error('cancelled by the admin')), 100);
      await expect(p).rejects.toThrow('cancelled by the admin');
    } finally {
      hv.setFault(null);
    }
  });

  it('validates the fields', () => {
    expect(validateFields('VAULT', { address: 'vault.example.com:8200', token: 'hvs.x' }).address).toMatch(/full URL/);
    expect(validateFields('VAULT', { address: 'https://vault.example.com', token: 'hvs.x y' }).token).toMatch(/spaces/);
    expect(validateFields('VAULT', { address: 'https://vault.example.com', token: 'hvs.x', namespace: '/admin' }).namespace).toMatch(/without a leading slash/);
  });
});

describe('the inventory summary', () => {
  it('counts Azure secrets past or near their recorded expiry date and Vault tokens near their expire_time', async () => {
    const svc = service();
    const day = 86_400_000;
    const date = (offsetDays: number) => new Date(Date.now() + offsetDays * day).toISOString().slice(0, 10);
    const azure = (expiresAt: string) =>
      add(svc, 'AZURE', { tenantId: 'contoso.onmicrosoft.com', clientId: '11111111-2222-3333-4444-555555555555', clientSecret: `Ab18Q~inventory-${++n}`, expiresAt }).id;
    const past = azure(date(-3));
    const soon = azure(date(5));
    const later = azure(date(60));
    const vaultCred = add(svc, 'VAULT', { address: hv.url, token: hv.createToken({ ttlS: 3 * 3600 }) });
    expect((await svc.verify(vaultCred.id)).identity?.expiresAt).toBeDefined();
    const mine = new Set([past, soon, later, vaultCred.id]);
    const creds = svc.repo.list().filter((c) => mine.has(c.id));
    const summary = inventorySummary(creds, new Map(), new Map(), null, DEFAULT_INVENTORY_SETTINGS);
    expect(summary.expiringSecrets).toEqual({ expired: 1, expiringSoon: 2, credentialIds: expect.arrayContaining([past, soon, vaultCred.id]) });
    expect(summary.expiringSecrets?.credentialIds).not.toContain(later);
    // The same three make the Inventory's figure, whose tile filters the credentials table.
    expect(summary.figures.secretsExpiring).toBe(3);
  });
});

describe('catalog', () => {
  it('has a cause, remedy, and link for every GCP, Azure and Vault entry, and no secret-shaped text', () => {
    const ids = [
      'gcp.invalid-signature',
      'gcp.account-not-found',
      'gcp.disabled',
      'gcp.clock',
      'gcp.invalid-grant',
      'gcp.transport',
      'azure.invalid-secret',
      'azure.expired-secret',
      'azure.app-not-found',
      'azure.tenant-not-found',
      'azure.client-authentication',
      'vault.invalid-token',
      'vault.token-expired',
      'vault.permission-denied',
      'vault.sealed',
    ];
    for (const id of ids) {
      const e = CATALOG.find((x) => x.id === id);
      expect(e, id).toBeDefined();
      expect(e!.cause.length).toBeGreaterThan(30);
      expect(e!.remedy.length).toBeGreaterThan(0);
      expect(['GCP', 'AZURE', 'VAULT'] as ProviderId[]).toContain(e!.provider);
    }
    expect(CATALOG.filter((e) => ['GCP', 'AZURE', 'VAULT'].includes(e.provider) && e.id !== 'gcp.transport').every((e) => e.link?.startsWith('https://'))).toBe(true);
  });

  it('reaches every cloud entry by its codes, fills in {test}, and keeps "connection refused" on the shared entry', () => {
    const cloud = CATALOG.filter((e) => ['GCP', 'AZURE', 'VAULT'].includes(e.provider));
    expect(cloud.length).toBeGreaterThanOrEqual(19);
    for (const entry of cloud) {
      const provider = entry.provider as ProviderId;
      expect(
        entry.codes.some((code) => findEntry(provider, { code, message: 'no particular wording' })?.id === entry.id),
        entry.id,
      ).toBe(true);
      const d = diagnose({
        provider,
        status: 'INVALID',
        error: { code: entry.codes[0], message: '' },
        fields: { address: 'https://vault:8200', tenantId: 'contoso.onmicrosoft.com', clientId: '11111111-2222-3333-4444-555555555555', clientEmail: 'a@p.iam.gserviceaccount.com' },
      });
      expect(d.remedy.join('\n'), entry.id).not.toContain('{test}');
      expect(d.test, entry.id).not.toMatch(/<|>/);
    }
    for (const provider of ['GCP', 'AZURE', 'VAULT'] as const) expect(findEntry(provider, { code: 'ECONNREFUSED', message: '' })?.id).toBe('network.refused');
    expect(findEntry('AWS', { code: 'InvalidToken', message: '' })).toBeNull();
    expect(findEntry('VAULT', { code: 'AADSTS7000215', message: '' })).toBeNull();
  });
});
