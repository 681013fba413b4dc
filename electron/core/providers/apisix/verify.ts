import type { CheckOptions, CheckOutcome, ProviderModule } from '../types';
import { networkErrorOf, timeoutError } from '../network-errors';

// APISIX's Admin API answers GET /apisix/admin/routes with 200 for a good X-API-KEY and
// 401 otherwise. Like AWS, only the service rejecting the key makes it INVALID.

const RETRYABLE = new Set([429, 500, 502, 503, 504]);

export function routesUrl(endpoint: string): string {
  const base = endpoint.endsWith('/') ? endpoint.slice(0, -1) : endpoint;
  return `${base}/apisix/admin/routes`;
}

async function backoff(attempt: number, signal: AbortSignal): Promise<void> {
  const ms = Math.random() * Math.min(2000, 100 * 2 ** attempt); // full jitter
  await new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });
}

export async function checkApisix(endpoint: string, apiKey: string, opts: CheckOptions): Promise<CheckOutcome> {
  const deadline = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, deadline]) : deadline;
  let last: CheckOutcome = { status: 'UNREACHABLE', error: timeoutError(opts.timeoutMs) };
  for (let attempt = 0; attempt < opts.maxAttempts; attempt++) {
    if (attempt > 0) await backoff(attempt, signal);
    if (opts.signal?.aborted) throw opts.signal.reason;
    if (signal.aborted) break;
    let res: Response;
    try {
      res = await fetch(routesUrl(endpoint), { headers: { 'X-API-KEY': apiKey, accept: 'application/json' }, signal, redirect: 'manual' });
    } catch (e) {
      if (opts.signal?.aborted) throw e;
      if (deadline.aborted) return { status: 'UNREACHABLE', error: timeoutError(opts.timeoutMs) };
      last = { status: 'UNREACHABLE', error: networkErrorOf(e) ?? { code: 'NetworkError', message: 'The APISIX Admin API could not be reached.' } };
      continue;
    }
    const body = await res.text().catch(() => '');
    if (res.ok) {
      if (isAdminApiBody(body)) return { status: 'VALID', identity: null };
      return { status: 'UNREACHABLE', error: { code: 'BadResponse', message: `The endpoint answered HTTP ${res.status}, but not like the APISIX Admin API. Check the Endpoint URL and any proxy.` } };
    }
    if (res.status >= 300 && res.status < 400) {
      // A redirect (often to a portal's login page) is not APISIX's verdict on the key.
      return { status: 'UNREACHABLE', error: { code: 'BadResponse', message: `The endpoint redirected (HTTP ${res.status}) instead of answering like the APISIX Admin API.` } };
    }
    const message = apisixMessage(body) ?? `HTTP ${res.status} ${res.statusText}`.trim();
    if (res.status === 401 || res.status === 403) {
      return { status: 'INVALID', error: { code: res.status === 401 ? 'Unauthorized' : 'Forbidden', message } };
    }
    if (RETRYABLE.has(res.status)) {
      last = { status: 'UNREACHABLE', error: { code: `HTTP${res.status}`, message } };
      continue;
    }
    if (res.status === 404) {
      return { status: 'INVALID', error: { code: 'NotFound', message: `No APISIX Admin API at ${routesUrl(endpoint)} (HTTP 404).` } };
    }
    return { status: 'INVALID', error: { code: `HTTP${res.status}`, message } };
  }
  return last;
}

/** The Admin API lists routes as JSON: v3 {total, list}, v2 {node, count}. */
function isAdminApiBody(body: string): boolean {
  try {
    const parsed = JSON.parse(body) as unknown;
    return typeof parsed === 'object' && parsed !== null && ['list', 'total', 'node', 'count'].some((k) => k in parsed);
  } catch {
    return false;
  }
}

function apisixMessage(body: string): string | null {
  try {
    const parsed = JSON.parse(body) as { error_msg?: unknown; message?: unknown };
    const m = parsed.error_msg ?? parsed.message;
    return typeof m === 'string' ? m : null;
  } catch {
    return null;
  }
}

export const apisixProvider: ProviderModule = {
  id: 'APISIX',
  check: (input, opts) => checkApisix(input.fields.endpoint, input.secrets.adminApiKey, opts),
};
