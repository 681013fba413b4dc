import { useEffect, useState } from 'react';
import type { DuePlanView } from '@shared/channels/rotation';
import type { Response } from '@shared/contract';
import { maskKeyId } from '@shared/mask';
import { api, errorMessage } from '../api';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { closeFleetDialog, loadLastRotated, loadOpenRotations, useRotations } from './store';

type Summary = Response<'rotation.startDue'>;

// "Rotate N due keys": the plan first (each due key, its age, who acts, the key deleted
// first, where it is delivered; what is skipped and why), nothing changes until Rotate;
// then the run with an overall progress bar and each key's outcome; then the summary.

export function FleetDialog() {
  const fleet = useRotations((s) => s.fleet);
  if (!fleet) return null;
  return (
    <Dialog title="Rotate due keys" onClose={closeFleetDialog}>
      <FleetRun credentialIds={fleet.credentialIds} />
    </Dialog>
  );
}

function FleetRun({ credentialIds }: { credentialIds: string[] | null }) {
  const [plan, setPlan] = useState<DuePlanView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [hold, setHold] = useState(false);
  const [outcomes, setOutcomes] = useState<Record<string, string>>({});
  const [running, setRunning] = useState(false);
  const [summary, setSummary] = useState<Summary | null>(null);
  const request = credentialIds ? { credentialIds } : {};

  useEffect(() => {
    api()
      .invoke('rotation.planDue', credentialIds ? { credentialIds } : {})
      .then(setPlan, (e) => setError(errorMessage(e)));
  }, [credentialIds]);

  useEffect(() => {
    if (!plan) return;
    const due = new Set(plan.due.map((d) => d.credentialId));
    return api().on('rotation.run', (p) => {
      if (due.has(p.credentialId)) setOutcomes((o) => ({ ...o, [p.credentialId]: p.outcome }));
    });
  }, [plan]);

  async function run() {
    setRunning(true);
    setError(null);
    try {
      // The answer comes at the end of the run; rotation.run events bring each key before it.
      setSummary(await api().invoke('rotation.startDue', { ...request, hold, wait: true }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setRunning(false);
      void loadOpenRotations();
      void loadLastRotated();
    }
  }

  const done = Object.keys(outcomes).length;
  const total = plan?.due.length ?? 0;
  const started = running || !!summary;
  return (
    <>
      <div className="dialog-body" data-testid="fleet-dialog">
        {error && (
          <p role="alert" className="form-error">
            {error}
          </p>
        )}
        {!plan && !error && <p className="muted">Checking every AWS key with IAM…</p>}
        {plan && (
          <>
            <p data-testid="fleet-plan-summary">
              {plan.due.length} key{plan.due.length === 1 ? '' : 's'} due (older than {plan.maxAgeDays} days), {plan.skipped.length} skipped. Each is rotated as its own rotation, four at a time;
              nothing changes until you press Rotate.
            </p>
            {started && (
              <div
                className="progress fleet-progress"
                role="progressbar"
                aria-label="Rotation run progress"
                aria-valuemin={0}
                aria-valuemax={total}
                aria-valuenow={done}
                aria-valuetext={`${done} of ${total} done`}
              >
                <div className="progress-fill" style={{ width: `${total ? Math.round((done / total) * 100) : 0}%` }} />
              </div>
            )}
            {plan.due.length > 0 && (
              <table className="param-table" data-testid="fleet-due">
                <thead>
                  <tr>
                    <th>Credential</th>
                    <th>IAM user</th>
                    <th>Age</th>
                    <th>Acting</th>
                    <th>Deleted first</th>
                    <th>Delivered to</th>
                    <th>Outcome</th>
                  </tr>
                </thead>
                <tbody>
                  {plan.due.map((d) => {
                    const result = summary?.keys?.find((k) => k.credentialId === d.credentialId);
                    const outcome = result?.outcome ?? outcomes[d.credentialId] ?? (running ? 'waiting' : 'planned');
                    return (
                      <tr key={d.credentialId} data-credential-id={d.credentialId} data-outcome={outcome}>
                        <td>{d.credentialName}</td>
                        <td>{d.userName}</td>
                        <td>{d.ageDays} days</td>
                        <td>{d.actingCredentialId ? 'admin credential' : 'itself'}</td>
                        <td className="mono">{maskKeyId(d.deleteFirstKeyId) || '—'}</td>
                        <td>{d.deliveries.length ? d.deliveries.join(', ') : 'the credential only'}</td>
                        <td>
                          {outcome}
                          {result?.error && (
                            <div className="form-error small">
                              {result.error.code}: {result.error.message}
                            </div>
                          )}
                          {result?.next && <div className="muted small">Next: {result.next}</div>}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            )}
            {plan.skipped.length > 0 && (
              <details data-testid="fleet-skipped" open={plan.due.length === 0}>
                <summary>Skipped ({plan.skipped.length})</summary>
                <ul>
                  {plan.skipped.map((s) => (
                    <li key={s.credentialId}>
                      <strong>{s.credentialName}</strong>: {s.reason}
                    </li>
                  ))}
                </ul>
              </details>
            )}
            {summary && (
              <p role="status" data-testid="fleet-summary">
                {summary.rotated} rotated, {summary.held} held, {summary.skipped} skipped, {summary.failed} failed.
                {summary.failed > 0 ? ' A failed key keeps a working key; resume or roll it back from the banner.' : ''}
              </p>
            )}
          </>
        )}
      </div>
      <div className="dialog-footer">
        {plan && !started && (
          <label className="footer-option">
            <input type="checkbox" checked={hold} onChange={(e) => setHold(e.target.checked)} /> Wait before deleting the old keys
          </label>
        )}
        <Button onClick={closeFleetDialog} disabled={running}>
          {summary ? 'Close' : 'Cancel'}
        </Button>
        {!summary && (
          <Button variant="primary" onClick={() => void run()} disabled={!plan || total === 0 || running}>
            {running ? `Rotating… ${done}/${total}` : `Rotate ${total} key${total === 1 ? '' : 's'}`}
          </Button>
        )}
      </div>
    </>
  );
}

/** "Rotate N due keys": opens the plan for all keys, or for the given credentials. */
export function RotateDueButton({ credentialIds, label }: { credentialIds?: string[]; label: string }) {
  return (
    <Button onClick={() => openFleet(credentialIds ?? null)} data-testid="rotate-due">
      {label}
    </Button>
  );
}

function openFleet(credentialIds: string[] | null) {
  useRotations.setState({ fleet: { credentialIds } });
}
