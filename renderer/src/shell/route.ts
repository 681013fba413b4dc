import { useSyncExternalStore } from 'react';
import { DEFAULT_PAGE, PAGES } from './pages';

// Hash routing (#/credentials?status=INVALID): works from file:// in Electron and over the
// test harness alike, with no server-side routes.

function read(): { page: string; params: URLSearchParams } {
  const raw = window.location.hash.replace(/^#\/?/, '');
  const [path, query = ''] = raw.split('?');
  const page = PAGES.some((p) => p.id === path) ? path : DEFAULT_PAGE;
  return { page, params: new URLSearchParams(query) };
}

let current = read();
const listeners = new Set<() => void>();
window.addEventListener('hashchange', () => {
  current = read();
  listeners.forEach((l) => l());
});

export function useRoute(): { page: string; params: URLSearchParams } {
  return useSyncExternalStore(
    (l) => (listeners.add(l), () => listeners.delete(l)),
    () => current,
  );
}

/** Goes to a page, optionally with query parameters (e.g. a filter to apply). */
export function navigate(page: string, params?: Record<string, string>): void {
  const q = params ? `?${new URLSearchParams(params).toString()}` : '';
  window.location.hash = `#/${page}${q}`;
}
