import type { Clock, Timer } from '../ports/clock';

// When the scheduled checks run. One run at a time (a run that is due while another is
// still going is not queued behind it: the next one is armed when it ends); a run that
// falls due while the vault is locked or the OS reports no network waits, and runs once
// when that ends; after the machine wakes, an overdue run runs at once, never several.

type PauseReason = 'locked' | 'offline';

const OFFLINE_RETRY_MS = 60_000;

interface SchedulerDeps {
  clock: Clock;
  /** Milliseconds between runs; 0 or less turns the schedule off. */
  intervalMs: () => number;
  /** When the last run started (from the vault), or null if none has. */
  lastRunAt: () => number | null;
  paused: () => PauseReason | null;
  run: () => Promise<unknown>;
  /** A run that failed: told here (the app logs it), never thrown out of a timer. */
  onError?: (e: unknown) => void;
  /** Delay of the first run in a vault that was never checked on a schedule. */
  firstRunDelayMs?: number;
}

export class WatchScheduler {
  private timer: Timer | null = null;
  private inFlight: Promise<void> | null = null;
  private stopped = true;
  private due: number | null = null;
  /** When this scheduler last started a run: a run that failed before recording itself is not retried at once. */
  private startedAt: number | null = null;

  constructor(private readonly deps: SchedulerDeps) {}

  start(): void {
    this.stopped = false;
    this.arm();
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = null;
    this.due = null;
  }

  get running(): boolean {
    return this.inFlight !== null;
  }

  /** When the next run is due (it may wait longer while paused); null when off or stopped. */
  nextRunAt(): number | null {
    return this.due;
  }

  /** Call when a pause ends (unlocked, back online), after a wake, or when settings change. */
  poke(): void {
    if (!this.stopped) void this.tick();
  }

  /** Runs now (by default what the schedule runs) unless a run is going; resolves when that run ends. */
  runNow(run: () => Promise<unknown> = this.deps.run): Promise<void> {
    if (this.inFlight) return this.inFlight;
    return this.launch(run);
  }

  /** afterRun: slots that passed while a run was going are skipped, not run back to back. */
  private arm(afterRun = false): void {
    this.timer?.cancel();
    this.timer = null;
    const interval = this.deps.intervalMs();
    if (this.stopped || interval <= 0) {
      this.due = null;
      return;
    }
    const now = this.deps.clock.now();
    const recorded = this.deps.lastRunAt();
    const last = recorded === null ? this.startedAt : Math.max(recorded, this.startedAt ?? recorded);
    this.due = last === null ? now + (this.deps.firstRunDelayMs ?? 60_000) : last + interval;
    if (afterRun) while (this.due <= now) this.due += interval;
    this.timer = this.deps.clock.setTimeout(() => void this.tick(), Math.max(0, this.due - now));
  }

  private async tick(): Promise<void> {
    if (this.stopped || this.inFlight) return;
    if (this.due === null || this.deps.clock.now() < this.due) {
      this.arm();
      return;
    }
    // Due, but paused: while locked, unlocking starts the schedule again; while offline (no
    // event tells when the network returns) it looks again every minute. Either way it runs once.
    const paused = this.deps.paused();
    if (paused) {
      if (paused === 'offline') this.timer = this.deps.clock.setTimeout(() => void this.tick(), OFFLINE_RETRY_MS);
      return;
    }
    await this.launch(this.deps.run);
  }

  private launch(run: () => Promise<unknown>): Promise<void> {
    this.timer?.cancel();
    this.timer = null;
    this.startedAt = this.deps.clock.now();
    this.inFlight = (async () => {
      try {
        await run();
      } catch (e) {
        this.deps.onError?.(e);
      } finally {
        this.inFlight = null;
        this.arm(true);
      }
    })();
    return this.inFlight;
  }
}
