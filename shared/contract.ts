import { z } from 'zod';
import { auditChannels } from './channels/audit';
import { inventoryChannels, inventoryCliChannels } from './channels/inventory';
import { resourceChannels } from './channels/resources';
import { parameterChannels } from './channels/parameters';
import { rotationChannels, rotationEvents } from './channels/rotation';
import { credentialChannels, credentialEvents } from './channels/credentials';
import { vaultChannels } from './channels/vault';
import { awsProfileChannels, awsProfileCliChannels } from './channels/aws-profiles';
import { watchChannels, watchEvents } from './channels/watch';
import { settingsChannels } from './channels/settings';
import { deliveryChannels } from './channels/deliveries';
import { ErrorPayloadSchema } from './schemas';

// The IPC contract: every channel once, with its request and response schema, and every
// event main sends to the window. Main validates requests against it, preload builds
// `window.keyward` from it, the loopback test harness serves it. Responses and events
// never carry a secret value: requests may (a secret goes in, never comes back out).
//
// A feature declares its channels in shared/channels/<feature>.ts and is added here once.

export * from './schemas';

export const channels = {
  ...vaultChannels,
  ...credentialChannels,
  ...auditChannels,
  ...resourceChannels,
  ...rotationChannels,
  ...parameterChannels,
  ...inventoryChannels,
  ...watchChannels,
  ...awsProfileChannels,
  ...settingsChannels,
  ...deliveryChannels,
} as const;

/**
 * Channels the CLI's dispatcher serves besides `channels`, never the window's: not in
 * CHANNEL_NAMES, so preload does not expose them and ipcMain refuses them.
 */
export const cliChannels = {
  ...awsProfileCliChannels,
  ...inventoryCliChannels,
} as const;

export const events = {
  ...credentialEvents,
  ...rotationEvents,
  ...watchEvents,
} as const;

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
export type EventName = keyof typeof events;
export type Request<C extends ChannelName> = z.input<Channels[C]['request']>;
export type ParsedRequest<C extends ChannelName> = z.output<Channels[C]['request']>;
export type CliChannelName = keyof typeof cliChannels;
export type Response<C extends ChannelName> = z.output<Channels[C]['response']>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export const CHANNEL_NAMES = Object.keys(channels) as ChannelName[];
export const EVENT_NAMES = Object.keys(events) as EventName[];

/** What travels back for every invoke: errors are values, not thrown across the bridge. */
export type Envelope<T> = { ok: true; data: T } | { ok: false; error: z.output<typeof ErrorPayloadSchema> };
