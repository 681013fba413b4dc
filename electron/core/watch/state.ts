import { DEFAULT_WATCH_SETTINGS, WatchRunSchema, WatchSettingsSchema, type WatchRun, type WatchSettings } from '../../../shared/watch-state';
import type { Vault } from '../vault/vault';
import type { CredentialGlance, StatusHistory } from './attention';

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

type GlanceRow = [
  id: string,
  name: string,
  provider: string,
  status: string,
  fields: string,
  expiresAt: string | null,
  errorCode: string | null,
  lastVerifiedAt: string | null,
  createdAt: string,
  statusSince: string | null,
  lastValidAt: string | null,
];

/**
 * Each credential as the attention rules see it, with its status history, in one query:
 * the diagnosis and the rest of the identity stay unparsed (10,000 credentials in a few
 * tens of milliseconds). Read-only; writes go through CredentialRepo.
 */
export function readGlances(vault: Vault): { credentials: CredentialGlance[]; history: Map<string, StatusHistory> } {
  const rows = vault.db
    .prepare(
      `SELECT c.id, c.name, c.provider, c.status, c.fields, json_extract(c.identity, '$.expiresAt'), json_extract(c.error, '$.code'),
              c.last_verified_at, c.created_at, w.status_since, w.last_valid_at
       FROM credentials c LEFT JOIN credential_watch w ON w.credential_id = c.id ORDER BY c.created_at, c.rowid`,
    )
    .raw()
    .all() as GlanceRow[];
  const history = new Map<string, StatusHistory>();
  const credentials = rows.map((r): CredentialGlance => {
    if (r[9]) history.set(r[0], { statusSince: r[9], lastValidAt: r[10] });
    return {
      id: r[0],
      name: r[1],
      provider: r[2] as CredentialGlance['provider'],
      status: r[3] as CredentialGlance['status'],
      fields: JSON.parse(r[4]) as Record<string, string>,
      identity: r[5] ? { expiresAt: r[5] } : null,
      error: r[6] ? { code: r[6] } : null,
      lastVerifiedAt: r[7],
      createdAt: r[8],
    };
  });
  return { credentials, history };
}
