import type { CheckOptions, CheckOutcome } from './types';
import { networkErrorOf } from './network-errors';
import { retryCheck } from './retry';

// One HTTP exchange with a provider's endpoint, under the one retry loop (retry.ts): the
// check's deadline, the caller's cancel signal, and full-jitter backoff for answers the
// judge marks retryable (429, 5xx) and dropped connections. Only the judge can return
// INVALID: a network failure never does.

/** What the provider's judge makes of one answer: a verdict, or "try again" with what to report if it was the last try. */
export type Judgement = CheckOutcome | { retry: CheckOutcome };

export const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

export async function checkOverHttp(request: () => { url: string; init: RequestInit }, opts: CheckOptions, service: string, judge: (res: Response, body: string) => Judgement): Promise<CheckOutcome> {
  return retryCheck(
    opts,
    async (signal) => {
      // Built per attempt: a signed assertion (GCP) must carry a fresh iat.
      const { url, init } = request();
      // Redirects are not followed: a credential header must not travel to another host.
      const res = await fetch(url, { ...init, signal, redirect: 'manual' });
      const body = await res.text();
      if (res.status >= 300 && res.status < 400) {
        return { status: 'UNREACHABLE', error: { code: 'BadResponse', message: `${service} redirected (HTTP ${res.status}) instead of answering; check the URL.` } };
      }
      const verdict = judge(res, body);
      return 'retry' in verdict ? { ...verdict.retry, retry: true } : verdict;
    },
    (e) => networkErrorOf(e) ?? { code: 'NetworkError', message: `${service} could not be reached.` },
  );
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
