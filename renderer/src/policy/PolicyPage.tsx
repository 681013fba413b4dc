import { useEffect, useState } from 'react';
import { downloadFile } from '../inventory/files';
import { Button } from '../ui/Button';
import { CopyIcon } from '../ui/icons';
import { showToast } from '../ui/toast';
import { CredentialSelect } from '../ui/CredentialSelect';
import { choosePolicy, openPolicy, usePolicy, verifyAgain } from './store';

/** The least-privilege IAM policy the registered resources need, per credential or for all. */
export function PolicyPage() {
  const { credentials, credentialId, withRotation, policy, verifying, loadError: error } = usePolicy();
  const [copied, setCopied] = useState(false);

  useEffect(() => openPolicy(), []);

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
    const name = credentials.find((c) => c.id === credentialId)?.name ?? 'all';
    downloadFile(`keyward-policy-${name.replace(/[^\w.-]+/g, '-')}.json`, text + '\n', 'application/json');
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
          <CredentialSelect credentials={credentials} value={credentialId} onChange={(id) => choosePolicy({ credentialId: id })} emptyLabel="All AWS credentials" />
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={withRotation} onChange={(e) => choosePolicy({ withRotation: e.target.checked })} />
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
        <p className="muted">Access-key actions included for: {policy.rotation.map((r) => `${r.credential} (${r.reason === 'journal' ? 'it has rotated itself' : 'asked'})`).join(', ')}.</p>
      )}
      <section className="callout policy-next" aria-label="Next steps">
        <ol className="remedy">
          <li>
            In the AWS console, open IAM → Users → the user of {credentialId ? 'this credential' : 'each credential'} → Add permissions → Create inline policy → JSON, and paste this policy (or attach
            it as a customer managed policy).
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
