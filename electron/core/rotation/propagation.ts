import type { CheckError, Identity } from '../../../shared/contract';
import type { AwsCredentialParts } from '../providers/aws/client';
import { checkAwsCredential } from '../providers/aws/verify';
import type { CallOptions } from './iam';

export interface PropagationOptions {
  /** How long to keep trying before the step stops (resumable). AWS: seconds, rarely a minute. */
  timeoutMs: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_PROPAGATION: PropagationOptions = { timeoutMs: 60_000, firstDelayMs: 500, maxDelayMs: 5_000 };

export type PropagationResult = { ok: true; identity: Identity | null; attempts: number; waitedMs: number } | { ok: false; lastError: CheckError; attempts: number; waitedMs: number };

/**
 * IAM is eventually consistent: a new key is refused for a while. Calls STS with the new
 * key, with doubling backoff, until it is accepted or time runs out. `onWait` reports the
 * seconds left, for the wizard's countdown.
 */
export async function waitForKeyToWork(
  parts: AwsCredentialParts,
  opts: PropagationOptions & { call: CallOptions; onWait?: (secondsLeft: number, attempt: number) => void },
): Promise<PropagationResult> {
  const started = Date.now();
  let delay = opts.firstDelayMs;
  let attempts = 0;
  for (;;) {
    attempts++;
    const outcome = await checkAwsCredential(parts, { ...opts.call });
    const waitedMs = Date.now() - started;
    if (outcome.status === 'VALID') return { ok: true, identity: outcome.identity, attempts, waitedMs };
    const left = opts.timeoutMs - waitedMs;
    if (left <= 0) return { ok: false, lastError: outcome.error, attempts, waitedMs };
    opts.onWait?.(Math.ceil(left / 1000), attempts);
    await new Promise((r) => setTimeout(r, Math.min(delay, left)));
    delay = Math.min(delay * 2, opts.maxDelayMs);
  }
}
