import { useEffect, useState, type FormEvent } from 'react';
import type { Credential } from '@shared/contract';
import { api, errorMessage } from '../api';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { showToast } from '../ui/toast';
import { FormError, useFormAction } from '../ui/useFormAction';

/** Fetch report: IAM generates a fresh credential report for an admin credential's account. */
export function FetchReportDialog({ onClose, onFetched }: { onClose: () => void; onFetched: () => void }) {
  const [creds, setCreds] = useState<Credential[] | null>(null);
  const [adminId, setAdminId] = useState('');
  const { busy, error, setError, run } = useFormAction();
  useEffect(() => {
    api()
      .invoke('credentials.list', {})
      .then((list) => {
        const aws = list.filter((c) => c.provider === 'AWS');
        setCreds(aws);
        setAdminId(aws[0]?.id ?? '');
      })
      .catch((e: unknown) => setError(errorMessage(e)));
  }, []);
  async function submit(e: FormEvent) {
    e.preventDefault();
    await run(async () => {
      const r = await api().invoke('inventory.fetchReport', { adminId });
      showToast(
        'info',
        `Fetched the credential report: ${r.users} user(s), ${r.matched.length} key(s) matched, ${r.notInKeyward.length} not matched to a credential (not in Keyward, or never verified).`,
      );
      onFetched();
      onClose();
    });
  }
  return (
    <Dialog title="Fetch a credential report" onClose={onClose} size="sm">
      <form className="dialog-body" onSubmit={(e) => void submit(e)}>
        <p className="muted">Needs a network and an AWS credential allowed iam:GenerateCredentialReport and iam:GetCredentialReport (iam:ListAccessKeys tells two keys of one user apart).</p>
        <div className="field">
          <label htmlFor="fetch-admin">Admin credential</label>
          <select id="fetch-admin" value={adminId} onChange={(e) => setAdminId(e.target.value)} data-autofocus>
            {(creds ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        {creds && creds.length === 0 && <p className="muted">No AWS credential in the vault yet.</p>}
        <FormError error={error} />
        <div className="dialog-footer">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={busy || !adminId}>
            {busy ? 'Fetching…' : 'Fetch report'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
