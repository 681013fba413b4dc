import { CredentialsPage } from './credentials/CredentialsPage';
import { Sidebar } from './shell/Sidebar';
import { Toaster } from './ui/Toaster';
import { APP_SHELL_ID } from './ui/modal';
import { VaultGate } from './vault/VaultGate';

export function App() {
  return (
    <>
      <div id={APP_SHELL_ID} className="app-shell">
        <Sidebar />
        <main className="main">
          <VaultGate>
            <CredentialsPage />
          </VaultGate>
        </main>
      </div>
      <Toaster />
    </>
  );
}

/** Shown when the page is opened outside Keyward (no preload, no test harness). */
export function ApiMissing() {
  return (
    <div className="gate">
      <div className="gate-card">
        <h1 className="gate-title">Keyward is not connected</h1>
        <p className="muted">This page needs the Keyward app: it was opened without its API (window.keyward).</p>
      </div>
    </div>
  );
}
