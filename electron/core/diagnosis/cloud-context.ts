import type { CheckError, Diagnosis, Identity } from '../../../shared/contract';
import type { ProviderId } from '../../../shared/providers';
import { expiryPassed } from '../providers/azure/verify';
import { CATALOG } from './catalog';

// What the cloud providers' diagnoses add from what Keyward already knows, with no call:
// an Azure secret whose recorded expiry date has passed, and a Vault token whose last seen
// expire_time has passed (Vault answers an expired token exactly as a revoked one).

/** A recorded Azure secret expiry date in the past, said even when no answer came. */
export function cloudFound(provider: ProviderId, fields: Record<string, string>): Pick<Diagnosis, 'found'> | null {
  if (provider !== 'AZURE') return null;
  const passed = expiryPassed(fields.expiresAt);
  return passed ? { found: passed } : null;
}

/** The token-expired diagnosis, when Vault refused the token and its last known expire_time has passed. */
export function vaultTokenExpired(identity: Identity | null, error: CheckError, now = new Date()): Partial<Diagnosis> | null {
  if (error.code !== 'InvalidToken' || !identity?.expiresAt) return null;
  const end = Date.parse(identity.expiresAt);
  if (Number.isNaN(end) || end > now.getTime()) return null;
  const entry = CATALOG.find((e) => e.id === 'vault.token-expired');
  if (!entry) return null;
  const fill = (t: string) => t.replace('{expiresAt}', identity.expiresAt!);
  return {
    cause: fill(entry.cause),
    remedy: entry.remedy.map(fill),
    link: entry.link ?? null,
    found: `The token’s expire_time, last seen by Keyward when it was valid, was ${identity.expiresAt}: it has passed.`,
  };
}
