import type { Clock, Timer } from '../ports/clock';

/** How long the user has been away: Electron's powerMonitor.getSystemIdleTime() in the app. */
export interface IdlePort {
  idleSeconds(): number;
}

interface AutoLockDeps {
  clock: Clock;
  idle: IdlePort;
  /** Minutes without input before the vault locks; null = never. Read at every look. */
  minutes: () => number | null;
  lock: () => void;
  /** How often to look at the idle time. */
  pollMs?: number;
}

// Locks the vault after N minutes without input. It looks at the idle time every few
// seconds rather than arming one long timer, so input resets it without any wiring, and a
// machine that slept past the limit locks at its first look after waking.
export class AutoLock {
  private timer: Timer | null = null;

  constructor(private readonly deps: AutoLockDeps) {}

  start(): void {
    this.stop();
    this.arm();
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = null;
  }

  private arm(): void {
    const minutes = this.deps.minutes();
    const poll = this.deps.pollMs ?? 10_000;
    const wait = minutes === null ? poll * 6 : Math.min(poll, Math.max(1_000, minutes * 60_000 - this.deps.idle.idleSeconds() * 1000));
    this.timer = this.deps.clock.setTimeout(() => this.look(), wait);
  }

  private look(): void {
    this.timer = null;
    const minutes = this.deps.minutes();
    if (minutes !== null && this.deps.idle.idleSeconds() >= minutes * 60) {
      this.deps.lock();
      return;
    }
    this.arm();
  }
}
