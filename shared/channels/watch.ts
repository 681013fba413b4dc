import { z } from 'zod';
import { VaultStatusSchema } from '../schemas';
import { ATTENTION_KINDS, WatchRunSchema, WatchSettingsSchema } from '../watch-state';

// Keeping watch: what needs attention (computed from the vault alone), the schedule of
// checks and its last run, the notice settings, and locking the vault.

export { ATTENTION_KINDS, type AttentionKind, type WatchRun, type WatchSettings } from '../watch-state';

/** Where the admin acts on an item: the page, and what to do there. */
const AttentionActionSchema = z.object({
  kind: z.enum(['diagnosis', 'rotate', 'edit', 'verify', 'import-report', 'resume-rotation']),
  label: z.string(),
  page: z.enum(['credentials', 'inventory']),
  credentialId: z.string().nullable(),
  rotationId: z.string().nullable(),
});

const AttentionItemSchema = z.object({
  /** Stable for one occurrence (kind, credential, when it began): a notice is sent once per key. */
  key: z.string(),
  kind: z.enum(ATTENTION_KINDS),
  severity: z.enum(['critical', 'warning']),
  credentialId: z.string().nullable(),
  name: z.string().nullable(),
  provider: z.string().nullable(),
  /** A masked key id (AKIA************MPLE) where the item is about an access key. */
  maskedKeyId: z.string().nullable(),
  title: z.string(),
  detail: z.string(),
  since: z.string().nullable(),
  action: AttentionActionSchema,
});
export type AttentionItem = z.output<typeof AttentionItemSchema>;

const AttentionSchema = z.object({
  computedAt: z.string(),
  items: z.array(AttentionItemSchema),
  counts: z.object({ critical: z.number().int(), warning: z.number().int() }),
});
export type Attention = z.output<typeof AttentionSchema>;

const WatchStatusSchema = z.object({
  settings: WatchSettingsSchema,
  lastRun: WatchRunSchema.nullable(),
  /** When the next scheduled check runs (null: off, or not in the app). */
  nextRunAt: z.string().nullable(),
  running: z.boolean(),
  paused: z.enum(['locked', 'offline']).nullable(),
});
export type WatchStatus = z.output<typeof WatchStatusSchema>;

const Passphrase = z.string().min(12).max(1024);

export const watchChannels = {
  'watch.attention': { request: z.object({}), response: AttentionSchema },
  'watch.status': { request: z.object({}), response: WatchStatusSchema },
  'watch.setSettings': { request: WatchSettingsSchema.partial(), response: WatchStatusSchema },
  /** Runs the checks now (as the schedule would); the result arrives as watch.changed. */
  'watch.runNow': { request: z.object({}), response: z.object({ started: z.boolean() }) },
  /** Checks now and waits (the CLI's `keyward watch --once --verify`); verify: false only computes the list. */
  'watch.check': {
    request: z.object({ verify: z.boolean().default(false), concurrency: z.number().int().min(1).max(64).optional() }),
    response: z.object({ run: WatchRunSchema.nullable(), attention: AttentionSchema }),
  },
  /** Locks now: main drops the data key and the unlocked session; every other channel answers VAULT_LOCKED. */
  'vault.lock': { request: z.object({}), response: VaultStatusSchema },
  'vault.changePassphrase': {
    request: z.object({ current: z.string().min(1).max(1024), next: Passphrase }),
    response: VaultStatusSchema,
  },
  /** Switches where the vault key is kept; to a passphrase, the new one comes with it. */
  'vault.setKeyProvider': {
    request: z.object({ keyProvider: z.enum(['keychain', 'passphrase']), current: z.string().max(1024).optional(), passphrase: Passphrase.optional() }),
    response: VaultStatusSchema,
  },
} as const;

export const watchEvents = {
  /** A check run ended or the attention list changed: the window refreshes the badge and list. */
  'watch.changed': z.object({ attention: z.number().int(), lastRun: WatchRunSchema.nullable() }),
  /** The admin clicked a notice: the window shows the Attention list. */
  'watch.open': z.object({}),
  /** The vault locked (on demand, idle, suspend): the window clears every store. */
  'vault.locked': z.object({ reason: z.enum(['manual', 'idle', 'suspend', 'screen-lock']) }),
} as const;
