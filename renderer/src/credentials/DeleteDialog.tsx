import { useEffect, useId, useRef, useState } from 'react';
import type { Credential } from '@shared/contract';
import type { Resource } from '@shared/channels/resources';
import { api, errorMessage } from '../api';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { SEARCH_INPUT_ID } from './Toolbar';
import { deleteCredential } from './store';

/** Confirms a delete. Cancel has the focus, so a stray Enter deletes nothing. */
export function DeleteDialog({ credential, onClose }: { credential: Credential; onClose: () => void }) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const textId = useId();
  // The resources that go with it, listed before the admin confirms (null: still loading).
  const [resources, setResources] = useState<Resource[] | null>(null);
  const [listFailed, setListFailed] = useState(false);

  useEffect(() => {
    let live = true;
    api()
      .invoke('resources.list', { credentialId: credential.id })
      .then((list) => live && setResources(list))
      .catch((e: unknown) => {
        if (!live) return;
        setListFailed(true);
        setError(`Could not list its resources: ${errorMessage(e)}`);
      });
    return () => {
      live = false;
    };
  }, [credential.id]);

  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await deleteCredential(credential.id);
      onClose();
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  }

  return (
    <Dialog
      title="Delete credential"
      onClose={onClose}
      initialFocus={cancelRef}
      describedBy={textId}
      size="sm"
      fallbackFocus={() => document.getElementById(SEARCH_INPUT_ID)}
    >
      <div className="dialog-body">
        <p id={textId}>
          Delete credential <strong>{credential.name}</strong>?{' '}
          {resources === null
            ? 'Its resources are deleted with it.'
            : resources.length === 0
              ? 'It has no resources.'
              : `Its ${resources.length} resource${resources.length === 1 ? '' : 's'} will be deleted with it:`}
        </p>
        {resources && resources.length > 0 && (
          <ul className="delete-resources" aria-label="Resources deleted with it" data-testid="delete-resources">
            {resources.map((r) => (
              <li key={r.id}>
                <code>{r.groupId}</code> <span className="muted">({r.region})</span>
              </li>
            ))}
          </ul>
        )}
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
      </div>
      <footer className="dialog-footer">
        <Button ref={cancelRef} onClick={onClose}>
          Cancel
        </Button>
        <Button variant="danger" onClick={() => void confirm()} disabled={busy || (resources === null && !listFailed)}>
          Delete
        </Button>
      </footer>
    </Dialog>
  );
}
