import { useEffect, useRef, useState } from 'react';
import type { MigrationReportView } from '@shared/channels/aws-profiles';
import { api, errorMessage } from '../api';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { showToast } from '../ui/toast';

const ACTION = { import: 'will be imported', 'in-vault': 'already in the vault', skip: 'left alone' } as const;

/**
 * Imports the profiles of ~/.aws/credentials. With "Move the keys into the vault" (the
 * default), ~/.aws/config then runs `keyward credential-process` for each one and its keys
 * leave ~/.aws/credentials, after a backup of both files. The preview is a dry run.
 */
export function ImportProfilesDialog({ onClose }: { onClose: () => void }) {
  const [rewriteFiles, setRewriteFiles] = useState(true);
  const [preview, setPreview] = useState<MigrationReportView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const cancelRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    let live = true;
    api()
      .invoke('awsProfiles.migrate', { dryRun: true, rewriteFiles })
      .then((r) => live && (setPreview(r), setError(null)))
      .catch((e: unknown) => live && setError(errorMessage(e)));
    return () => {
      live = false;
    };
  }, [rewriteFiles]);

  async function run() {
    setBusy(true);
    setError(null);
    try {
      const r = await api().invoke('awsProfiles.migrate', { dryRun: false, rewriteFiles });
      const moved = r.profiles.filter((p) => p.action !== 'skip').length;
      showToast(
        'info',
        rewriteFiles ? `${moved} profile(s) now read their key from the vault. Backups: ${r.backups.join(', ') || 'none needed'}.` : `Imported ${moved} profile(s); the files were left as they are.`,
      );
      onClose();
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  }

  const usable = preview?.profiles.some((p) => p.action !== 'skip') ?? false;
  return (
    <Dialog title="Import AWS profiles" onClose={onClose} initialFocus={cancelRef}>
      <div className="dialog-body">
        <p className="muted">{preview ? `From ${preview.credentialsFile}` : 'Reading your AWS files…'}</p>
        <label className="checkbox-row">
          <input type="checkbox" checked={rewriteFiles} onChange={(e) => setRewriteFiles(e.target.checked)} />
          Move the keys into the vault: point each profile at <code>keyward credential-process</code> and remove its keys from the files (both files are backed up first)
        </label>
        {preview && (
          <ul className="plain-list" aria-label="Profiles" data-testid="import-profiles">
            {preview.profiles.map((p) => (
              <li key={p.profile}>
                <code>{p.profile}</code> {ACTION[p.action]}
                {p.reason ? <span className="muted">: {p.reason}</span> : null}
              </li>
            ))}
          </ul>
        )}
        {preview && rewriteFiles && preview.changes.length > 0 && (
          <details>
            <summary>What changes in the files</summary>
            <pre className="mono" data-testid="import-changes">
              {preview.changes.map((c) => `${c.file} [${c.section}]\n${c.before ? `- ${c.before}\n` : ''}${c.after ? `+ ${c.after}\n` : ''}`).join('')}
            </pre>
          </details>
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
        <Button variant="primary" onClick={() => void run()} disabled={busy || !usable}>
          {rewriteFiles ? 'Import and move' : 'Import'}
        </Button>
      </footer>
    </Dialog>
  );
}

/** The button that opens it (the Credentials page's actions). */
export function ImportProfilesButton({ disabled }: { disabled?: boolean }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button onClick={() => setOpen(true)} disabled={disabled}>
        Import AWS profiles…
      </Button>
      {open && <ImportProfilesDialog onClose={() => setOpen(false)} />}
    </>
  );
}
