import { create } from 'zustand';
import type { RotationView } from '@shared/channels/rotation';
import { api, errorMessage } from '../api';
import { showToast } from '../ui/toast';

// The rotation wizard's state: which credential (or unfinished rotation) it is open for,
// the journals main reports, and the countdown while the new key propagates.

interface RotationState {
  /** The wizard is open for this credential (a new rotation) or this journal. */
  wizard: { credentialId: string; rotationId: string | null } | null;
  byId: Record<string, RotationView>;
  open: RotationView[];
  secondsLeft: Record<string, number | undefined>;
  /** Credential id → when its key was last rotated. */
  lastRotated: Record<string, string>;
  /** The "Rotate due keys" dialog is open, for every key or for these credentials. */
  fleet: { credentialIds: string[] | null } | null;
}

export const useRotations = create<RotationState>(() => ({ wizard: null, byId: {}, open: [], secondsLeft: {}, lastRotated: {}, fleet: null }));

export function openRotationWizard(credentialId: string, rotationId: string | null = null): void {
  useRotations.setState({ wizard: { credentialId, rotationId } });
}

export function closeRotationWizard(): void {
  useRotations.setState({ wizard: null });
  void loadOpenRotations();
}

export function closeFleetDialog(): void {
  useRotations.setState({ fleet: null });
}

export async function loadOpenRotations(): Promise<void> {
  try {
    const open = await api().invoke('rotation.listOpen', {});
    useRotations.setState((s) => ({ open, byId: { ...s.byId, ...Object.fromEntries(open.map((r) => [r.id, r])) } }));
  } catch (e) {
    showToast('error', errorMessage(e));
  }
}

export async function loadLastRotated(): Promise<void> {
  try {
    const lastRotated = await api().invoke('rotation.lastRotated', {});
    useRotations.setState((s) => ({ lastRotated: { ...s.lastRotated, ...lastRotated } }));
  } catch (e) {
    showToast('error', errorMessage(e));
  }
}

export function track(incoming: RotationView): void {
  useRotations.setState((s) => {
    // Responses and events travel separately: never let an older journal replace a newer one.
    const known = s.byId[incoming.id];
    const rotation = known && known.steps.length > incoming.steps.length ? known : incoming;
    return {
      byId: { ...s.byId, [rotation.id]: rotation },
      open: rotation.state === 'IN_PROGRESS' ? [...s.open.filter((r) => r.id !== rotation.id), rotation] : s.open.filter((r) => r.id !== rotation.id),
      wizard: s.wizard && s.wizard.credentialId === rotation.credentialId && !s.wizard.rotationId ? { ...s.wizard, rotationId: rotation.id } : s.wizard,
      lastRotated: rotation.state === 'DONE' ? { ...s.lastRotated, [rotation.credentialId]: rotation.updatedAt } : s.lastRotated,
    };
  });
}

let subscribed = false;
/** Follows rotations as main reports them; once per window. */
export function subscribeRotationEvents(): void {
  if (subscribed) return;
  subscribed = true;
  api().on('rotation.changed', (r) => track(r));
  api().on('rotation.progress', (p) => useRotations.setState((s) => ({ secondsLeft: { ...s.secondsLeft, [p.rotationId]: p.secondsLeft } })));
}
