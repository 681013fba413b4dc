import { useEffect, useId, useState } from 'react';
import { ATTENTION_KINDS, type AttentionKind, type WatchSettings } from '@shared/channels/watch';
import { errorMessage } from '../api';
import { useCredentials } from '../credentials/store';
import { Button } from '../ui/Button';
import { RelativeTime } from '../ui/time';
import { showToast } from '../ui/toast';
import { useReadOnly } from '../vault/store';
import { loadWatch, runChecksNow, saveWatchSettings, useWatch } from './store';

// Settings → Keeping watch: the check schedule and its last run, auto-lock, and notices.

export const KIND_LABELS: Record<AttentionKind, string> = {
  'turned-invalid': 'A credential turned Invalid',
  'unreachable-long': 'Unreachable for over a day',
  'past-max-age': 'Key past the maximum age',
  'near-max-age': 'Key near the maximum age',
  'secret-expired': 'Secret or token expired',
  'secret-expiring': 'Secret or token expiring soon',
  'report-stale': 'Credential report out of date',
  'rotation-unfinished': 'Rotation unfinished',
  'rotation-held': 'Rotation waiting to delete the old key',
  'key-unused': 'Key unused',
};

const INTERVALS = [0, 1, 3, 6, 12, 24];
const LOCK_MINUTES = [1, 5, 15, 30, 60, 240];
const HOURS = Array.from({ length: 24 }, (_, h) => h);
const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;

export function WatchSettingsCard() {
  const status = useWatch((s) => s.status);
  const names = useCredentials((s) => s.byId);
  const readOnly = useReadOnly();
  const [busy, setBusy] = useState(false);
  const ids = { interval: useId(), lock: useId(), from: useId(), to: useId() };
  useEffect(() => {
    if (!status) void loadWatch();
  }, [status]);
  if (!status) return null;
  const s = status.settings;
  const run = status.lastRun;

  async function save(change: Partial<WatchSettings>) {
    // Each control saves as it changes and shows the saved value: no toast per click.
    try {
      await saveWatchSettings(change);
    } catch (e) {
      showToast('error', errorMessage(e));
    }
  }

  async function checkNow() {
    setBusy(true);
    try {
      await runChecksNow();
    } catch (e) {
      showToast('error', errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  const toggleKind = (k: AttentionKind, on: boolean) => void save({ mutedKinds: on ? s.mutedKinds.filter((m) => m !== k) : [...s.mutedKinds, k] });

  return (
    <section className="inventory-card" aria-labelledby="settings-watch" data-testid="watch-settings">
      <h2 id="settings-watch">Keeping watch</h2>
      <p className="muted">While Keyward runs it checks every credential on a schedule and tells you what needs attention. Where the app does not run, use `keyward watch`.</p>
      <dl className="kv">
        <dt>Last check</dt>
        <dd data-testid="watch-last-run">
          {run ? (
            <>
              <RelativeTime iso={run.at} />: {run.counts.VALID} valid, {run.counts.INVALID} invalid, {run.counts.UNREACHABLE} unreachable
              {run.attention ? `; ${run.attention} need attention` : ''}
            </>
          ) : (
            'Not yet'
          )}
        </dd>
        <dt>Next check</dt>
        <dd>{status.running ? 'Running now…' : status.paused === 'offline' ? 'Waiting for the network' : status.nextRunAt ? <RelativeTime iso={status.nextRunAt} /> : 'Off'}</dd>
      </dl>
      <div className="settings-grid">
        <label htmlFor={ids.interval}>Check every</label>
        <select id={ids.interval} value={s.intervalHours} disabled={readOnly} onChange={(e) => void save({ intervalHours: Number(e.target.value) })}>
          {INTERVALS.map((h) => (
            <option key={h} value={h}>
              {h === 0 ? 'Off (check by hand)' : `${h} hour${h === 1 ? '' : 's'}`}
            </option>
          ))}
        </select>
        <span />
        <Button size="sm" onClick={() => void checkNow()} disabled={busy || status.running || readOnly}>
          Check now
        </Button>

        <label htmlFor={ids.lock}>Lock after</label>
        <select
          id={ids.lock}
          value={s.autoLockMinutes ?? 'never'}
          onChange={(e) => void save({ autoLockMinutes: e.target.value === 'never' ? null : Number(e.target.value) })}
          aria-describedby={s.autoLockMinutes === null ? `${ids.lock}-warn` : undefined}
        >
          {LOCK_MINUTES.map((m) => (
            <option key={m} value={m}>
              {m < 60 ? `${m} minute${m === 1 ? '' : 's'}` : `${m / 60} hour${m === 60 ? '' : 's'}`} without input
            </option>
          ))}
          <option value="never">Never</option>
        </select>
      </div>
      {s.autoLockMinutes === null && (
        <p className="field-warning" id={`${ids.lock}-warn`} role="status">
          The vault stays open until you lock it or quit: anyone at this computer can use its credentials.
        </p>
      )}
      <label className="check-row">
        <input type="checkbox" checked={s.lockOnSuspend} onChange={(e) => void save({ lockOnSuspend: e.target.checked })} />
        Lock when the computer sleeps or the screen locks
      </label>
      <label className="check-row">
        <input type="checkbox" checked={s.notify} onChange={(e) => void save({ notify: e.target.checked })} />
        Notify me (one notification per check run, naming no secret)
      </label>
      <fieldset className="settings-fieldset" disabled={!s.notify}>
        <legend>Notices</legend>
        <label className="check-row">
          <input type="checkbox" checked={s.quietHours !== null} onChange={(e) => void save({ quietHours: e.target.checked ? { start: 22, end: 7 } : null })} />
          Quiet hours
        </label>
        {s.quietHours && (
          <div className="settings-inline">
            <label htmlFor={ids.from}>from</label>
            <select id={ids.from} value={s.quietHours.start} onChange={(e) => void save({ quietHours: { ...s.quietHours!, start: Number(e.target.value) } })}>
              {HOURS.map((h) => (
                <option key={h} value={h}>
                  {hh(h)}
                </option>
              ))}
            </select>
            <label htmlFor={ids.to}>to</label>
            <select id={ids.to} value={s.quietHours.end} onChange={(e) => void save({ quietHours: { ...s.quietHours!, end: Number(e.target.value) } })}>
              {HOURS.map((h) => (
                <option key={h} value={h}>
                  {hh(h)}
                </option>
              ))}
            </select>
          </div>
        )}
        <p className="muted">Notify me of:</p>
        <div className="settings-kinds">
          {ATTENTION_KINDS.map((k) => (
            <label key={k} className="check-row">
              <input type="checkbox" checked={!s.mutedKinds.includes(k)} onChange={(e) => toggleKind(k, e.target.checked)} />
              {KIND_LABELS[k]}
            </label>
          ))}
        </div>
      </fieldset>
      {s.skip.length > 0 && (
        <div>
          <p className="muted">Left out of scheduled checks:</p>
          <ul className="plain-list">
            {s.skip.map((id) => (
              <li key={id}>
                {names.get(id)?.name ?? id}{' '}
                <Button size="sm" variant="ghost" onClick={() => void save({ skip: s.skip.filter((x) => x !== id) })}>
                  Include again
                </Button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
