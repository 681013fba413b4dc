import type { InventoryFigure, InventorySettings, InventorySummary } from '../../../shared/channels/inventory';
import { INVENTORY_FIGURES } from '../../../shared/inventory-figures';
import type { CredentialRecord } from '../credentials/repo';
import type { KeyCreatedAt, KeyUsage } from './report';

// The Inventory page's figures, computed from the local vault only (no network): key
// age against the maximum (CIS AWS Foundations 1.14: 90 days), last use, and how long
// ago each credential was verified. Each figure names the credentials it counts, so the
// page can link to the table filtered to exactly them.

export type Figure = InventoryFigure;
export type { InventorySettings, InventorySummary };

export const DEFAULT_INVENTORY_SETTINGS: InventorySettings = { maxAgeDays: 90, warnDays: 14, unusedDays: 90, staleDays: 30 };

const DAY = 86_400_000;

interface KeyAge {
  credentialId: string;
  name: string;
  ageDays: number;
  /** Where the age comes from: iam:ListAccessKeys, or the report's last_rotated. */
  source: 'aws' | 'report';
}

/** When a credential itself stops working, where it says: an Azure secret's date (end of that day, UTC) or a Vault token's expire_time. */
export function credentialExpiry(c: Pick<CredentialRecord, 'fields' | 'identity'>): number | null {
  const raw = c.fields.expiresAt ? `${c.fields.expiresAt}T23:59:59Z` : c.identity?.expiresAt;
  const at = raw ? Date.parse(raw) : NaN;
  return Number.isNaN(at) ? null : at;
}

export function expiringSecrets(creds: CredentialRecord[], s: InventorySettings, now: number): NonNullable<InventorySummary['expiringSecrets']> {
  let expired = 0;
  let expiringSoon = 0;
  const credentialIds: string[] = [];
  for (const c of creds) {
    const at = credentialExpiry(c);
    if (at === null) continue;
    if (at <= now) expired++;
    else if (at - now <= s.warnDays * DAY) expiringSoon++;
    else continue;
    credentialIds.push(c.id);
  }
  return { expired, expiringSoon, credentialIds };
}

export function keyAges(creds: Array<Pick<CredentialRecord, 'id' | 'name'>>, usage: Map<string, KeyUsage>, created: KeyCreatedAt, now: number): KeyAge[] {
  const out: KeyAge[] = [];
  for (const c of creds) {
    const fromAws = created.get(c.id);
    const at = fromAws ?? usage.get(c.id)?.lastRotated;
    if (!at) continue;
    out.push({ credentialId: c.id, name: c.name, ageDays: Math.floor((now - Date.parse(at)) / DAY), source: fromAws ? 'aws' : 'report' });
  }
  return out;
}

/** The credential ids a figure counts. */
export function figureMembers(figure: Figure, creds: CredentialRecord[], usage: Map<string, KeyUsage>, created: KeyCreatedAt, s: InventorySettings, now: number): string[] {
  switch (figure) {
    case 'pastMaxAge':
      return keyAges(creds, usage, created, now)
        .filter((k) => k.ageDays >= s.maxAgeDays)
        .map((k) => k.credentialId);
    case 'approachingMaxAge':
      return keyAges(creds, usage, created, now)
        .filter((k) => k.ageDays < s.maxAgeDays && k.ageDays >= s.maxAgeDays - s.warnDays)
        .map((k) => k.credentialId);
    case 'unused':
      // Known to the newest report, and not used within the window (or never).
      return creds
        .filter((c) => {
          const u = usage.get(c.id);
          if (!u) return false;
          const last = u.lastUsedDate ?? null;
          return last === null ? true : now - Date.parse(last) >= s.unusedDays * DAY;
        })
        .map((c) => c.id);
    case 'neverVerified':
      return creds.filter((c) => !c.lastVerifiedAt).map((c) => c.id);
    case 'staleVerification':
      return creds.filter((c) => c.lastVerifiedAt && now - Date.parse(c.lastVerifiedAt) >= s.staleDays * DAY).map((c) => c.id);
    case 'secretsExpiring':
      // Secrets with an end date (Azure client secrets, Vault tokens): past it, or within the warning window.
      return expiringSecrets(creds, s, now).credentialIds;
  }
}

function counts(values: string[]): Array<{ key: string; count: number }> {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return [...m].map(([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

export function inventorySummary(
  creds: CredentialRecord[],
  usage: Map<string, KeyUsage>,
  created: KeyCreatedAt,
  latest: InventorySummary['report'],
  settings: InventorySettings = DEFAULT_INVENTORY_SETTINGS,
  now = Date.now(),
): InventorySummary {
  const ages = keyAges(creds, usage, created, now);
  const figures = Object.fromEntries(INVENTORY_FIGURES.map((f) => [f, figureMembers(f, creds, usage, created, settings, now).length])) as Record<Figure, number>;
  const BIN = 15;
  const LAST = 180;
  const ageBins: InventorySummary['ageBins'] = [];
  for (let from = 0; from < LAST; from += BIN) ageBins.push({ fromDays: from, toDays: from + BIN, count: 0 });
  ageBins.push({ fromDays: LAST, toDays: null, count: 0 });
  for (const a of ages) ageBins[Math.min(Math.floor(Math.max(0, a.ageDays) / BIN), ageBins.length - 1)].count++;
  const verified = creds
    .map((c) => c.lastVerifiedAt)
    .filter((v): v is string => !!v)
    .sort();
  return {
    settings,
    total: creds.length,
    byProvider: counts(creds.map((c) => c.provider)).map(({ key, count }) => ({ provider: key, count })),
    byStatus: counts(creds.map((c) => c.status)).map(({ key, count }) => ({ status: key, count })),
    figures,
    lastVerifiedAt: verified.at(-1) ?? null,
    oldestVerifiedAt: verified[0] ?? null,
    report: latest,
    keysWithAge: ages.length,
    ageBins,
    nextDue: ages
      .map((a) => ({ ...a, dueInDays: settings.maxAgeDays - a.ageDays }))
      .sort((a, b) => a.dueInDays - b.dueInDays || a.name.localeCompare(b.name))
      .slice(0, 10),
    expiringSecrets: expiringSecrets(creds, settings, now),
  };
}
