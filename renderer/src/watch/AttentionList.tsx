import { useState } from 'react';
import type { AttentionItem } from '@shared/channels/watch';
import { openDialog, selectCredential } from '../credentials/store';
import { openRotationWizard } from '../rotation/store';
import { navigate } from '../shell/route';
import { Button } from '../ui/Button';
import { RelativeTime } from '../ui/time';
import { useWatch } from './store';

// The Inventory's "Needs attention" list: each item says what happened, what to do, and
// takes the admin to where it is done (the diagnosis, Rotate key, Edit, Resume).

export function act(item: AttentionItem): void {
  const { kind, credentialId, rotationId } = item.action;
  if (kind === 'import-report') {
    navigate('inventory');
    document.getElementById('inv-report-actions')?.scrollIntoView({ block: 'center' });
    return;
  }
  if (kind === 'resume-rotation' && credentialId) {
    openRotationWizard(credentialId, rotationId);
    return;
  }
  navigate('credentials');
  if (!credentialId) return;
  selectCredential(credentialId);
  if (kind === 'rotate') openRotationWizard(credentialId);
  if (kind === 'edit') openDialog({ kind: 'edit', id: credentialId });
}

/** Items shown before "Show all": a vault of thousands can need attention for thousands (most urgent first). */
const FIRST_ITEMS = 50;

export function AttentionList() {
  const attention = useWatch((s) => s.attention);
  const [showAll, setShowAll] = useState(false);
  const items = attention?.items ?? [];
  const shown = showAll ? items : items.slice(0, FIRST_ITEMS);
  return (
    <section className="inventory-card attention-card" aria-labelledby="inv-attention" data-testid="attention-list">
      <h2 id="inv-attention">
        Needs attention{' '}
        {items.length > 0 && (
          <span className={`attention-count${attention!.counts.critical ? ' attention-count-critical' : ''}`} aria-label={`${items.length} items`}>
            {items.length}
          </span>
        )}
      </h2>
      {attention === null ? (
        <p className="muted">Loading…</p>
      ) : items.length === 0 ? (
        <p className="muted">
          Nothing needs attention. Worked out from the vault <RelativeTime iso={attention.computedAt} />.
        </p>
      ) : (
        <ul className="attention-list">
          {shown.map((item) => (
            <li key={item.key} className={`attention-item attention-${item.severity}`}>
              <span className="attention-dot" aria-hidden="true" />
              <div className="attention-text">
                <p className="attention-title">
                  <span className="sr-only">{item.severity === 'critical' ? 'Critical: ' : 'Warning: '}</span>
                  {item.title}
                  {item.maskedKeyId && <span className="mono muted"> {item.maskedKeyId}</span>}
                </p>
                <p className="muted attention-detail">{item.detail}</p>
              </div>
              <Button size="sm" variant={item.severity === 'critical' ? 'primary' : 'secondary'} onClick={() => act(item)} aria-label={`${item.action.label}: ${item.title}`}>
                {item.action.label}
              </Button>
            </li>
          ))}
        </ul>
      )}
      {items.length > FIRST_ITEMS && (
        <Button size="sm" variant="secondary" onClick={() => setShowAll((v) => !v)} aria-expanded={showAll}>
          {showAll ? `Show the first ${FIRST_ITEMS}` : `Show all ${items.length}`}
        </Button>
      )}
    </section>
  );
}

/** The count beside "Inventory" in the sidebar: shown only when something needs attention. */
export function AttentionBadge() {
  const counts = useWatch((s) => s.attention?.counts);
  const n = counts ? counts.critical + counts.warning : 0;
  if (!n) return null;
  return (
    <span className={`nav-badge${counts!.critical ? ' nav-badge-critical' : ''}`} data-testid="attention-badge" aria-label={`, ${n} need attention`}>
      {n}
    </span>
  );
}
