import { Button } from '../ui/Button';
import { cancelVerifyAll, dismissRun, useCredentials } from './store';

/** Progress of a bulk verification from verify.progress events, then its summary. */
export function VerifyAllBar() {
  const run = useCredentials((s) => s.run);
  const cancelRequested = useCredentials((s) => s.cancelRequested);
  if (!run) return null;

  const counts = `${run.valid} valid · ${run.invalid} invalid · ${run.unreachable} unreachable`;

  if (run.finished) {
    const head = run.cancelled ? `Verification cancelled after ${run.done} of ${run.total}` : run.total === 0 ? 'There was nothing to verify' : `Verified ${run.done} of ${run.total}`;
    return (
      <div className={`verify-bar verify-bar-done${run.cancelled ? ' verify-bar-cancelled' : ''}`} role="status">
        <span className="verify-summary">
          {head}
          {run.total > 0 && <>: {counts}.</>}
        </span>
        <Button size="sm" variant="ghost" onClick={dismissRun}>
          Dismiss
        </Button>
      </div>
    );
  }

  const pct = run.total > 0 ? Math.round((run.done / run.total) * 100) : 0;
  return (
    <div className="verify-bar">
      <span className="verify-label">Verifying all credentials</span>
      <div
        className="progress"
        role="progressbar"
        aria-label="Verify all progress"
        aria-valuemin={0}
        aria-valuemax={run.total}
        aria-valuenow={run.done}
        aria-valuetext={`${run.done} of ${run.total} verified`}
      >
        <div className="progress-fill" style={{ width: `${pct}%` }} />
      </div>
      <span className="verify-counts">
        {run.done}/{run.total} · {counts}
      </span>
      <Button size="sm" onClick={() => void cancelVerifyAll()} disabled={cancelRequested}>
        Cancel
      </Button>
    </div>
  );
}
