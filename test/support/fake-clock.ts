import type { Clock } from '../../electron/core/ports/clock';

/** A clock tests move by hand: `advance(ms)` runs the timers that fall due, in order. */
export interface FakeClock extends Clock {
  advance(ms: number): void;
  set(iso: string): void;
}

export function fakeClock(start: string | number = '2026-01-01T00:00:00.000Z'): FakeClock {
  let now = typeof start === 'number' ? start : Date.parse(start);
  let timers: Array<{ at: number; fn: () => void; id: number }> = [];
  let nextId = 0;
  const runDue = () => {
    for (;;) {
      const due = timers.filter((t) => t.at <= now).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) return;
      timers = timers.filter((t) => t !== due);
      due.fn();
    }
  };
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const timer = { at: now + Math.max(0, ms), fn, id: nextId++ };
      timers.push(timer);
      return { cancel: () => void (timers = timers.filter((t) => t !== timer)) };
    },
    advance(ms) {
      now += ms;
      runDue();
    },
    set(iso) {
      now = Date.parse(iso);
      runDue();
    },
  };
}
