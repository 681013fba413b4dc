// Stand-ins for three providers' credential endpoints, on 127.0.0.1 and a free port each,
// implementing the documented protocols closely enough that a wrong credential fails for
// the reason the real service gives:
//
// - Google's OAuth 2.0 token endpoint for service accounts (JWT bearer grant, RFC 7523,
//   developers.google.com/identity/protocols/oauth2/service-account): it issues service
//   account keys (real RSA key pairs, JSON in Google's key-file format), verifies the
//   assertion's RS256 signature with the public key of the key named by `kid`, checks
//   iss, aud, scope, iat and exp, and answers Google's error bodies.
// - The Microsoft identity platform's v2.0 token endpoint, client credentials grant
//   (learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow): it
//   checks tenant, client id, secret and secret expiry, answering AADSTS errors in
//   Microsoft's JSON shape, and issues a signed JWT access token with appid and tid.
// - HashiCorp Vault's GET /v1/auth/token/lookup-self (developer.hashicorp.com/vault/
//   api-docs/auth/token): tokens that can be valid, revoked, expired, limited by policy,
//   or in a namespace, and a sealed mode that answers 503 "Vault is sealed".
//
// Secrets are never recorded in the request logs. Nothing here listens beyond loopback.
import { createSign, createVerify, generateKeyPairSync, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Fault {
  /** Answer with this status (and a JSON error body) instead of the normal answer. */
  status?: number;
  /** Wait this long before answering. */
  delayMs?: number;
  /** How many requests the fault applies to; unlimited when absent. */
  times?: number;
}

interface Base {
  url: string;
  port: number;
  /** Every request received, injected faults included. */
  readonly hits: number;
  setFault(fault: Fault | null): void;
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, body: string) => { status: number; body: unknown; headers?: Record<string, string> };

async function listen(handler: Handler, faultBody: (status: number) => unknown): Promise<Base> {
  let fault: (Fault & { left: number }) | null = null;
  let hits = 0;
  const server: Server = createServer((req, res: ServerResponse) => {
    hits++;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const active = fault && fault.left > 0 ? fault : null;
        if (active) active.left--;
        if (active?.delayMs) await new Promise((r) => setTimeout(r, active.delayMs));
        if (res.destroyed) return;
        const out = active?.status ? { status: active.status, body: faultBody(active.status) } : handler(req, Buffer.concat(chunks).toString('utf8'));
        res.writeHead(out.status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...(out as { headers?: Record<string, string> }).headers });
        res.end(JSON.stringify(out.body));
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get hits() {
      return hits;
    },
    setFault(f) {
      fault = f ? { ...f, left: f.times ?? Number.POSITIVE_INFINITY } : null;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const b64urlJson = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
function parseJwt(jwt: string): { header: Record<string, unknown>; claims: Record<string, unknown>; input: string; signature: Buffer } | null {
  const parts = jwt.split('.');
  if (parts.length !== 3) return null;
  try {
    return {
      header: JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as Record<string, unknown>,
      claims: JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Record<string, unknown>,
      input: `${parts[0]}.${parts[1]}`,
      signature: Buffer.from(parts[2], 'base64url'),
    };
  } catch {
    return null;
  }
}

// ---- Google ------------------------------------------------------------------------------

export interface GoogleRequest {
  grantType: string | null;
  iss: string | null;
  kid: string | null;
  aud: string | null;
  scope: string | null;
  lifetimeS: number | null;
  status: number;
  error: string | null;
}

interface GoogleKey {
  id: string;
  publicKey: KeyObject;
  disabled: boolean;
  deleted: boolean;
}
interface GoogleAccount {
  email: string;
  project: string;
  disabled: boolean;
  deleted: boolean;
  keys: GoogleKey[];
}

export interface GoogleTokenServer extends Base {
  tokenUrl: string;
  requests: GoogleRequest[];
  /** Added to the server's clock: a positive value makes this machine's clock look late. */
  clockSkewMs: number;
  createServiceAccount(name: string, project?: string): string;
  /** A new key for the account, as the JSON key file Google downloads. */
  createKey(email: string): { json: string; privateKeyId: string; privateKey: string };
  deleteKey(email: string, keyId: string): void;
  disableKey(email: string, keyId: string): void;
  disableAccount(email: string): void;
  deleteAccount(email: string): void;
}

const SHORT_LIVED = 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.';

export async function startGoogleTokenServer(): Promise<GoogleTokenServer> {
  const accounts = new Map<string, GoogleAccount>();
  const requests: GoogleRequest[] = [];
  const state = { clockSkewMs: 0 };

  const handler: Handler = (req, raw) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const form = new URLSearchParams(raw);
    const jwt = parseJwt(form.get('assertion') ?? '');
    const record: GoogleRequest = {
      grantType: form.get('grant_type'),
      iss: typeof jwt?.claims.iss === 'string' ? jwt.claims.iss : null,
      kid: typeof jwt?.header.kid === 'string' ? jwt.header.kid : null,
      aud: typeof jwt?.claims.aud === 'string' ? jwt.claims.aud : null,
      scope: typeof jwt?.claims.scope === 'string' ? jwt.claims.scope : null,
      lifetimeS: typeof jwt?.claims.exp === 'number' && typeof jwt.claims.iat === 'number' ? jwt.claims.exp - jwt.claims.iat : null,
      status: 0,
      error: null,
    };
    const answer = (status: number, body: Record<string, unknown>) => {
      record.status = status;
      record.error = typeof body.error === 'string' ? body.error : null;
      requests.push(record);
      return { status, body };
    };
    const fail = (error: string, description: string, status = 400) => answer(status, { error, error_description: description });
    if (req.method !== 'POST' || path !== '/token') return answer(404, { error: { code: 404, message: 'Not Found' } });
    if (record.grantType !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') return fail('unsupported_grant_type', `Invalid grant_type: ${record.grantType ?? ''}`);
    if (!jwt) return fail('invalid_grant', 'Invalid JWT: the assertion is not a JWT.');
    if (jwt.header.alg !== 'RS256') return fail('invalid_grant', 'Invalid JWT Signature.');
    if (record.aud !== server.tokenUrl) return fail('invalid_grant', `Invalid JWT: Failed audience check. The right audience is ${server.tokenUrl}`);
    const now = (Date.now() + state.clockSkewMs) / 1000;
    const { iat, exp } = jwt.claims as { iat?: unknown; exp?: unknown };
    if (typeof iat !== 'number' || typeof exp !== 'number' || exp - iat > 3600 || exp <= iat || iat > now + 300 || exp < now - 300) return fail('invalid_grant', SHORT_LIVED);
    const account = record.iss ? accounts.get(record.iss) : undefined;
    if (!account || account.deleted) return fail('invalid_grant', 'Invalid grant: account not found');
    // Google looks the key up by kid; a deleted key (or one of another account) cannot verify the signature.
    const key = account.keys.find((k) => k.id === record.kid && !k.deleted);
    const verified = key ? createVerify('RSA-SHA256').update(jwt.input).verify(key.publicKey, jwt.signature) : false;
    if (!key || !verified) return fail('invalid_grant', 'Invalid JWT Signature.');
    // Google's table of service-account JWT errors: a disabled account or key is disabled_client (HTTP 401).
    if (account.disabled || key.disabled) return fail('disabled_client', 'The OAuth client was disabled.', 401);
    if (!record.scope) return fail('invalid_scope', 'Empty or missing scope not allowed.');
    return answer(200, { access_token: `ya29.${randomBytes(48).toString('base64url')}`, expires_in: 3599, token_type: 'Bearer' });
  };

  const base = await listen(handler, (status) => ({ error: 'internal_failure', error_description: `injected fault ${status}` }));
  const find = (email: string) => {
    const a = accounts.get(email);
    if (!a) throw new Error(`no service account ${email}`);
    return a;
  };
  const server: GoogleTokenServer = {
    ...base,
    // A spread copies a getter's value once: read the live count from base.
    get hits() {
      return base.hits;
    },
    tokenUrl: `${base.url}/token`,
    requests,
    get clockSkewMs() {
      return state.clockSkewMs;
    },
    set clockSkewMs(v: number) {
      state.clockSkewMs = v;
    },
    createServiceAccount(name, project = 'keyward-test-project') {
      const email = `${name}@${project}.iam.gserviceaccount.com`;
      accounts.set(email, { email, project, disabled: false, deleted: false, keys: [] });
      return email;
    },
    createKey(email) {
      const account = find(email);
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      const id = randomBytes(20).toString('hex');
      account.keys.push({ id, publicKey, disabled: false, deleted: false });
      const file = {
        type: 'service_account',
        project_id: account.project,
        private_key_id: id,
        private_key: pem,
        client_email: email,
        client_id: String(100000000000000000000n + BigInt(accounts.size)),
        auth_uri: 'https://accounts.google.com/o/oauth2/auth',
        token_uri: server.tokenUrl,
        auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
        client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encodeURIComponent(email)}`,
        universe_domain: 'googleapis.com',
      };
      return { json: JSON.stringify(file, null, 2), privateKeyId: id, privateKey: pem };
    },
    deleteKey(email, keyId) {
      const k = find(email).keys.find((x) => x.id === keyId);
      if (k) k.deleted = true;
    },
    disableKey(email, keyId) {
      const k = find(email).keys.find((x) => x.id === keyId);
      if (k) k.disabled = true;
    },
    disableAccount(email) {
      find(email).disabled = true;
    },
    deleteAccount(email) {
      find(email).deleted = true;
    },
  };
  return server;
}

// ---- Microsoft ---------------------------------------------------------------------------

export interface MicrosoftRequest {
  tenant: string;
  clientId: string | null;
  grantType: string | null;
  scope: string | null;
  /** Whether a client_secret was sent; its value is never recorded. */
  secretSent: boolean;
  status: number;
  aadsts: number | null;
}

interface AzureApp {
  appId: string;
  displayName: string;
  secrets: Array<{ value: string; hint: string; expiresAt: Date }>;
}
interface AzureTenant {
  id: string;
  domain: string;
  apps: Map<string, AzureApp>;
}

export interface MicrosoftTokenServer extends Base {
  requests: MicrosoftRequest[];
  createTenant(domain?: string): string;
  createApp(tenantId: string, displayName?: string): string;
  /** A new client secret's Value (shown once in the portal), expiring at `expiresAt` (default in a year). */
  addSecret(tenantId: string, appId: string, expiresAt?: Date): string;
  deleteApp(tenantId: string, appId: string): void;
}

export async function startMicrosoftTokenServer(): Promise<MicrosoftTokenServer> {
  const tenants = new Map<string, AzureTenant>();
  const requests: MicrosoftRequest[] = [];
  const signing = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingKid = randomBytes(16).toString('base64url');

  const aadError = (status: number, error: string, code: number, text: string) => {
    const now = new Date();
    const trace = randomUUID();
    const correlation = randomUUID();
    return {
      status,
      body: {
        error,
        error_description: `AADSTS${code}: ${text}\r\nTrace ID: ${trace}\r\nCorrelation ID: ${correlation}\r\nTimestamp: ${now
          .toISOString()
          .replace('T', ' ')
          .replace(/\.\d+Z$/, 'Z')}`,
        error_codes: [code],
        timestamp: now
          .toISOString()
          .replace('T', ' ')
          .replace(/\.\d+Z$/, 'Z'),
        trace_id: trace,
        correlation_id: correlation,
        error_uri: `https://login.microsoftonline.com/error?code=${code}`,
      },
    };
  };

  const handler: Handler = (req, raw) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const m = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path);
    const form = new URLSearchParams(raw);
    const record: MicrosoftRequest = {
      tenant: m ? decodeURIComponent(m[1]) : '',
      clientId: form.get('client_id'),
      grantType: form.get('grant_type'),
      scope: form.get('scope'),
      secretSent: form.has('client_secret'),
      status: 0,
      aadsts: null,
    };
    const answer = (out: { status: number; body: Record<string, unknown> }) => {
      record.status = out.status;
      record.aadsts = Array.isArray(out.body.error_codes) ? (out.body.error_codes[0] as number) : null;
      requests.push(record);
      return out;
    };
    if (req.method !== 'POST' || !m) return answer({ status: 404, body: { error: 'not_found' } });
    const tenant = [...tenants.values()].find((t) => t.id === record.tenant.toLowerCase() || t.domain === record.tenant.toLowerCase());
    if (!tenant) {
      return answer(
        aadError(
          400,
          'invalid_request',
          90002,
          `Tenant '${record.tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
        ),
      );
    }
    if (record.grantType !== 'client_credentials') {
      return answer(aadError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${record.grantType ?? ''}'.`));
    }
    if (!record.scope || !/\/\.default$/.test(record.scope)) {
      return answer(
        aadError(
          400,
          'invalid_scope',
          1002012,
          `The provided value for scope ${record.scope ?? ''} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
        ),
      );
    }
    const app = record.clientId ? tenant.apps.get(record.clientId.toLowerCase()) : undefined;
    if (!app) {
      return answer(
        aadError(
          400,
          'unauthorized_client',
          700016,
          `Application with identifier '${record.clientId ?? ''}' was not found in the directory '${tenant.domain}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
        ),
      );
    }
    const given = form.get('client_secret') ?? '';
    const secret = app.secrets.find((s) => s.value === given);
    if (!secret) {
      return answer(
        aadError(
          401,
          'invalid_client',
          7000215,
          `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.appId}'.`,
        ),
      );
    }
    if (secret.expiresAt.getTime() <= Date.now()) {
      return answer(
        aadError(
          401,
          'invalid_client',
          7000222,
          `The provided client secret keys for app '${app.appId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`,
        ),
      );
    }
    const iat = Math.floor(Date.now() / 1000);
    const claims = {
      aud: 'https://graph.microsoft.com',
      iss: `https://sts.windows.net/${tenant.id}/`,
      iat,
      nbf: iat,
      exp: iat + 3599,
      app_displayname: app.displayName,
      appid: app.appId,
      appidacr: '1',
      idp: `https://sts.windows.net/${tenant.id}/`,
      oid: randomUUID(),
      sub: randomUUID(),
      tid: tenant.id,
      ver: '1.0',
    };
    const input = `${b64urlJson({ typ: 'JWT', alg: 'RS256', kid: signingKid })}.${b64urlJson(claims)}`;
    const sig = createSign('RSA-SHA256').update(input).sign(signing.privateKey).toString('base64url');
    return answer({ status: 200, body: { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: `${input}.${sig}` } });
  };

  const base = await listen(handler, (status) => ({ error: 'temporarily_unavailable', error_description: `AADSTS50196: injected fault ${status}`, error_codes: [50196] }));
  const tenantOf = (id: string) => {
    const t = tenants.get(id);
    if (!t) throw new Error(`no tenant ${id}`);
    return t;
  };
  return {
    ...base,
    // A spread copies a getter's value once: read the live count from base.
    get hits() {
      return base.hits;
    },
    requests,
    createTenant(domain) {
      const id = randomUUID();
      tenants.set(id, { id, domain: (domain ?? `keyward${tenants.size + 1}.onmicrosoft.com`).toLowerCase(), apps: new Map() });
      return id;
    },
    createApp(tenantId, displayName = 'keyward-test-app') {
      const appId = randomUUID();
      tenantOf(tenantId).apps.set(appId, { appId, displayName, secrets: [] });
      return appId;
    },
    addSecret(tenantId, appId, expiresAt = new Date(Date.now() + 365 * 86_400_000)) {
      const app = tenantOf(tenantId).apps.get(appId);
      if (!app) throw new Error(`no app ${appId}`);
      // Azure's secret values: 3 hint characters, a version marker ("8Q~"), then 34 more.
      const value = `${randomBytes(2).toString('base64url').slice(0, 3)}8Q~${randomBytes(26).toString('base64url').slice(0, 34)}`;
      app.secrets.push({ value, hint: value.slice(0, 3), expiresAt });
      return value;
    },
    deleteApp(tenantId, appId) {
      tenantOf(tenantId).apps.delete(appId);
    },
  };
}

// ---- HashiCorp Vault ---------------------------------------------------------------------

export interface VaultRequest {
  path: string;
  namespace: string | null;
  /** Whether X-Vault-Token was sent; its value is never recorded. */
  tokenSent: boolean;
  status: number;
}

interface VaultToken {
  accessor: string;
  displayName: string;
  policies: string[];
  namespace: string;
  createdAt: number;
  ttlS: number;
  revoked: boolean;
}

export interface VaultTestServer extends Base {
  requests: VaultRequest[];
  sealed: boolean;
  /**
   * A token as `vault token create` makes it: `ttlS` 0 never expires (like root);
   * `policies` without "default" (and not "root") cannot look itself up.
   */
  createToken(opts?: { displayName?: string; policies?: string[]; ttlS?: number; namespace?: string; createdAgoS?: number }): string;
  revoke(token: string): void;
}

const MULTI = (errs: string[]) => `${errs.length} error${errs.length > 1 ? 's' : ''} occurred:\n${errs.map((e) => `\t* ${e}`).join('\n')}\n\n`;

export async function startVaultTestServer(): Promise<VaultTestServer> {
  const tokens = new Map<string, VaultToken>();
  const requests: VaultRequest[] = [];
  const state = { sealed: false };

  const handler: Handler = (req) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const header = (h: string) => (typeof req.headers[h] === 'string' ? (req.headers[h] as string) : null);
    const token = header('x-vault-token');
    const namespace = header('x-vault-namespace');
    const record: VaultRequest = { path, namespace, tokenSent: token !== null, status: 0 };
    const answer = (status: number, body: unknown) => {
      record.status = status;
      requests.push(record);
      return { status, body };
    };
    if (state.sealed) return answer(503, { errors: ['Vault is sealed'] });
    if (path !== '/v1/auth/token/lookup-self' || req.method !== 'GET') return answer(404, { errors: [] });
    if (!token) return answer(400, { errors: ['missing client token'] });
    const t = tokens.get(token);
    const now = Date.now();
    const expired = t ? t.ttlS > 0 && t.createdAt + t.ttlS * 1000 <= now : false;
    // Vault revokes a token when its TTL runs out; a token of another namespace is not found in this one.
    if (!t || t.revoked || expired || t.namespace !== (namespace ?? '').replace(/^\/|\/$/g, '')) {
      return answer(403, { errors: [MULTI(['permission denied', 'invalid token'])] });
    }
    if (!t.policies.includes('default') && !t.policies.includes('root')) return answer(403, { errors: [MULTI(['permission denied'])] });
    const ttl = t.ttlS > 0 ? Math.max(0, Math.round((t.createdAt + t.ttlS * 1000 - now) / 1000)) : 0;
    return answer(200, {
      request_id: randomUUID(),
      lease_id: '',
      renewable: false,
      lease_duration: 0,
      data: {
        accessor: t.accessor,
        creation_time: Math.floor(t.createdAt / 1000),
        creation_ttl: t.ttlS,
        display_name: t.displayName,
        entity_id: '',
        expire_time: t.ttlS > 0 ? new Date(t.createdAt + t.ttlS * 1000).toISOString() : null,
        explicit_max_ttl: 0,
        // Vault's lookup-self really does return the token itself as data.id.
        id: token,
        issue_time: new Date(t.createdAt).toISOString(),
        meta: null,
        num_uses: 0,
        orphan: false,
        path: 'auth/token/create',
        policies: t.policies,
        renewable: t.ttlS > 0,
        ttl,
        type: 'service',
      },
      wrap_info: null,
      warnings: null,
      auth: null,
    });
  };

  const base = await listen(handler, () => ({ errors: ['1 error occurred:\n\t* injected fault\n\n'] }));
  const server: VaultTestServer = {
    ...base,
    // A spread copies a getter's value once: read the live count from base.
    get hits() {
      return base.hits;
    },
    requests,
    get sealed() {
      return state.sealed;
    },
    set sealed(v: boolean) {
      state.sealed = v;
    },
    createToken(opts = {}) {
      const token = `hvs.${randomBytes(18).toString('base64url')}`;
      tokens.set(token, {
        accessor: randomBytes(12).toString('base64url'),
        displayName: opts.displayName ?? 'token',
        policies: opts.policies ?? ['default'],
        namespace: opts.namespace ?? '',
        createdAt: Date.now() - (opts.createdAgoS ?? 0) * 1000,
        ttlS: opts.ttlS ?? 768 * 3600,
        revoked: false,
      });
      return token;
    },
    revoke(token) {
      const t = tokens.get(token);
      if (t) t.revoked = true;
    },
  };
  return server;
}
