import { useEffect, useState } from 'react';
import type { Credential, Response } from '@shared/contract';
import { api, errorMessage } from '../api';
import { Button } from '../ui/Button';
import { CopyIcon } from '../ui/icons';
import { showToast } from '../ui/toast';
import { CredentialSelect } from '../ui/CredentialSelect';

type Generated = Response<'policy.generate'>;

/** The least-privilege IAM policy the registered resources need, per credential or for all. */
export function PolicyPage() {
  const [credentials, setCredentials] = useState<Credential[]>([]);
  const [credentialId, setCredentialId] = useState('');
  const [withRotation, setWithRotation] = useState(false);
  const [policy, setPolicy] = useState<Generated | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    api()
      .invoke('credentials.list', {})
      .then((list) => setCredentials(list.filter((c) => c.provider === 'AWS')))
      .catch((e: unknown) => setError(errorMessage(e)));
  }, []);

  useEffect(() => {
    let live = true;
    api()
      .invoke('policy.generate', { credentialId: credentialId || undefined, withRotation })
      .then((p) => live && (setPolicy(p), setError(null)))
      .catch((e: unknown) => live && setError(errorMessage(e)));
    return () => {
      live = false;
    };
  }, [credentialId, withRotation]);

  const docs = policy ? (policy.parts.length === 1 ? [policy.document] : policy.parts) : [];
  const text = docs.length === 1 ? JSON.stringify(docs[0], null, 2) : JSON.stringify(docs, null, 2);

  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      showToast('error', 'Could not copy. Select the policy and copy it by hand.');
    }
  }

  function save() {
    const url = URL.createObjectURL(new Blob([text + '\n'], { type: 'application/json' }));
    const a = document.createElement('a');
    const name = credentials.find((c) => c.id === credentialId)?.name ?? 'all';
    a.href = url;
    a.download = `keyward-policy-${name.replace(/[^\w.-]+/g, '-')}.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  return (
    <div className="page">
      <header className="page-header">
        <h1 className="page-title">IAM Policy</h1>
        <div className="page-actions">
          <Button onClick={() => void copy()} disabled={!policy}>
            <CopyIcon />
            {copied ? 'Copied' : 'Copy'}
          </Button>
          <Button onClick={save} disabled={!policy}>
            Save…
          </Button>
        </div>
      </header>
      <form className="inline-form" aria-label="Policy options" onSubmit={(e) => e.preventDefault()}>
        <label>
          For
          <CredentialSelect credentials={credentials} value={credentialId} onChange={setCredentialId} emptyLabel="All AWS credentials" />
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={withRotation} onChange={(e) => setWithRotation(e.target.checked)} />
          Include access-key rotation (the credential rotates itself)
        </label>
      </form>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {policy?.notes.map((n) => (
        <p key={n} className="muted">
          {n}
        </p>
      ))}
      {policy && policy.rotation.length > 0 && (
        <p className="muted">
          Access-key actions included for: {policy.rotation.map((r) => `${r.credential} (${r.reason === 'journal' ? 'it has rotated itself' : 'asked'})`).join(', ')}.
        </p>
      )}
      <pre className="policy-json policy-page-json" data-testid="policy-json" tabIndex={0} aria-label="Policy document">
        {policy ? text : ''}
      </pre>
    </div>
  );
}
