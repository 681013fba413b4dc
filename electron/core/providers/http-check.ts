import type { CheckOptions, CheckOutcome } from './types';
import { networkErrorOf, timeoutError } from './network-errors';

// One HTTP exchange with a provider's endpoint, with the check options every provider
// honours: the whole check's deadline (timeoutMs), the caller's cancel signal, and
// retries with full-jitter backoff for answers the judge marks retryable (429, 5xx,
// dropped connections). Only the judge can return INVALID: a network failure never does.

/** What the provider's judge makes of one answer: a verdict, or "try again" with what to report if it was the last try. */
export type Judgement = CheckOutcome | { retry: CheckOutcome };

export const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

async function backoff(attempt: number, signal: AbortSignal): Promise<void> {
  const ms = Math.random() * Math.min(2000, 100 * 2 ** attempt);
  await new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });
}

export async function checkOverHttp(
  request: () => { url: string; init: RequestInit },
  opts: CheckOptions,
  service: string,
  judge: (res: Response, body: string) => Judgement,
): Promise<CheckOutcome> {
  const deadline = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, deadline]) : deadline;
  let last: CheckOutcome = { status: 'UNREACHABLE', error: timeoutError(opts.timeoutMs) };
  for (let attempt = 0; attempt < Math.max(1, opts.maxAttempts); attempt++) {
    if (attempt > 0) await backoff(attempt, signal);
    if (opts.signal?.aborted) throw opts.signal.reason;
    if (signal.aborted) return { status: 'UNREACHABLE', error: timeoutError(opts.timeoutMs) };
    // Built per attempt: a signed assertion (GCP) must carry a fresh iat.
    const { url, init } = request();
    let res: Response;
    let body: string;
    try {
      // Redirects are not followed: a credential header must not travel to another host.
      res = await fetch(url, { ...init, signal, redirect: 'manual' });
      body = await res.text();
    } catch (e) {
      if (opts.signal?.aborted) throw e;
      if (deadline.aborted) return { status: 'UNREACHABLE', error: timeoutError(opts.timeoutMs) };
      last = { status: 'UNREACHABLE', error: networkErrorOf(e) ?? { code: 'NetworkError', message: `${service} could not be reached.` } };
      continue;
    }
    if (res.status >= 300 && res.status < 400) {
      return { status: 'UNREACHABLE', error: { code: 'BadResponse', message: `${service} redirected (HTTP ${res.status}) instead of answering; check the URL.` } };
    }
    const verdict = judge(res, body);
    if ('retry' in verdict) {
      last = verdict.retry;
      continue;
    }
    return verdict;
  }
  return last;
}

/** The body as a JSON object, or null. */
export function jsonObject(body: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(body) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * An unexpected body on one line. Not cut here: the check's boundary (verification/
 * redact.ts) redacts the secrets first and then cuts the message, so no cut can leave
 * the start of a secret behind. Read at most 64 KiB of it.
 */
export function excerpt(body: string): string {
  return body.slice(0, 65_536).replace(/\s+/g, ' ').trim();
}

/** OAuth 2.0 error codes (RFC 6749 §5.2: invalid_client, invalid_grant, …): a server's `error` is kept only in this shape. */
export const OAUTH_ERROR_CODE = /^[a-z][a-z0-9_]{2,63}$/;
