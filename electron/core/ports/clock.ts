// The clock port: core asks it for the time and for timers, so schedules, expiry and
// ages are tested with a fake clock instead of sleeping. The composition root
// (KeywardCore's options) passes the real one; tests pass `fakeClock` from test/support.

export interface Timer {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since the epoch, as Date.now(). */
  now(): number;
  /** Runs fn once after ms; the returned timer cancels it. Never keeps the process alive. */
  setTimeout(fn: () => void, ms: number): Timer;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return { cancel: () => clearTimeout(t) };
  },
};

/** The current time as an ISO-8601 string, from the given clock. */
export function isoNow(clock: Clock): string {
  return new Date(clock.now()).toISOString();
}
