import { create } from 'zustand';
import type { VaultStatus } from '@shared/contract';
import { api, errorMessage } from '../api';

// The vault's state as main reports it. Nothing here is guessed: a vault whose key
// cannot be found is LOCKED with main's reason, never re-initialised from the UI.

interface VaultState {
  status: VaultStatus | null;
  loading: boolean;
  error: string | null;
}

export const useVault = create<VaultState>(() => ({ status: null, loading: false, error: null }));

export async function refreshVaultStatus(): Promise<void> {
  useVault.setState({ loading: true, error: null });
  try {
    const status = await api().invoke('vault.status', {});
    useVault.setState({ status, loading: false });
  } catch (e) {
    useVault.setState({ loading: false, error: errorMessage(e) });
  }
}

export function setVaultStatus(status: VaultStatus): void {
  useVault.setState({ status, error: null });
}

export function useReadOnly(): boolean {
  return useVault((s) => s.status?.readOnly ?? false);
}
