import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { refreshVaultStatus } from '../vault/store';
import { FormError, useFormAction } from '../ui/useFormAction';
import { BackupFileFields } from './BackupDialogs';
import { fileToBase64 } from './files';
import { MIN_PASSPHRASE } from '@shared/passphrase';

/**
 * First run on a new machine: restore the vault from an encrypted backup instead of
 * creating an empty one. Its key is then held by this machine's keychain, or a passphrase.
 */
export function RestoreVaultDialog({ onClose }: { onClose: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [pass, setPass] = useState('');
  const [vaultPass, setVaultPass] = useState('');
  const { busy, error, setError, run } = useFormAction();
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!file) return setError('Choose a backup file.');
    if (vaultPass && vaultPass.length < MIN_PASSPHRASE) return setError(`A vault passphrase needs at least ${MIN_PASSPHRASE} characters (or leave it empty to use the OS keychain).`);
    await run(async () => {
      await api().invoke('inventory.restore', { base64: await fileToBase64(file), passphrase: pass, merge: false, ...(vaultPass ? { vaultPassphrase: vaultPass } : {}) });
      await refreshVaultStatus();
      onClose();
    });
  }
  return (
    <Dialog title="Restore a vault from a backup" onClose={onClose} size="sm">
      <form className="dialog-body" onSubmit={(e) => void submit(e)}>
        <BackupFileFields idPrefix="restore-vault" onFile={setFile} pass={pass} onPass={setPass} />
        <div className="field">
          <label htmlFor="restore-vault-newpass">New vault passphrase (optional)</label>
          <input id="restore-vault-newpass" type="password" autoComplete="new-password" value={vaultPass} onChange={(e) => setVaultPass(e.target.value)} />
          <p className="field-help">Leave empty to keep the vault’s key in this machine’s OS keychain.</p>
        </div>
        <FormError error={error} />
        <div className="dialog-footer">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={busy || !file || !pass}>
            {busy ? 'Restoring…' : 'Restore vault'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
