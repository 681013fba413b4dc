import { z } from 'zod';
import { VaultStatusSchema } from '../schemas';
import { MAX_PASSPHRASE, MIN_PASSPHRASE } from '../passphrase';

/** Lock state of the vault: first run, unlock with a passphrase. */
export const vaultChannels = {
  'vault.status': { request: z.object({}), response: VaultStatusSchema },
  /** With a passphrase for a passphrase vault; without one, a keychain vault opens again (after a lock). */
  'vault.unlock': {
    request: z.object({ passphrase: z.string().min(1).max(1024).optional() }),
    response: VaultStatusSchema,
  },
  /** Whether the OS keychain can keep the key on this machine, before first run offers it. */
  'vault.probeKeychain': { request: z.object({}), response: z.object({ available: z.boolean(), reason: z.string().nullable() }) },
  'vault.init': {
    request: z.object({
      keyProvider: z.enum(['keychain', 'passphrase']),
      passphrase: z.string().min(MIN_PASSPHRASE).max(MAX_PASSPHRASE).optional(),
    }),
    response: VaultStatusSchema,
  },
} as const;
