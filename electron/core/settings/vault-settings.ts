import { DEFAULT_VAULT_SETTINGS, VaultSettingsSchema, type VaultSettings } from '../../../shared/channels/settings';
import type { AuditLog } from '../audit/log';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../vault/db';
import type { Vault } from '../vault/vault';

// The vault's preferences (clipboard clear time, default AWS region), one JSON value in the
// meta table beside the inventory and watch settings. A value this build does not know
// (a newer build's choice, a hand edit) falls back to the default rather than failing.

const KEY = 'vault_settings';

// Per database: the statement, prepared once, and the last value read with what it parsed
// to (every new credential reads the settings for its default region; they rarely change).
const readers = new WeakMap<Db, { read: Statement; raw?: string; settings?: VaultSettings }>();

export function readVaultSettings(db: Db): VaultSettings {
  let reader = readers.get(db);
  if (!reader) readers.set(db, (reader = { read: db.prepare('SELECT value FROM meta WHERE key = ?').pluck() }));
  const raw = reader.read.get(KEY) as string | undefined;
  if (reader.settings && reader.raw === raw) return { ...reader.settings };
  let stored: Record<string, unknown> = {};
  try {
    stored = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  } catch {
    stored = {};
  }
  const out = { ...DEFAULT_VAULT_SETTINGS };
  for (const key of Object.keys(out) as Array<keyof VaultSettings>) {
    const one = VaultSettingsSchema.shape[key].safeParse(stored?.[key]);
    if (one.success) (out as Record<string, unknown>)[key] = one.data;
  }
  Object.assign(reader, { raw, settings: { ...out } });
  return out;
}

export function writeVaultSettings(vault: Vault, audit: AuditLog, change: Partial<VaultSettings>): VaultSettings {
  const before = readVaultSettings(vault.db);
  const next = VaultSettingsSchema.parse({ ...before, ...change });
  const changed = Object.fromEntries(Object.entries(next).filter(([k, v]) => before[k as keyof VaultSettings] !== v));
  if (Object.keys(changed).length === 0) return next;
  vault.tx(() => {
    vault.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(KEY, JSON.stringify(next));
    audit.append('settings.changed', { details: changed });
  });
  return next;
}
