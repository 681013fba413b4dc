import type { CheckError } from '../../../shared/contract';
import { timeoutError } from './network-errors';
import type { CheckOptions, CheckOutcome } from './types';

// The one retry loop under every provider check: the whole check's deadline (timeoutMs,
// retries included), the caller's cancel signal, and full-jitter backoff between attempts
// that are worth repeating (throttling, 5xx, a busy server, a dropped connection). A
// caller's cancel rethrows; the deadline ends UNREACHABLE TIMEOUT; an attempt that throws
// is a network failure, UNREACHABLE, never INVALID: only a server's answer is a verdict.

/** One attempt's result; `retry` marks an answer worth another attempt (busy, throttled, dropped). */
export type Attempt = CheckOutcome & { retry?: boolean };

const MAX_BACKOFF_MS = 2000;
const BASE_BACKOFF_MS = 100;

/** Full jitter (AWS's "Exponential Backoff And Jitter"): a random wait up to min(2 s, 100 ms · 2^n). */
// A plain (ref'd) timer: a CLI check waiting between attempts must keep the process alive.
function backoff(attempt: number, signal: AbortSignal): Promise<void> {
  const ms = Math.random() * Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** attempt);
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
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

/**
 * Runs `attempt` up to opts.maxAttempts times within opts.timeoutMs. Each attempt gets an
 * AbortSignal that fires on the deadline or the caller's cancel (it must close its
 * connection then) and the milliseconds left. `failure` names what a thrown error means.
 */
export async function retryCheck(opts: CheckOptions, attempt: (signal: AbortSignal, remainingMs: number) => Promise<Attempt>, failure: (e: unknown) => CheckError): Promise<CheckOutcome> {
  const started = Date.now();
  const deadline = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, deadline]) : deadline;
  let last: CheckOutcome = { status: 'UNREACHABLE', error: timeoutError(opts.timeoutMs) };
  for (let n = 0; n < Math.max(1, opts.maxAttempts); n++) {
    if (n > 0) await backoff(n, signal);
    if (opts.signal?.aborted) throw opts.signal.reason;
    if (signal.aborted) break;
    let result: Attempt;
    try {
      result = await abortable(attempt(signal, Math.max(1, opts.timeoutMs - (Date.now() - started))), signal);
    } catch (e) {
      if (opts.signal?.aborted) throw opts.signal.reason;
      // The deadline passed, whichever timer noticed first (the attempt gets the time left as
      // its own timeout, and a library's timer may fire before the deadline signal does).
      if (deadline.aborted || Date.now() - started >= opts.timeoutMs) return { status: 'UNREACHABLE', error: timeoutError(opts.timeoutMs) };
      last = { status: 'UNREACHABLE', error: failure(e) };
      continue;
    }
    const { retry, ...outcome } = result;
    if (!retry) return outcome;
    last = outcome;
  }
  if (opts.signal?.aborted) throw opts.signal.reason;
  return last;
}
