import { create } from 'zustand';
import type { VaultSettings } from '@shared/channels/settings';
import { api, errorMessage } from '../api';
import { showToast } from '../ui/toast';

// The vault's settings (clipboard clear time, default AWS region), as main keeps them:
// loaded when the vault opens, saved one control at a time.

export const useVaultSettings = create<{ settings: VaultSettings | null }>(() => ({ settings: null }));

export async function loadVaultSettings(): Promise<void> {
  try {
    useVaultSettings.setState({ settings: await api().invoke('settings.get', {}) });
  } catch (e) {
    showToast('error', errorMessage(e));
  }
}

/** Saves a change; throws main's refusal for the caller to show. */
export async function saveVaultSettings(change: Partial<VaultSettings>): Promise<void> {
  useVaultSettings.setState({ settings: await api().invoke('settings.set', change) });
}
