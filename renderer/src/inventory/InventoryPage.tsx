import { AttentionList } from '../watch/AttentionList';
import { useCallback, useEffect, useRef, useState, type ChangeEvent } from 'react';
import type { InventoryFigure, InventorySummary } from '@shared/channels/inventory';
import { api, errorMessage } from '../api';
import { STATUS_LABELS } from '../credentials/filter';
import { navigate } from '../shell/route';
import { Button } from '../ui/Button';
import { Spinner } from '../ui/Spinner';
import { formatAbsolute, RelativeTime } from '../ui/time';
import { showToast } from '../ui/toast';
import { AgeChart } from './LazyAgeChart';
import { FetchReportDialog } from './FetchReportDialog';
import { SettingsCard } from './SettingsCard';
import { FIGURE_LABELS } from './figures';
import { RotateDueButton } from '../rotation/FleetDialog';
import { downloadFile } from './files';

// The offline review: everything here reads the local vault, so it works on a plane.
// Each figure says how fresh it is and links to the table filtered to it.

function FigureTile({ figure, count, hint }: { figure: InventoryFigure; count: number; hint: string }) {
  return (
    <button type="button" className={`figure-tile${count > 0 && figure !== 'approachingMaxAge' ? ' figure-tile-alert' : ''}`} onClick={() => navigate('credentials', { figure })}>
      <span className="figure-count">{count}</span>
      <span className="figure-label">{FIGURE_LABELS[figure]}</span>
      <span className="figure-hint muted">{hint}</span>
    </button>
  );
}

function ReportFreshness({ report }: { report: InventorySummary['report'] }) {
  if (!report) return <span>No credential report imported yet: key ages and last use come from one</span>;
  const at = report.generatedAt ?? report.importedAt;
  return (
    <span>
      Credential report from{' '}
      <time dateTime={at} title={formatAbsolute(at)}>
        {at.slice(0, 10)}
      </time>
      {report.account ? ` (account ${report.account})` : ''}, {report.source === 'fetch' ? 'fetched from AWS' : 'imported from a file'}
    </span>
  );
}

export function InventoryPage() {
  const [summary, setSummary] = useState<InventorySummary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dialog, setDialog] = useState<'fetch' | null>(null);
  const [exportKeyIds, setExportKeyIds] = useState<'masked' | 'full'>('masked');
  const fileInput = useRef<HTMLInputElement>(null);

  const load = useCallback(async () => {
    try {
      setSummary(await api().invoke('inventory.summary', {}));
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  async function importReport(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    try {
      const r = await api().invoke('inventory.importReport', { text: await file.text(), fileName: file.name });
      showToast(
        'info',
        `Imported the credential report: ${r.users} user(s), ${r.matched.length} key(s) matched, ${r.notInKeyward.length} not matched to a credential (not in Keyward, or never verified).`,
      );
      await load();
    } catch (err) {
      showToast('error', errorMessage(err));
    }
  }

  async function exportInventory(format: 'csv' | 'json') {
    try {
      const r = await api().invoke('inventory.export', { format, keyIds: exportKeyIds });
      downloadFile(r.fileName, r.content, r.mimeType);
    } catch (err) {
      showToast('error', errorMessage(err));
    }
  }

  if (error) {
    return (
      <div className="page">
        <div className="empty-state">
          <h2>The inventory could not be loaded</h2>
          <p>{error}</p>
          <Button onClick={() => void load()}>Try again</Button>
        </div>
      </div>
    );
  }
  if (!summary) {
    return (
      <div className="page">
        <Spinner label="Loading the inventory" />
      </div>
    );
  }
  const s = summary.settings;
  return (
    <div className="page inventory-page">
      <header className="page-header">
        <h1 className="page-title">Inventory</h1>
        <div className="page-actions" id="inv-report-actions">
          <input ref={fileInput} type="file" accept=".csv,text/csv" className="sr-only" aria-label="Credential report file" onChange={(e) => void importReport(e)} />
          <Button onClick={() => fileInput.current?.click()}>Import report</Button>
          <Button onClick={() => setDialog('fetch')}>Fetch report</Button>
          {summary.figures.pastMaxAge > 0 && <RotateDueButton label={`Rotate ${summary.figures.pastMaxAge} due key${summary.figures.pastMaxAge === 1 ? '' : 's'}`} />}
        </div>
      </header>
      <div className="inventory-content">
        <AttentionList />
        <section className="inventory-card" aria-labelledby="inv-counts">
          <h2 id="inv-counts">
            {summary.total} credential{summary.total === 1 ? '' : 's'}
          </h2>
          <div className="count-row">
            {summary.byProvider.map((p) => (
              <span key={p.provider} className="count-chip">
                {p.provider}: {p.count}
              </span>
            ))}
            {summary.byStatus.map((st) => (
              <button key={st.status} type="button" className="count-chip count-chip-link" onClick={() => navigate('credentials', { status: st.status })}>
                {STATUS_LABELS[st.status as keyof typeof STATUS_LABELS] ?? st.status}: {st.count}
              </button>
            ))}
          </div>
          <p className="muted freshness">
            {summary.lastVerifiedAt ? (
              <>
                Last checked <RelativeTime iso={summary.lastVerifiedAt} />
                {summary.oldestVerifiedAt && summary.oldestVerifiedAt !== summary.lastVerifiedAt && (
                  <>
                    ; the oldest check was <RelativeTime iso={summary.oldestVerifiedAt} />
                  </>
                )}
                .
              </>
            ) : (
              'No credential has been verified yet.'
            )}{' '}
            <ReportFreshness report={summary.report} />.
          </p>
        </section>

        <section className="figure-grid" aria-label="Figures">
          <FigureTile figure="pastMaxAge" count={summary.figures.pastMaxAge} hint={`${s.maxAgeDays} days or older (CIS AWS 1.14)`} />
          <FigureTile figure="approachingMaxAge" count={summary.figures.approachingMaxAge} hint={`within ${s.warnDays} days of ${s.maxAgeDays}`} />
          <FigureTile figure="unused" count={summary.figures.unused} hint={`no use for ${s.unusedDays} days, per the report`} />
          <FigureTile figure="neverVerified" count={summary.figures.neverVerified} hint="never checked" />
          <FigureTile figure="staleVerification" count={summary.figures.staleVerification} hint={`last check over ${s.staleDays} days ago`} />
          <FigureTile
            figure="secretsExpiring"
            count={summary.figures.secretsExpiring}
            hint={
              summary.expiringSecrets && summary.figures.secretsExpiring > 0
                ? `${summary.expiringSecrets.expired} expired, ${summary.expiringSecrets.expiringSoon} within ${s.warnDays} days`
                : `Azure secrets, Vault tokens: within ${s.warnDays} days`
            }
          />
        </section>

        <section className="inventory-card" aria-labelledby="inv-ages">
          <h2 id="inv-ages">Key ages</h2>
          {summary.keysWithAge === 0 ? (
            <p className="muted">No key age is known yet. Import an IAM credential report (Import report) to see how old each key is.</p>
          ) : (
            <div className="age-layout">
              <AgeChart bins={summary.ageBins} maxAgeDays={s.maxAgeDays} />
              <div className="next-due">
                <h3>Next rotations due</h3>
                <ol>
                  {summary.nextDue.map((d) => (
                    <li key={d.credentialId}>
                      <span className="next-due-name">{d.name}</span>{' '}
                      <span className={d.dueInDays <= 0 ? 'due-overdue' : 'muted'}>{d.dueInDays <= 0 ? `overdue by ${-d.dueInDays} d` : `due in ${d.dueInDays} d`}</span>
                    </li>
                  ))}
                </ol>
              </div>
            </div>
          )}
          <p className="muted">
            {summary.keysWithAge} key age{summary.keysWithAge === 1 ? '' : 's'} known. <ReportFreshness report={summary.report} />.
            {summary.report && summary.report.notInKeyward > 0 && (
              <>
                {' '}
                {summary.report.notInKeyward} key{summary.report.notInKeyward === 1 ? '' : 's'} in the report not matched to a credential (not in Keyward, or never verified: a credential is matched
                once verified).{' '}
                <button type="button" className="link-button" onClick={() => navigate('credentials', { figure: 'neverVerified' })}>
                  Verify the never-verified ones
                </button>
              </>
            )}
          </p>
        </section>

        <section className="inventory-card" aria-labelledby="inv-export">
          <h2 id="inv-export">Export</h2>
          <p className="muted">Every field but secrets.</p>
          <div className="count-row">
            <label className="inline-field">
              Key ids{' '}
              <select value={exportKeyIds} onChange={(e) => setExportKeyIds(e.target.value as 'masked' | 'full')}>
                <option value="masked">masked</option>
                <option value="full">whole</option>
              </select>
            </label>
            <Button size="sm" onClick={() => void exportInventory('csv')}>
              Export CSV
            </Button>
            <Button size="sm" onClick={() => void exportInventory('json')}>
              Export JSON
            </Button>
          </div>
        </section>

        <SettingsCard key={JSON.stringify(s)} settings={s} onSaved={() => void load()} />

        <p className="muted">
          Backup, restore and vault health are under <a href="#/settings">Settings</a>.
        </p>
      </div>
      {dialog === 'fetch' && <FetchReportDialog onClose={() => setDialog(null)} onFetched={() => void load()} />}
    </div>
  );
}
