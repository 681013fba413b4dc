import { Suspense } from 'react';
import { PAGES } from './shell/pages';
import { useRoute } from './shell/route';
import { Sidebar } from './shell/Sidebar';
import { Toaster } from './ui/Toaster';
import { APP_SHELL_ID } from './ui/modal';
import { VaultGate } from './vault/VaultGate';
import { UnfinishedRotations } from './rotation/UnfinishedRotations';
import { PreloadAgeChart } from './inventory/LazyAgeChart';
import { WatchHost } from './watch/WatchHost';

function CurrentPage() {
  const { page } = useRoute();
  const Page = PAGES.find((p) => p.id === page)!.component;
  return <Page />;
}

export function App() {
  return (
    <>
      <div id={APP_SHELL_ID} className="app-shell">
        <Sidebar />
        <main className="main">
          <VaultGate>
            {/* On every page: a rotation left unfinished is offered at start, whatever the home page. */}
            <UnfinishedRotations />
            <WatchHost />
            {/* A page's chunk is loaded at start-up; this shows nothing for the moment it may still take. */}
            <Suspense fallback={null}>
              <CurrentPage />
            </Suspense>
            {/* Unlocked: load the chart library's chunk now, not on the Inventory's click. */}
            <PreloadAgeChart />
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
