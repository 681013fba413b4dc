import { memo } from 'react';
import type { Credential } from '@shared/contract';
import { PROVIDERS } from '@shared/providers';
import { RelativeTime } from '../ui/time';
import { PencilIcon, PlugIcon, RotateIcon, TrashIcon } from '../ui/icons';
import { StatusBadgeButton } from './StatusBadge';
import { LastRotated } from '../rotation/LastRotated';

export interface RowHandlers {
  onOpenDetails: (id: string) => void;
  onVerify: (id: string) => void;
  onEdit: (id: string) => void;
  onDelete: (id: string) => void;
  /** AWS access keys only: opens the rotation wizard. */
  onRotate: (id: string) => void;
}

interface RowProps extends RowHandlers {
  credential: Credential;
  /** 1-based position among all rows, header included (aria-rowindex). */
  rowIndex: number;
  top: number;
  selected: boolean;
  readOnly: boolean;
}

// Memoised: a keystroke in the search box or an event for another credential leaves
// this row alone.
export const CredentialRow = memo(function CredentialRow({ credential: c, rowIndex, top, selected, readOnly, onOpenDetails, onVerify, onEdit, onDelete, onRotate }: RowProps) {
  return (
    <div
      role="row"
      className={`grid-row body-row${selected ? ' row-selected' : ''}`}
      aria-rowindex={rowIndex}
      aria-selected={selected}
      data-credential-id={c.id}
      data-status={c.status}
      data-verifying={c.verifying}
      style={{ transform: `translateY(${top}px)` }}
    >
      <div role="cell" className="cell cell-name" title={c.name}>
        {c.name}
      </div>
      <div role="cell" className="cell col-provider">
        {PROVIDERS[c.provider]?.label ?? c.provider}
      </div>
      <div role="cell" className="cell cell-type col-type">
        {c.type}
      </div>
      <div role="cell" className="cell cell-status">
        <StatusBadgeButton credential={c} expanded={selected} onOpen={onOpenDetails} />
      </div>
      <div role="cell" className="cell cell-muted col-created">
        <RelativeTime iso={c.createdAt} />
        {c.provider === 'AWS' && <LastRotated credentialId={c.id} variant="row" />}
      </div>
      <div role="cell" className="cell cell-actions">
        <RowAction icon={<PlugIcon />} label="Test connection" onClick={() => onVerify(c.id)} disabled={c.verifying} />
        <RowAction icon={<PencilIcon />} label="Edit" onClick={() => onEdit(c.id)} disabled={readOnly} />
        {c.provider === 'AWS' && <RowAction icon={<RotateIcon />} label="Rotate key" name={`Rotate key of ${c.name}`} onClick={() => onRotate(c.id)} disabled={readOnly} />}
        <button type="button" className="icon-button icon-button-danger" aria-label={`Delete ${c.name}`} title="Delete" onClick={() => onDelete(c.id)} disabled={readOnly}>
          <TrashIcon />
        </button>
      </div>
    </div>
  );
});

/**
 * A row action: icon and label, the label hidden (still its accessible name) when the
 * table is too narrow for words, so every action stays on screen at any width.
 */
function RowAction({ icon, label, name, onClick, disabled }: { icon: React.ReactNode; label: string; name?: string; onClick: () => void; disabled: boolean }) {
  return (
    <button type="button" className="btn btn-ghost btn-sm row-action" onClick={onClick} disabled={disabled} aria-label={name} title={label}>
      {icon}
      <span className="row-action-label">{label}</span>
    </button>
  );
}
