import type { CheckError, Diagnosis } from '../../../shared/contract';
import type { CredentialRecord, CredentialRepo } from '../credentials/repo';
import type { CheckOptions } from '../providers/types';
import { PROVIDER_MODULES } from '../providers';
import { awsPartsOf } from '../providers/aws/client';
import type { AdminCandidate } from './context';

type Opts = Omit<CheckOptions, 'signal'> & { signal?: AbortSignal };

/** Codes that say "AWS does not know or accept this key": worth looking the key up. */
export const KEY_REJECTED = new Set(['InvalidClientTokenId', 'InvalidAccessKeyId', 'AuthFailure', 'UnrecognizedClientException']);
/** How many admin credentials a key lookup tries. */
const MAX_ADMINS = 5;

export const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnauthorizedAccess']);

/**
 * Other AWS credentials of the same account (known from verified identities) that may
 * list the failing key's user's keys: VALID ones first.
 */
export function adminCandidates(repo: CredentialRepo, rec: CredentialRecord): AdminCandidate[] {
  const account = rec.identity?.account;
  if (!account) return [];
  return (
    repo
      .list()
      .filter((c) => c.id !== rec.id && c.provider === 'AWS' && c.identity?.account === account && c.status !== 'INVALID')
      // VALID first, the most recently verified first: the likeliest to still work.
      .sort((a, b) => (a.status === 'VALID' ? 0 : 1) - (b.status === 'VALID' ? 0 : 1) || (b.lastVerifiedAt ?? '').localeCompare(a.lastVerifiedAt ?? ''))
      // A few are enough: each one tried is a secret opened and an IAM call.
      .slice(0, MAX_ADMINS)
      .map((c) => ({ name: c.name, parts: () => awsPartsOf({ fields: c.fields, secrets: repo.secretsOf(c.id) }) }))
  );
}

export function merge(base: Diagnosis, extra: Partial<Diagnosis> | null): Diagnosis {
  if (!extra) return base;
  return { ...base, ...extra, link: extra.link ?? base.link ?? null };
}

/** A credential check that failed: add what the provider's deeper diagnosis finds (providers/<id>/ `deepen`). */
export async function deepenCredentialDiagnosis(rec: CredentialRecord, secrets: Record<string, string>, error: CheckError, diagnosis: Diagnosis, repo: CredentialRepo, opts: Opts): Promise<Diagnosis> {
  const deepen = PROVIDER_MODULES[rec.provider].deepen;
  if (!deepen) return diagnosis;
  try {
    return merge(diagnosis, await deepen({ rec, secrets, error, repo, opts }));
  } catch {
    // A context check never changes the verdict; without it the catalog's diagnosis stands.
    return diagnosis;
  }
}
