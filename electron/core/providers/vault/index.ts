import type { Diagnosis } from '../../../../shared/contract';
import { vault } from '../../../../shared/providers/vault';
import { sh } from '../shell';
import { providerOf } from '../types';
import { VAULT_CATALOG } from './catalog';
import { systemClock } from '../../ports/clock';

// HashiCorp Vault: a token, checked with GET /v1/auth/token/lookup-self (verify.ts). The
// test command takes the token from VAULT_TOKEN.

/** The token-expired diagnosis, when Vault refused the token and its last known expire_time has passed (Vault answers an expired token exactly as a revoked one). */
function vaultTokenExpired(expiresAt: string | undefined, errorCode: string, now = new Date()): Partial<Diagnosis> | null {
  if (errorCode !== 'InvalidToken' || !expiresAt) return null;
  const end = Date.parse(expiresAt);
  if (Number.isNaN(end) || end > now.getTime()) return null;
  const entry = VAULT_CATALOG.find((e) => e.id === 'vault.token-expired');
  if (!entry) return null;
  const fill = (t: string) => t.replace('{expiresAt}', expiresAt);
  return {
    cause: fill(entry.cause),
    remedy: entry.remedy.map(fill),
    link: entry.link ?? null,
    found: `The token’s expire_time, last seen by Keyward when it was valid, was ${expiresAt}: it has passed.`,
  };
}

export const vaultProvider = providerOf(vault, () => import('./verify'), VAULT_CATALOG, {
  testCommand(fields, errorCode) {
    if (!fields.address) return null;
    const env = [`VAULT_ADDR=${sh(fields.address)}`, ...(fields.namespace ? [`VAULT_NAMESPACE=${sh(fields.namespace)}`] : [])].join(' ');
    if (errorCode === 'VaultSealed' || errorCode === 'NotVault' || /^HTTP5/.test(errorCode ?? '')) return `${env} vault status`;
    return `${env} vault token lookup`;
  },
  deepen: async ({ rec, error, opts }) => vaultTokenExpired(rec.identity?.expiresAt, error.code, new Date((opts.clock ?? systemClock).now())),
});
