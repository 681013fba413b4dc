import { DEFAULT_WATCH_SETTINGS, WatchRunSchema, WatchSettingsSchema, type WatchRun, type WatchSettings } from '../../../shared/channels/watch';
import type { Vault } from '../vault/vault';
import type { StatusHistory } from './attention';

// What the watch keeps in the vault: its settings, the last run, and the attention items
// already notified (so a change is told once). All of it lives in the meta table, beside
// the inventory settings; the status history is the credential_watch table (migration 6).

const SETTINGS = 'watch_settings';
const LAST_RUN = 'watch_last_run';
const NOTIFIED = 'watch_notified';
/** Enough to remember every item of a large vault; the oldest keys drop out first. */
const MAX_NOTIFIED = 50_000;

function readJson(vault: Vault, key: string): unknown {
  const raw = vault.db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key) as string | undefined;
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

function writeJson(vault: Vault, key: string, value: unknown): void {
  vault.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, JSON.stringify(value));
}

export function readWatchSettings(vault: Vault): WatchSettings {
  const parsed = WatchSettingsSchema.partial().safeParse(readJson(vault, SETTINGS) ?? {});
  return { ...DEFAULT_WATCH_SETTINGS, ...(parsed.success ? parsed.data : {}) };
}

export function writeWatchSettings(vault: Vault, change: Partial<WatchSettings>): WatchSettings {
  const next = WatchSettingsSchema.parse({ ...readWatchSettings(vault), ...change });
  writeJson(vault, SETTINGS, next);
  return next;
}

export function readLastRun(vault: Vault): WatchRun | null {
  const parsed = WatchRunSchema.safeParse(readJson(vault, LAST_RUN));
  return parsed.success ? parsed.data : null;
}

export function writeLastRun(vault: Vault, run: WatchRun): void {
  writeJson(vault, LAST_RUN, run);
}

export function readNotified(vault: Vault): Set<string> {
  const raw = readJson(vault, NOTIFIED);
  return new Set(Array.isArray(raw) ? raw.filter((k): k is string => typeof k === 'string') : []);
}

/**
 * Remembers the items told now; keys of items that no longer apply are forgotten, so an
 * occurrence that comes back later (a key that turns Invalid again) is told again.
 */
export function writeNotified(vault: Vault, current: Iterable<string>): void {
  writeJson(vault, NOTIFIED, [...current].slice(-MAX_NOTIFIED));
}

export function readStatusHistory(vault: Vault): Map<string, StatusHistory> {
  const rows = vault.db.prepare('SELECT credential_id, status_since, last_valid_at FROM credential_watch').raw().all() as Array<[string, string, string | null]>;
  return new Map(rows.map(([id, statusSince, lastValidAt]) => [id, { statusSince, lastValidAt }]));
}
