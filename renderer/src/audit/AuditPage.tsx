import { useCallback, useEffect, useId, useState } from 'react';
import type { Credential, Request, Response } from '@shared/contract';
import type { AuditEvent } from '@shared/channels/audit';
import { toCsv } from '@shared/csv';
import { api, errorMessage } from '../api';
import { Button } from '../ui/Button';
import { showToast } from '../ui/toast';
import { CredentialSelect } from '../ui/CredentialSelect';
import { AUDIT_ACTIONS, AUDIT_GROUPS } from '@shared/audit-actions';

const PAGE_SIZE = 100;

// The filter's choices come from the typed list core records (shared/audit-actions.ts): a
// group ("all credential events") for each feature with several actions, then each action.
const GROUPS = AUDIT_GROUPS;

/** "2026-12-01" or "2026-12-01 09:30", local time, to ISO; the end of the day for a bare "To" date. */
export function localToIso(text: string, end = false): string | undefined | null {
  const t = text.trim();
  if (!t) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2}))?$/.exec(t);
  if (!m) return null;
  const [y, mo, d, h, mi] = [m[1], m[2], m[3], m[4], m[5]].map((x) => (x === undefined ? undefined : Number(x)));
  const date = h === undefined ? new Date(y!, mo! - 1, d!, end ? 23 : 0, end ? 59 : 0, end ? 59 : 0, end ? 999 : 0) : new Date(y!, mo! - 1, d!, h, mi!);
  return Number.isNaN(date.getTime()) || date.getMonth() !== mo! - 1 ? null : date.toISOString();
}

const pad = (n: number) => String(n).padStart(2, '0');
/** Local time, sortable and unambiguous: 2026-12-01 09:30:05. */
function localTime(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** An event's details as "key: value" pairs a person can read (nested values stay compact JSON). */
function Details({ details }: { details: Record<string, unknown> }) {
  const entries = Object.entries(details).filter(([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0));
  return (
    <ul className="audit-details">
      {entries.map(([k, v]) => (
        <li key={k}>
          <span className="muted">{k}:</span> {typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v)}
        </li>
      ))}
    </ul>
  );
}

type Filter = Pick<Request<'audit.list'>, 'action' | 'credentialId' | 'since' | 'until'>;
type Verdict = Response<'audit.verify'>;


/** Every recorded action, newest first, filtered and paged backwards by seq; chain check; export. */
export function AuditPage() {
  const [credentials, setCredentials] = useState<Credential[]>([]);
  const [form, setForm] = useState({ action: '', credentialId: '', since: '', until: '' });
  const [filter, setFilter] = useState<Filter>({});
  // The seq each page starts before: [undefined] is the newest page.
  const [cursors, setCursors] = useState<Array<number | undefined>>([undefined]);
  const [events, setEvents] = useState<AuditEvent[]>([]);
  const [hasOlder, setHasOlder] = useState(false);
  const [verdict, setVerdict] = useState<Verdict | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api()
      .invoke('credentials.list', {})
      .then(setCredentials)
      .catch(() => undefined);
  }, []);

  const beforeSeq = cursors[cursors.length - 1];
  const load = useCallback(async () => {
    try {
      const page = await api().invoke('audit.list', { ...filter, beforeSeq, limit: PAGE_SIZE + 1 });
      setHasOlder(page.length > PAGE_SIZE);
      setEvents(page.slice(0, PAGE_SIZE));
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [filter, beforeSeq]);

  useEffect(() => {
    void load();
  }, [load]);

  // The filter applies as it changes: no Apply, nothing pending. A date applies once it reads as one.
  const since = localToIso(form.since);
  const until = localToIso(form.until, true);
  useEffect(() => {
    if (since === null || until === null) return;
    setFilter({ action: form.action || undefined, credentialId: form.credentialId || undefined, since, until });
    setCursors([undefined]);
  }, [form.action, form.credentialId, since, until]);

  async function verifyChain() {
    setBusy(true);
    try {
      setVerdict(await api().invoke('audit.verify', {}));
    } catch (e) {
      showToast('error', errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  /** Every event that matches the filter, fetched page by page (1,000 at a time). */
  async function allMatching(): Promise<AuditEvent[]> {
    const out: AuditEvent[] = [];
    let before: number | undefined;
    for (;;) {
      const page = await api().invoke('audit.list', { ...filter, beforeSeq: before, limit: 1000 });
      out.push(...page);
      if (page.length < 1000) return out;
      before = page[page.length - 1].seq;
    }
  }

  async function exportAs(format: 'csv' | 'json') {
    setBusy(true);
    try {
      const all = await allMatching();
      const text =
        format === 'json'
          ? JSON.stringify(all, null, 2) + '\n'
          : toCsv(
              ['seq', 'at', 'actor', 'action', 'credentialId', 'details'],
              all.map((e) => [e.seq, e.at, e.actor, e.action, e.credentialId, e.details]),
            );
      const url = URL.createObjectURL(new Blob([text], { type: format === 'json' ? 'application/json' : 'text/csv' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `keyward-audit.${format}`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (e) {
      showToast('error', errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  const names = new Map(credentials.map((c) => [c.id, c.name]));
  const broken = verdict && !verdict.ok ? verdict.brokenAt : null;

  return (
    <div className="page">
      <header className="page-header">
        <h1 className="page-title">Audit Logs</h1>
        <div className="page-actions">
          <Button onClick={() => void verifyChain()} disabled={busy}>
            Verify chain
          </Button>
          <Button onClick={() => void exportAs('csv')} disabled={busy}>
            Export CSV
          </Button>
          <Button onClick={() => void exportAs('json')} disabled={busy}>
            Export JSON
          </Button>
        </div>
      </header>
      {verdict && (
        <p role="status" data-testid="chain-status" className={verdict.ok ? 'chain-ok' : 'form-error'}>
          {verdict.ok ? `Chain intact: ${verdict.events} event(s) verified.` : `Chain broken at event ${verdict.brokenAt}: ${verdict.reason}.`}
        </p>
      )}
      <form className="inline-form" aria-label="Filter audit events" onSubmit={(e) => e.preventDefault()}>
        <label>
          Action
          <select aria-label="Action" value={form.action} onChange={(e) => setForm({ ...form, action: e.target.value })}>
            <option value="">Any action</option>
            <optgroup label="Groups">
              {GROUPS.map((g) => (
                <option key={g} value={g}>
                  All {g} events
                </option>
              ))}
            </optgroup>
            <optgroup label="Actions">
              {AUDIT_ACTIONS.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </optgroup>
          </select>
        </label>
        <label>
          Credential
          <CredentialSelect ariaLabel="Credential" credentials={credentials} value={form.credentialId} onChange={(id) => setForm({ ...form, credentialId: id })} emptyLabel="Any credential" />
        </label>
        <DateField label="From" value={form.since} invalid={since === null} onChange={(v) => setForm({ ...form, since: v })} />
        <DateField label="To" value={form.until} invalid={until === null} onChange={(v) => setForm({ ...form, until: v })} />
        <p className="muted small audit-tz">Times are local ({Intl.DateTimeFormat().resolvedOptions().timeZone}).</p>
      </form>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="simple-table-area" tabIndex={0} role="region" aria-label="Audit events, scrollable">
        <table className="simple-table audit-table" aria-label="Audit events">
          <thead>
            <tr>
              <th>Seq</th>
              <th>When</th>
              <th>Actor</th>
              <th>Action</th>
              <th>Credential</th>
              <th>Details</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.seq} data-seq={e.seq} className={e.seq === broken ? 'row-broken' : undefined} aria-invalid={e.seq === broken || undefined}>
                <td className="mono">{e.seq}</td>
                <td className="mono nowrap" title={e.at}>
                  {localTime(e.at)}
                </td>
                <td>{e.actor}</td>
                <td className="nowrap">{e.action}</td>
                <td>{e.credentialId ? (names.get(e.credentialId) ?? String(e.details.name ?? e.credentialId)) : ''}</td>
                <td>
                  <Details details={e.details} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {events.length === 0 && <p className="muted empty-state">No audit events match.</p>}
      </div>
      <nav className="pager" aria-label="Pages">
        <Button size="sm" disabled={cursors.length === 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
          Newer
        </Button>
        <span className="muted">Page {cursors.length}</span>
        <Button size="sm" disabled={!hasOlder} onClick={() => setCursors((c) => [...c, events[events.length - 1]?.seq])}>
          Older
        </Button>
      </nav>
    </div>
  );
}

/** One text box per date (one Tab stop), typed as 2026-12-01 or 2026-12-01 09:30, local time. */
function DateField({ label, value, invalid, onChange }: { label: string; value: string; invalid: boolean; onChange: (v: string) => void }) {
  const hint = useId();
  return (
    <label>
      {label}
      <input
        type="text"
        className="date-input mono"
        inputMode="numeric"
        placeholder="YYYY-MM-DD HH:MM"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={invalid || undefined}
        aria-describedby={invalid ? hint : undefined}
        spellCheck={false}
      />
      {invalid && (
        <span id={hint} className="field-error">
          Type a date as 2026-12-01 or 2026-12-01 09:30.
        </span>
      )}
    </label>
  );
}
