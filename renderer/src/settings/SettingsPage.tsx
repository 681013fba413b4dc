import { KeyProtectionActions } from '../watch/KeyProtectionCard';
import { WatchSettingsCard } from '../watch/WatchSettingsCard';
import { useEffect, useState } from 'react';
import type { DoctorReportView } from '@shared/channels/inventory';
import { api, errorMessage } from '../api';
import { loadCredentials } from '../credentials/store';
import { BackupDialog, RestoreDialog } from '../inventory/BackupDialogs';
import { Button } from '../ui/Button';
import { showToast } from '../ui/toast';
import { refreshVaultStatus, useVault } from '../vault/store';
import { PreferencesCard } from './PreferencesCard';
import { loadVaultSettings } from './store';

// Settings: where the vault lives and how it is protected, backup and restore, and the
// vault health check (the same checks as `keyward doctor`).

const PROVIDER_TEXT = {
  keychain: 'OS keychain: the vault key is kept by the operating system (Keychain, Credential Manager or Secret Service). It does not travel with the file: move a vault with Back up and Restore.',
  passphrase: 'Passphrase: the vault key is derived from your passphrase (scrypt, N = 2^17, r = 8, p = 1). Without the passphrase the file cannot be opened.',
} as const;

export function SettingsPage() {
  const status = useVault((s) => s.status);
  const [dialog, setDialog] = useState<'backup' | 'restore' | null>(null);
  useEffect(() => void loadVaultSettings(), []);
  return (
    <div className="page settings-page">
      <header className="page-header">
        <h1 className="page-title">Settings</h1>
      </header>
      <div className="inventory-content">
        <section className="inventory-card" aria-labelledby="settings-vault">
          <h2 id="settings-vault">Vault</h2>
          <dl className="kv">
            <dt>File</dt>
            <dd className="mono" data-testid="vault-path">
              {status?.path ?? '—'}
            </dd>
            <dt>Key</dt>
            <dd>{status?.keyProvider ? PROVIDER_TEXT[status.keyProvider] : '—'}</dd>
            <dt>Credentials</dt>
            <dd>{status?.credentialCount ?? '—'}</dd>
            <dt>Mode</dt>
            <dd>{status?.readOnly ? 'Read-only: nothing is written to this file.' : 'Read and write'}</dd>
          </dl>
          {status?.reason && (
            <p className="form-error" role="alert">
              {status.reason}
            </p>
          )}
          <KeyProtectionActions />
        </section>

        <PreferencesCard />

        <WatchSettingsCard />

        <section className="inventory-card" aria-labelledby="settings-backup">
          <h2 id="settings-backup">Backup and restore</h2>
          <p className="muted">
            One file with everything (credentials and their secrets, resources, parameters, rotation journals, the audit log), sealed with a passphrase you choose (scrypt, AES-256-GCM). Restore merges
            a backup into this vault; where a credential exists in both, you keep yours, take the backup’s or keep both (the backup’s as a renamed copy). On a new machine, restore it at first run.
          </p>
          <div className="count-row">
            <Button onClick={() => setDialog('backup')}>Back up</Button>
            <Button onClick={() => setDialog('restore')} disabled={status?.readOnly}>
              Restore
            </Button>
          </div>
        </section>

        <VaultHealth />
      </div>
      {dialog === 'backup' && <BackupDialog onClose={() => setDialog(null)} />}
      {dialog === 'restore' && (
        <RestoreDialog
          onClose={() => setDialog(null)}
          onMerged={() => {
            void refreshVaultStatus();
            void loadCredentials();
          }}
        />
      )}
    </div>
  );
}

function VaultHealth() {
  const [report, setReport] = useState<DoctorReportView | null>(null);
  const [busy, setBusy] = useState(false);
  async function run() {
    setBusy(true);
    try {
      setReport(await api().invoke('inventory.doctor', {}));
    } catch (e) {
      showToast('error', errorMessage(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <section className="inventory-card" aria-labelledby="vault-health-title">
      <div className="inventory-card-header">
        <h2 id="vault-health-title">Vault health</h2>
        <Button size="sm" onClick={() => void run()} disabled={busy}>
          {busy ? 'Checking…' : 'Check the vault'}
        </Button>
      </div>
      {report ? (
        <>
          <p className={report.ok ? 'health-ok' : 'health-bad'} role="status">
            {report.ok ? 'The vault is healthy.' : 'Problems found: each says what to do.'}
          </p>
          <ul className="health-list">
            {report.checks.map((c) => (
              <li key={c.name} className={c.ok ? 'health-ok' : 'health-bad'}>
                <strong>{c.ok ? 'OK' : 'Problem'}</strong> {c.message}
                {c.remedy && <div className="muted">{c.remedy}</div>}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p className="muted">Runs SQLite’s integrity check, the schema version, the key, orphaned rows and unfinished rotations. Read-only.</p>
      )}
    </section>
  );
}
