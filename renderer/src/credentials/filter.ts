import type { Credential, CredentialStatus } from '@shared/contract';
import type { ProviderId } from '@shared/providers';

// Pure sorting and filtering for the table. Sorting runs when the records or the sort
// change; filtering runs per keystroke over the already-sorted list, so typing costs one
// linear pass and no re-sort.

export type SortKey = 'name' | 'provider' | 'type' | 'status' | 'createdAt';
export type SortDir = 'asc' | 'desc';
export interface Sort {
  key: SortKey;
  dir: SortDir;
}

export interface Filters {
  query: string;
  provider: ProviderId | '';
  status: CredentialStatus | '';
}

export const STATUS_LABELS: Record<CredentialStatus, string> = {
  UNVERIFIED: 'Unverified',
  VALID: 'Valid',
  INVALID: 'Invalid',
  UNREACHABLE: 'Unreachable',
};

// Problems first when sorting ascending (also alphabetical by label).
const STATUS_RANK: Record<CredentialStatus, number> = { INVALID: 0, UNREACHABLE: 1, UNVERIFIED: 2, VALID: 3 };

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

function byName(a: Credential, b: Credential): number {
  return collator.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

const COMPARE: Record<SortKey, (a: Credential, b: Credential) => number> = {
  name: byName,
  provider: (a, b) => collator.compare(a.provider, b.provider) || byName(a, b),
  type: (a, b) => collator.compare(a.type, b.type) || byName(a, b),
  status: (a, b) => STATUS_RANK[a.status] - STATUS_RANK[b.status] || byName(a, b),
  createdAt: (a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0) || byName(a, b),
};

export function sortCredentials(list: Iterable<Credential>, sort: Sort): Credential[] {
  const cmp = COMPARE[sort.key];
  const sign = sort.dir === 'asc' ? 1 : -1;
  return Array.from(list).sort((a, b) => sign * cmp(a, b));
}

function sortFieldsEqual(a: Credential, b: Credential, key: SortKey): boolean {
  return a.name === b.name && a[key] === b[key];
}

/**
 * Re-sorts after records changed. During a bulk verification thousands of events
 * change only the status: when no record's sort fields moved, the previous order is
 * kept and the new records are slotted in, in one linear pass instead of a sort.
 */
export function resortCredentials(previous: { sorted: Credential[]; sort: Sort } | null, byId: ReadonlyMap<string, Credential>, sort: Sort): Credential[] {
  if (previous && previous.sort === sort && previous.sorted.length === byId.size) {
    const next: Credential[] = new Array(previous.sorted.length);
    let same = true;
    for (let i = 0; i < previous.sorted.length; i++) {
      const old = previous.sorted[i]!;
      const now = byId.get(old.id);
      if (!now || (now !== old && !sortFieldsEqual(now, old, sort.key))) {
        same = false;
        break;
      }
      next[i] = now;
    }
    if (same) return next;
  }
  return sortCredentials(byId.values(), sort);
}

export function filterCredentials(sorted: Credential[], f: Filters): Credential[] {
  const q = f.query.trim().toLowerCase();
  if (!q && !f.provider && !f.status) return sorted;
  return sorted.filter((c) => (!f.provider || c.provider === f.provider) && (!f.status || c.status === f.status) && (!q || c.name.toLowerCase().includes(q)));
}

export function hasFilters(f: Filters): boolean {
  return f.query.trim() !== '' || f.provider !== '' || f.status !== '';
}
