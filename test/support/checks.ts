// Shared by the check tests: a catalog row's cause by id, a port nothing listens on, no
// secret in a result, and a credential service whose checks use the test's timeouts.
import { expect } from 'vitest';
import { CredentialService } from '../../electron/core/credentials/service';
import { CATALOG } from '../../electron/core/diagnosis/catalog';
import { EventBus } from '../../electron/core/events';
import type { CheckOptions } from '../../electron/core/providers/types';
import type { Vault } from '../../electron/core/vault/vault';

/** A check of one attempt with time to spare: what the connector and cloud tests run with. */
export const ONE_ATTEMPT: CheckOptions = { timeoutMs: 5000, maxAttempts: 1 };

/** What a test may change of a check's options. */
export type CheckOverrides = Partial<Omit<CheckOptions, 'signal'>>;

export const causeOf = (id: string) => {
  const entry = CATALOG.find((e) => e.id === id);
  if (!entry) throw new Error(`no catalog entry ${id}`);
  return entry.cause;
};

/** A port on 127.0.0.1 that nothing listens on (bound, then closed). */
export { freePort as closedPort } from './connector-servers';

/** Fails if the JSON of `value` holds any of `secrets` (every secret a test sent, right or wrong). */
export function expectNoSecret(value: unknown, secrets: Iterable<string>): void {
  const text = JSON.stringify(value);
  for (const s of secrets) expect(text).not.toContain(s);
}

/** A credential service over `vault` whose checks run with `check`. */
export function checkingService(vault: Vault, check: CheckOverrides): CredentialService {
  return new CredentialService(vault, new EventBus(), { check });
}
