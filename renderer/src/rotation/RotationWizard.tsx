import { useCallback, useEffect, useState } from 'react';
import type { RotationPlanView, RotationView } from '@shared/channels/rotation';
import type { Response } from '@shared/contract';
import { maskKeyId } from '@shared/mask';
import { api, errorMessage } from '../api';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { useCredentials } from '../credentials/store';
import { showToast } from '../ui/toast';
import { choiceProblem } from '@shared/rotation-steps';
import { STEP_INFO } from './steps';
import { closeRotationWizard, track, useRotations } from './store';

const STEP_TITLE = Object.fromEntries(STEP_INFO.map((s) => [s.name, s.title]));
const STEP_AWS = Object.fromEntries(STEP_INFO.map((s) => [s.name, s.aws]));

/** The rotation wizard: the plan (user, keys, two-key choice), then one line per step as it runs. */
export function RotationWizard() {
  const wizard = useRotations((s) => s.wizard);
  const rotation = useRotations((s) => (s.wizard?.rotationId ? s.byId[s.wizard.rotationId] : undefined));
  if (!wizard) return null;
  return (
    <Dialog title="Rotate key" onClose={closeRotationWizard}>
      {wizard.rotationId ? <Progress rotation={rotation} id={wizard.rotationId} /> : <PlanPage credentialId={wizard.credentialId} />}
    </Dialog>
  );
}

function PlanPage({ credentialId }: { credentialId: string }) {
  const [plan, setPlan] = useState<RotationPlanView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [deleteFirst, setDeleteFirst] = useState<string>('');
  const [confirmActive, setConfirmActive] = useState(false);
  const [starting, setStarting] = useState(false);
  // The default: deactivate, watch the old key's last use, then delete (it often lives in another system too).
  const [holdBeforeDelete, setHoldBeforeDelete] = useState(true);
  // Who acts: the credential itself, or an admin credential on a user found by name.
  const [actor, setActor] = useState<{ as?: string; user?: string }>({});

  useEffect(() => {
    setPlan(null);
    setError(null);
    setDeleteFirst('');
    setConfirmActive(false);
    api()
      .invoke('rotation.plan', { credentialId, ...actor })
      .then(
        (p) => {
          setPlan(p);
          // Only one key may go first: choose it for the admin (an active one still needs their word).
          if (p.needsDeleteChoice && p.deletable.length === 1) setDeleteFirst(p.deletable[0]);
        },
        (e) => setError(errorMessage(e)),
      );
  }, [credentialId, actor]);

  const blockedBy = !plan
    ? error
      ? 'The plan could not be made: see above.'
      : 'Finding the IAM user and its keys…'
    : startProblem(plan, { deleteFirstKeyId: deleteFirst || undefined, confirmActive });

  async function start() {
    setStarting(true);
    try {
      track(await api().invoke('rotation.start', { credentialId, ...actor, deleteFirstKeyId: deleteFirst || undefined, confirmActive, holdBeforeDelete }));
    } catch (e) {
      showToast('error', errorMessage(e));
      setStarting(false);
    }
  }

  return (
    <>
      <div className="dialog-body" data-testid="rotation-plan">
        <h3>1. {STEP_TITLE['find-user']}</h3>
        {/* Kept mounted while the plan reloads for another user, so its search stays. */}
        <FindUser credentialId={credentialId} onChoose={setActor} chosen={actor} />
        {error && (
          <p role="alert" className="form-error">
            {error}
          </p>
        )}
        {!error && !plan && <p className="muted">Finding the IAM user and its keys…</p>}
        {plan && <PlanDetails plan={plan} deleteFirst={deleteFirst} setDeleteFirst={setDeleteFirst} confirmActive={confirmActive} setConfirmActive={setConfirmActive} />}
      </div>
      <div className="dialog-footer rotation-footer">
        <div className="rotation-footer-info">
          {plan && (
            <label className="footer-option">
              <input type="checkbox" checked={holdBeforeDelete} onChange={(e) => setHoldBeforeDelete(e.target.checked)} /> Wait before deleting the old key (watch its last use)
            </label>
          )}
          {blockedBy && (
            <p className="muted small rotation-blocked" id="rotation-start-blocked" data-testid="start-blocked" role="status">
              {blockedBy}
            </p>
          )}
        </div>
        <Button onClick={closeRotationWizard}>Cancel</Button>
        <Button variant="primary" onClick={() => void start()} disabled={!!blockedBy || starting} aria-describedby={blockedBy ? 'rotation-start-blocked' : undefined}>
          Start rotation
        </Button>
      </div>
    </>
  );
}

/** Why Start is disabled, in the wizard's words (the rule itself is shared with core and the CLI). */
function startProblem(plan: RotationPlanView, choice: { deleteFirstKeyId?: string; confirmActive: boolean }): string | null {
  if (!choiceProblem(plan, choice)) return null;
  const chosen = plan.keys.find((k) => k.accessKeyId === choice.deleteFirstKeyId);
  if (chosen?.status === 'Active') return `To start, confirm that the active key ${maskKeyId(chosen.accessKeyId)} may be deleted, or deactivate it first.`;
  return 'To start, choose the key to delete first: AWS allows two keys per user.';
}

function PlanDetails({
  plan,
  deleteFirst,
  setDeleteFirst,
  confirmActive,
  setConfirmActive,
}: {
  plan: RotationPlanView;
  deleteFirst: string;
  setDeleteFirst: (id: string) => void;
  confirmActive: boolean;
  setConfirmActive: (v: boolean) => void;
}) {
  const chosen = plan.keys.find((k) => k.accessKeyId === deleteFirst);
  return (
    <>
      <p>
        IAM user <strong data-testid="rotation-user">{plan.userName}</strong>, acting as {plan.actingCredentialId ? 'an admin credential' : 'the credential itself'}.
        <span className="muted small"> {STEP_AWS['find-user']}</span>
      </p>
      <h3>2. {STEP_TITLE['check-keys']}</h3>
      <table className="param-table" data-testid="rotation-keys">
        <thead>
          <tr>
            <th>Key</th>
            <th>Status</th>
            <th>Age</th>
            <th>Last used</th>
            <th>In Keyward</th>
          </tr>
        </thead>
        <tbody>
          {plan.keys.map((k) => (
            <tr key={k.accessKeyId} data-key-status={k.status}>
              <td className="mono">{maskKeyId(k.accessKeyId)}</td>
              <td>{k.status}</td>
              <td className={k.tooOld ? 'too-old' : undefined}>
                {k.ageDays} days{k.tooOld ? ` — older than ${plan.maxKeyAgeDays}` : ''}
              </td>
              <td>{k.lastUsed?.at ? `${k.lastUsed.at.slice(0, 10)} ${k.lastUsed.service ?? ''} ${k.lastUsed.region ?? ''}` : 'never'}</td>
              <td>{k.isCredentialKey ? 'this credential' : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">
        {STEP_AWS['check-keys']} · maximum key age {plan.maxKeyAgeDays} days (set it on the Inventory page)
      </p>
      <div data-testid="rotation-deliveries">
        {plan.deliveries.length ? (
          <>
            <p>The new key is written to each of these places and checked there before the old key is deactivated:</p>
            <ul className="plain-list">
              {plan.deliveries.map((d) => (
                <li key={d} className="mono delivery-place">
                  {d}
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p className="muted">No deliveries: the new key goes to this credential only. Add the places it is copied to in the credential’s details.</p>
        )}
      </div>
      {plan.needsDeleteChoice && (
        <fieldset className="choice-group" data-testid="two-key-choice">
          <legend>AWS allows two keys per user. Choose the key to delete first:</legend>
          {plan.deletable.map((id) => {
            const k = plan.keys.find((x) => x.accessKeyId === id)!;
            return (
              <label key={id} className={`choice${deleteFirst === id ? ' choice-selected' : ''}`}>
                <input
                  type="radio"
                  name="delete-first"
                  value={id}
                  checked={deleteFirst === id}
                  onChange={() => {
                    setDeleteFirst(id);
                    setConfirmActive(false);
                  }}
                />
                <span className="choice-title mono">{maskKeyId(id)}</span> <span>({k.status})</span>
              </label>
            );
          })}
          {chosen?.status === 'Active' && (
            <label className="field-error">
              <input type="checkbox" checked={confirmActive} onChange={(e) => setConfirmActive(e.target.checked)} /> This key is ACTIVE: anything using it will stop working. Delete it anyway.
            </label>
          )}
        </fieldset>
      )}
      <p>Next: create the new key, wait for it to work, apply it to the credential and its bound parameters, then deactivate and delete the old key. You can roll back until the delete.</p>
    </>
  );
}

/** Step 1 with an admin credential: search the account's IAM users (e.g. "SynergistExpress") like IAM → Users. */
function FindUser({ credentialId, chosen, onChoose }: { credentialId: string; chosen: { as?: string; user?: string }; onChoose: (a: { as?: string; user?: string }) => void }) {
  const credentials = useCredentials((s) => s.byId);
  const admins = [...credentials.values()].filter((c) => c.provider === 'AWS' && c.id !== credentialId);
  const [as, setAs] = useState(chosen.as ?? '');
  const [filter, setFilter] = useState('');
  const [users, setUsers] = useState<Array<{ userName: string; arn: string }> | null>(null);

  async function search() {
    try {
      setUsers(await api().invoke('rotation.listUsers', { as, filter }));
    } catch (e) {
      showToast('error', errorMessage(e));
    }
  }

  return (
    <div className="field-row" data-testid="find-user">
      <label>
        Acting credential{' '}
        <select
          value={as}
          onChange={(e) => {
            setAs(e.target.value);
            setUsers(null);
            if (!e.target.value) onChoose({});
          }}
          aria-label="Acting credential"
        >
          <option value="">This credential (rotates itself)</option>
          {admins.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      {as && (
        <>
          <input aria-label="Filter IAM users" placeholder="Name or pattern, e.g. SynergistExpress" value={filter} onChange={(e) => setFilter(e.target.value)} />
          <Button size="sm" onClick={() => void search()}>
            Search users
          </Button>
          {users && (
            <ul data-testid="iam-users">
              {users.length === 0 && <li className="muted">No user matches.</li>}
              {users.map((u) => (
                <li key={u.arn}>
                  <label>
                    <input type="radio" name="iam-user" checked={chosen.user === u.userName && chosen.as === as} onChange={() => onChoose({ as, user: u.userName })} /> {u.userName}
                  </label>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}

function Progress({ rotation, id }: { rotation: RotationView | undefined; id: string }) {
  const secondsLeft = useRotations((s) => s.secondsLeft[id]);
  // The old key's last use is shown before it can be deleted.
  const [usageShown, setUsageShown] = useState(false);
  const onUsageShown = useCallback(() => setUsageShown(true), []);
  useEffect(() => {
    if (!rotation)
      void api()
        .invoke('rotation.get', { id })
        .then(track, (e) => showToast('error', errorMessage(e)));
  }, [id, rotation]);
  if (!rotation)
    return (
      <div className="dialog-body">
        <p className="muted">Loading…</p>
      </div>
    );
  const done = new Set(rotation.steps.map((s) => s.name));
  const rollingBack = done.has('rollback') && rotation.state === 'IN_PROGRESS';
  const open = rotation.state === 'IN_PROGRESS';
  const stopped = open && !!rotation.error;
  const current = STEP_INFO.find((s) => !done.has(s.name))?.name;
  // Asked to wait after the deactivation: the admin watches the old key, then deletes it or rolls back.
  const holding = rotation.held;

  async function act(channel: 'rotation.resume' | 'rotation.rollback') {
    try {
      track(await api().invoke(channel, { id }));
    } catch (e) {
      showToast('error', errorMessage(e));
    }
  }

  return (
    <>
      <div className="dialog-body" data-testid="rotation-progress" data-state={rotation.state}>
        <p>
          IAM user <strong>{rotation.userName}</strong>: old key <span className="mono">{maskKeyId(rotation.oldAccessKeyId) || '—'}</span>, new key{' '}
          <span className="mono" data-testid="new-key">
            {maskKeyId(rotation.newAccessKeyId) || '—'}
          </span>
        </p>
        <ol className="rotation-steps">
          {STEP_INFO.map((s) => {
            const step = rotation.steps.find((x) => x.name === s.name);
            const state = step ? 'done' : s.name === current && open && !stopped && !rollingBack && !holding ? 'running' : 'pending';
            return (
              <li key={s.name} data-step={s.name} data-step-state={state}>
                <strong>
                  {step ? '✓ ' : state === 'running' ? '… ' : ''}
                  {s.title}
                </strong>{' '}
                — {step ? describe(step.details) : s.does}
                <div className="muted small">{s.aws}</div>
                {s.name === 'wait-for-key' && state === 'running' && secondsLeft !== undefined && <div data-testid="countdown">Waiting for the new key to work: {secondsLeft} s left</div>}
              </li>
            );
          })}
        </ol>
        {holding && rotation.oldAccessKeyId && <OldKeyWatch id={id} onShown={onUsageShown} />}
        {rotation.state === 'DONE' && <p data-testid="rotation-done">Done: the new key is in use and the old key is deleted. The whole rotation is in the audit log.</p>}
        {rotation.state === 'ROLLED_BACK' && <p data-testid="rotation-rolled-back">Rolled back: the old key is active and back in the credential; the new key is deleted.</p>}
        {rollingBack && !rotation.error && <p>Rolling back…</p>}
        {stopped && rotation.error && (
          <div role="alert" className="form-error" data-testid="rotation-error">
            <strong>
              Stopped at {rotation.error.step}: {rotation.error.error.code}
            </strong>
            <p>{rotation.error.diagnosis.cause}</p>
            <ol className="remedy">
              {rotation.error.diagnosis.remedy.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ol>
            <code className="command">{rotation.error.diagnosis.test}</code>
          </div>
        )}
      </div>
      <div className="dialog-footer">
        {open && (
          <Button
            variant="danger"
            onClick={() => void act('rotation.rollback')}
            disabled={!stopped && !holding}
            title={stopped || holding ? undefined : 'Available when the rotation stops or waits for you'}
          >
            Roll back
          </Button>
        )}
        {holding && (
          <Button
            variant="danger"
            onClick={() => void act('rotation.resume')}
            disabled={!!rotation.oldAccessKeyId && !usageShown}
            title={usageShown ? undefined : 'Available once the old key’s last use is shown'}
          >
            Delete old key
          </Button>
        )}
        {stopped && <Button onClick={() => void act(rollingBack ? 'rotation.rollback' : 'rotation.resume')}>Resume</Button>}
        <Button variant="primary" onClick={closeRotationWizard}>
          {open ? 'Close (resume later)' : 'Close'}
        </Button>
      </div>
    </>
  );
}

const WATCH_EVERY_MS = 60_000;

/** Step 6's optional wait: the old key's status and last use, refreshed every minute and on demand. */
function OldKeyWatch({ id, onShown }: { id: string; onShown: () => void }) {
  const [usage, setUsage] = useState<Response<'rotation.oldKeyUsage'> | undefined>(undefined);
  const [checkedAt, setCheckedAt] = useState<Date | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = useCallback(() => {
    api()
      .invoke('rotation.oldKeyUsage', { id })
      .then(
        (u) => {
          setUsage(u);
          setError(null);
          setCheckedAt(new Date());
          onShown();
        },
        (e: unknown) => setError(errorMessage(e)),
      );
  }, [id, onShown]);
  useEffect(() => {
    refresh();
    const t = setInterval(refresh, WATCH_EVERY_MS);
    return () => clearInterval(t);
  }, [refresh]);
  const last = usage?.lastUsed;
  return (
    <div className="callout" data-testid="old-key-watch">
      <p>
        Waiting before the delete. The old key <span className="mono">{usage ? maskKeyId(usage.accessKeyId) : '…'}</span> is{' '}
        <strong data-testid="old-key-status">{usage ? usage.status : usage === null ? 'gone from IAM' : '…'}</strong>; last used{' '}
        <strong data-testid="old-key-last-used">{last?.at ? `${new Date(last.at).toLocaleString()} (${last.service ?? '?'}, ${last.region ?? '?'})` : usage ? 'never' : '…'}</strong>.
      </p>
      <p className="muted small">
        A failing job or script that still holds the old key shows up as errors there, not here: AWS records only successful use. When nothing has broken, delete it; otherwise roll back.
        {checkedAt && ` Checked ${checkedAt.toLocaleTimeString()}.`} iam:GetAccessKeyLastUsed
      </p>
      {error && (
        <p role="alert" className="form-error">
          {error}
        </p>
      )}
      <Button size="sm" onClick={refresh}>
        Refresh
      </Button>
    </div>
  );
}

function describe(details: Record<string, unknown>): string {
  if (details.skipped) return 'not needed';
  if (Array.isArray(details.parameters)) return details.parameters.length ? `credential switched; parameters changed: ${details.parameters.join(', ')}` : 'credential switched; no bound parameters';
  if (typeof details.accessKeyId === 'string') return maskKeyId(details.accessKeyId);
  if (typeof details.attempts === 'number') return `accepted after ${details.attempts} attempt(s)`;
  if (typeof details.userName === 'string') return details.userName;
  if (Array.isArray(details.keys)) return `${details.keys.length} key(s)`;
  return 'done';
}
