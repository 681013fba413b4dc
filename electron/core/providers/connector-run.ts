import type { CheckError } from '../../../shared/contract';
import { networkErrorOf, timeoutError } from './network-errors';
import type { CheckOptions, CheckOutcome } from './types';

// What LDAP, PostgreSQL and Redis checks share: the whole-check deadline, the caller's
// cancel, retries with jittered backoff when the connection failed (never when the
// server answered), and "a network error is UNREACHABLE, never INVALID".

/** One attempt's result; `retry` marks an answer that is worth another attempt (busy, dropped). */
export type Attempt = CheckOutcome & { retry?: boolean };

async function backoff(attempt: number, signal: AbortSignal): Promise<void> {
  const ms = Math.random() * Math.min(2000, 100 * 2 ** attempt); // full jitter
  await new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });
}

/**
 * Runs `attempt` up to opts.maxAttempts times within opts.timeoutMs. Each attempt gets
 * an AbortSignal that fires on the deadline or the caller's cancel and must close its
 * connection then. A caller's cancel rethrows (like the other providers); the deadline
 * ends UNREACHABLE TIMEOUT; a thrown network error ends UNREACHABLE with its code.
 */
export async function runConnectorCheck(
  opts: CheckOptions,
  what: string,
  attempt: (signal: AbortSignal, remainingMs: number) => Promise<Attempt>,
): Promise<CheckOutcome> {
  const started = Date.now();
  const deadline = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, deadline]) : deadline;
  let last: CheckOutcome = { status: 'UNREACHABLE', error: timeoutError(opts.timeoutMs) };
  const attempts = Math.max(1, opts.maxAttempts);
  for (let n = 0; n < attempts; n++) {
    if (n > 0) await backoff(n, signal);
    if (opts.signal?.aborted) throw opts.signal.reason;
    if (signal.aborted) break;
    let result: Attempt;
    try {
      result = await abortable(attempt(signal, Math.max(1, opts.timeoutMs - (Date.now() - started))), signal);
    } catch (e) {
      if (opts.signal?.aborted) throw opts.signal.reason;
      if (deadline.aborted) return { status: 'UNREACHABLE', error: timeoutError(opts.timeoutMs) };
      last = { status: 'UNREACHABLE', error: networkErrorOf(e) ?? protocolFailure(e, what) ?? unknownFailure(e, what) };
      continue;
    }
    const { retry, ...outcome } = result;
    if (!retry) return outcome;
    last = outcome;
  }
  if (opts.signal?.aborted) throw opts.signal.reason;
  return last;
}

/** Rejects when the signal fires, even if the library under `p` never settles. */
function abortable<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => (signal.removeEventListener('abort', onAbort), resolve(v)),
      (e) => (signal.removeEventListener('abort', onAbort), reject(e)),
    );
  });
}

/** Something answered, but not in the service's protocol (a wrong port, an HTTP server, TLS on one side only). */
function protocolFailure(e: unknown, what: string): CheckError | null {
  if ((e as { code?: unknown } | null)?.code !== 'BadResponse') return null;
  return { code: 'BadResponse', message: `Something answered at that host and port, but not like a ${what} server: check the port and the TLS setting.` };
}

/**
 * A failure that is neither a server verdict nor a known network code: the connection
 * broke in a way the client library reports only in words. No verdict, so UNREACHABLE.
 * The library's text is kept only when it is short and plain (it never holds a secret:
 * the secret is sent, never echoed; check.ts redacts the stored text anyway).
 */
function unknownFailure(e: unknown, what: string): CheckError {
  const text = e instanceof Error ? e.message : '';
  const detail = text && text.length <= 200 && !/[\r\n]/.test(text) ? `: ${text}` : '';
  return { code: 'NetworkError', message: `The ${what} connection failed before the server gave a verdict${detail}.` };
}
