import { useEffect, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Credential } from '@shared/contract';
import { SortIcon } from '../ui/icons';
import { openRotationWizard } from '../rotation/store';
import { CredentialRow, type RowHandlers } from './CredentialRow';
import type { Sort, SortKey } from './filter';
import { openDialog, rowFocused, selectCredential, toggleSort, useCredentials, verifyCredential } from './store';

export const ROW_HEIGHT = 40;
const HEADER_HEIGHT = 36; // matches .header-row in styles.css

// `hide` names the class that drops a column when the table is narrow (styles.css,
// container queries on .table-area): the Name, Status and Actions always stay.
const COLUMNS: ReadonlyArray<{ label: string; key: SortKey | null; hide?: string }> = [
  { label: 'Name', key: 'name' },
  { label: 'Provider', key: 'provider', hide: 'col-provider' },
  { label: 'Type', key: 'type', hide: 'col-type' },
  { label: 'Status', key: 'status' },
  { label: 'Created', key: 'createdAt', hide: 'col-created' },
  { label: 'Actions', key: null },
];

// Stable for the life of the window, so memoised rows never re-render for new handlers.
const handlers: RowHandlers = {
  onOpenDetails: (id) => selectCredential(useCredentials.getState().selectedId === id ? null : id),
  onVerify: (id) => void verifyCredential(id),
  onEdit: (id) => openDialog({ kind: 'edit', id }),
  onDelete: (id) => openDialog({ kind: 'delete', id }),
  onRotate: (id) => openRotationWizard(id),
};

/**
 * The credentials grid. Only the rows in view (plus a few) are in the DOM, so 10,000
 * credentials scroll and filter as smoothly as ten.
 */
export function CredentialTable({ rows, sort, readOnly }: { rows: Credential[]; sort: Sort; readOnly: boolean }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const selectedId = useCredentials((s) => s.selectedId);
  const focusRowId = useCredentials((s) => s.focusRowId);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    scrollMargin: HEADER_HEIGHT,
    getItemKey: (i) => rows[i]?.id ?? i,
  });

  // After a create or save: scroll the row into view, then focus its status (it opens the details).
  useEffect(() => {
    if (!focusRowId) return;
    const index = rows.findIndex((c) => c.id === focusRowId);
    if (index < 0) return;
    virtualizer.scrollToIndex(index, { align: 'auto' });
    const frame = requestAnimationFrame(() => {
      document.querySelector<HTMLElement>(`[data-credential-id="${CSS.escape(focusRowId)}"] [data-testid="status-badge"]`)?.focus();
      rowFocused();
    });
    return () => cancelAnimationFrame(frame);
  }, [focusRowId, rows, virtualizer]);

  return (
    <div ref={scrollRef} className="table-scroll" role="table" aria-label="Credentials" aria-rowcount={rows.length + 1} aria-colcount={COLUMNS.length}>
      <div role="rowgroup" className="table-head">
        <div role="row" className="grid-row header-row" aria-rowindex={1}>
          {COLUMNS.map((col) => {
            const active = col.key !== null && sort.key === col.key;
            const ariaSort = active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : col.key ? 'none' : undefined;
            return (
              <div key={col.label} role="columnheader" className={`cell header-cell${col.hide ? ` ${col.hide}` : ''}`} aria-sort={ariaSort}>
                {col.key ? (
                  <button type="button" className="sort-button" onClick={() => toggleSort(col.key!)}>
                    {col.label}
                    <SortIcon dir={active ? sort.dir : null} className={active ? 'sort-active' : 'sort-idle'} />
                  </button>
                ) : (
                  <span className="header-label">{col.label}</span>
                )}
              </div>
            );
          })}
        </div>
      </div>
      <div role="rowgroup" className="table-body" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => {
          const c = rows[item.index]!;
          return <CredentialRow key={c.id} credential={c} rowIndex={item.index + 2} top={item.start - HEADER_HEIGHT} selected={c.id === selectedId} readOnly={readOnly} {...handlers} />;
        })}
      </div>
    </div>
  );
}
