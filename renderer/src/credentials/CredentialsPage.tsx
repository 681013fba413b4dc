import { useDeferredValue, useEffect, useMemo, useRef } from 'react';
import type { Credential } from '@shared/contract';
import { PROVIDER_IDS, PROVIDERS } from '@shared/providers';
import { useReadOnly } from '../vault/store';
import { Button } from '../ui/Button';
import { Spinner } from '../ui/Spinner';
import { KeyIcon } from '../ui/icons';
import { isModalOpen, isTypingTarget } from '../ui/modal';
import { CredentialForm } from './CredentialForm';
import { CredentialTable } from './CredentialTable';
import { DeleteDialog } from './DeleteDialog';
import { filterCredentials, hasFilters, resortCredentials, type Sort } from './filter';
import { StatusDetails } from './StatusDetails';
import { clearFilters, closeDialog, connectCredentials, loadCredentials, openDialog, selectCredential, useCredentials, verifyAll } from './store';
import { SEARCH_INPUT_ID, Toolbar } from './Toolbar';
import { RotateDueButton } from '../rotation/FleetDialog';
import { ImportProfilesButton } from '../aws-profiles/ImportProfilesDialog';
import { VerifyAllBar } from './VerifyAllBar';
import { useFigureFilter } from '../inventory/useFigureFilter';
import { FigureBanner } from '../inventory/FigureBanner';

export function CredentialsPage() {
  const byId = useCredentials((s) => s.byId);
  const load = useCredentials((s) => s.load);
  const loadError = useCredentials((s) => s.loadError);
  const sort = useCredentials((s) => s.sort);
  const query = useCredentials((s) => s.query);
  const provider = useCredentials((s) => s.provider);
  const status = useCredentials((s) => s.status);
  const run = useCredentials((s) => s.run);
  const runStarting = useCredentials((s) => s.runStarting);
  const readOnly = useReadOnly();
  const detailsOpen = useCredentials((s) => s.selectedId !== null && s.byId.has(s.selectedId));

  useEffect(connectCredentials, []);
  useGlobalShortcuts(readOnly);

  // Typing updates the box at once; the table follows at lower priority, so a
  // keystroke never waits for 10,000 rows to be filtered.
  const deferredQuery = useDeferredValue(query);
  const lastSort = useRef<{ sorted: Credential[]; sort: Sort } | null>(null);
  const sorted = useMemo(() => resortCredentials(lastSort.current, byId, sort), [byId, sort]);
  useEffect(() => {
    lastSort.current = { sorted, sort };
  }, [sorted, sort]);
  const filters = useMemo(() => ({ query: deferredQuery, provider, status }), [deferredQuery, provider, status]);
  // A link from the Inventory page (#/credentials?figure=…) narrows the table to that figure.
  const figure = useFigureFilter();
  const rows = useMemo(() => {
    const filtered = filterCredentials(sorted, filters);
    return figure.ids ? filtered.filter((c) => figure.ids!.has(c.id)) : filtered;
  }, [sorted, filters, figure.ids]);

  const total = byId.size;
  const running = runStarting || (run !== null && !run.finished);
  const empty = load === 'ready' && total === 0;

  return (
    <div className="page">
      <header className="page-header">
        <h1 className="page-title">Credentials</h1>
        {!empty && load === 'ready' && (
          <div className="page-actions">
            <Button onClick={() => void verifyAll()} disabled={running}>
              Verify all
            </Button>
            {!readOnly && rows.some((c) => c.provider === 'AWS') && <RotateDueButton credentialIds={rows.filter((c) => c.provider === 'AWS').map((c) => c.id)} label="Rotate due keys in view" />}
            <ImportProfilesButton disabled={readOnly} />
            <Button variant="primary" onClick={() => openDialog({ kind: 'add' })} disabled={readOnly} title="Add Credential (Ctrl+N)">
              Add Credential
            </Button>
          </div>
        )}
      </header>

      {load === 'ready' && !empty && <Toolbar shown={rows.length} total={total} />}
      {figure.label && <FigureBanner label={figure.label} shown={rows.length} />}
      <VerifyAllBar />

      <div className={`page-content${detailsOpen ? ' details-open' : ''}`}>
        {load === 'error' ? (
          <div className="empty-state">
            <h2>Could not load credentials</h2>
            <p role="alert" className="form-error">
              {loadError}
            </p>
            <Button variant="primary" onClick={() => void loadCredentials()}>
              Try again
            </Button>
          </div>
        ) : load !== 'ready' ? (
          <p className="loading" role="status">
            <Spinner /> Loading credentials…
          </p>
        ) : empty ? (
          <EmptyState readOnly={readOnly} />
        ) : (
          <>
            <div className="table-area">
              <CredentialTable rows={rows} sort={sort} readOnly={readOnly} />
              {rows.length === 0 && (
                <div className="no-matches">
                  <p>No credentials match {hasFilters(filters) ? 'these filters' : 'the search'}.</p>
                  <Button size="sm" onClick={clearFilters}>
                    Clear filters
                  </Button>
                </div>
              )}
            </div>
            <Details />
          </>
        )}
      </div>

      <Dialogs />
    </div>
  );
}

function EmptyState({ readOnly }: { readOnly: boolean }) {
  return (
    <div className="empty-state">
      <div className="empty-icon">
        <KeyIcon />
      </div>
      <h2>No credentials yet</h2>
      <p className="muted">Add the keys and passwords you manage: {listOf(PROVIDER_IDS.map((p) => PROVIDERS[p].label))}. Keyward encrypts them, tests each connection and explains any that fail.</p>
      <Button variant="primary" onClick={() => openDialog({ kind: 'add' })} disabled={readOnly}>
        Add Credential
      </Button>
      <ImportProfilesButton disabled={readOnly} />
    </div>
  );
}

function Details() {
  const credential = useCredentials((s) => (s.selectedId ? s.byId.get(s.selectedId) : undefined));
  if (!credential) return null;
  return <StatusDetails credential={credential} onClose={() => selectCredential(null)} />;
}

function Dialogs() {
  const dialog = useCredentials((s) => s.dialog);
  const target = useCredentials((s) => (s.dialog && s.dialog.kind !== 'add' ? s.byId.get(s.dialog.id) : undefined));
  if (!dialog) return null;
  if (dialog.kind === 'add') return <CredentialForm mode="add" onClose={closeDialog} />;
  if (!target) return null;
  if (dialog.kind === 'edit') return <CredentialForm key={target.id} mode="edit" credential={target} onClose={closeDialog} />;
  return <DeleteDialog credential={target} onClose={closeDialog} />;
}

/** "/" focuses the search box; Ctrl/Cmd+N opens Add Credential. */
function useGlobalShortcuts(readOnly: boolean) {
  useEffect(() => {
    function onKeyDown(e: KeyboardEvent) {
      if (e.defaultPrevented || isModalOpen()) return;
      if (e.key === '/' && !e.ctrlKey && !e.metaKey && !e.altKey && !isTypingTarget(e.target)) {
        const search = document.getElementById(SEARCH_INPUT_ID);
        if (search) {
          e.preventDefault();
          search.focus();
        }
        return;
      }
      if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'n') {
        e.preventDefault();
        if (!readOnly && useCredentials.getState().load === 'ready') openDialog({ kind: 'add' });
      }
    }
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [readOnly]);
}

/** "A, B and C". */
function listOf(items: string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
