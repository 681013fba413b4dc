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

  const [verifying, setVerifying] = useState(false);
  /** After attaching the policy: test the credential(s) it is for, with their resources. */
  async function verifyAgain() {
    setVerifying(true);
    try {
      const targets = credentialId ? credentials.filter((c) => c.id === credentialId) : credentials;
      const checked = await Promise.all(targets.map((c) => api().invoke('credentials.verify', { id: c.id })));
      const resources = await api().invoke('resources.verifyAll', { credentialId: credentialId || undefined });
      const ok = checked.filter((c) => c.status === 'VALID').length;
      const capacity = resources.filter((r) => r.status === 'VALID').length;
      showToast(
        ok === checked.length && capacity === resources.length ? 'success' : 'info',
        `${ok} of ${checked.length} credential${checked.length === 1 ? '' : 's'} Valid; ${capacity} of ${resources.length} resource${resources.length === 1 ? '' : 's'} Valid. If IAM still refuses, wait a few minutes and verify again.`,
        { key: 'policy-verify' },
      );
    } catch (e) {
      showToast('error', errorMessage(e), { key: 'policy-verify' });
    } finally {
      setVerifying(false);
    }
  }

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
      <section className="callout policy-next" aria-label="Next steps">
        <ol className="remedy">
          <li>
            In the AWS console, open IAM → Users → the user of {credentialId ? 'this credential' : 'each credential'} → Add permissions → Create
            inline policy → JSON, and paste this policy (or attach it as a customer managed policy).
          </li>
          <li>IAM takes a few minutes to apply a new policy everywhere.</li>
          <li>Then verify again: Keyward tests the credential and its resources’ capacity.</li>
        </ol>
        <Button variant="primary" size="sm" onClick={() => void verifyAgain()} disabled={verifying || credentials.length === 0}>
          {verifying ? 'Verifying…' : 'Verify again'}
        </Button>
      </section>
      <pre className="policy-json policy-page-json" data-testid="policy-json" tabIndex={0} aria-label="Policy document">
        {policy ? text : ''}
      </pre>
    </div>
  );
}
