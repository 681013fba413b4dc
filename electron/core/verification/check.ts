import type { CheckError } from '../../../shared/contract';
import { diagnose } from '../diagnosis/diagnose';
import { PROVIDER_MODULES } from '../providers';
import type { CheckOptions } from '../providers/types';
import type { CheckRecord, CredentialRecord } from '../credentials/repo';
import { isoNow, systemClock, type Clock } from '../ports/clock';
import { silentLogger, type Logger } from '../ports/logger';

export const DEFAULT_CHECK: Omit<CheckOptions, 'signal'> = { timeoutMs: 10_000, maxAttempts: 3 };

/**
 * Checks one credential with its provider and turns the outcome into what the vault
 * records: VALID with the identity; INVALID or UNREACHABLE with the error and its
 * diagnosis. UNREACHABLE leaves the last good identity in place.
 */
export async function checkCredential(
  rec: Pick<CredentialRecord, 'provider' | 'fields'>,
  secrets: Record<string, string>,
  opts: CheckOptions,
  ports: { clock?: Clock; log?: Logger } = {},
): Promise<CheckRecord> {
  const at = () => isoNow(ports.clock ?? opts.clock ?? systemClock);
  let outcome;
  try {
    outcome = await PROVIDER_MODULES[rec.provider].check({ fields: rec.fields, secrets }, opts);
  } catch (e) {
    if (opts.signal?.aborted) throw e;
    // A provider bug must not mark a credential INVALID; say so without leaking details.
    const log = ports.log ?? silentLogger;
    log.error(`the ${rec.provider} check failed inside Keyward`, e);
    const error: CheckError = { code: 'CheckFailed', message: `The check failed inside Keyward before a verdict${log.location ? `; details are in the log: ${log.location}` : ''}.` };
    return { status: 'UNREACHABLE', error, diagnosis: diagnose({ provider: rec.provider, status: 'UNREACHABLE', error, fields: rec.fields }), at: at() };
  }
  if (outcome.status === 'VALID') {
    return { status: 'VALID', identity: outcome.identity, error: null, diagnosis: null, at: at() };
  }
  const error = { code: outcome.error.code, message: redact(outcome.error.message, secrets) };
  const diagnosis = diagnose({ provider: rec.provider, status: outcome.status, error, fields: rec.fields });
  return { status: outcome.status, error, diagnosis, at: at() };
}

/** Providers never echo a secret, but an error text is stored and shown: make sure. */
export function redact(text: string, secrets: Record<string, string>): string {
  let out = text;
  for (const value of Object.values(secrets)) {
    if (value && value.length >= 4) out = out.split(value).join('[redacted]');
  }
  return out;
}
