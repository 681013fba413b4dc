import { create } from 'zustand';
import type { Credential, Response } from '@shared/contract';
import { api, errorMessage } from '../api';
import { showToast } from '../ui/toast';

// The IAM Policy page's data, loaded and changed in one place (as every page's store): the
// AWS credentials, the policy generated for the chosen one (or all), and Verify again.

interface PolicyState {
  credentials: Credential[];
  credentialId: string;
  withRotation: boolean;
  policy: Response<'policy.generate'> | null;
  verifying: boolean;
  loadError: string | null;
}

export const usePolicy = create<PolicyState>(() => ({ credentials: [], credentialId: '', withRotation: false, policy: null, verifying: false, loadError: null }));

const set = usePolicy.setState;
const get = usePolicy.getState;
let asked = 0;

/** The page as it opens: all AWS credentials, without rotation. */
export function openPolicy(): void {
  set({ credentialId: '', withRotation: false, policy: null, loadError: null });
  api()
    .invoke('credentials.list', {})
    .then((list) => set({ credentials: list.filter((c) => c.provider === 'AWS') }))
    .catch((e: unknown) => set({ loadError: errorMessage(e) }));
  void generate();
}

/** The policy for the current choice; an answer overtaken by a newer choice is dropped. */
async function generate(): Promise<void> {
  const { credentialId, withRotation } = get();
  const me = ++asked;
  try {
    const policy = await api().invoke('policy.generate', { credentialId: credentialId || undefined, withRotation });
    if (me === asked) set({ policy, loadError: null });
  } catch (e) {
    if (me === asked) set({ loadError: errorMessage(e) });
  }
}

export function choosePolicy(choice: Partial<Pick<PolicyState, 'credentialId' | 'withRotation'>>): void {
  set(choice);
  void generate();
}

/** After attaching the policy: test the credential(s) it is for, with their resources. */
export async function verifyAgain(): Promise<void> {
  const { credentials, credentialId } = get();
  set({ verifying: true });
  try {
    const targets = credentialId ? credentials.filter((c) => c.id === credentialId) : credentials;
    const checked = await Promise.all(targets.map((c) => api().invoke('credentials.verify', { id: c.id })));
    const resources = await api().invoke('resources.verifyAll', { credentialId: credentialId || undefined });
    const ok = checked.filter((c) => c.status === 'VALID').length;
    const capacity = resources.filter((r) => r.status === 'VALID').length;
    showToast(
      ok === checked.length && capacity === resources.length ? 'success' : 'info',
      `${ok} of ${checked.length} credential${checked.length === 1 ? '' : 's'} Valid; ${capacity} of ${resources.length} resource${resources.length === 1 ? '' : 's'} Valid. If IAM still refuses, wait a few minutes and verify again.`,
      { key: 'policy-verify' },
    );
  } catch (e) {
    showToast('error', errorMessage(e), { key: 'policy-verify' });
  } finally {
    set({ verifying: false });
  }
}
