import type { z } from 'zod';
import type { Attention, AttentionItem, WatchRun, WatchSettings, WatchStatus } from '../../../shared/channels/watch';
import type { RotationSchema } from '../../../shared/channels/rotation';
import type { AuditLog } from '../audit/log';
import type { CredentialService } from '../credentials/service';
import type { EventBus } from '../events';
import type { CredentialReports } from '../inventory/report';
import type { InventorySettings } from '../inventory/summary';
import { isoNow, type Clock } from '../ports/clock';
import type { Vault } from '../vault/vault';
import { computeAttention, digestOf } from './attention';
import { readGlances, readLastRun, readNotified, readWatchSettings, writeLastRun, writeNotified, writeWatchSettings } from './state';

/** The OS notification (Electron's Notification in main); the CLI has none. */
export interface NotifierPort {
  notify(notice: { title: string; body: string }): void;
}

interface WatchDeps {
  vault: Vault;
  clock: Clock;
  credentials: CredentialService;
  reports: CredentialReports;
  openRotations: () => Array<z.output<typeof RotationSchema>>;
  inventorySettings: () => InventorySettings;
  audit: AuditLog;
  events: EventBus;
  notifier?: NotifierPort | null;
}

/** True when `at` falls in the quiet hours (local time; a range may wrap midnight, 22–7). */
export function inQuietHours(q: WatchSettings['quietHours'], at: number): boolean {
  if (!q || q.start === q.end) return false;
  const h = new Date(at).getHours();
  return q.start < q.end ? h >= q.start && h < q.end : h >= q.start || h < q.end;
}

/** What needs attention, the check runs that keep it fresh, and the notices they send. */
export class WatchService {
  constructor(private readonly deps: WatchDeps) {}

  attention(): Attention {
    return this.attentionOver(readGlances(this.deps.vault));
  }

  private attentionOver({ credentials, history }: ReturnType<typeof readGlances>): Attention {
    const { deps } = this;
    const latest = deps.reports.latest();
    const items = computeAttention({
      credentials,
      history,
      usage: deps.reports.keyUsage(),
      created: deps.reports.keyCreatedAt(),
      settings: deps.inventorySettings(),
      report: latest ? { importedAt: latest.importedAt, generatedAt: latest.generatedAt } : null,
      openRotations: deps.openRotations(),
      now: deps.clock.now(),
    });
    return {
      computedAt: isoNow(deps.clock),
      items,
      counts: { critical: items.filter((i) => i.severity === 'critical').length, warning: items.filter((i) => i.severity === 'warning').length },
    };
  }

  settings(): WatchSettings {
    return readWatchSettings(this.deps.vault);
  }

  setSettings(change: Partial<WatchSettings>): WatchSettings {
    return this.deps.vault.tx(() => writeWatchSettings(this.deps.vault, change));
  }

  lastRun(): WatchRun | null {
    return readLastRun(this.deps.vault);
  }

  status(schedule: { nextRunAt: number | null; running: boolean; paused: WatchStatus['paused'] } | null): WatchStatus {
    return {
      settings: this.settings(),
      lastRun: this.lastRun(),
      nextRunAt: schedule?.nextRunAt ? new Date(schedule.nextRunAt).toISOString() : null,
      running: schedule?.running ?? false,
      paused: schedule?.paused ?? null,
    };
  }

  /**
   * One check run: verify every credential the schedule does not skip (bounded
   * concurrency, as Verify all), then compute what needs attention and send one digest
   * of what is new since the last notice. Audited as one event with its counts.
   */
  async run(trigger: WatchRun['trigger'], opts: { verify: boolean; concurrency?: number }): Promise<{ run: WatchRun | null; attention: Attention; fresh: AttentionItem[] }> {
    const { deps } = this;
    const settings = this.settings();
    const at = isoNow(deps.clock);
    let checked = 0;
    if (opts.verify) {
      const skip = new Set(settings.skip);
      const ids = readGlances(deps.vault)
        .credentials.map((c) => c.id)
        .filter((id) => !skip.has(id));
      checked = (await deps.credentials.verifyMany(ids, opts.concurrency).done).length;
    }
    // One read of the vault after the checks serves the list and the run's counts.
    const glances = readGlances(deps.vault);
    const attention = this.attentionOver(glances);
    const notified = readNotified(deps.vault);
    const fresh = attention.items.filter((i) => !notified.has(i.key) && !settings.mutedKinds.includes(i.kind));
    const canNotify = !!deps.notifier && settings.notify;
    const quiet = inQuietHours(settings.quietHours, deps.clock.now());
    const digest = canNotify && !quiet ? digestOf(fresh) : null;
    if (digest) deps.notifier!.notify(digest);

    let run: WatchRun | null = null;
    if (!deps.vault.readOnly && (opts.verify || digest)) {
      const counts = { VALID: 0, INVALID: 0, UNREACHABLE: 0, UNVERIFIED: 0 };
      for (const c of glances.credentials) counts[c.status]++;
      run = { at, trigger, checked, counts, attention: attention.items.length, notified: digest ? fresh.length : 0 };
      const current = new Set(attention.items.map((i) => i.key));
      deps.vault.tx(() => {
        if (opts.verify) {
          writeLastRun(deps.vault, run!);
          deps.audit.append('watch.run', { details: { trigger, checked, ...counts, attention: run!.attention, notified: run!.notified } });
        }
        // Only the app's notices count as told; keys that no longer apply are forgotten.
        if (canNotify) writeNotified(deps.vault, [...notified].filter((k) => current.has(k)).concat(digest ? fresh.map((i) => i.key) : []));
      });
    }
    deps.events.emit('watch.changed', { attention: attention.items.length, lastRun: run ?? this.lastRun() });
    return { run, attention, fresh };
  }
}
