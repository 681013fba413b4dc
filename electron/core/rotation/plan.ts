import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { KeyStatusSchema, RotationPlanSchema } from '../../../shared/channels/rotation';
import { choiceProblem, type DeleteChoice } from '../../../shared/rotation-steps';
import { KeywardError } from '../errors';
import type { RotationContext } from './context';
import { IamCalls, type IamUserInfo } from './iam';

// The first two steps, before anything changes: find the IAM user (who acts, on whom) and
// check its keys (age, last use, the two-key rule). Then the journal opens with them.

export type { DeleteChoice };

/** A key of the user as the plan shows it: IAM's facts, its age, and whether it is the credential's own (the one being rotated). */
export type KeyStatus = z.output<typeof KeyStatusSchema>;

/** What "find the IAM user" and "check key status" found, before anything changes (the two-key rule: `needsDeleteChoice`, `deletable`). */
export type RotationPlan = z.output<typeof RotationPlanSchema>;

/** IAM users the admin credential can see, filtered by a name fragment (e.g. SynergistExpress). */
export async function listUsers(ctx: RotationContext, asCredential: string, filter = ''): Promise<IamUserInfo[]> {
  const acting = ctx.awsCredential(asCredential);
  const users = await new IamCalls(ctx.partsOf(acting), 'find-user', '', ctx.call).listUsers();
  const f = filter.toLowerCase();
  return users.filter((u) => u.userName.toLowerCase().includes(f));
}

/** Preflight: who acts, on which IAM user, and the user's keys. Changes nothing. */
export async function planRotation(ctx: RotationContext, credential: string, opts: { user?: string; as?: string } = {}): Promise<RotationPlan> {
  const cred = ctx.awsCredential(credential);
  const open = ctx.journal.openFor(cred.id);
  if (open) {
    throw new KeywardError('CONFLICT', `"${cred.name}" already has an unfinished rotation (${open}). Resume it (keyward rotate --resume ${open}) or roll it back (keyward rotate --rollback ${open}).`);
  }
  const acting = opts.as ? ctx.awsCredential(opts.as) : cred;
  let userName = opts.user ?? '';
  if (!userName) {
    // The user the rotated key belongs to: STS answers for any working key.
    const who = await new IamCalls(ctx.partsOf(cred), 'find-user', '', ctx.call).callerUserName();
    if (!who.userName) throw new KeywardError('INVALID_INPUT', `The key of "${cred.name}" belongs to ${who.arn}, not an IAM user: only IAM user keys can be rotated.`);
    userName = who.userName;
  }
  const keys = await new IamCalls(ctx.partsOf(acting), 'check-keys', userName, ctx.call).listKeys({ lastUsed: true });
  const maxAge = ctx.maxKeyAgeDays();
  const now = ctx.clock.now();
  const statuses: KeyStatus[] = keys.map((k) => {
    const ageDays = Math.floor((now - Date.parse(k.createdAt)) / 86_400_000);
    return { ...k, ageDays, tooOld: ageDays > maxAge, isCredentialKey: k.accessKeyId === cred.fields.accessKeyId };
  });
  return {
    credentialId: cred.id,
    credentialName: cred.name,
    actingCredentialId: opts.as ? acting.id : null,
    userName,
    keys: statuses,
    oldAccessKeyId: statuses.some((k) => k.isCredentialKey) ? cred.fields.accessKeyId : null,
    needsDeleteChoice: keys.length >= 2,
    deletable: statuses.filter((k) => !k.isCredentialKey).map((k) => k.accessKeyId),
    maxKeyAgeDays: maxAge,
    deliveries: ctx.deliveries.placesOf(cred.id),
  };
}

/** Checks the admin's choice of the key to delete first; throws what is missing. Changes nothing. */
export function checkChoice(plan: RotationPlan, choice: DeleteChoice): void {
  const problem = choiceProblem(plan, choice);
  if (problem) throw new KeywardError(problem.code, problem.message);
}

/** Opens the journal with the plan's two steps (find-user, check-keys); returns its id. Calls no AWS. */
export function openRotation(ctx: RotationContext, plan: RotationPlan, choice: DeleteChoice = {}, runId: string | null = null): string {
  checkChoice(plan, choice);
  const id = randomUUID();
  const at = ctx.now();
  try {
    ctx.vault.tx(() => {
      ctx.journal.create({
        id,
        credentialId: plan.credentialId,
        actingCredentialId: plan.actingCredentialId,
        userName: plan.userName,
        oldAccessKeyId: plan.oldAccessKeyId,
        deleteFirstKeyId: choice.deleteFirstKeyId ?? null,
        confirmedActive: !!choice.confirmActive,
        keysAtStart: plan.keys.map((k) => k.accessKeyId),
        runId,
        at,
      });
      ctx.journal.recordStep(id, 'find-user', { userName: plan.userName, acting: plan.actingCredentialId ? 'admin credential' : 'the credential itself' }, at);
      ctx.journal.recordStep(id, 'check-keys', { keys: plan.keys.map((k) => ({ accessKeyId: k.accessKeyId, status: k.status, ageDays: k.ageDays })) }, at);
      ctx.audit.append('rotation.started', {
        credentialId: plan.credentialId,
        details: {
          rotationId: id,
          userName: plan.userName,
          oldAccessKeyId: plan.oldAccessKeyId,
          deleteFirst: choice.deleteFirstKeyId ?? null,
          actingCredentialId: plan.actingCredentialId,
          ...(runId ? { runId } : {}),
        },
      });
    });
  } catch (e) {
    if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
      throw new KeywardError('CONFLICT', `"${plan.credentialName}" already has an unfinished rotation. Resume it or roll it back first.`);
    }
    throw e;
  }
  return id;
}
