import { useId, useRef, useState } from 'react';
import type { Credential } from '@shared/contract';
import { errorMessage } from '../api';
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
          Delete credential <strong>{credential.name}</strong>? Its resources are deleted with it.
        </p>
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
        <Button variant="danger" onClick={() => void confirm()} disabled={busy}>
          Delete
        </Button>
      </footer>
    </Dialog>
  );
}
