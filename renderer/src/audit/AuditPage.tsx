import { useCallback, useEffect, useState } from 'react';
import type { Credential, Request, Response } from '@shared/contract';
import type { AuditEvent } from '@shared/channels/audit';
import { toCsv } from '@shared/csv';
import { api, errorMessage } from '../api';
import { Button } from '../ui/Button';
import { toastError } from '../ui/toast';
import { CredentialSelect } from '../ui/CredentialSelect';

const PAGE_SIZE = 100;
// Every action core records (grep "audit.append" in electron/core), grouped by feature.
const ACTIONS = [
  'credential.created',
  'credential.edited',
  'credential.deleted',
  'credential.verified',
  'credential.rotated',
  'credential.merged',
  'credentials.imported',
  'secret.copied',
  'resource.added',
  'resource.edited',
  'resource.deleted',
  'resource.verified',
  'rotation.started',
  'rotation.completed',
  'rotation.stopped',
  'parameter.changed',
  'parameter.bound',
  'parameter.unbound',
  'parameter.deleted',
  'parameters.imported',
  'parameters.tested',
  'inventory.exported',
  'inventory.report.imported',
  'inventory.settings.changed',
  'vault.created',
  'vault.unlocked',
  'vault.locked',
  'vault.backup.created',
  'vault.restored',
  'vault.merged',
];

type Filter = Pick<Request<'audit.list'>, 'action' | 'credentialId' | 'since' | 'until'>;
type Verdict = Response<'audit.verify'>;

const isoOf = (local: string): string | undefined => (local ? new Date(local).toISOString() : undefined);

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

  function apply(e: React.FormEvent) {
    e.preventDefault();
    setFilter({
      action: form.action || undefined,
      credentialId: form.credentialId || undefined,
      since: isoOf(form.since),
      until: isoOf(form.until),
    });
    setCursors([undefined]);
  }

  async function verifyChain() {
    setBusy(true);
    try {
      setVerdict(await api().invoke('audit.verify', {}));
    } catch (e) {
      toastError(errorMessage(e));
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
      toastError(errorMessage(e));
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
      <form className="inline-form" aria-label="Filter audit events" onSubmit={apply}>
        <label>
          Action
          <select aria-label="Action" value={form.action} onChange={(e) => setForm({ ...form, action: e.target.value })}>
            <option value="">Any action</option>
            {ACTIONS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <label>
          Credential
          <CredentialSelect ariaLabel="Credential" credentials={credentials} value={form.credentialId} onChange={(id) => setForm({ ...form, credentialId: id })} emptyLabel="Any credential" />
        </label>
        <label>
          From
          <input aria-label="From" type="datetime-local" value={form.since} onChange={(e) => setForm({ ...form, since: e.target.value })} />
        </label>
        <label>
          To
          <input aria-label="To" type="datetime-local" value={form.until} onChange={(e) => setForm({ ...form, until: e.target.value })} />
        </label>
        <Button type="submit" variant="primary">
          Apply
        </Button>
      </form>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="simple-table-area">
        <table className="simple-table" aria-label="Audit events">
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
                <td className="mono">{e.at}</td>
                <td>{e.actor}</td>
                <td>{e.action}</td>
                <td>{e.credentialId ? (names.get(e.credentialId) ?? String(e.details.name ?? e.credentialId)) : ''}</td>
                <td className="mono break">{JSON.stringify(e.details)}</td>
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
