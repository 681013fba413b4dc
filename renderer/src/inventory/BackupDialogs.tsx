import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { showToast } from '../ui/toast';
import { FormError, useFormAction } from '../ui/useFormAction';
import { base64ToBytes, downloadFile, fileToBase64 } from './files';
import { MIN_PASSPHRASE } from '@shared/passphrase';

/** The backup file and its passphrase: the fields every restore asks for. */
export function BackupFileFields({ idPrefix, onFile, pass, onPass }: { idPrefix: string; onFile: (f: File | null) => void; pass: string; onPass: (p: string) => void }) {
  return (
    <>
      <div className="field">
        <label htmlFor={`${idPrefix}-file`}>Backup file</label>
        <input id={`${idPrefix}-file`} type="file" accept=".kwbackup,application/octet-stream" onChange={(e) => onFile(e.target.files?.[0] ?? null)} data-autofocus />
      </div>
      <div className="field">
        <label htmlFor={`${idPrefix}-pass`}>Backup passphrase</label>
        <input id={`${idPrefix}-pass`} type="password" autoComplete="off" value={pass} onChange={(e) => onPass(e.target.value)} />
      </div>
    </>
  );
}

/** Backup: the admin chooses a passphrase; the encrypted file is downloaded. */
export function BackupDialog({ onClose }: { onClose: () => void }) {
  const [pass, setPass] = useState('');
  const [again, setAgain] = useState('');
  const { busy, error, setError, run } = useFormAction();
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (pass.length < MIN_PASSPHRASE) return setError(`Choose a passphrase of at least ${MIN_PASSPHRASE} characters.`);
    if (pass !== again) return setError('The two passphrases differ.');
    await run(async () => {
      const r = await api().invoke('inventory.backup', { passphrase: pass });
      downloadFile(r.fileName, base64ToBytes(r.base64), 'application/octet-stream');
      showToast('info', `Backup of ${r.credentials} credential(s) saved as ${r.fileName}. Keep the passphrase: without it the backup cannot be opened.`);
      onClose();
    });
  }
  return (
    <Dialog title="Back up the vault" onClose={onClose} size="sm">
      <form className="dialog-body" onSubmit={(e) => void submit(e)}>
        <p className="muted">The whole vault, secrets included, encrypted with a passphrase you choose (scrypt + AES-256-GCM). This is also how you move the vault to another machine.</p>
        <div className="field">
          <label htmlFor="backup-pass">Backup passphrase</label>
          <input id="backup-pass" type="password" autoComplete="new-password" value={pass} onChange={(e) => setPass(e.target.value)} data-autofocus />
        </div>
        <div className="field">
          <label htmlFor="backup-pass-again">Repeat the passphrase</label>
          <input id="backup-pass-again" type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} />
        </div>
        <FormError error={error} />
        <div className="dialog-footer">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={busy}>
            {busy ? 'Encrypting…' : 'Create backup'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

type MergeResult = { added: Array<{ name: string }>; conflicts: Array<{ name: string; reason: string }>; notMerged: Array<{ table: string; rows: number }> };

/** Restore into this vault: merge a backup's credentials; conflicts are listed, nothing is overwritten. */
export function RestoreDialog({ onClose, onMerged }: { onClose: () => void; onMerged: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [pass, setPass] = useState('');
  const { busy, error, setError, run } = useFormAction();
  const [result, setResult] = useState<MergeResult | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!file) return setError('Choose a backup file.');
    await run(async () => {
      setResult(await api().invoke('inventory.restore', { base64: await fileToBase64(file), passphrase: pass, merge: true }));
      onMerged();
    });
  }
  return (
    <Dialog title="Restore from a backup" onClose={onClose} size="sm">
      {result ? (
        <div className="dialog-body">
          <p role="status">
            Merged {result.added.length} credential{result.added.length === 1 ? '' : 's'}.
          </p>
          {result.conflicts.length > 0 && (
            <>
              <p>Not merged ({result.conflicts.length}); nothing was overwritten:</p>
              <ul className="conflict-list">
                {result.conflicts.map((c) => (
                  <li key={c.name}>
                    <strong>{c.name}</strong>: {c.reason}
                  </li>
                ))}
              </ul>
            </>
          )}
          <div className="dialog-footer">
            <Button variant="primary" onClick={onClose}>
              Done
            </Button>
          </div>
        </div>
      ) : (
        <form className="dialog-body" onSubmit={(e) => void submit(e)}>
          <p className="muted">Credentials from the backup are added to this vault, their secrets re-encrypted under its key. A name already here is reported, never overwritten. A wrong passphrase or a damaged file changes nothing.</p>
          <BackupFileFields idPrefix="restore" onFile={setFile} pass={pass} onPass={setPass} />
          <FormError error={error} />
          <div className="dialog-footer">
            <Button onClick={onClose}>Cancel</Button>
            <Button type="submit" variant="primary" disabled={busy || !file || !pass}>
              {busy ? 'Restoring…' : 'Merge into this vault'}
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
