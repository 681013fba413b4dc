import { create } from 'zustand';
import type { Credential, CredentialStatus, VerifyProgress } from '@shared/contract';
import type { ProviderId } from '@shared/providers';
import { api, errorMessage } from '../api';
import { showToast } from '../ui/toast';
import type { Sort } from './filter';

// The credentials the window knows about, kept current by main's events: subscribed
// once, applied by id, never polled. Responses to our own calls are applied too (so a
// new row shows at once), but a record never replaces a newer one: events and
// responses travel separately and may arrive out of order.

export type DialogState = { kind: 'add' } | { kind: 'edit'; id: string } | { kind: 'delete'; id: string } | null;

export interface CredentialsState {
  byId: ReadonlyMap<string, Credential>;
  load: 'idle' | 'loading' | 'ready' | 'error';
  loadError: string | null;
  /** The bulk verification on screen: running, or finished and not yet dismissed. */
  run: VerifyProgress | null;
  runStarting: boolean;
  cancelRequested: boolean;
  /** The credential whose details panel is open. */
  selectedId: string | null;
  dialog: DialogState;
  query: string;
  provider: ProviderId | '';
  status: CredentialStatus | '';
  sort: Sort;
  /** A row to scroll to and focus once it is on screen (after a create or save). */
  focusRowId: string | null;
}

export const useCredentials = create<CredentialsState>(() => ({
  byId: new Map(),
  load: 'idle',
  loadError: null,
  run: null,
  runStarting: false,
  cancelRequested: false,
  selectedId: null,
  dialog: null,
  query: '',
  provider: '',
  status: '',
  sort: { key: 'name', dir: 'asc' },
  focusRowId: null,
}));

const set = useCredentials.setState;
const get = useCredentials.getState;

// ---- applying records ---------------------------------------------------------------

/** Ids deleted in this session: a late "changed" must not bring a row back. */
const deleted = new Set<string>();

function time(iso: string | null): number {
  if (!iso) return 0;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : t;
}

function isOlder(incoming: Credential, current: Credential | undefined): boolean {
  if (!current) return false;
  return time(incoming.updatedAt) < time(current.updatedAt) || time(incoming.lastVerifiedAt) < time(current.lastVerifiedAt);
}

type Op = { kind: 'changed'; credential: Credential } | { kind: 'deleted'; id: string };

function applyOps(ops: readonly Op[]): void {
  if (ops.length === 0) return;
  set((s) => {
    const byId = new Map(s.byId);
    let selectedId = s.selectedId;
    let dialog = s.dialog;
    for (const op of ops) {
      if (op.kind === 'deleted') {
        deleted.add(op.id);
        byId.delete(op.id);
        if (selectedId === op.id) selectedId = null;
        if (dialog && dialog.kind === 'delete' && dialog.id === op.id) dialog = null;
      } else {
        const c = op.credential;
        if (deleted.has(c.id) || isOlder(c, byId.get(c.id))) continue;
        byId.set(c.id, c);
      }
    }
    return { byId, selectedId, dialog };
  });
}

// Events are batched per frame: a bulk verify of 10,000 rows sends 20,000 events, and
// the table should re-sort once per frame, not once per event.
// A lone event shows within a frame; a stream of them is applied ten times a second.
let queue: Op[] = [];
let flushTimer: ReturnType<typeof setTimeout> | undefined;
let lastFlush = 0;
const MIN_FLUSH_INTERVAL_MS = 100;

function enqueue(op: Op): void {
  queue.push(op);
  flushTimer ??= setTimeout(flushEvents, Math.max(16, lastFlush + MIN_FLUSH_INTERVAL_MS - Date.now()));
}

function flushEvents(): void {
  if (flushTimer) clearTimeout(flushTimer);
  flushTimer = undefined;
  lastFlush = Date.now();
  const ops = queue;
  queue = [];
  applyOps(ops);
}

function upsert(c: Credential): void {
  applyOps([{ kind: 'changed', credential: c }]);
}

// ---- connection ---------------------------------------------------------------------

let connected = false;

/** Subscribes to main's events (once per window) and loads the list. */
export function connectCredentials(): void {
  if (connected) return;
  connected = true;
  const k = api();
  k.on('credential.changed', (credential) => enqueue({ kind: 'changed', credential }));
  k.on('credential.deleted', ({ id }) => enqueue({ kind: 'deleted', id }));
  k.on('verify.progress', onProgress);
  void loadCredentials();
}

export async function loadCredentials(): Promise<void> {
  set({ load: 'loading', loadError: null });
  try {
    const list = await api().invoke('credentials.list', {});
    flushEvents();
    set((s) => {
      // Records that arrived by event while the list was in flight stay if newer.
      const byId = new Map(s.byId);
      for (const c of list) {
        if (deleted.has(c.id) || isOlder(c, byId.get(c.id))) continue;
        byId.set(c.id, c);
      }
      return { byId, load: 'ready' };
    });
  } catch (e) {
    set({ load: 'error', loadError: errorMessage(e) });
  }
}

// ---- commands -----------------------------------------------------------------------

export async function verifyCredential(id: string): Promise<void> {
  const current = get().byId.get(id);
  if (current && !current.verifying) upsert({ ...current, verifying: true });
  try {
    upsert(await api().invoke('credentials.verify', { id }));
  } catch (e) {
    const now = get().byId.get(id);
    if (now && current && now.verifying && now.updatedAt === current.updatedAt) upsert({ ...now, verifying: false });
    showToast('error', errorMessage(e));
  }
}

/** Called by the form after a successful add or update. */
export function credentialSaved(c: Credential): void {
  upsert(c);
}

/** Throws so the confirm dialog can show the error where the admin is looking. */
export async function deleteCredential(id: string): Promise<void> {
  await api().invoke('credentials.delete', { id });
  applyOps([{ kind: 'deleted', id }]);
}

// ---- bulk verification --------------------------------------------------------------

function onProgress(p: VerifyProgress): void {
  set((s) => {
    const cur = s.run;
    if (cur && cur.runId === p.runId) {
      if (cur.finished || p.done < cur.done) return {};
      return { run: p };
    }
    // Another run: follow it unless ours is still going (a run started from the CLI or a
    // menu shows here too).
    if (cur && !cur.finished) return {};
    return { run: p, cancelRequested: false };
  });
}

export async function verifyAll(): Promise<void> {
  if (get().runStarting) return;
  set({ runStarting: true });
  try {
    const { runId, total } = await api().invoke('credentials.verifyAll', {});
    set((s) =>
      s.run?.runId === runId
        ? { runStarting: false }
        : {
            runStarting: false,
            cancelRequested: false,
            run: { runId, total, done: 0, valid: 0, invalid: 0, unreachable: 0, finished: total === 0, cancelled: false },
          },
    );
  } catch (e) {
    set({ runStarting: false });
    showToast('error', errorMessage(e));
  }
}

export async function cancelVerifyAll(): Promise<void> {
  const run = get().run;
  if (!run || run.finished) return;
  set({ cancelRequested: true });
  try {
    await api().invoke('credentials.cancelVerify', { runId: run.runId });
  } catch (e) {
    set({ cancelRequested: false });
    showToast('error', errorMessage(e));
  }
}

export function dismissRun(): void {
  set((s) => (s.run?.finished ? { run: null } : {}));
}

// ---- view state ---------------------------------------------------------------------

export function selectCredential(id: string | null): void {
  set({ selectedId: id });
}

export function openDialog(dialog: DialogState): void {
  set({ dialog });
}

export function closeDialog(): void {
  set({ dialog: null });
}

export function setQuery(query: string): void {
  set({ query });
}

export function setProviderFilter(provider: ProviderId | ''): void {
  set({ provider });
}

export function setStatusFilter(status: CredentialStatus | ''): void {
  set({ status });
}

export function clearFilters(): void {
  set({ query: '', provider: '', status: '' });
}

export function toggleSort(key: Sort['key']): void {
  set((s) => ({
    sort: s.sort.key === key ? { key, dir: s.sort.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: 'asc' },
  }));
}

/**
 * After a create or save, focus goes to that row (scrolled into view by the table) rather
 * than falling back to the app shell. The table reads and clears this.
 */
export function focusCredentialRow(id: string): void {
  set({ focusRowId: id });
}

export function rowFocused(): void {
  set({ focusRowId: null });
}
