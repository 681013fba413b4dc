import { useSyncExternalStore } from 'react';

// One shared clock for every relative date on screen, so "3 min ago" stays true without
// each row running its own timer.

const TICK_MS = 30_000;
let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!timer) {
    timer = setInterval(() => {
      now = Date.now();
      listeners.forEach((l) => l());
    }, TICK_MS);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

export function useNow(): number {
  return useSyncExternalStore(subscribe, () => now);
}

const absoluteFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const shortDate = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

export function formatAbsolute(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : absoluteFormat.format(t);
}

export function formatRelative(iso: string, at: number): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const s = Math.round((at - t) / 1000);
  if (s < 45) return s < -45 ? shortDate.format(t) : 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 24) return `${h} h ago`;
  const d = Math.round(h / 24);
  if (d === 1) return 'yesterday';
  if (d < 30) return `${d} days ago`;
  return shortDate.format(t);
}

/** "3 min ago", with the exact date and time in the tooltip. */
export function RelativeTime({ iso }: { iso: string }) {
  const at = useNow();
  // Recompute "now" at render too: the shared clock may be up to 30 s behind a fresh record.
  const ref = Math.max(at, Date.now());
  return (
    <time dateTime={iso} title={formatAbsolute(iso)}>
      {formatRelative(iso, ref)}
    </time>
  );
}
