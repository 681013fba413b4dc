import { create } from 'zustand';
import type { Delivery, DeliveryKindView } from '@shared/channels/deliveries';
import type { Request } from '@shared/contract';
import { api, errorMessage } from '../api';

// A credential's deliveries (the places its key is copied to) and the kinds a delivery can
// be, as main keeps them. Loaded when a details panel opens; a write, a test or a removal
// answers with the delivery as it is now, which replaces the one shown.

interface DeliveriesState {
  byCredential: Record<string, Delivery[] | undefined>;
  /** Why a credential's list could not be read, shown in its card. */
  errors: Record<string, string | undefined>;
  kinds: DeliveryKindView[] | null;
  /** Deliveries (by id) whose test is running. */
  testing: Record<string, boolean | undefined>;
}

export const useDeliveries = create<DeliveriesState>(() => ({ byCredential: {}, errors: {}, kinds: null, testing: {} }));

const setList = (credentialId: string, list: Delivery[]) =>
  useDeliveries.setState((s) => ({ byCredential: { ...s.byCredential, [credentialId]: list }, errors: { ...s.errors, [credentialId]: undefined } }));

export async function loadDeliveries(credentialId: string): Promise<void> {
  try {
    setList(credentialId, await api().invoke('delivery.list', { credentialId }));
  } catch (e) {
    useDeliveries.setState((s) => ({ errors: { ...s.errors, [credentialId]: errorMessage(e) } }));
  }
}

export async function loadDeliveryKinds(): Promise<void> {
  if (useDeliveries.getState().kinds) return;
  useDeliveries.setState({ kinds: await api().invoke('delivery.kinds', {}) });
}

/** Adds a place (and writes the current key there, if asked); throws main's refusal for the form. */
export async function addDelivery(req: Request<'delivery.add'>): Promise<Delivery> {
  const added = await api().invoke('delivery.add', req);
  await loadDeliveries(req.credentialId);
  return added;
}

export async function removeDelivery(d: Delivery): Promise<void> {
  await api().invoke('delivery.remove', { id: d.id });
  await loadDeliveries(d.credentialId);
}

/** Reads the place back and checks it; the result lands on the delivery (its last check). Throws why it could not run. */
export async function testDelivery(d: Delivery): Promise<void> {
  useDeliveries.setState((s) => ({ testing: { ...s.testing, [d.id]: true } }));
  try {
    const [tested] = await api().invoke('delivery.test', { ref: d.id });
    if (tested) useDeliveries.setState((s) => ({ byCredential: { ...s.byCredential, [d.credentialId]: (s.byCredential[d.credentialId] ?? []).map((x) => (x.id === tested.id ? tested : x)) } }));
  } finally {
    useDeliveries.setState((s) => ({ testing: { ...s.testing, [d.id]: undefined } }));
  }
}
