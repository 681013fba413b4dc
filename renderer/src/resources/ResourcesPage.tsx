import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Credential } from '@shared/contract';
import type { Resource } from '@shared/channels/resources';
import { AWS_REGIONS, DEFAULT_AWS_REGION } from '@shared/regions';
import { api, errorMessage } from '../api';
import { StatusBadge } from '../credentials/StatusBadge';
import { Button } from '../ui/Button';
import { CloseIcon } from '../ui/icons';
import { RelativeTime } from '../ui/time';
import { showToast, toastError } from '../ui/toast';
import { CredentialSelect } from '../ui/CredentialSelect';

const GROUP_ID = /^sg-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

/** Security groups registered under AWS credentials, and their capacity checks. */
export function ResourcesPage() {
  const [credentials, setCredentials] = useState<Credential[]>([]);
  const [resources, setResources] = useState<Resource[] | null>(null);
  const [checking, setChecking] = useState<Set<string>>(new Set());
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const [creds, list] = await Promise.all([api().invoke('credentials.list', {}), api().invoke('resources.list', {})]);
      setCredentials(creds.filter((c) => c.provider === 'AWS'));
      setResources(list);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const names = useMemo(() => new Map(credentials.map((c) => [c.id, c.name])), [credentials]);
  const upsert = (r: Resource) => setResources((list) => (list ?? []).map((x) => (x.id === r.id ? r : x)));
  const mark = (ids: string[], on: boolean) =>
    setChecking((s) => {
      const next = new Set(s);
      for (const id of ids) if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  async function verify(id: string) {
    mark([id], true);
    try {
      upsert(await api().invoke('resources.verify', { id }));
    } catch (e) {
      toastError(errorMessage(e));
    } finally {
      mark([id], false);
    }
  }

  async function verifyAll() {
    const ids = (resources ?? []).map((r) => r.id);
    mark(ids, true);
    try {
      const checked = await api().invoke('resources.verifyAll', {});
      setResources((list) => (list ?? []).map((x) => checked.find((c) => c.id === x.id) ?? x));
    } catch (e) {
      toastError(errorMessage(e));
    } finally {
      mark(ids, false);
    }
  }

  async function fixRegion(id: string, region: string) {
    try {
      upsert(await api().invoke('resources.setRegion', { id, region }));
      showToast('info', `Moved to ${region}. Verifying capacity…`);
      await verify(id);
    } catch (e) {
      toastError(errorMessage(e));
    }
  }

  async function remove(id: string) {
    try {
      await api().invoke('resources.delete', { id });
      setResources((list) => (list ?? []).filter((x) => x.id !== id));
      setSelected(null);
    } catch (e) {
      toastError(errorMessage(e));
    }
  }

  const current = resources?.find((r) => r.id === selected) ?? null;

  return (
    <div className="page">
      <header className="page-header">
        <h1 className="page-title">Resources</h1>
        <div className="page-actions">
          <Button onClick={() => void verifyAll()} disabled={!resources?.length || checking.size > 0}>
            Verify all
          </Button>
        </div>
      </header>
      <AddResourceForm credentials={credentials} onAdded={(r) => setResources((list) => [...(list ?? []), r])} />
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="page-content">
        <div className="simple-table-area">
          {resources && resources.length === 0 ? (
            <p className="muted empty-state">No security groups registered yet. Register one above under an AWS credential.</p>
          ) : (
            <table className="simple-table" aria-label="Resources">
              <thead>
                <tr>
                  <th>Credential</th>
                  <th>Security group</th>
                  <th>Region</th>
                  <th>Status</th>
                  <th>Last checked</th>
                  <th>
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {(resources ?? []).map((r) => (
                  <tr key={r.id} data-resource-id={r.id} className={r.id === selected ? 'row-selected' : undefined}>
                    <td>{names.get(r.credentialId) ?? r.credentialId}</td>
                    <td className="mono">{r.groupId}</td>
                    <td>{r.region}</td>
                    <td>
                      <button type="button" className="link-button" onClick={() => setSelected(r.id)} aria-label={`Details of ${r.groupId}`} data-testid="resource-status">
                        <StatusBadge status={r.status} verifying={checking.has(r.id)} />
                      </button>
                    </td>
                    <td>{r.lastCheckedAt ? <RelativeTime iso={r.lastCheckedAt} /> : <span className="muted">never</span>}</td>
                    <td>
                      <Button size="sm" onClick={() => void verify(r.id)} disabled={checking.has(r.id)}>
                        Verify capacity
                      </Button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        {current && (
          <ResourceDetails
            resource={current}
            credentialName={names.get(current.credentialId) ?? ''}
            checking={checking.has(current.id)}
            onRetry={() => void verify(current.id)}
            onFix={(region) => void fixRegion(current.id, region)}
            onDelete={() => void remove(current.id)}
            onClose={() => setSelected(null)}
          />
        )}
      </div>
    </div>
  );
}

function AddResourceForm({ credentials, onAdded }: { credentials: Credential[]; onAdded: (r: Resource) => void }) {
  const [credentialId, setCredentialId] = useState('');
  const [groupId, setGroupId] = useState('');
  const [region, setRegion] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const cred = credentials.find((c) => c.id === credentialId) ?? credentials[0];

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!cred) return setProblem('Add an AWS credential first.');
    const id = groupId.trim();
    if (!GROUP_ID.test(id)) return setProblem('A security group id is sg- followed by 8 or 17 hex digits (e.g. sg-0123456789abcdef0).');
    setBusy(true);
    setProblem(null);
    try {
      onAdded(await api().invoke('resources.add', { credentialId: cred.id, groupId: id, region: region || undefined }));
      setGroupId('');
    } catch (err) {
      setProblem(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="inline-form" onSubmit={(e) => void submit(e)} aria-label="Register a security group">
      <label>
        Credential
        <CredentialSelect credentials={credentials} value={cred?.id ?? ''} onChange={setCredentialId} />
      </label>
      <label>
        Security group id
        <input value={groupId} onChange={(e) => setGroupId(e.target.value)} placeholder="sg-0123456789abcdef0" spellCheck={false} />
      </label>
      <label>
        Region
        <select value={region} onChange={(e) => setRegion(e.target.value)}>
          <option value="">The credential’s ({cred?.fields.region ?? DEFAULT_AWS_REGION})</option>
          {AWS_REGIONS.map((r) => (
            <option key={r.code} value={r.code}>
              {r.code} — {r.name}
            </option>
          ))}
        </select>
      </label>
      <Button type="submit" variant="primary" disabled={busy || credentials.length === 0}>
        Register
      </Button>
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}

function ResourceDetails(p: {
  resource: Resource;
  credentialName: string;
  checking: boolean;
  onRetry: () => void;
  onFix: (region: string) => void;
  onDelete: () => void;
  onClose: () => void;
}) {
  const r = p.resource;
  const d = r.diagnosis;
  const failed = r.status === 'INVALID' || r.status === 'UNREACHABLE';
  return (
    <section className="details-panel" aria-label="Resource details">
      <header className="details-header">
        <h2 className="details-title">{r.groupId}</h2>
        <button type="button" className="icon-button" aria-label="Close details" onClick={p.onClose}>
          <CloseIcon />
        </button>
      </header>
      <div className="details-status">
        <StatusBadge status={r.status} verifying={p.checking} />
        <span className="muted">{r.lastCheckedAt ? <>Checked <RelativeTime iso={r.lastCheckedAt} /></> : 'Never checked'}</span>
      </div>
      <dl className="kv">
        <dt>Credential</dt>
        <dd>{p.credentialName}</dd>
        <dt>Region</dt>
        <dd>{r.region}</dd>
      </dl>
      {failed && r.error && (
        <div className="details-section">
          <h3>What failed</h3>
          <p className="muted">ec2:DescribeSecurityGroups for {r.groupId} in {r.region}</p>
          <p className="error-code">
            <code>{r.error.code}</code>
          </p>
          <p className="error-message">{r.error.message}</p>
        </div>
      )}
      {failed && d && (
        <div className="details-section">
          <h3>Cause</h3>
          <p data-testid="diagnosis-cause">{d.cause}</p>
          {d.found && <p data-testid="diagnosis-found">{d.found}</p>}
          {d.fix && (
            <Button variant="primary" size="sm" onClick={() => p.onFix(d.fix!.region)}>
              Fix region: move to {d.fix.region}
            </Button>
          )}
          <h3>How to fix it</h3>
          <ol className="remedy">
            {d.remedy.map((step, i) => (
              <li key={i}>{step}</li>
            ))}
          </ol>
          {d.policy && <pre className="policy-json">{JSON.stringify(d.policy, null, 2)}</pre>}
          <h3>Test it yourself</h3>
          <div className="command">
            <code>{d.test}</code>
            <Button size="sm" onClick={() => void navigator.clipboard.writeText(d.test).catch(() => toastError('Could not copy.'))}>
              Copy
            </Button>
          </div>
        </div>
      )}
      <div className="details-section details-actions">
        <Button variant="primary" size="sm" onClick={p.onRetry} disabled={p.checking}>
          {failed ? 'Retry' : 'Verify capacity'}
        </Button>
        <Button variant="danger" size="sm" onClick={p.onDelete}>
          Remove resource
        </Button>
      </div>
    </section>
  );
}
