import { net, Notification, powerMonitor, type BrowserWindow } from 'electron';
import type { KeywardCore } from '../core/app/core';
import type { WatchPorts } from '../core/watch/keeper';

// The OS's side of keeping watch, as ports for core: the idle time and network state that
// auto-lock and the schedule read, the notification a check run's digest becomes, and
// the power events that lock the vault or run an overdue check.

export function watchPorts(getWin: () => BrowserWindow | null, openAttention: () => void): WatchPorts {
  return {
    idle: { idleSeconds: () => powerMonitor.getSystemIdleTime() },
    network: { isOnline: () => net.isOnline() },
    notifier: {
      notify({ title, body }) {
        if (!Notification.isSupported()) return;
        const n = new Notification({ title, body, silent: false });
        // Clicking the notice opens the Attention list.
        n.on('click', () => {
          const win = getWin();
          if (win) {
            if (win.isMinimized()) win.restore();
            win.show();
            win.focus();
          }
          openAttention();
        });
        n.show();
      },
    },
  };
}

/** Sleep and the screen lock lock the vault (when Settings say so); waking runs an overdue check. */
export function bindPowerEvents(core: KeywardCore): void {
  powerMonitor.on('suspend', () => void core.suspended('suspend'));
  powerMonitor.on('lock-screen', () => void core.suspended('screen-lock'));
  powerMonitor.on('resume', () => core.resumed());
  powerMonitor.on('unlock-screen', () => core.resumed());
}
