import type { Diagnosis } from '../../../../shared/contract';
import { accessDenied, keyLookup } from '../../diagnosis/context';
import { adminCandidates, DENIED, KEY_REJECTED } from '../../diagnosis/deepen';
import type { DeepenInput } from '../types';
import { awsPartsOf } from './client';

/**
 * What AWS's context checks add to a failed key check: where another credential of the
 * account may list the user's keys, whether this one was deactivated, rotated or deleted;
 * for AccessDenied, the permission that was missing.
 */
export async function deepenAws({ rec, secrets, error, repo, opts }: DeepenInput): Promise<Partial<Diagnosis> | null> {
  if (KEY_REJECTED.has(error.code) && rec.identity) {
    const admins = adminCandidates(repo, rec);
    if (admins.length) return keyLookup(rec.fields.accessKeyId, rec.identity, admins, opts);
  }
  if (DENIED.has(error.code)) return accessDenied(awsPartsOf({ fields: rec.fields, secrets }), error, 'sts:GetCallerIdentity', opts);
  return null;
}
