import type { Identity } from '../../../../shared/contract';
import type { CheckInput, CheckOptions, CheckOutcome } from '../types';
import { checkOverHttp, excerpt, jsonObject, type Judgement } from '../http-check';

// A HashiCorp Vault token is tested with GET /v1/auth/token/lookup-self, as documented
// in the Token auth method's HTTP API (developer.hashicorp.com/vault/api-docs/auth/token):
// the token goes in X-Vault-Token, the namespace (Enterprise/HCP) in X-Vault-Namespace.
// The default policy allows lookup-self, so 200 means the token works. Vault answers a
// revoked, expired or unknown token with 403 and the errors "permission denied" and
// "invalid token" (Tokens concept page, "Error responses"); a token that lacks the policy
// for the path gets 403 "permission denied" alone. A sealed Vault answers 503.

const WARN_TTL_S = 24 * 3600;

function lookupSelfUrl(address: string): string {
  return `${address.replace(/\/+$/, '')}/v1/auth/token/lookup-self`;
}

function errorsOf(json: Record<string, unknown> | null): string[] {
  const errs = Array.isArray(json?.errors) ? json.errors : [];
  return errs.filter((e): e is string => typeof e === 'string');
}

function hours(s: number): string {
  return s >= 3600 ? `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min` : `${Math.max(1, Math.floor(s / 60))} min`;
}

/** What lookup-self's data says about the token, as Keyward's identity. */
function identityOf(data: Record<string, unknown>): Identity {
  const identity: Identity = {};
  if (typeof data.display_name === 'string') identity.principal = data.display_name;
  if (Array.isArray(data.policies)) identity.policies = data.policies.filter((p): p is string => typeof p === 'string');
  if (typeof data.expire_time === 'string' && data.expire_time) identity.expiresAt = data.expire_time;
  const ttl = typeof data.ttl === 'number' ? data.ttl : 0;
  // ttl 0 with no expire_time: a token that never expires (root, or a periodic token's period unset).
  if (ttl > 0 && ttl < WARN_TTL_S) {
    identity.warning = `The token expires in ${hours(ttl)}${identity.expiresAt ? ` (${identity.expiresAt})` : ''}: renew it (vault token renew) or create a new one before then.`;
  }
  return identity;
}

function judge(res: Response, body: string): Judgement {
  const json = jsonObject(body);
  const errors = errorsOf(json);
  const text = errors.join('; ');
  if (res.status === 200) {
    const data = json && typeof json.data === 'object' && json.data !== null ? (json.data as Record<string, unknown>) : null;
    if (data && ('policies' in data || 'accessor' in data)) return { status: 'VALID', identity: identityOf(data) };
    return { status: 'UNREACHABLE', error: { code: 'NotVault', message: `The address answered HTTP 200, but not like Vault’s token lookup: ${excerpt(body) || 'empty body'}.` } };
  }
  if (res.status === 503 && /sealed/i.test(text)) {
    // Sealed is a state an operator changes, not a blip: retrying within seconds will not help.
    return { status: 'UNREACHABLE', error: { code: 'VaultSealed', message: `Vault answered 503: ${text}.` } };
  }
  if (res.status === 403 && json) {
    if (/invalid token/i.test(text)) return { status: 'INVALID', error: { code: 'InvalidToken', message: `Vault answered 403: ${text}.` } };
    return { status: 'INVALID', error: { code: 'PermissionDenied', message: `Vault answered 403: ${text || 'permission denied'}.` } };
  }
  // 429 (rate limited), 5xx, and 472/473 (a DR or performance standby) answer for the server, not the token.
  if (res.status === 429 || res.status >= 500 || res.status === 472 || res.status === 473) {
    return { retry: { status: 'UNREACHABLE', error: { code: `HTTP${res.status}`, message: `Vault answered HTTP ${res.status}${text ? `: ${text}` : ''}.` } } };
  }
  return { status: 'UNREACHABLE', error: { code: 'NotVault', message: `No Vault token API answered at the address (HTTP ${res.status}${text ? `: ${text}` : ''}).` } };
}

export async function checkVault(fields: Record<string, string>, secrets: Record<string, string>, opts: CheckOptions): Promise<CheckOutcome> {
  const headers: Record<string, string> = { 'X-Vault-Token': secrets.token ?? '', accept: 'application/json' };
  if (fields.namespace) headers['X-Vault-Namespace'] = fields.namespace;
  return checkOverHttp(() => ({ url: lookupSelfUrl(fields.address), init: { method: 'GET', headers } }), opts, 'Vault', judge);
}

export const check = (input: CheckInput, opts: CheckOptions): Promise<CheckOutcome> => checkVault(input.fields, input.secrets, opts);
