import type { Clock, Timer } from '../../electron/core/ports/clock';

/** A clock the test moves by hand: timers fire, in order, as time passes them. */
export class FakeClock implements Clock {
  private timers: Array<{ at: number; fn: () => void; id: number }> = [];
  private seq = 0;
  constructor(private t: number = Date.parse('2026-12-01T09:00:00Z')) {}

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): Timer {
    const id = ++this.seq;
    this.timers.push({ at: this.t + Math.max(0, ms), fn, id });
    return { cancel: () => void (this.timers = this.timers.filter((x) => x.id !== id)) };
  }

  /** Pending timers (for tests that check nothing piles up). */
  get pending(): number {
    return this.timers.length;
  }

  /**
   * Moves time forward by ms, firing each timer due on the way, in order. Await it where
   * what a timer starts is asynchronous: the promises it makes settle before the next fires.
   */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.t = next.at;
      next.fn();
      await settle();
    }
    this.t = end;
    await settle();
  }

  /** Jumps to a time (forward or back) without firing timers: the machine slept, or its clock was set. */
  set(iso: string): void {
    this.t = Date.parse(iso);
  }

  /** Jumps time forward without firing timers: the machine slept, and its timers did not run. */
  sleep(ms: number): void {
    this.t += ms;
  }
}

/** A fake clock at the given time (ISO or ms since the epoch). */
export function fakeClock(start: string | number = '2026-01-01T00:00:00.000Z'): FakeClock {
  return new FakeClock(typeof start === 'number' ? start : Date.parse(start));
}

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
  await new Promise((r) => setImmediate(r));
}
