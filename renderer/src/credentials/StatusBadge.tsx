import type { Credential, CredentialStatus } from '@shared/contract';
import { Spinner } from '../ui/Spinner';
import { STATUS_LABELS } from './filter';

const CLASS: Record<CredentialStatus, string> = {
  UNVERIFIED: 'badge-unverified',
  VALID: 'badge-valid',
  INVALID: 'badge-invalid',
  UNREACHABLE: 'badge-unreachable',
};

/** A hover summary; the details panel has the full story. */
function summary(c: Credential): string {
  const head = c.verifying ? `${STATUS_LABELS[c.status]} — verifying…` : STATUS_LABELS[c.status];
  if ((c.status === 'INVALID' || c.status === 'UNREACHABLE') && c.error) return `${head}: ${c.error.code}. Open for details.`;
  if (c.status === 'VALID' && (c.identity?.arn ?? c.identity?.principal)) return `${head}: ${c.identity?.arn ?? c.identity?.principal}. Open for details.`;
  return `${head}. Open for details.`;
}

/**
 * The row's status, as a button that opens the details panel. Its text is always the
 * status label; a running check adds a spinner labelled "Verifying…".
 */
export function StatusBadgeButton({ credential, expanded, onOpen }: { credential: Credential; expanded: boolean; onOpen: (id: string) => void }) {
  return (
    <button
      type="button"
      className={`badge badge-button ${CLASS[credential.status]}`}
      data-testid="status-badge"
      aria-expanded={expanded}
      aria-busy={credential.verifying || undefined}
      title={summary(credential)}
      onClick={() => onOpen(credential.id)}
    >
      <BadgeMark verifying={credential.verifying} />
      {STATUS_LABELS[credential.status]}
    </button>
  );
}

/** The same look, not interactive (used in the details panel). */
export function StatusBadge({ status, verifying }: { status: CredentialStatus; verifying: boolean }) {
  return (
    <span className={`badge ${CLASS[status]}`}>
      <BadgeMark verifying={verifying} />
      {STATUS_LABELS[status]}
    </span>
  );
}

function BadgeMark({ verifying }: { verifying: boolean }) {
  return verifying ? <Spinner label="Verifying…" /> : <span className="badge-dot" aria-hidden="true" />;
}
