import { KeywardError } from '../errors';
import type { RotationContext } from './context';
import { RotationStepError } from './errors';
import type { Rotation } from './journal';
import { settleOrphans } from './orphans';
import { restoreDeliveries } from './deliver';

// Undoing an unfinished rotation: the old key active again, the credential (and its bound
// parameters) back on it, every delivery back to what it held, the new key deleted. Possible until the old key is deleted.

/** Records the decision to roll back (refused once the old key is gone from IAM). */
export async function startRollback(ctx: RotationContext, rot: Rotation): Promise<void> {
  if (rot.state !== 'IN_PROGRESS') {
    throw new KeywardError('CONFLICT', `Rotation ${rot.id} is ${rot.state === 'DONE' ? 'finished: the old key is deleted, so there is nothing to go back to' : 'already rolled back'}.`);
  }
  if (rot.steps.some((s) => s.name === 'rollback')) return;
  // Once the old key is deleted there is nothing to go back to: only finishing is safe.
  const old = rot.oldAccessKeyId;
  if (old && !(await ctx.iam(rot, 'rollback').listKeys()).some((k) => k.accessKeyId === old)) {
    throw new KeywardError('CONFLICT', `The old key ${old} is already deleted from IAM, so rotation ${rot.id} cannot be rolled back. Finish it: keyward rotate --resume ${rot.id}.`);
  }
  ctx.record(rot, 'rollback', { from: rot.phase }, 'rotation.rollback-started');
}

/** Runs (or continues) a recorded rollback to its end. Each part checks IAM first, so it can be repeated. */
export async function runRollback(ctx: RotationContext, id: string): Promise<Rotation> {
  let rot = ctx.journal.get(id) as Rotation;
  ctx.progress({ rotationId: id, step: 'rollback' });
  try {
    const iam = () => ctx.iam(rot, 'rollback');
    await settleOrphans(ctx, rot, iam(), 'rollback');
    const keys = await iam().listKeys();
    const old = rot.oldAccessKeyId ? keys.find((k) => k.accessKeyId === rot.oldAccessKeyId) : undefined;
    if (old?.status === 'Inactive') await iam().setStatus(old.accessKeyId, 'Active');
    await ctx.faults.at('rollback:reactivated');
    restoreCredential(ctx, rot);
    rot = ctx.reload(rot);
    await restoreDeliveries(ctx, rot);
    await ctx.faults.at('rollback:restored');
    if (rot.newAccessKeyId && keys.some((k) => k.accessKeyId === rot.newAccessKeyId)) await iam().deleteKey(rot.newAccessKeyId);
  } catch (e) {
    if (e instanceof RotationStepError) ctx.journal.recordFailure(id, e.failure, ctx.now());
    ctx.changed(id);
    throw e;
  }
  const at = ctx.now();
  ctx.vault.tx(() => {
    ctx.journal.recordStep(id, 'rolled-back', { oldAccessKeyId: rot.oldAccessKeyId, deletedNewKey: rot.newAccessKeyId }, at);
    ctx.journal.setState(id, 'ROLLED_BACK', at);
    ctx.audit.append('rotation.rolled-back', { credentialId: rot.credentialId, details: { rotationId: id, oldAccessKeyId: rot.oldAccessKeyId, newAccessKeyId: rot.newAccessKeyId } });
  });
  ctx.changed(id);
  return ctx.reload(rot);
}

/** The credential back on the old key and secret, when apply had switched it. */
function restoreCredential(ctx: RotationContext, rot: Rotation): void {
  const cred = ctx.credentialOf(rot);
  if (!rot.newAccessKeyId || cred.fields.accessKeyId !== rot.newAccessKeyId) return;
  const oldSecret = ctx.journal.oldSecret(rot.id) as string;
  const at = ctx.now();
  ctx.vault.tx(() => {
    ctx.credentials.repo.update(cred.id, cred.name, { ...cred.fields, accessKeyId: rot.oldAccessKeyId ?? cred.fields.accessKeyId }, { secretAccessKey: oldSecret }, at, true);
    ctx.audit.append('credential.rotated', {
      credentialId: cred.id,
      details: { name: cred.name, rotationId: rot.id, rollback: true, before: { accessKeyId: rot.newAccessKeyId }, after: { accessKeyId: rot.oldAccessKeyId }, secretsChanged: ['secretAccessKey'] },
    });
  });
  ctx.events.emit('credential.changed', ctx.credentials.get(cred.id));
}
