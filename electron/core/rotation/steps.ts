import type { Identity } from '../../../shared/contract';
import type { AuditAction } from '../../../shared/audit-actions';
import { ROTATION_STEP_TABLE, type RotationStepInfo } from '../../../shared/rotation-steps';
import { KeywardError } from '../errors';
import type { RotationContext } from './context';
import { RotationStepError } from './errors';
import type { Rotation, StepName } from './journal';
import { settleOrphans } from './orphans';
import { waitForKeyToWork } from './propagation';
import { deliverNewKey } from './deliver';

// The rotation as a story: one `run` per step of the shared table (shared/rotation-steps.ts).
// A run makes the step's AWS calls and says what to record; the runner (runner.ts) records
// it, with `write`, in one transaction. So each step reconciles with IAM before it acts, and
// a process killed at any moment resumes or rolls back with no key lost.

export interface StepOutcome {
  /** The journal step's details (never a secret). */
  details: Record<string, unknown>;
  audit?: AuditAction;
  /** Vault writes that belong to the step's transaction (a sealed secret, the switched credential). */
  write?: () => void;
  /** After the transaction commits: events for the window. */
  after?: () => void;
}

export interface StepRunOptions {
  /** Stop after deactivating the old key (the admin watches its last use). */
  hold: boolean;
}

export type StepRun = (ctx: RotationContext, rot: Rotation, opts: StepRunOptions) => Promise<StepOutcome>;

/** The key the admin chose to delete first, when the user had two. */
const deleteChosenKey: StepRun = async (ctx, rot) => {
  const id = rot.deleteFirstKeyId;
  if (!id) return { details: { skipped: true }, audit: 'rotation.key-deleted' };
  const iam = ctx.iam(rot, 'delete-chosen-key');
  const key = (await iam.listKeys()).find((k) => k.accessKeyId === id);
  if (key?.status === 'Active' && !rot.confirmedActive) {
    throw new KeywardError('CONFLICT', `${id} became Active since it was chosen; it is not deleted without your word. Roll back, or start again.`);
  }
  if (key) await iam.deleteKey(id);
  return { details: { accessKeyId: id, aws: ['iam:DeleteAccessKey'] }, audit: 'rotation.key-deleted' };
};

/** AWS shows the secret once: it is sealed in the same transaction that records the step. */
const createKey: StepRun = async (ctx, rot) => {
  const iam = ctx.iam(rot, 'create-key');
  // A key the journal does not know: this rotation's own, lost by a killed run, is deleted;
  // any other stops the step. Never a third key.
  await settleOrphans(ctx, rot, iam, 'create-key');
  ctx.journal.recordKeyRequested(rot.id, ctx.now());
  const created = await iam.createKey();
  return {
    details: { accessKeyId: created.accessKeyId, aws: ['iam:ListAccessKeys', 'iam:CreateAccessKey'] },
    audit: 'rotation.key-created',
    write: () => ctx.journal.putNewKey(rot.id, created.accessKeyId, created.secretAccessKey),
  };
};

/** IAM is eventually consistent: STS is asked with the new key until it answers. */
const waitForKey: StepRun = async (ctx, rot) => {
  const cred = ctx.credentialOf(rot);
  const parts = { ...ctx.partsOf(cred), accessKeyId: rot.newAccessKeyId as string, secretAccessKey: ctx.journal.newSecret(rot.id) as string };
  const result = await waitForKeyToWork(parts, {
    ...ctx.propagation,
    call: ctx.call,
    onWait: (secondsLeft) => ctx.progress({ rotationId: rot.id, step: 'wait-for-key', secondsLeft }),
  });
  if (!result.ok) {
    throw new RotationStepError({
      step: 'wait-for-key',
      operation: 'GetCallerIdentity',
      error: result.lastError,
      diagnosis: {
        cause: `The new key ${rot.newAccessKeyId} was still refused after ${Math.round(result.waitedMs / 1000)} s: IAM has not propagated it yet (or it was deactivated).`,
        remedy: ['Wait a minute, then resume the rotation: nothing is lost, the new key is sealed in the journal.', 'Or roll the rotation back.'],
        test: 'aws sts get-caller-identity',
        link: null,
      },
    });
  }
  return { details: { attempts: result.attempts, waitedMs: result.waitedMs, identity: result.identity, aws: ['sts:GetCallerIdentity'] } };
};

/**
 * Switches the credential (and so every parameter bound to it) to the new key, in one
 * transaction; then writes, reads back and checks every other place the key is delivered
 * to (deliver.ts). A place that fails stops the rotation here, the old key still active.
 * Each part is done once: a resume after a kill finds the credential switched and the
 * places already written.
 */
const apply: StepRun = async (ctx, rot) => {
  const cred = ctx.credentialOf(rot);
  const newId = rot.newAccessKeyId as string;
  const newSecret = ctx.journal.newSecret(rot.id) as string;
  if (cred.fields.accessKeyId !== newId) {
    switchCredential(ctx, rot, newId, newSecret);
    ctx.events.emit('credential.changed', ctx.credentials.get(cred.id));
  }
  await ctx.faults.at('apply:switched');
  const delivered = await deliverNewKey(ctx, rot, { accessKeyId: newId, secretAccessKey: newSecret });
  return { details: { credential: cred.name, parameters: ctx.deliveries.boundKeys(cred.id).map((p) => p.key), deliveries: delivered } };
};

/** The credential on the new key, its old secret sealed for a rollback, audited with its bound parameters. */
function switchCredential(ctx: RotationContext, rot: Rotation, newId: string, newSecret: string): void {
  const cred = ctx.credentialOf(rot);
  const oldSecret = ctx.credentials.repo.secretsOf(cred.id).secretAccessKey ?? '';
  const identity = (rot.steps.findLast((s) => s.name === 'wait-for-key')?.details.identity ?? null) as Identity | null;
  const at = ctx.now();
  ctx.vault.tx(() => {
    ctx.journal.putOldSecret(rot.id, oldSecret);
    ctx.credentials.repo.update(cred.id, cred.name, { ...cred.fields, accessKeyId: newId }, { secretAccessKey: newSecret }, at, true);
    // The wait step just proved the new key works: the credential is VALID as it stands.
    ctx.credentials.repo.recordCheck(cred.id, { status: 'VALID', identity, error: null, diagnosis: null, at });
    ctx.audit.append('credential.rotated', {
      credentialId: cred.id,
      details: { name: cred.name, rotationId: rot.id, before: { accessKeyId: cred.fields.accessKeyId }, after: { accessKeyId: newId }, secretsChanged: ['secretAccessKey'] },
    });
    for (const p of ctx.deliveries.boundKeys(cred.id)) {
      const change = p.field === 'accessKeyId' ? { before: cred.fields.accessKeyId, after: newId } : { value: 'changed' };
      ctx.audit.append('parameter.changed', { credentialId: cred.id, details: { key: p.key, via: 'rotation', rotationId: rot.id, ...change } });
    }
  });
}

const deactivateOld: StepRun = async (ctx, rot, opts) => {
  const old = rot.oldAccessKeyId;
  if (!old) return { details: { skipped: true, reason: 'the credential’s old key was not among the user’s keys' } };
  const iam = ctx.iam(rot, 'deactivate-old');
  const key = (await iam.listKeys()).find((k) => k.accessKeyId === old);
  if (key?.status === 'Active') await iam.setStatus(old, 'Inactive');
  return { details: { accessKeyId: old, aws: ['iam:UpdateAccessKey'], ...(opts.hold ? { holdBeforeDelete: true } : {}) } };
};

/** The last step: the old key goes, the journal is DONE and keeps no secret. */
const deleteOld: StepRun = async (ctx, rot) => {
  const old = rot.oldAccessKeyId;
  if (old) await ctx.iam(rot, 'delete-old').deleteKey(old);
  return {
    details: old ? { accessKeyId: old, aws: ['iam:DeleteAccessKey'] } : { skipped: true },
    write: () => {
      ctx.journal.setState(rot.id, 'DONE', ctx.now());
      ctx.audit.append('rotation.completed', {
        credentialId: rot.credentialId,
        details: { rotationId: rot.id, userName: rot.userName, oldAccessKeyId: old, newAccessKeyId: rot.newAccessKeyId },
      });
    },
  };
};

/** find-user and check-keys are the plan (plan.ts): done before the journal opens. */
const RUNS: { [K in StepName]: StepRun | null } = {
  'find-user': null,
  'check-keys': null,
  'delete-chosen-key': deleteChosenKey,
  'create-key': createKey,
  'wait-for-key': waitForKey,
  apply,
  'deactivate-old': deactivateOld,
  'delete-old': deleteOld,
};

export interface RotationStep extends RotationStepInfo {
  run: StepRun | null;
}

/** The table the runner walks: name, title, AWS actions and run, in order. */
export const STEPS: readonly RotationStep[] = ROTATION_STEP_TABLE.map((s) => ({ ...s, run: RUNS[s.name] }));

/** The step after `phase`, or null after the last. */
export function nextStep(phase: StepName): RotationStep | null {
  const i = STEPS.findIndex((s) => s.name === phase);
  return STEPS.slice(i + 1).find((s) => s.run) ?? null;
}
