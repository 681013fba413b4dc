import { create } from 'zustand';
import type { Credential } from '@shared/contract';
import type { Resource } from '@shared/channels/resources';
import { api, errorMessage } from '../api';
import { showToast } from '../ui/toast';

// The Resources page's data, loaded and changed in one place (as every page's store):
// the AWS credentials that can hold security groups, their resources, and what is being checked.

interface ResourcesState {
  credentials: Credential[];
  resources: Resource[] | null;
  checking: Set<string>;
  selectedId: string | null;
  loadError: string | null;
}

export const useResources = create<ResourcesState>(() => ({ credentials: [], resources: null, checking: new Set(), selectedId: null, loadError: null }));

const set = useResources.setState;
const upsert = (list: Resource[]) =>
  set((s) => {
    const byId = new Map(list.map((r) => [r.id, r]));
    return { resources: (s.resources ?? []).map((x) => byId.get(x.id) ?? x) };
  });
const mark = (ids: string[], on: boolean) =>
  set((s) => {
    const checking = new Set(s.checking);
    for (const id of ids)
      if (on) checking.add(id);
      else checking.delete(id);
    return { checking };
  });

export async function loadResources(): Promise<void> {
  try {
    const [creds, list] = await Promise.all([api().invoke('credentials.list', {}), api().invoke('resources.list', {})]);
    set({ credentials: creds.filter((c) => c.provider === 'AWS'), resources: list, loadError: null });
  } catch (e) {
    set({ loadError: errorMessage(e) });
  }
}

export function selectResource(id: string | null): void {
  set({ selectedId: id });
}

/** Runs a resource call with its rows marked as checking; failures become a toast. */
async function checking<T>(ids: string[], call: () => Promise<T>): Promise<T | undefined> {
  mark(ids, true);
  try {
    return await call();
  } catch (e) {
    showToast('error', errorMessage(e));
    return undefined;
  } finally {
    mark(ids, false);
  }
}

export async function verifyResource(id: string): Promise<void> {
  const r = await checking([id], () => api().invoke('resources.verify', { id }));
  if (r) upsert([r]);
}

export async function verifyAllResources(): Promise<void> {
  const ids = (useResources.getState().resources ?? []).map((r) => r.id);
  const list = await checking(ids, () => api().invoke('resources.verifyAll', {}));
  if (list) upsert(list);
}

export async function addResource(req: { credentialId: string; groupId: string; region?: string }): Promise<Resource> {
  const r = await api().invoke('resources.add', req);
  set((s) => ({ resources: [...(s.resources ?? []), r] }));
  showToast('success', `Registered ${r.groupId} (${r.region}).`);
  return r;
}

export async function fixRegion(id: string, region: string): Promise<void> {
  const r = await checking([id], () => api().invoke('resources.setRegion', { id, region }));
  if (!r) return;
  upsert([r]);
  showToast('info', `Moved to ${region}. Verifying capacity…`);
  await verifyResource(id);
}

export async function removeResource(id: string): Promise<void> {
  try {
    await api().invoke('resources.delete', { id });
    set((s) => ({ resources: (s.resources ?? []).filter((x) => x.id !== id), selectedId: s.selectedId === id ? null : s.selectedId }));
    showToast('success', 'Resource removed.');
  } catch (e) {
    showToast('error', errorMessage(e));
  }
}

/** Reassigns resources to another credential (core verifies them there); throws for the form to show. */
export async function moveResources(req: { ids?: string[]; fromCredentialId?: string; toCredentialId: string }): Promise<Resource[]> {
  const moved = await api().invoke('resources.move', req);
  upsert(moved);
  const to = useResources.getState().credentials.find((c) => c.id === req.toCredentialId)?.name ?? 'the credential';
  const valid = moved.filter((r) => r.status === 'VALID').length;
  showToast(valid === moved.length ? 'success' : 'info', `Moved ${moved.length} resource${moved.length === 1 ? '' : 's'} to “${to}”: ${valid} of ${moved.length} Valid there.`);
  return moved;
}
