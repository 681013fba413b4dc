import { useEffect, useId, useRef, useState } from 'react';
import type { Credential } from '@shared/contract';
import type { Resource } from '@shared/channels/resources';
import { api, errorMessage } from '../api';
import { Button } from '../ui/Button';
import { CredentialSelect } from '../ui/CredentialSelect';
import { Dialog } from '../ui/Dialog';
import { SEARCH_INPUT_ID } from './Toolbar';
import { deleteCredential, useCredentials } from './store';
import { FormError, useFormAction } from '../ui/useFormAction';
import { showToast } from '../ui/toast';

/** Confirms a delete. Cancel has the focus, so a stray Enter deletes nothing. */
export function DeleteDialog({ credential, onClose }: { credential: Credential; onClose: () => void }) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  const { busy, error, setError, run } = useFormAction();
  const textId = useId();
  const moveId = useId();
  // Other credentials of the same provider can take its resources instead (EntryGuard's
  // "reassign the affected resources to the new credential").
  const byId = useCredentials((s) => s.byId);
  const targets = [...byId.values()].filter((c) => c.provider === credential.provider && c.id !== credential.id);
  const [keep, setKeep] = useState<'delete' | 'move'>('delete');
  const [moveTo, setMoveTo] = useState('');
  const target = targets.find((c) => c.id === moveTo) ?? targets[0];
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

  function confirm() {
    void run(async () => {
      const moving = keep === 'move' && target && resources && resources.length > 0;
      if (moving) await api().invoke('resources.move', { fromCredentialId: credential.id, toCredentialId: target.id });
      await deleteCredential(credential.id);
      showToast('success', moving ? `Deleted “${credential.name}”; its ${resources.length} resource${resources.length === 1 ? '' : 's'} moved to “${target.name}”.` : `Deleted “${credential.name}”.`);
      onClose();
    });
  }

  return (
    <Dialog title="Delete credential" onClose={onClose} initialFocus={cancelRef} describedBy={textId} size="sm" fallbackFocus={() => document.getElementById(SEARCH_INPUT_ID)}>
      <div className="dialog-body">
        <p id={textId}>
          Delete credential <strong>{credential.name}</strong>?{' '}
          {resources === null
            ? 'Its resources are deleted with it.'
            : resources.length === 0
              ? 'It has no resources.'
              : keep === 'move'
                ? `Its ${resources.length} resource${resources.length === 1 ? '' : 's'} will be moved first:`
                : `Its ${resources.length} resource${resources.length === 1 ? '' : 's'} will be deleted with it:`}
        </p>
        {resources && resources.length > 0 && (
          <ul className="delete-resources" aria-label="Its resources" data-testid="delete-resources">
            {resources.map((r) => (
              <li key={r.id}>
                <code>{r.groupId}</code> <span className="muted">({r.region})</span>
              </li>
            ))}
          </ul>
        )}
        {resources && resources.length > 0 && targets.length > 0 && (
          <fieldset className="choice-group compact">
            <legend>Its resources</legend>
            <label className="radio-line">
              <input type="radio" name="keep" checked={keep === 'delete'} onChange={() => setKeep('delete')} /> Delete them with it
            </label>
            <label className="radio-line">
              <input type="radio" name="keep" checked={keep === 'move'} onChange={() => setKeep('move')} /> Move its {resources.length} resource
              {resources.length === 1 ? '' : 's'} to…
            </label>
            {keep === 'move' && <CredentialSelect id={moveId} ariaLabel="Move them to credential" credentials={targets} value={target?.id ?? ''} onChange={setMoveTo} />}
          </fieldset>
        )}
        <FormError error={error} />
      </div>
      <footer className="dialog-footer">
        <Button ref={cancelRef} onClick={onClose}>
          Cancel
        </Button>
        <Button variant="danger" onClick={confirm} disabled={busy || (resources === null && !listFailed)}>
          {keep === 'move' && resources?.length ? 'Move and delete' : 'Delete'}
        </Button>
      </footer>
    </Dialog>
  );
}
