import { create } from 'zustand';
import type { Attention, WatchSettings, WatchStatus } from '@shared/channels/watch';
import { api, errorMessage } from '../api';
import { useCredentials } from '../credentials/store';
import { useParameters } from '../parameters/store';
import { useRotations } from '../rotation/store';
import { useVaultSettings } from '../settings/store';
import { useDeliveries } from '../deliveries/store';
import { showToast } from '../ui/toast';
import { setVaultStatus } from '../vault/store';
import { navigate } from '../shell/route';

// What needs attention and the check schedule, as main computes them: loaded on unlock,
// refreshed by main's `watch.changed` event (after every check run), never polled.

interface WatchState {
  attention: Attention | null;
  status: WatchStatus | null;
}

export const useWatch = create<WatchState>(() => ({ attention: null, status: null }));

export async function loadWatch(): Promise<void> {
  try {
    const [attention, status] = await Promise.all([api().invoke('watch.attention', {}), api().invoke('watch.status', {})]);
    useWatch.setState({ attention, status });
  } catch (e) {
    showToast('error', errorMessage(e));
  }
}

export async function saveWatchSettings(change: Partial<WatchSettings>): Promise<void> {
  const status = await api().invoke('watch.setSettings', change);
  useWatch.setState({ status });
}

export async function runChecksNow(): Promise<void> {
  await api().invoke('watch.runNow', {});
  useWatch.setState((s) => (s.status ? { status: { ...s.status, running: true } } : {}));
}

/**
 * Forgets everything the window knew about the vault: after a lock no credential name,
 * parameter or rotation stays in the page's memory.
 */
export function forgetVaultData(): void {
  for (const store of [useCredentials, useParameters, useRotations, useWatch, useVaultSettings, useDeliveries] as const) {
    (store.setState as (s: unknown, replace: true) => void)(store.getInitialState(), true);
  }
}

export async function lockVault(): Promise<void> {
  try {
    const status = await api().invoke('vault.lock', {});
    forgetVaultData();
    setVaultStatus(status);
  } catch (e) {
    showToast('error', errorMessage(e));
  }
}

let subscribed = false;
/** Once per window: main tells us when a check run ends and when the vault locked by itself. */
export function subscribeWatchEvents(): void {
  if (subscribed) return;
  subscribed = true;
  api().on('watch.changed', () => void loadWatch());
  api().on('watch.open', () => {
    navigate('inventory');
    requestAnimationFrame(() => document.getElementById('inv-attention')?.scrollIntoView({ block: 'start' }));
  });
  api().on('vault.locked', () => {
    forgetVaultData();
    void api()
      .invoke('vault.status', {})
      .then(setVaultStatus, () => undefined);
  });
}
