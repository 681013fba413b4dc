import { Fragment, useEffect, useRef, useState } from 'react';
import type { Credential } from '@shared/contract';
import { maskKeyId } from '@shared/mask';
import { PROVIDERS } from '@shared/providers';
import { Button } from '../ui/Button';
import { CloseIcon, CopyIcon } from '../ui/icons';
import { LastRotated } from '../rotation/LastRotated';
import { ScheduleToggle } from '../watch/ScheduleToggle';
import { RelativeTime } from '../ui/time';
import { showToast } from '../ui/toast';
import { api, errorMessage } from '../api';
import { StatusBadge } from './StatusBadge';
import { verifyCredential } from './store';
import { InlineCode, Remedy } from './Remedy';
import { KeyUsageSection } from '../inventory/KeyUsageSection';
import { ProfilesUsing } from '../aws-profiles/ProfilesUsing';
import { DeliveriesCard } from '../deliveries/DeliveriesCard';

// Public fields shown masked: enough to recognise a key, not to copy it.
const MASKED_FIELDS = new Set(['accessKeyId']);

/**
 * Why a credential has its status: the identity it proved, or the error, its
 * diagnosis, the steps to fix it and a command to test it outside Keyward.
 */
export function StatusDetails({ credential: c, onClose }: { credential: Credential; onClose: () => void }) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  const provider = PROVIDERS[c.provider];
  const failed = c.status === 'INVALID' || c.status === 'UNREACHABLE';
  const testCommand = c.diagnosis?.test || provider?.testCommand || '';

  // Focus moves in when the panel opens for a credential, so the keyboard can reach it.
  useEffect(() => {
    headingRef.current?.focus();
  }, [c.id]);

  function close() {
    onClose();
    const badge = document.querySelector<HTMLElement>(`[data-credential-id="${CSS.escape(c.id)}"] [data-testid="status-badge"]`);
    badge?.focus();
  }

  return (
    <section
      className="details-panel"
      aria-label="Credential details"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          close();
        }
      }}
    >
      <header className="details-header">
        <h2 className="details-title" ref={headingRef} tabIndex={-1}>
          {c.name}
        </h2>
        <button type="button" className="icon-button" aria-label="Close details" onClick={close}>
          <CloseIcon />
        </button>
      </header>

      <div className="details-status">
        <StatusBadge status={c.status} verifying={c.verifying} />
        <span className="muted">
          {c.verifying ? (
            'Verifying…'
          ) : c.lastVerifiedAt ? (
            <>
              Last checked <RelativeTime iso={c.lastVerifiedAt} />
            </>
          ) : (
            'Never verified'
          )}
        </span>
      </div>
      {c.provider === 'AWS' && <LastRotated credentialId={c.id} variant="panel" />}
      <ScheduleToggle credentialId={c.id} />
      {c.provider === 'AWS' && <ProfilesUsing credentialId={c.id} />}

      <dl className="kv">
        <dt>Provider</dt>
        <dd>{provider?.label ?? c.provider}</dd>
        <dt>Type</dt>
        <dd>{c.type}</dd>
        {provider?.fields.map((f) => {
          if (f.secret) {
            return (
              <Pair key={f.key} label={f.label}>
                {c.secretFields.includes(f.key) ? (
                  <>
                    <span className="muted">stored, hidden</span> <CopySecretButton id={c.id} field={f.key} label={f.label} />
                  </>
                ) : (
                  <span className="muted">not set</span>
                )}
              </Pair>
            );
          }
          const value = c.fields[f.key];
          if (!value)
            return f.required ? (
              <Pair key={f.key} label={f.label}>
                —
              </Pair>
            ) : null;
          if (f.kind === 'textarea') {
            // A multi-line public value (a connector's CA certificate): summarised, the PEM one click away.
            const certs = (value.match(/-----BEGIN CERTIFICATE-----/g) ?? []).length;
            return (
              <Pair key={f.key} label={f.label}>
                <details>
                  <summary>{certs ? `${certs} certificate${certs === 1 ? '' : 's'} (PEM)` : 'Show'}</summary>
                  <pre className="mono" style={{ maxHeight: '12rem', overflow: 'auto' }}>
                    {value}
                  </pre>
                </details>
              </Pair>
            );
          }
          return (
            <Pair key={f.key} label={f.label}>
              {/* A key id or a region never wraps mid-token; a URL may. */}
              <span className={f.kind === 'url' ? 'mono' : 'mono nowrap'}>{MASKED_FIELDS.has(f.key) ? maskKeyId(value) : value}</span>
            </Pair>
          );
        })}
      </dl>

      {c.identity && (
        <div className="details-section">
          <h3>{c.status === 'VALID' ? 'Identity' : 'Last known identity'}</h3>
          <dl className="kv">
            {c.identity.account !== undefined && (
              <>
                <dt>Account</dt>
                <dd className="mono">{c.identity.account}</dd>
                <dt>ARN</dt>
                <dd className="mono break">{c.identity.arn}</dd>
                <dt>User ID</dt>
                <dd className="mono">{c.identity.userId}</dd>
              </>
            )}
            {c.identity.principal !== undefined && (
              <>
                <dt>Signed in as</dt>
                <dd className="mono break">{c.identity.principal}</dd>
              </>
            )}
            {c.identity.server !== undefined && (
              <>
                <dt>Server</dt>
                <dd className="mono break">{c.identity.server}</dd>
              </>
            )}
            <CloudIdentity identity={c.identity} />
          </dl>
          {c.identity.warning && (
            <p className="diagnosis-found" role="status" data-testid="identity-warning">
              {c.identity.warning}
            </p>
          )}
        </div>
      )}
      {c.provider === 'AWS' && <KeyUsageSection credentialId={c.id} />}

      {failed && c.error && (
        <div className="details-section">
          <h3>Error</h3>
          <p className="error-code">
            <code>{c.error.code}</code>
          </p>
          <p className="error-message">{c.error.message}</p>
        </div>
      )}

      {failed && c.diagnosis && (
        <div className="details-section">
          <h3>Cause</h3>
          <p data-testid="diagnosis-cause">
            <InlineCode text={c.diagnosis.cause} />
          </p>
          {c.diagnosis.found && (
            <p className="diagnosis-found" data-testid="diagnosis-found">
              {c.diagnosis.found}
            </p>
          )}
          {c.diagnosis.missingPermission && (
            <p>
              Missing permission: <code data-testid="missing-permission">{c.diagnosis.missingPermission}</code>
            </p>
          )}
          {c.diagnosis.remedy.length > 0 && (
            <>
              <h3>How to fix it</h3>
              <Remedy steps={c.diagnosis.remedy} />
            </>
          )}
          {c.diagnosis.link && (
            <p>
              <a href={c.diagnosis.link} target="_blank" rel="noreferrer noopener">
                Read more
              </a>
            </p>
          )}
        </div>
      )}

      {failed && c.diagnosis?.policy && (
        <div className="details-section">
          <h3>Policy that would grant it</h3>
          <div className="command">
            <pre className="policy-json">{JSON.stringify(c.diagnosis.policy, null, 2)}</pre>
            <CopyButton text={JSON.stringify(c.diagnosis.policy, null, 2)} />
          </div>
        </div>
      )}

      {c.provider === 'AWS' && <DeliveriesCard credentialId={c.id} />}

      <div className="details-section details-actions">
        <Button variant="primary" size="sm" disabled={c.verifying} onClick={() => void verifyCredential(c.id).catch(() => undefined)}>
          {c.verifying ? 'Testing…' : 'Test connection'}
        </Button>
        <CopyReportButton id={c.id} />
      </div>

      {failed && testCommand && (
        <div className="details-section">
          <h3>Test it yourself</h3>
          <div className="command">
            <code>{testCommand}</code>
            <CopyButton text={testCommand} />
          </div>
        </div>
      )}
    </section>
  );
}

function Pair({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

/**
 * Copies a secret from main to the OS clipboard: the value never reaches this window.
 * Main clears the clipboard after a while (if it still holds the secret) and audits the copy.
 */
function CopySecretButton({ id, field, label }: { id: string; field: string; label: string }) {
  const [busy, setBusy] = useState(false);
  async function copy() {
    setBusy(true);
    try {
      const r = await api().invoke('credentials.copySecret', { id, field });
      showToast(
        'info',
        r.clearsAfterSeconds > 0
          ? `${label} copied. The clipboard is cleared in ${r.clearsAfterSeconds} s.`
          : `${label} copied. It stays on the clipboard until you copy something else or lock the vault (Settings → Preferences).`,
      );
    } catch (e) {
      showToast('error', errorMessage(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <button type="button" className="icon-button icon-button-inline" aria-label={`Copy ${label}`} title={`Copy ${label} (cleared after 30 s)`} disabled={busy} onClick={() => void copy()}>
      <CopyIcon />
    </button>
  );
}

/** Copies a command (never a secret) with the web clipboard. */
function CopyButton({ text }: { text: string }) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const t = setTimeout(() => setCopied(false), 2000);
    return () => clearTimeout(t);
  }, [copied]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch {
      showToast('error', 'Could not copy. Select the command and copy it by hand.');
    }
  }

  return (
    <Button size="sm" onClick={() => void copy()}>
      <CopyIcon />
      {copied ? 'Copied' : 'Copy'}
    </Button>
  );
}

/** What GCP, Azure and HashiCorp Vault add to an identity: project, tenant, policies, expiry. */
function CloudIdentity({ identity }: { identity: NonNullable<Credential['identity']> }) {
  const rows: Array<[string, string]> = [];
  if (identity.project) rows.push(['Project', identity.project]);
  if (identity.tenant) rows.push(['Tenant', identity.tenant]);
  if (identity.appId && identity.appId !== identity.principal) rows.push(['Application', identity.appId]);
  if (identity.policies) rows.push(['Policies', identity.policies.join(', ') || 'none']);
  if (identity.expiresAt) rows.push(['Expires', identity.expiresAt]);
  return (
    <>
      {rows.map(([label, value]) => (
        <Fragment key={label}>
          <dt>{label}</dt>
          <dd className="mono break">{value}</dd>
        </Fragment>
      ))}
    </>
  );
}

/** What support asks for (name, provider, status, error, diagnosis, test command), built by core: no secret, key ids masked. */
function CopyReportButton({ id }: { id: string }) {
  const [busy, setBusy] = useState(false);
  async function copy() {
    setBusy(true);
    try {
      const { text } = await api().invoke('credentials.report', { id });
      await navigator.clipboard.writeText(text);
      showToast('success', 'Report copied: paste it into your support request. It holds no secret.');
    } catch (e) {
      showToast('error', `Could not copy the report: ${errorMessage(e)}`);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Button size="sm" onClick={() => void copy()} disabled={busy}>
      <CopyIcon />
      Copy report
    </Button>
  );
}
