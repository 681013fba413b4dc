import { z } from 'zod';

// What keeping watch stores in the vault (its settings and its last run) and the kinds of
// item it raises. Apart from the channels (channels/watch.ts), so that core reads and
// writes them without building every watch channel's schemas.

export const ATTENTION_KINDS = [
  'turned-invalid',
  'unreachable-long',
  'past-max-age',
  'near-max-age',
  'secret-expired',
  'secret-expiring',
  'report-stale',
  'rotation-unfinished',
  'rotation-held',
  'key-unused',
] as const;
export type AttentionKind = (typeof ATTENTION_KINDS)[number];

const Hour = z.number().int().min(0).max(23);

export const WatchSettingsSchema = z.object({
  /** Hours between scheduled checks while the app runs; 0 turns them off. */
  intervalHours: z
    .number()
    .min(0)
    .max(24 * 7),
  /** Credentials the schedule leaves out (still listed, still checked by hand). */
  skip: z.array(z.string().min(1).max(64)).max(100_000),
  /** Minutes without input before the vault locks; null = never (Settings warns). */
  autoLockMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .nullable(),
  lockOnSuspend: z.boolean(),
  notify: z.boolean(),
  /** No OS notification between these local hours (start inclusive, end exclusive); null = none. */
  quietHours: z.object({ start: Hour, end: Hour }).nullable(),
  /** Kinds that never raise a notice (they stay in the list). */
  mutedKinds: z.array(z.enum(ATTENTION_KINDS)),
});
export type WatchSettings = z.output<typeof WatchSettingsSchema>;

export const DEFAULT_WATCH_SETTINGS: WatchSettings = {
  intervalHours: 6,
  skip: [],
  autoLockMinutes: 15,
  lockOnSuspend: true,
  notify: true,
  quietHours: null,
  mutedKinds: [],
};

export const WatchRunSchema = z.object({
  at: z.string(),
  trigger: z.enum(['schedule', 'manual', 'cli']),
  checked: z.number().int(),
  counts: z.object({ VALID: z.number().int(), INVALID: z.number().int(), UNREACHABLE: z.number().int(), UNVERIFIED: z.number().int() }),
  attention: z.number().int(),
  notified: z.number().int(),
});
export type WatchRun = z.output<typeof WatchRunSchema>;
