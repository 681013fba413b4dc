import { useEffect, useId, useLayoutEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { VaultStatus } from '@shared/contract';
import { api, errorMessage } from '../api';
import { Button } from '../ui/Button';
import { Field } from '../ui/Field';
import { Spinner } from '../ui/Spinner';
import { ShieldIcon } from '../ui/icons';
import { refreshVaultStatus, setVaultStatus, useVault } from './store';
import { RestoreVaultDialog } from '../inventory/RestoreVaultDialog';
import { settleHome } from '../shell/route';
import { MIN_PASSPHRASE } from '@shared/passphrase';

/** Shows its children only once main reports the vault UNLOCKED. */
export function VaultGate({ children }: { children: ReactNode }) {
  const { status, loading, error } = useVault();

  useEffect(() => {
    void refreshVaultStatus();
  }, []);
  const open = status?.state === 'UNLOCKED';
  const count = status?.credentialCount ?? null;
  // Before paint: the home page shows without a flash of another page.
  useLayoutEffect(() => {
    if (open) settleHome(count);
  }, [open, count]);

  if (!status) {
    return (
      <div className="gate">
        {error ? (
          <div className="gate-card">
            <h1 className="gate-title">Cannot reach the vault</h1>
            <p role="alert" className="form-error">
              {error}
            </p>
            <Button variant="primary" onClick={() => void refreshVaultStatus()} disabled={loading}>
              Try again
            </Button>
          </div>
        ) : (
          <p className="gate-loading" role="status">
            <Spinner /> Opening vault…
          </p>
        )}
      </div>
    );
  }

  if (status.state === 'NOT_INITIALIZED') return <FirstRun status={status} />;
  if (status.state === 'LOCKED') return <Locked status={status} />;

  return (
    <>
      {status.readOnly && (
        <div className="banner banner-warning" role="status">
          <strong>Read-only.</strong> This vault is open read-only ({status.path}); adding, editing and deleting credentials are turned off.
        </div>
      )}
      {children}
    </>
  );
}

type KeyChoice = 'keychain' | 'passphrase';

/** Main's lock reasons, in the window's words: no "Vault is locked:" twice, no CLI advice. */
export function desktopReason(text: string): string {
  return text
    .replace(/^Vault is locked:\s*/i, '')
    .replace(/\s*\((?:CLI|set KEYWARD_PASSPHRASE)[^)]*\)/g, '')
    .replace(/^./, (c) => c.toUpperCase());
}

function FirstRun({ status }: { status: VaultStatus }) {
  // The keychain is offered only once main has checked it can keep a key here.
  const [keychain, setKeychain] = useState<{ available: boolean; reason: string | null } | null>(null);
  const [choice, setChoiceState] = useState<KeyChoice>('keychain');
  useEffect(() => {
    let live = true;
    api()
      .invoke('vault.probeKeychain', {})
      .then((k) => {
        if (!live) return;
        setKeychain(k);
        if (!k.available) setChoiceState('passphrase');
      })
      .catch(() => live && (setKeychain({ available: false, reason: 'Keyward could not check for a keychain.' }), setChoiceState('passphrase')));
    return () => {
      live = false;
    };
  }, []);
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [touched, setTouched] = useState({ passphrase: false, confirm: false });
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<string | null>(null);
  const [restoring, setRestoring] = useState(false);
  const ids = { pass: useId(), confirm: useId() };

  const passError = choice === 'passphrase' && passphrase.length < MIN_PASSPHRASE ? `Use at least ${MIN_PASSPHRASE} characters; this one has ${passphrase.length}.` : null;
  const confirmError = choice === 'passphrase' && confirm !== passphrase ? 'The two passphrases differ.' : null;
  const invalid = choice === 'passphrase' && (passError !== null || confirmError !== null);
  // A new choice starts clean: the last choice's error no longer applies.
  const setChoice = (c: KeyChoice) => {
    setChoiceState(c);
    setServerError(null);
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (invalid) {
      setTouched({ passphrase: true, confirm: true });
      return;
    }
    setBusy(true);
    setServerError(null);
    try {
      const next = await api().invoke('vault.init', choice === 'passphrase' ? { keyProvider: 'passphrase', passphrase } : { keyProvider: 'keychain' });
      setVaultStatus(next);
    } catch (err) {
      setServerError(desktopReason(errorMessage(err)));
      setBusy(false);
    }
  }

  return (
    <GateCard title="Set up your vault" onSubmit={submit} after={restoring && <RestoreVaultDialog onClose={() => setRestoring(false)} />}>
      <p className="muted">
        Keyward keeps your credentials encrypted in <code className="path">{status.path}</code>. Choose what protects the vault's key.
      </p>
      <fieldset className="choice-group">
        <legend>Protect the key with</legend>
        <label className={`choice ${choice === 'keychain' ? 'choice-selected' : ''}${keychain && !keychain.available ? ' choice-disabled' : ''}`}>
          <input type="radio" name="keyProvider" value="keychain" checked={choice === 'keychain'} disabled={!keychain?.available} onChange={() => setChoice('keychain')} />
          <span>
            <span className="choice-title">{keychain && !keychain.available ? 'System keychain' : 'System keychain (recommended)'}</span>
            <span className="choice-help">
              {keychain === null
                ? 'Checking for a keychain on this computer…'
                : keychain.available
                  ? 'macOS Keychain, Windows Credential Manager or GNOME Keyring / KWallet. Nothing to type when Keyward opens.'
                  : `Not available: ${keychain.reason ?? 'no keychain was found on this computer.'}`}
            </span>
          </span>
        </label>
        <label className={`choice ${choice === 'passphrase' ? 'choice-selected' : ''}`}>
          <input type="radio" name="keyProvider" value="passphrase" checked={choice === 'passphrase'} onChange={() => setChoice('passphrase')} />
          <span>
            <span className="choice-title">A passphrase</span>
            <span className="choice-help">You type it each time Keyward opens. Keep it somewhere safe: if it is lost, the vault cannot be opened.</span>
          </span>
        </label>
      </fieldset>

      {choice === 'passphrase' && (
        <>
          <NewPassphrase
            id={ids.pass}
            label="Passphrase"
            value={passphrase}
            error={passError}
            shown={touched.passphrase}
            onChange={setPassphrase}
            onBlur={() => setTouched((t) => ({ ...t, passphrase: true }))}
          />
          <NewPassphrase
            id={ids.confirm}
            label="Confirm passphrase"
            value={confirm}
            error={confirmError}
            shown={touched.confirm}
            onChange={(v) => {
              setConfirm(v);
              if (v.length >= passphrase.length) setTouched((t) => ({ ...t, confirm: true }));
            }}
            onBlur={() => setTouched((t) => ({ ...t, confirm: true }))}
          />
        </>
      )}

      {serverError && (
        <p className="form-error" role="alert">
          {serverError}
        </p>
      )}
      <div className="gate-actions">
        <Button onClick={() => setRestoring(true)}>Restore from a backup…</Button>
        <Button type="submit" variant="primary" disabled={busy || invalid || (choice === 'keychain' && !keychain?.available)}>
          Create vault
        </Button>
      </div>
    </GateCard>
  );
}

function Locked({ status }: { status: VaultStatus }) {
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const loading = useVault((s) => s.loading);
  const passId = useId();
  const errId = useId();
  const passRef = useRef<HTMLInputElement>(null);
  const usesPassphrase = status.keyProvider === 'passphrase';

  async function unlock(e: FormEvent) {
    e.preventDefault();
    if (!passphrase) return;
    setBusy(true);
    setError(null);
    try {
      const next = await api().invoke('vault.unlock', { passphrase });
      setPassphrase('');
      setVaultStatus(next);
      if (next.state !== 'UNLOCKED') setError(desktopReason(next.reason ?? 'The vault is still locked.'));
    } catch (err) {
      setError(desktopReason(errorMessage(err)));
      // The wrong passphrase stays, selected, so typing replaces it.
      requestAnimationFrame(() => passRef.current?.select());
    } finally {
      setBusy(false);
    }
  }

  // A keychain vault opens again without a prompt (after Lock, or once the keychain is unlocked).
  async function unlockWithKeychain() {
    setBusy(true);
    setError(null);
    try {
      setVaultStatus(await api().invoke('vault.unlock', {}));
    } catch (err) {
      setError(desktopReason(errorMessage(err)));
      void refreshVaultStatus();
    } finally {
      setBusy(false);
    }
  }

  return (
    <GateCard title="The vault is locked" onSubmit={unlock}>
      <p className="gate-reason">
        {usesPassphrase && (!status.reason || /protected by a passphrase/.test(status.reason))
          ? 'This vault is protected by a passphrase. Enter it to unlock.'
          : desktopReason(status.reason ?? 'Keyward could not open the vault key.')}
      </p>
      <p className="muted">
        Vault: <code className="path">{status.path}</code>
      </p>
      {usesPassphrase ? (
        <div className="field">
          <label htmlFor={passId}>Passphrase</label>
          <input
            id={passId}
            ref={passRef}
            type="password"
            autoComplete="current-password"
            autoFocus
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
            aria-invalid={error !== null}
            aria-describedby={error ? errId : undefined}
          />
        </div>
      ) : (
        <p className="muted">The key is kept in the system keychain. Make sure the keychain is unlocked, then try again. Keyward never re-creates a vault whose key is missing.</p>
      )}
      {error && (
        <p id={errId} className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="gate-actions">
        {usesPassphrase ? (
          <Button type="submit" variant="primary" disabled={busy || !passphrase}>
            Unlock
          </Button>
        ) : (
          <Button variant="primary" onClick={() => void unlockWithKeychain()} disabled={loading || busy}>
            Unlock
          </Button>
        )}
      </div>
    </GateCard>
  );
}

/** The card a closed vault shows: the shield, the title, the form; `after` (a dialog) beside it. */
function GateCard({ title, onSubmit, after, children }: { title: string; onSubmit: (e: FormEvent) => void; after?: ReactNode; children: ReactNode }) {
  return (
    <div className="gate">
      <form className="gate-card" onSubmit={onSubmit} noValidate>
        <div className="gate-icon">
          <ShieldIcon />
        </div>
        <h1 className="gate-title">{title}</h1>
        {children}
      </form>
      {after}
    </div>
  );
}

/** A new passphrase (or its confirmation): its error shows once the admin has left the field. */
function NewPassphrase(p: { id: string; label: string; value: string; error: string | null; shown: boolean; onChange: (v: string) => void; onBlur: () => void }) {
  return (
    <Field id={p.id} label={p.label} error={p.shown ? p.error : null}>
      {(describedBy) => (
        <input
          id={p.id}
          type="password"
          autoComplete="new-password"
          value={p.value}
          onChange={(e) => p.onChange(e.target.value)}
          onBlur={p.onBlur}
          aria-invalid={p.shown && p.error !== null}
          aria-describedby={describedBy}
        />
      )}
    </Field>
  );
}
