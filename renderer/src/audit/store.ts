import { create } from 'zustand';
import type { Credential, Request, Response } from '@shared/contract';
import type { AuditEvent } from '@shared/channels/audit';
import { toCsv } from '@shared/csv';
import { api, errorMessage } from '../api';
import { downloadFile } from '../inventory/files';
import { showToast } from '../ui/toast';

// The Audit Logs page's data, loaded and changed in one place (as every page's store): the
// filter, the page of events it shows (paged backwards by seq), the chain check, the export.

export const PAGE_SIZE = 100;

export type AuditFilter = Pick<Request<'audit.list'>, 'action' | 'credentialId' | 'since' | 'until'>;

interface AuditState {
  credentials: Credential[];
  filter: AuditFilter;
  /** The seq each page starts before: [undefined] is the newest page. */
  cursors: Array<number | undefined>;
  events: AuditEvent[];
  hasOlder: boolean;
  verdict: Response<'audit.verify'> | null;
  busy: boolean;
  loadError: string | null;
}

const EMPTY = { filter: {}, cursors: [undefined], events: [], hasOlder: false, verdict: null, busy: false, loadError: null };
export const useAudit = create<AuditState>(() => ({ credentials: [], ...EMPTY }));

const set = useAudit.setState;
const get = useAudit.getState;
let asked = 0;

/** The page as it opens: no verdict yet, and the credentials to filter on (its form's filter loads the events). */
export function openAudit(): void {
  set(EMPTY);
  api()
    .invoke('credentials.list', {})
    .then((credentials) => set({ credentials }))
    .catch(() => undefined);
}

/** The page of events the filter and cursor name; an answer overtaken by a newer ask is dropped. */
async function loadEvents(): Promise<void> {
  const { filter, cursors } = get();
  const me = ++asked;
  try {
    const page = await api().invoke('audit.list', { ...filter, beforeSeq: cursors[cursors.length - 1], limit: PAGE_SIZE + 1 });
    if (me === asked) set({ hasOlder: page.length > PAGE_SIZE, events: page.slice(0, PAGE_SIZE), loadError: null });
  } catch (e) {
    if (me === asked) set({ loadError: errorMessage(e) });
  }
}

/** A new filter starts again at the newest page. */
export function filterAudit(filter: AuditFilter): void {
  set({ filter, cursors: [undefined] });
  void loadEvents();
}

export function olderAudit(): void {
  const { cursors, events } = get();
  set({ cursors: [...cursors, events[events.length - 1]?.seq] });
  void loadEvents();
}

export function newerAudit(): void {
  set({ cursors: get().cursors.slice(0, -1) });
  void loadEvents();
}

/** Runs `work` with the page's buttons off; a failure becomes a toast. */
async function busyWith(work: () => Promise<void>): Promise<void> {
  set({ busy: true });
  try {
    await work();
  } catch (e) {
    showToast('error', errorMessage(e));
  } finally {
    set({ busy: false });
  }
}

export const verifyAuditChain = () => busyWith(async () => set({ verdict: await api().invoke('audit.verify', {}) }));

/** Every event that matches the filter, fetched page by page (1,000 at a time). */
async function allMatching(filter: AuditFilter): Promise<AuditEvent[]> {
  const out: AuditEvent[] = [];
  let before: number | undefined;
  for (;;) {
    const page = await api().invoke('audit.list', { ...filter, beforeSeq: before, limit: 1000 });
    out.push(...page);
    if (page.length < 1000) return out;
    before = page[page.length - 1].seq;
  }
}

export const exportAudit = (format: 'csv' | 'json') =>
  busyWith(async () => {
    const all = await allMatching(get().filter);
    const text =
      format === 'json'
        ? JSON.stringify(all, null, 2) + '\n'
        : toCsv(
            ['seq', 'at', 'actor', 'action', 'credentialId', 'details'],
            all.map((e) => [e.seq, e.at, e.actor, e.action, e.credentialId, e.details]),
          );
    downloadFile(`keyward-audit.${format}`, text, format === 'json' ? 'application/json' : 'text/csv');
  });
