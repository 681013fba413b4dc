import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { FormFooter } from '../ui/FormFooter';
import { showToast } from '../ui/toast';
import { FormError, useFormAction } from '../ui/useFormAction';
import { base64ToBytes, downloadFile, fileToBase64 } from './files';
import { MIN_PASSPHRASE } from '@shared/passphrase';
import type { Response } from '@shared/contract';
import { CONFLICT_CHOICES, type ConflictChoice } from '@shared/channels/inventory';

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
        <FormFooter onCancel={onClose} busy={busy} label="Create backup" busyLabel="Encrypting…" />
      </form>
    </Dialog>
  );
}

type MergeResult = Response<'inventory.restore'>;

const CHOICE_LABELS: Record<ConflictChoice, string> = {
  keep: 'Keep mine',
  backup: 'Take the backup’s',
  copy: 'Restore as a copy',
};
const CHOICE_HELP: Record<ConflictChoice, string> = {
  keep: 'this vault’s credential stays as it is; the backup’s is left out.',
  backup: 'this vault’s credential takes the backup’s fields, secrets and status; its resources and bindings stay.',
  copy: 'both are kept; the backup’s is added under its name and today’s date, “(restored …)”.',
};

/**
 * Restore into this vault: merge a backup's credentials. A first pass (preview) writes
 * nothing and lists the conflicts; the admin chooses for each (keep mine by default),
 * then the merge runs once, with those choices, in one transaction.
 */
export function RestoreDialog({ onClose, onMerged }: { onClose: () => void; onMerged: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [pass, setPass] = useState('');
  const { busy, error, setError, run } = useFormAction();
  const [preview, setPreview] = useState<{ base64: string; plan: MergeResult } | null>(null);
  const [choices, setChoices] = useState<Record<string, ConflictChoice>>({});
  const [result, setResult] = useState<MergeResult | null>(null);
  const request = (base64: string) => ({ base64, passphrase: pass, merge: true, fileName: file?.name });

  async function merge(base64: string) {
    setResult(await api().invoke('inventory.restore', { ...request(base64), choices }));
    onMerged();
  }
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!file) return setError('Choose a backup file.');
    await run(async () => {
      const base64 = await fileToBase64(file);
      const plan = await api().invoke('inventory.restore', { ...request(base64), preview: true });
      if (plan.conflicts.length === 0) await merge(base64);
      else setPreview({ base64, plan });
    });
  }

  return (
    <Dialog title="Restore from a backup" onClose={onClose} size={preview && !result ? 'md' : 'sm'}>
      {result ? (
        <div className="dialog-body">
          <p role="status">
            Merged {result.added.length} credential{result.added.length === 1 ? '' : 's'}.
          </p>
          {result.conflicts.length > 0 && (
            <ul className="conflict-list" aria-label="Conflicts">
              {result.conflicts.map((c) => (
                <li key={c.id} data-choice={c.choice}>
                  <strong>{c.name}</strong>:{' '}
                  {c.choice === 'keep'
                    ? 'kept yours; the backup’s was left out.'
                    : c.choice === 'backup'
                      ? 'now holds the backup’s fields and secrets.'
                      : `the backup’s was added as “${c.restoredAs?.name ?? ''}”.`}
                </li>
              ))}
            </ul>
          )}
          <div className="dialog-footer">
            <Button variant="primary" onClick={onClose}>
              Done
            </Button>
          </div>
        </div>
      ) : preview ? (
        <form
          className="dialog-body"
          onSubmit={(e) => {
            e.preventDefault();
            void run(() => merge(preview.base64));
          }}
        >
          <p>
            {preview.plan.added.length} credential{preview.plan.added.length === 1 ? '' : 's'} will be added. {preview.plan.conflicts.length} already exist here (same name or id): choose for each.
            Nothing is written until you merge.
          </p>
          <ul className="muted conflict-list">
            {CONFLICT_CHOICES.map((choice) => (
              <li key={choice}>
                <strong>{CHOICE_LABELS[choice]}</strong>: {CHOICE_HELP[choice]}
              </li>
            ))}
          </ul>
          {preview.plan.conflicts.map((c) => (
            <fieldset key={c.id} className="settings-fieldset" data-conflict={c.name}>
              <legend>{c.name}</legend>
              <p className="muted">{c.reason.replace(/^./, (x) => x.toUpperCase())}.</p>
              <div className="settings-inline">
                {CONFLICT_CHOICES.map((choice) => (
                  <label key={choice} className="check-row">
                    <input type="radio" name={`conflict-${c.id}`} value={choice} checked={(choices[c.id] ?? 'keep') === choice} onChange={() => setChoices((all) => ({ ...all, [c.id]: choice }))} />
                    {CHOICE_LABELS[choice]}
                  </label>
                ))}
              </div>
            </fieldset>
          ))}
          <FormError error={error} />
          <FormFooter onCancel={onClose} busy={busy} label="Merge" busyLabel="Merging…" />
        </form>
      ) : (
        <form className="dialog-body" onSubmit={(e) => void submit(e)}>
          <p className="muted">
            Credentials from the backup are added to this vault, their secrets re-encrypted under its key. Where one already exists here you choose what to keep before anything is written. A wrong
            passphrase or a damaged file changes nothing.
          </p>
          <BackupFileFields idPrefix="restore" onFile={setFile} pass={pass} onPass={setPass} />
          <FormError error={error} />
          <FormFooter onCancel={onClose} busy={busy} disabled={!file || !pass} label="Merge into this vault" busyLabel="Reading…" />
        </form>
      )}
    </Dialog>
  );
}
