import type { z } from 'zod';

// The contract's channel tables, loaded by feature when a channel of it is first called:
// the dispatcher builds a feature's zod schemas only when it serves one of its channels.
// The CLI runs one command per process, and building every feature's schemas was a fifth
// of `keyward list`. contract.ts composes the same tables eagerly for the window, preload
// and main; test/core/channel-tables.test.ts keeps the two in step (every channel of the
// contract is found here, as the very same schema objects, and nothing else is).

export type ChannelTable = Record<string, { request: z.ZodType; response: z.ZodType }>;

/** A feature's channels, and those only the CLI's dispatcher serves (contract.ts `cliChannels`). */
export interface FeatureTables {
  channels: ChannelTable;
  cli?: ChannelTable;
}

/** By the prefix of a channel's name (`credentials.list` → credentials). */
const BY_PREFIX: Record<string, () => Promise<FeatureTables>> = {
  vault: async () => {
    // vault.status, .init, .unlock, .probeKeychain are the vault's; .lock, .changePassphrase, .setKeyProvider the watch feature's.
    const [{ vaultChannels }, { watchChannels }] = await Promise.all([import('./channels/vault'), import('./channels/watch')]);
    return { channels: { ...vaultChannels, ...watchChannels } };
  },
  credentials: async () => ({ channels: (await import('./channels/credentials')).credentialChannels }),
  audit: async () => ({ channels: (await import('./channels/audit')).auditChannels }),
  resources: async () => ({ channels: (await import('./channels/resources')).resourceChannels }),
  policy: async () => ({ channels: (await import('./channels/resources')).resourceChannels }),
  rotation: async () => ({ channels: (await import('./channels/rotation')).rotationChannels }),
  parameters: async () => ({ channels: (await import('./channels/parameters')).parameterChannels }),
  inventory: async () => {
    const { inventoryChannels, inventoryCliChannels } = await import('./channels/inventory');
    return { channels: inventoryChannels, cli: inventoryCliChannels };
  },
  watch: async () => ({ channels: (await import('./channels/watch')).watchChannels }),
  awsProfiles: async () => {
    const { awsProfileChannels, awsProfileCliChannels } = await import('./channels/aws-profiles');
    return { channels: awsProfileChannels, cli: awsProfileCliChannels };
  },
  settings: async () => ({ channels: (await import('./channels/settings')).settingsChannels }),
  delivery: async () => ({ channels: (await import('./channels/deliveries')).deliveryChannels }),
};

/** The request and response schemas of `channel`; null when no feature declares it (for the window, a CLI-only channel is none). */
export async function channelSchemas(channel: string, opts: { cli: boolean }): Promise<ChannelTable[string] | null> {
  const prefix = channel.slice(0, channel.indexOf('.'));
  if (!prefix || !Object.hasOwn(BY_PREFIX, prefix)) return null;
  const tables = await BY_PREFIX[prefix]();
  if (Object.hasOwn(tables.channels, channel)) return tables.channels[channel];
  if (opts.cli && tables.cli && Object.hasOwn(tables.cli, channel)) return tables.cli[channel];
  return null;
}

/** Every feature's tables (the test that keeps them in step with contract.ts). */
export function allFeatureTables(): Promise<FeatureTables[]> {
  return Promise.all(Object.values(BY_PREFIX).map((load) => load()));
}
