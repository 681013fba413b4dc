import { useEffect, useId, useMemo, useState } from 'react';
import type { Credential } from '@shared/contract';
import type { Resource } from '@shared/channels/resources';
import { DEFAULT_AWS_REGION } from '@shared/regions';
import { FormFooter } from '../ui/FormFooter';
import { RegionOptions } from '../ui/RegionOptions';
import { STATUS_LABELS } from '../credentials/filter';
import { StatusBadge } from '../credentials/StatusBadge';
import { Remedy } from '../credentials/Remedy';
import { Button } from '../ui/Button';
import { CloseIcon } from '../ui/icons';
import { RelativeTime } from '../ui/time';
import { showToast } from '../ui/toast';
import { CredentialSelect } from '../ui/CredentialSelect';
import { FormError, useFormAction } from '../ui/useFormAction';
import { Dialog } from '../ui/Dialog';
import { addResource, fixRegion, loadResources, moveResources, removeResource, selectResource, useResources, verifyAllResources, verifyResource } from './store';

const GROUP_ID = /^sg-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

/** Security groups registered under AWS credentials, and their capacity checks. */
export function ResourcesPage() {
  const credentials = useResources((s) => s.credentials);
  const resources = useResources((s) => s.resources);
  const checking = useResources((s) => s.checking);
  const selected = useResources((s) => s.selectedId);
  const error = useResources((s) => s.loadError);
  const [moving, setMoving] = useState(false);

  useEffect(() => {
    void loadResources();
  }, []);

  const names = useMemo(() => new Map(credentials.map((c) => [c.id, c.name])), [credentials]);
  const current = resources?.find((r) => r.id === selected) ?? null;

  return (
    <div className="page">
      <header className="page-header">
        <h1 className="page-title">Resources</h1>
        <div className="page-actions">
          <Button onClick={() => setMoving(true)} disabled={!resources?.length || credentials.length < 2}>
            Move resources…
          </Button>
          <Button onClick={() => void verifyAllResources()} disabled={!resources?.length || checking.size > 0}>
            Verify all
          </Button>
        </div>
      </header>
      <AddResourceForm credentials={credentials} />
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="page-content">
        <div className="simple-table-area resource-table-area">
          {resources && resources.length === 0 ? (
            <p className="muted empty-state">No security groups registered yet. Register one above under an AWS credential.</p>
          ) : (
            <table className="simple-table resource-table" aria-label="Resources">
              <thead>
                <tr>
                  <th className="col-credential">Credential</th>
                  <th>Security group</th>
                  <th className="col-region">Region</th>
                  <th>Status</th>
                  <th className="col-checked">Last checked</th>
                  <th>
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {(resources ?? []).map((r) => (
                  <tr key={r.id} data-resource-id={r.id} className={r.id === selected ? 'row-selected' : undefined}>
                    <td className="col-credential">{names.get(r.credentialId) ?? r.credentialId}</td>
                    <td className="mono nowrap">{r.groupId}</td>
                    <td className="col-region nowrap">{r.region}</td>
                    <td>
                      <button
                        type="button"
                        className="link-button"
                        onClick={() => selectResource(r.id)}
                        aria-label={`${STATUS_LABELS[r.status]}: details of ${r.groupId}`}
                        aria-expanded={r.id === selected}
                        data-testid="resource-status"
                      >
                        <StatusBadge status={r.status} verifying={checking.has(r.id)} />
                      </button>
                    </td>
                    <td className="col-checked nowrap">{r.lastCheckedAt ? <RelativeTime iso={r.lastCheckedAt} /> : <span className="muted">never</span>}</td>
                    <td className="nowrap">
                      <Button size="sm" onClick={() => void verifyResource(r.id)} disabled={checking.has(r.id)}>
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
            key={current.id}
            resource={current}
            credentials={credentials}
            credentialName={names.get(current.credentialId) ?? ''}
            checking={checking.has(current.id)}
            onClose={() => selectResource(null)}
          />
        )}
      </div>
      {moving && <MoveAllDialog credentials={credentials} resources={resources ?? []} onClose={() => setMoving(false)} />}
    </div>
  );
}

function AddResourceForm({ credentials }: { credentials: Credential[] }) {
  const [credentialId, setCredentialId] = useState('');
  const [groupId, setGroupId] = useState('');
  const [region, setRegion] = useState('');
  const { busy, error, setError, run } = useFormAction();
  const cred = credentials.find((c) => c.id === credentialId) ?? credentials[0];

  function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!cred) return setError('Add an AWS credential first.');
    const id = groupId.trim();
    if (!GROUP_ID.test(id)) return setError('A security group id is sg- followed by 8 or 17 hex digits (e.g. sg-0123456789abcdef0).');
    void run(async () => {
      await addResource({ credentialId: cred.id, groupId: id, region: region || undefined });
      setGroupId('');
    });
  }

  return (
    <form className="inline-form" onSubmit={submit} aria-label="Register a security group">
      <label>
        Credential
        <CredentialSelect credentials={credentials} value={cred?.id ?? ''} onChange={setCredentialId} />
      </label>
      <label>
        Security group id
        <input value={groupId} onChange={(e) => (setGroupId(e.target.value), setError(null))} placeholder="sg-0123456789abcdef0" spellCheck={false} />
      </label>
      <label>
        Region
        <select value={region} onChange={(e) => setRegion(e.target.value)}>
          <option value="">The credential’s ({cred?.fields.region ?? DEFAULT_AWS_REGION})</option>
          <RegionOptions />
        </select>
      </label>
      <Button type="submit" variant="primary" disabled={busy || credentials.length === 0}>
        Register
      </Button>
      <FormError error={error} />
    </form>
  );
}

/** Move one resource to another credential: the fix for a rotated or deleted key, or one credential per region. */
function MoveTo({ resource, credentials }: { resource: Resource; credentials: Credential[] }) {
  const others = credentials.filter((c) => c.id !== resource.credentialId);
  const [to, setTo] = useState(others[0]?.id ?? '');
  const { busy, error, run } = useFormAction();
  const selectId = useId();
  if (others.length === 0) return null;
  return (
    <form
      className="move-to"
      aria-label="Move to another credential"
      onSubmit={(e) => {
        e.preventDefault();
        void run(async () => void (await moveResources({ ids: [resource.id], toCredentialId: to })));
      }}
    >
      <label htmlFor={selectId}>Move to credential</label>
      <div className="move-to-row">
        <select id={selectId} value={to} onChange={(e) => setTo(e.target.value)}>
          {others.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
        <Button type="submit" size="sm" disabled={busy || !to}>
          {busy ? 'Moving…' : 'Move'}
        </Button>
      </div>
      <FormError error={error} />
    </form>
  );
}

/** Move every resource of one credential to another (the page's Move resources…). */
function MoveAllDialog({ credentials, resources, onClose }: { credentials: Credential[]; resources: Resource[]; onClose: () => void }) {
  const withResources = credentials.filter((c) => resources.some((r) => r.credentialId === c.id));
  const [from, setFrom] = useState(withResources[0]?.id ?? '');
  const targets = credentials.filter((c) => c.id !== from);
  const [to, setTo] = useState('');
  const target = targets.find((c) => c.id === to) ?? targets[0];
  const count = resources.filter((r) => r.credentialId === from).length;
  const { busy, error, run } = useFormAction();
  const ids = { from: useId(), to: useId() };
  return (
    <Dialog title="Move resources" onClose={onClose} size="sm">
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!target) return;
          void run(async () => {
            await moveResources({ fromCredentialId: from, toCredentialId: target.id });
            onClose();
          });
        }}
      >
        <div className="dialog-body">
          <p className="muted">Each resource is verified under its new credential after the move.</p>
          <div className="field">
            <label htmlFor={ids.from}>From credential</label>
            <select id={ids.from} value={from} onChange={(e) => setFrom(e.target.value)}>
              {withResources.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name} ({resources.filter((r) => r.credentialId === c.id).length})
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.to}>To credential</label>
            <CredentialSelect id={ids.to} credentials={targets} value={target?.id ?? ''} onChange={setTo} />
          </div>
          <FormError error={error} />
        </div>
        <FormFooter onCancel={onClose} busy={busy} disabled={!target || count === 0} label={`Move ${count} resource${count === 1 ? '' : 's'}`} busyLabel="Moving…" />
      </form>
    </Dialog>
  );
}

function ResourceDetails(p: { resource: Resource; credentials: Credential[]; credentialName: string; checking: boolean; onClose: () => void }) {
  const r = p.resource;
  const d = r.diagnosis;
  const failed = r.status === 'INVALID' || r.status === 'UNREACHABLE';
  return (
    <section className="details-panel" aria-label="Resource details">
      <header className="details-header">
        <h2 className="details-title mono">{r.groupId}</h2>
        <button type="button" className="icon-button" aria-label="Close details" onClick={p.onClose}>
          <CloseIcon />
        </button>
      </header>
      <div className="details-status">
        <StatusBadge status={r.status} verifying={p.checking} />
        <span className="muted">
          {r.lastCheckedAt ? (
            <>
              Last checked <RelativeTime iso={r.lastCheckedAt} />
            </>
          ) : (
            'Never checked'
          )}
        </span>
      </div>
      <dl className="kv">
        <dt>Credential</dt>
        <dd>{p.credentialName}</dd>
        <dt>Region</dt>
        <dd className="nowrap">{r.region}</dd>
      </dl>
      {failed && r.error && (
        <div className="details-section">
          <h3>What failed</h3>
          <p className="muted">
            ec2:DescribeSecurityGroups for <span className="nowrap">{r.groupId}</span> in <span className="nowrap">{r.region}</span>
          </p>
          <p className="error-code">
            <code>{r.error.code}</code>
          </p>
          {/* The region-mismatch finding says it in full; the raw message would repeat it. */}
          {!d?.found && <p className="error-message">{r.error.message}</p>}
        </div>
      )}
      {failed && d && (
        <div className="details-section">
          <h3>Cause</h3>
          <p data-testid="diagnosis-cause">{d.cause}</p>
          {d.found && d.found !== d.cause && <p data-testid="diagnosis-found">{d.found}</p>}
          {d.fix && (
            <Button variant="primary" size="sm" onClick={() => void fixRegion(r.id, d.fix!.region)}>
              Fix region: move to {d.fix.region}
            </Button>
          )}
          <h3>How to fix it</h3>
          <Remedy steps={d.remedy} />
          {d.policy && <pre className="policy-json">{JSON.stringify(d.policy, null, 2)}</pre>}
          <h3>Test it yourself</h3>
          <div className="command">
            <code>{d.test}</code>
            <Button size="sm" onClick={() => void navigator.clipboard.writeText(d.test).catch(() => showToast('error', 'Could not copy.'))}>
              Copy
            </Button>
          </div>
        </div>
      )}
      <div className="details-section">
        <MoveTo resource={r} credentials={p.credentials} />
      </div>
      <div className="details-section details-actions">
        <Button variant="primary" size="sm" onClick={() => void verifyResource(r.id)} disabled={p.checking}>
          Verify capacity
        </Button>
        <Button variant="danger" size="sm" onClick={() => void removeResource(r.id)}>
          Remove resource
        </Button>
      </div>
    </section>
  );
}
