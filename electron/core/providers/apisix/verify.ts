import type { CheckInput, CheckOptions, CheckOutcome } from '../types';
import { checkOverHttp, jsonObject, RETRYABLE_STATUS, type Judgement } from '../http-check';

// APISIX's Admin API answers GET /apisix/admin/routes with 200 for a good X-API-KEY and
// 401 otherwise. Like AWS, only the service rejecting the key makes it INVALID.

function routesUrl(endpoint: string): string {
  const base = endpoint.endsWith('/') ? endpoint.slice(0, -1) : endpoint;
  return `${base}/apisix/admin/routes`;
}

/** The Admin API lists routes as JSON: v3 {total, list}, v2 {node, count}. */
function isAdminApiBody(body: string): boolean {
  const parsed = jsonObject(body);
  return parsed !== null && ['list', 'total', 'node', 'count'].some((k) => k in parsed);
}

function apisixMessage(body: string): string | null {
  const parsed = jsonObject(body);
  const m = parsed?.error_msg ?? parsed?.message;
  return typeof m === 'string' ? m : null;
}

function judge(endpoint: string, res: Response, body: string): Judgement {
  if (res.ok) {
    if (isAdminApiBody(body)) return { status: 'VALID', identity: null };
    return { status: 'UNREACHABLE', error: { code: 'BadResponse', message: `The endpoint answered HTTP ${res.status}, but not like the APISIX Admin API. Check the Endpoint URL and any proxy.` } };
  }
  const message = apisixMessage(body) ?? `HTTP ${res.status} ${res.statusText}`.trim();
  if (res.status === 401 || res.status === 403) {
    return { status: 'INVALID', error: { code: res.status === 401 ? 'Unauthorized' : 'Forbidden', message } };
  }
  if (RETRYABLE_STATUS.has(res.status)) return { retry: { status: 'UNREACHABLE', error: { code: `HTTP${res.status}`, message } } };
  if (res.status === 404) {
    return { status: 'INVALID', error: { code: 'NotFound', message: `No APISIX Admin API at ${routesUrl(endpoint)} (HTTP 404).` } };
  }
  return { status: 'INVALID', error: { code: `HTTP${res.status}`, message } };
}

function checkApisix(endpoint: string, apiKey: string, opts: CheckOptions): Promise<CheckOutcome> {
  return checkOverHttp(
    () => ({ url: routesUrl(endpoint), init: { headers: { 'X-API-KEY': apiKey, accept: 'application/json' } } }),
    opts,
    'The APISIX Admin API',
    (res, body) => judge(endpoint, res, body),
  );
}

export const check = (input: CheckInput, opts: CheckOptions) => checkApisix(input.fields.endpoint, input.secrets.adminApiKey, opts);
