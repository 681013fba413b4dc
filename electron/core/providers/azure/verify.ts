import { AZURE_DEFAULT_AUTHORITY } from '../../../../shared/providers/azure';
import type { CheckInput, CheckOptions, CheckOutcome } from '../types';
import { expiryPassed } from './expiry';
import { checkOverHttp, excerpt, jsonObject, OAUTH_ERROR_CODE, RETRYABLE_STATUS, type Judgement } from '../http-check';
import { systemClock } from '../../ports/clock';
import { serverCode } from '../../verification/redact';

// An Azure app's client secret is tested with the OAuth 2.0 client credentials grant of
// the Microsoft identity platform, as documented in "Microsoft identity platform and the
// OAuth 2.0 client credentials flow" (learn.microsoft.com/entra/identity-platform/
// v2-oauth2-client-creds-grant-flow): POST {authority}/{tenant}/oauth2/v2.0/token with
// client_id, client_secret, scope=https://graph.microsoft.com/.default and
// grant_type=client_credentials. Errors come back as JSON with error, error_description
// ("AADSTS…: …") and error_codes.

const AZURE_SCOPE = 'https://graph.microsoft.com/.default';

/** AADSTS codes with their own diagnosis; any other keeps the OAuth error as its code. */
const KNOWN_AADSTS = new Set([7000215, 7000222, 700016, 90002]);

export function tokenUrl(authority: string, tenant: string): string {
  return `${authority.replace(/\/+$/, '')}/${encodeURIComponent(tenant)}/oauth2/v2.0/token`;
}

/** The claims of a JWT, read without verifying it: only to show who the token is for. */
function unverifiedClaims(token: string): Record<string, unknown> {
  const part = token.split('.')[1];
  if (!part) return {};
  try {
    const v = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function aadstsOf(json: Record<string, unknown>, description: string): number | null {
  const codes = Array.isArray(json.error_codes) ? json.error_codes : [];
  if (typeof codes[0] === 'number') return codes[0];
  const m = /^AADSTS(\d+)/.exec(description);
  return m ? Number(m[1]) : null;
}

/** Microsoft's error_description runs on with a trace id and timestamp: keep its first line. */
function firstLine(description: string): string {
  return description.split(/\r?\n/)[0].trim();
}

function judge(fields: Record<string, string>, res: Response, body: string): Judgement {
  const json = jsonObject(body);
  if (res.ok) {
    if (json && typeof json.access_token === 'string' && json.access_token) {
      const claims = unverifiedClaims(json.access_token);
      const appId = typeof claims.appid === 'string' ? claims.appid : fields.clientId;
      const tenant = typeof claims.tid === 'string' ? claims.tid : fields.tenantId;
      return { status: 'VALID', identity: { principal: appId, appId, tenant } };
    }
    return { status: 'UNREACHABLE', error: { code: 'BadResponse', message: `The token endpoint answered HTTP ${res.status} without an access token; check the Authority host and any proxy.` } };
  }
  const error = typeof json?.error === 'string' ? json.error : null;
  const description = typeof json?.error_description === 'string' ? firstLine(json.error_description) : '';
  if (RETRYABLE_STATUS.has(res.status) || error === 'temporarily_unavailable') {
    return {
      retry: {
        status: 'UNREACHABLE',
        error: { code: error === 'temporarily_unavailable' ? 'temporarily_unavailable' : `HTTP${res.status}`, message: description || `Microsoft’s token endpoint answered HTTP ${res.status}.` },
      },
    };
  }
  if (json && error && res.status >= 400 && res.status < 500) {
    const n = aadstsOf(json, description);
    const code = n !== null && KNOWN_AADSTS.has(n) ? `AADSTS${n}` : serverCode(error, OAUTH_ERROR_CODE, 'OAuthError');
    return { status: 'INVALID', error: { code, message: description ? `${error}: ${description}` : error } };
  }
  return {
    status: 'UNREACHABLE',
    error: { code: 'BadResponse', message: `The token endpoint answered HTTP ${res.status}, not like the Microsoft identity platform: ${excerpt(body) || 'empty body'}.` },
  };
}

export async function checkAzure(fields: Record<string, string>, secrets: Record<string, string>, opts: CheckOptions): Promise<CheckOutcome> {
  const url = tokenUrl(fields.authorityHost || AZURE_DEFAULT_AUTHORITY, fields.tenantId);
  const form = new URLSearchParams({ client_id: fields.clientId, scope: AZURE_SCOPE, client_secret: secrets.clientSecret ?? '', grant_type: 'client_credentials' });
  const outcome = await checkOverHttp(
    () => ({ url, init: { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: form.toString() } }),
    opts,
    'Microsoft’s token endpoint',
    (res, body) => judge(fields, res, body),
  );
  // An expiry date in the past is said whatever the answer (even when none came).
  const passed = outcome.status === 'VALID' ? null : expiryPassed(fields.expiresAt, new Date((opts.clock ?? systemClock).now()));
  if (passed && outcome.status !== 'VALID') return { ...outcome, error: { ...outcome.error, message: `${outcome.error.message} ${passed}` } };
  return outcome;
}

export const check = (input: CheckInput, opts: CheckOptions): Promise<CheckOutcome> => checkAzure(input.fields, input.secrets, opts);
