import { useEffect, useId, useState } from 'react';
import { Button } from '../ui/Button';
import { CredentialSelect } from '../ui/CredentialSelect';
import { AUDIT_ACTIONS, AUDIT_GROUPS } from '@shared/audit-actions';
import { exportAudit, filterAudit, newerAudit, olderAudit, openAudit, useAudit, verifyAuditChain } from './store';

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

/** Every recorded action, newest first, filtered and paged backwards by seq; chain check; export. */
export function AuditPage() {
  const { credentials, cursors, events, hasOlder, verdict, busy, loadError: error } = useAudit();
  const [form, setForm] = useState({ action: '', credentialId: '', since: '', until: '' });

  useEffect(() => openAudit(), []);

  // The filter applies as it changes: no Apply, nothing pending. A date applies once it reads as one.
  const since = localToIso(form.since);
  const until = localToIso(form.until, true);
  useEffect(() => {
    if (since === null || until === null) return;
    filterAudit({ action: form.action || undefined, credentialId: form.credentialId || undefined, since, until });
  }, [form.action, form.credentialId, since, until]);

  const names = new Map(credentials.map((c) => [c.id, c.name]));
  const broken = verdict && !verdict.ok ? verdict.brokenAt : null;

  return (
    <div className="page">
      <header className="page-header">
        <h1 className="page-title">Audit Logs</h1>
        <div className="page-actions">
          <Button onClick={() => void verifyAuditChain()} disabled={busy}>
            Verify chain
          </Button>
          <Button onClick={() => void exportAudit('csv')} disabled={busy}>
            Export CSV
          </Button>
          <Button onClick={() => void exportAudit('json')} disabled={busy}>
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
        <Button size="sm" disabled={cursors.length === 1} onClick={newerAudit}>
          Newer
        </Button>
        <span className="muted">Page {cursors.length}</span>
        <Button size="sm" disabled={!hasOlder} onClick={olderAudit}>
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
