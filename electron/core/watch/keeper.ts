import type { WatchStatus } from '../../../shared/channels/watch';
import { AutoLock, type IdlePort } from '../lock/autolock';
import type { Clock } from '../ports/clock';
import { WatchScheduler } from './scheduler';
import type { NotifierPort, WatchService } from './service';

const HOUR = 3_600_000;

/** What the OS tells the app (Electron's powerMonitor and net in main); the CLI has none of it. */
export interface WatchPorts {
  notifier?: NotifierPort;
  idle?: IdlePort;
  network?: { isOnline(): boolean };
}

export type LockReason = 'manual' | 'idle' | 'suspend' | 'screen-lock';

interface KeeperHost {
  clock: Clock;
  /** The open vault's watch service, or null while locked. */
  watch(): WatchService | null;
  lock(reason: LockReason): Promise<unknown>;
  onError(e: unknown): void;
}

/**
 * Keeps watch while the app runs: the check schedule and auto-lock, started when the
 * vault opens and stopped when it locks, and the OS's power and network events.
 */
export class WatchKeeper {
  private readonly scheduler: WatchScheduler;
  private readonly autoLock: AutoLock | null;

  constructor(
    private readonly host: KeeperHost,
    private readonly ports: WatchPorts,
  ) {
    this.scheduler = new WatchScheduler({
      clock: host.clock,
      intervalMs: () => (host.watch()?.settings().intervalHours ?? 0) * HOUR,
      lastRunAt: () => {
        const at = host.watch()?.lastRun()?.at;
        return at ? Date.parse(at) : null;
      },
      paused: () => this.paused(),
      run: async () => {
        await host.watch()?.run('schedule', { verify: true });
      },
      onError: (e) => host.onError(e),
    });
    this.autoLock = ports.idle
      ? new AutoLock({
          clock: host.clock,
          idle: ports.idle,
          minutes: () => host.watch()?.settings().autoLockMinutes ?? null,
          lock: () => void host.lock('idle').catch((e) => host.onError(e)),
        })
      : null;
  }

  private paused(): WatchStatus['paused'] {
    if (!this.host.watch()) return 'locked';
    if (this.ports.network && !this.ports.network.isOnline()) return 'offline';
    return null;
  }

  get notifier(): NotifierPort | null {
    return this.ports.notifier ?? null;
  }

  unlocked(): void {
    this.scheduler.start();
    this.autoLock?.start();
  }

  locked(): void {
    this.scheduler.stop();
    this.autoLock?.stop();
  }

  /** Settings changed: the schedule re-arms with the new interval. */
  settingsChanged(): void {
    if (!this.host.watch()) return;
    this.scheduler.start();
    this.autoLock?.start();
  }

  /** The machine woke up or came back online: an overdue check runs once. */
  resumed(): void {
    this.scheduler.poke();
    if (this.host.watch()) this.autoLock?.start();
  }

  /** The machine is going to sleep or the screen locked. */
  async suspended(reason: 'suspend' | 'screen-lock'): Promise<void> {
    const watch = this.host.watch();
    if (watch && watch.settings().lockOnSuspend) await this.host.lock(reason);
  }

  runNow(): { started: boolean } {
    if (!this.host.watch() || this.scheduler.running) return { started: false };
    void this.scheduler.runNow(async () => {
      await this.host.watch()?.run('manual', { verify: true });
    });
    return { started: true };
  }

  schedule(): { nextRunAt: number | null; running: boolean; paused: WatchStatus['paused'] } {
    return { nextRunAt: this.scheduler.nextRunAt(), running: this.scheduler.running, paused: this.paused() };
  }
}
