import { useSyncExternalStore } from 'react';
import { DEFAULT_PAGE, PAGES } from './pages';

// Hash routing (#/credentials?status=INVALID): works from file:// in Electron and over the
// test harness alike, with no server-side routes.

/** The hash's page path and query: "#/credentials?status=INVALID" → ["credentials", "status=INVALID"]. */
function hashParts(): [path: string, query: string] {
  const [path = '', query = ''] = window.location.hash.replace(/^#\/?/, '').split('?');
  return [path, query];
}

function read(): { page: string; params: URLSearchParams } {
  const [path, query] = hashParts();
  const page = PAGES.some((p) => p.id === path) ? path : DEFAULT_PAGE;
  return { page, params: new URLSearchParams(query) };
}

// Read lazily: a page module may import this file while pages.ts (which lists that page)
// is still being evaluated, so PAGES is not there yet at module load.
let current: ReturnType<typeof read> | null = null;
const listeners = new Set<() => void>();
window.addEventListener('hashchange', () => {
  current = read();
  listeners.forEach((l) => l());
});

export function useRoute(): { page: string; params: URLSearchParams } {
  return useSyncExternalStore(
    (l) => (listeners.add(l), () => listeners.delete(l)),
    () => (current ??= read()),
  );
}

/**
 * The app's home when no page was asked for: the Inventory once the vault holds
 * credentials, the Credentials page (with its Add Credential) while it is empty.
 * Decided once, when the vault opens; an explicit #/page always wins.
 */
export function settleHome(credentialCount: number | null): void {
  if (hashParts()[0]) return;
  const home = credentialCount ? 'inventory' : DEFAULT_PAGE;
  window.history.replaceState(null, '', `#/${home}`);
  current = read();
  listeners.forEach((l) => l());
}

/** Goes to a page, optionally with query parameters (e.g. a filter to apply). */
export function navigate(page: string, params?: Record<string, string>): void {
  const q = params ? `?${new URLSearchParams(params).toString()}` : '';
  window.location.hash = `#/${page}${q}`;
}
