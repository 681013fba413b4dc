import { createPrivateKey, createSign } from 'node:crypto';
import { parseServiceAccountKey, type ServiceAccountKey } from '../../../../shared/providers/gcp';
import type { CheckInput, CheckOptions, CheckOutcome } from '../types';
import { checkOverHttp, excerpt, jsonObject, OAUTH_ERROR_CODE, RETRYABLE_STATUS, type Judgement } from '../http-check';
import { systemClock } from '../../ports/clock';
import { serverCode } from '../../verification/redact';

// A GCP service account key is tested the way Google's client libraries use it: the
// OAuth 2.0 JWT bearer grant (RFC 7523) as documented in "Using OAuth 2.0 for Server to
// Server Applications" (developers.google.com/identity/protocols/oauth2/service-account).
// An RS256-signed JWT (iss = client_email, scope, aud = the token endpoint, iat, exp at
// most an hour later; kid = private_key_id) is POSTed to token_uri. An access token means
// Google accepts the key; an OAuth error from Google is its verdict.

const GCP_SCOPE = 'https://www.googleapis.com/auth/cloud-platform.read-only';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const LIFETIME_S = 3600;

const b64url = (v: Buffer | string) => Buffer.from(v).toString('base64url');

/** The signed assertion Google's token endpoint expects. */
function signedAssertion(key: ServiceAccountKey, audience: string, nowMs = Date.now()): string {
  const iat = Math.floor(nowMs / 1000);
  const header = { alg: 'RS256', typ: 'JWT', kid: key.privateKeyId };
  const claims = { iss: key.clientEmail, scope: GCP_SCOPE, aud: audience, iat, exp: iat + LIFETIME_S };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const signature = createSign('RSA-SHA256').update(input).sign(createPrivateKey(key.privateKey));
  return `${input}.${b64url(signature)}`;
}

/** Google's OAuth error (error + error_description) as a Keyward code. */
function gcpErrorCode(error: string, description: string): string {
  if (error === 'invalid_grant') {
    if (/Invalid JWT Signature/i.test(description)) return 'InvalidJwtSignature';
    if (/account not found/i.test(description)) return 'AccountNotFound';
    if (/short-lived token|reasonable timeframe|\biat\b|\bexp\b/i.test(description)) return 'InvalidJwtTime';
    if (/invalid email or user id/i.test(description)) return 'AccountNotFound';
  }
  if (error === 'disabled_client' || (error === 'invalid_client' && /disabled/i.test(description))) return 'ServiceAccountDisabled';
  return serverCode(error, OAUTH_ERROR_CODE, 'OAuthError');
}

function judge(key: ServiceAccountKey, res: Response, body: string): Judgement {
  const json = jsonObject(body);
  if (res.ok) {
    if (json && typeof json.access_token === 'string' && json.access_token) {
      const identity: { principal: string; project?: string } = { principal: key.clientEmail };
      if (key.projectId) identity.project = key.projectId;
      return { status: 'VALID', identity };
    }
    return { status: 'UNREACHABLE', error: { code: 'BadResponse', message: `The token endpoint answered HTTP ${res.status} without an access token; check the Token endpoint and any proxy.` } };
  }
  const error = typeof json?.error === 'string' ? json.error : null;
  const description = typeof json?.error_description === 'string' ? json.error_description : '';
  if (RETRYABLE_STATUS.has(res.status)) {
    return { retry: { status: 'UNREACHABLE', error: { code: `HTTP${res.status}`, message: `Google's token endpoint answered HTTP ${res.status}${error ? ` (${error})` : ''}.` } } };
  }
  if ((res.status === 400 || res.status === 401 || res.status === 403) && error) {
    return { status: 'INVALID', error: { code: gcpErrorCode(error, description), message: description ? `${error}: ${description}` : error } };
  }
  // Not an OAuth answer (a 404 page, a proxy): no verdict on the key.
  return { status: 'UNREACHABLE', error: { code: 'BadResponse', message: `The token endpoint answered HTTP ${res.status}, not like an OAuth 2.0 token endpoint: ${excerpt(body) || 'empty body'}.` } };
}

export async function checkGcp(fields: Record<string, string>, secrets: Record<string, string>, opts: CheckOptions): Promise<CheckOutcome> {
  const parsed = parseServiceAccountKey(secrets.serviceAccountKey ?? '');
  if ('error' in parsed) return { status: 'INVALID', error: { code: 'MalformedKey', message: parsed.error } };
  const key = parsed.key;
  try {
    createPrivateKey(key.privateKey);
  } catch {
    return { status: 'INVALID', error: { code: 'MalformedKey', message: '"private_key" could not be read as an RSA private key: the key file was edited or truncated.' } };
  }
  const endpoint = fields.endpointUrl || key.tokenUri;
  return checkOverHttp(
    () => ({
      url: endpoint,
      init: {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ grant_type: JWT_BEARER, assertion: signedAssertion(key, endpoint, (opts.clock ?? systemClock).now()) }).toString(),
      },
    }),
    opts,
    'Google’s token endpoint',
    (res, body) => judge(key, res, body),
  );
}

export const check = (input: CheckInput, opts: CheckOptions): Promise<CheckOutcome> => checkGcp(input.fields, input.secrets, opts);
