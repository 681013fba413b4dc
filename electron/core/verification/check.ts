import type { CheckError, Diagnosis } from '../../../shared/contract';
import { diagnose } from '../diagnosis/diagnose';
import { PROVIDER_MODULES } from '../providers';
import type { CheckOptions } from '../providers/types';
import type { CheckRecord, CredentialRecord } from '../credentials/repo';
import { isoNow, systemClock, type Clock } from '../ports/clock';
import { silentLogger, type Logger } from '../ports/logger';
import { Redactor } from './redact';

export const DEFAULT_CHECK: Omit<CheckOptions, 'signal'> = { timeoutMs: 10_000, maxAttempts: 3 };

/** Adds what context checks find to a failed check's diagnosis (AWS key lookups, Vault expiry). */
type Deepen = (error: CheckError, diagnosis: Diagnosis) => Promise<Diagnosis>;

/**
 * Checks one credential with its provider and turns the outcome into what the vault
 * records: VALID with the identity; INVALID or UNREACHABLE with the error and its
 * diagnosis. UNREACHABLE leaves the last good identity in place.
 *
 * This is the boundary between what a server sent and what Keyward keeps: the whole
 * result (identity, code, message, diagnosis) is redacted of the credential's secrets
 * here, before anything stores, prints, audits or sends it.
 */
export async function checkCredential(
  rec: Pick<CredentialRecord, 'provider' | 'fields'>,
  secrets: Record<string, string>,
  opts: CheckOptions,
  ports: { clock?: Clock; log?: Logger; deepen?: Deepen } = {},
): Promise<CheckRecord> {
  const at = () => isoNow(ports.clock ?? opts.clock ?? systemClock);
  const redactor = new Redactor(secrets);
  let outcome;
  try {
    outcome = await PROVIDER_MODULES[rec.provider].check({ fields: rec.fields, secrets }, opts);
  } catch (e) {
    if (opts.signal?.aborted) throw e;
    // A provider bug must not mark a credential INVALID; say so without leaking details.
    const log = ports.log ?? silentLogger;
    log.error(`the ${rec.provider} check failed inside Keyward`, e, { redact: (t) => redactor.text(t) });
    const error: CheckError = { code: 'CheckFailed', message: `The check failed inside Keyward before a verdict${log.location ? `; details are in the log: ${log.location}` : ''}.` };
    return { status: 'UNREACHABLE', error, diagnosis: diagnose({ provider: rec.provider, status: 'UNREACHABLE', error, fields: rec.fields }), at: at() };
  }
  if (outcome.status === 'VALID') {
    return { status: 'VALID', identity: redactor.identity(outcome.identity), error: null, diagnosis: null, at: at() };
  }
  // The diagnosis is chosen from the redacted error: the catalog never sees a secret either.
  const error = redactor.error(outcome.error);
  let diagnosis = diagnose({ provider: rec.provider, status: outcome.status, error, fields: rec.fields });
  if (ports.deepen && outcome.status === 'INVALID') diagnosis = await ports.deepen(error, diagnosis);
  return { status: outcome.status, error, diagnosis: redactor.diagnosis(diagnosis), at: at() };
}
