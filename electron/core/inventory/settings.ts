import type { Db } from '../vault/db';
import { DEFAULT_INVENTORY_SETTINGS, type InventorySettings } from './summary';

// The key-age policy lives in the vault's meta table, so the Inventory page, the rotation
// wizard's "too old" flag and the CLI all judge keys by the same maximum age.
export function readInventorySettingsFrom(db: Db): InventorySettings {
  const raw = db.prepare("SELECT value FROM meta WHERE key = 'inventory_settings'").pluck().get() as string | undefined;
  return { ...DEFAULT_INVENTORY_SETTINGS, ...(raw ? (JSON.parse(raw) as Partial<InventorySettings>) : {}) };
}
