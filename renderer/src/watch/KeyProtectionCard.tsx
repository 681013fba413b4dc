import { useState } from 'react';
import { api } from '../api';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { showToast } from '../ui/toast';
import { FormError, useFormAction } from '../ui/useFormAction';
import { setVaultStatus, useReadOnly, useVault } from '../vault/store';

// Settings → Vault key: change the passphrase, or move the key between the OS keychain and
// a passphrase. Main re-wraps the data key in one transaction; nothing else is re-encrypted.

const MIN = 12;

type Mode = 'change' | 'to-passphrase' | 'to-keychain';

export function KeyProtectionActions() {
  const status = useVault((s) => s.status);
  const readOnly = useReadOnly();
  const [mode, setMode] = useState<Mode | null>(null);
  if (!status || status.state !== 'UNLOCKED') return null;
  return (
    <>
      <div className="count-row">
        {status.keyProvider === 'passphrase' ? (
          <>
            <Button onClick={() => setMode('change')} disabled={readOnly}>
              Change passphrase…
            </Button>
            <Button onClick={() => setMode('to-keychain')} disabled={readOnly}>
              Keep the key in the OS keychain…
            </Button>
          </>
        ) : (
          <Button onClick={() => setMode('to-passphrase')} disabled={readOnly}>
            Protect with a passphrase instead…
          </Button>
        )}
      </div>
      {mode && <KeyDialog mode={mode} onClose={() => setMode(null)} />}
    </>
  );
}

const TITLES: Record<Mode, string> = {
  change: 'Change the vault passphrase',
  'to-passphrase': 'Protect the vault with a passphrase',
  'to-keychain': 'Keep the vault key in the OS keychain',
};

function KeyDialog({ mode, onClose }: { mode: Mode; onClose: () => void }) {
  const { busy, error, setError, run } = useFormAction();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const needsCurrent = mode !== 'to-passphrase';
  const needsNext = mode !== 'to-keychain';

  function submit() {
    if (needsNext && next.length < MIN) return setError(`Choose a passphrase of at least ${MIN} characters.`);
    if (needsNext && next !== again) return setError('The two new passphrases differ. Type the same one twice.');
    void run(async () => {
      const status =
        mode === 'change'
          ? await api().invoke('vault.changePassphrase', { current, next })
          : await api().invoke('vault.setKeyProvider', mode === 'to-keychain' ? { keyProvider: 'keychain', current } : { keyProvider: 'passphrase', passphrase: next });
      setVaultStatus(status);
      showToast('info', mode === 'change' ? 'Passphrase changed.' : mode === 'to-keychain' ? 'The vault key is now in the OS keychain.' : 'The vault is now protected by your passphrase.');
      onClose();
    });
  }

  return (
    <Dialog title={TITLES[mode]} onClose={onClose} size="sm">
      <form
        className="dialog-body"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        {mode === 'to-passphrase' && <p className="muted">Without this passphrase the vault cannot be opened, here or anywhere. Keep it in a safe place.</p>}
        {mode === 'to-keychain' && <p className="muted">The key will open the vault for your account on this computer only; the passphrase will no longer be asked.</p>}
        {needsCurrent && (
          <div className="field">
            <label htmlFor="key-current">Current passphrase</label>
            <input id="key-current" type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} data-autofocus />
          </div>
        )}
        {needsNext && (
          <>
            <div className="field">
              <label htmlFor="key-next">New passphrase (at least {MIN} characters)</label>
              <input id="key-next" type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} data-autofocus={needsCurrent ? undefined : true} />
            </div>
            <div className="field">
              <label htmlFor="key-again">Repeat the new passphrase</label>
              <input id="key-again" type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} />
            </div>
          </>
        )}
        <FormError error={error} />
        <div className="dialog-footer">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={busy}>
            {busy ? 'Saving…' : mode === 'change' ? 'Change passphrase' : 'Switch'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
