import type { RotationPlanView, RotationView } from '../../../shared/channels/rotation';
import { maskKeyId } from '../../../shared/mask';
import { choiceProblem, type DeleteChoice } from '../../../shared/rotation-steps';
import type { KeywardCore } from '../../core/app/core';
import { KeywardError } from '../../core/errors';
import type { CliContext } from '../context';
import { table } from '../format';
import { EXIT, reportError, usageError } from '../io';
import { followRun, rotateDueCommand, summaryText } from './rotate-due';

export interface RotateFlags {
  user?: string;
  as?: string;
  yes?: boolean;
  resume?: boolean;
  rollback?: boolean;
  'delete-first'?: string;
  'delete-orphan'?: string;
  /** Stop after deactivating the old key: watch it, then --resume deletes it (or --rollback). */
  hold?: boolean;
  /** Every due key in one run (rotate-due.ts). */
  due?: boolean;
  'max-age'?: string;
  match?: string;
  concurrency?: string;
}

const USAGE =
  'keyward rotate CRED [--user IAM_USER] [--as ADMIN_CRED] [--delete-first KEY_ID] [--hold] [--yes] | rotate --due [--max-age DAYS] [--as ADMIN_CRED] [--match PATTERN] [--concurrency N] [--hold] [--yes] | rotate --resume [ID] | rotate --rollback ID  [--delete-orphan KEY_ID]';

function rotationText(r: RotationView): string {
  const lines = [
    `Rotation ${r.id}: ${r.state}${r.state === 'IN_PROGRESS' ? ` (last step done: ${r.phase})` : ''}`,
    `  IAM user:  ${r.userName}`,
    `  old key:   ${maskKeyId(r.oldAccessKeyId) || '-'}`,
    `  new key:   ${maskKeyId(r.newAccessKeyId) || '-'}`,
    ...r.steps.map((s) => `  ${s.at}  ${s.name}`),
  ];
  if (r.held) {
    lines.push(
      `  waiting before the delete: the old key is inactive. Watch that nothing breaks, then`,
      `    keyward rotate --resume ${r.id}     deletes it, or`,
      `    keyward rotate --rollback ${r.id}   makes it active again.`,
    );
  }
  if (r.error) lines.push(`  stopped at ${r.error.step}: ${r.error.error.code}: ${r.error.diagnosis.cause}`, ...r.error.diagnosis.remedy.map((s, i) => `    ${i + 1}. ${s}`));
  return lines.join('\n') + '\n';
}

function planText(p: RotationPlanView): string {
  return (
    `Rotating "${p.credentialName}" — IAM user ${p.userName}, acting as ${p.actingCredentialId ? 'the admin credential' : 'the credential itself'}.\n` +
    table([
      ['KEY', 'STATUS', 'AGE (DAYS)', 'LAST USED', 'SERVICE', 'REGION', ''],
      ...p.keys.map((k) => [
        maskKeyId(k.accessKeyId),
        k.status,
        `${k.ageDays}${k.tooOld ? ` (over ${p.maxKeyAgeDays})` : ''}`,
        k.lastUsed?.at ?? 'never',
        k.lastUsed?.service ?? '-',
        k.lastUsed?.region ?? '-',
        k.isCredentialKey ? 'this credential' : '',
      ]),
    ]) +
    `Delivered to: ${p.deliveries.length ? p.deliveries.join('; ') : 'the credential only'} (each written and checked before the old key is deactivated).\n`
  );
}

/** On a terminal, each step as it begins and the countdown while the new key propagates. */
function followOnTerminal(ctx: CliContext, core: KeywardCore): void {
  if (ctx.flags.json || !ctx.io.isTTY) return;
  core.events.onAny((event, payload) => {
    if (event !== 'rotation.progress') return;
    const p = payload as { step: string; secondsLeft?: number };
    ctx.io.stderr(p.secondsLeft !== undefined ? `\r  waiting for the new key to work… ${p.secondsLeft}s ` : `→ ${p.step}\n`);
  });
}

/** The admin's two-key choice: from --delete-first, or asked key by key on a terminal. */
async function chooseKeys(ctx: CliContext, plan: RotationPlanView, f: RotateFlags, interactive: boolean): Promise<DeleteChoice> {
  const choice: DeleteChoice = { deleteFirstKeyId: f['delete-first'], confirmActive: false };
  if (plan.needsDeleteChoice && !choice.deleteFirstKeyId && interactive) {
    for (const id of plan.deletable) {
      const k = plan.keys.find((x) => x.accessKeyId === id)!;
      if (await ctx.io.confirm(`AWS allows two keys. Delete ${k.status.toLowerCase()} key ${maskKeyId(id)} (last used ${k.lastUsed?.at ?? 'never'}) first?`)) {
        choice.deleteFirstKeyId = id;
        break;
      }
    }
  }
  const chosen = plan.keys.find((k) => k.accessKeyId === choice.deleteFirstKeyId);
  if (chosen?.status === 'Active' && interactive) {
    choice.confirmActive = await ctx.io.confirm(`${maskKeyId(chosen.accessKeyId)} is ACTIVE: anything still using it will stop working. Delete it anyway?`);
  }
  return choice;
}

export async function rotateCommand(ctx: CliContext, cred: string | undefined, f: RotateFlags): Promise<number> {
  if (f.due && (cred || f.resume || f.rollback || f.user || f['delete-first'] || f['delete-orphan']))
    throw usageError(`--due plans every due key: it takes no CRED, --user, --delete-first, --resume or --rollback. Usage: ${USAGE}`);
  if (!f.due && (f['max-age'] !== undefined || f.match !== undefined)) throw usageError(`--max-age and --match go with --due. Usage: ${USAGE}`);
  if (f.resume && f.rollback) throw usageError(`--resume and --rollback are exclusive. Usage: ${USAGE}`);
  if ((f.resume || f.rollback) && (f.user || f.as || f['delete-first'])) throw usageError(`--user, --as and --delete-first start a rotation; --resume/--rollback continue one. Usage: ${USAGE}`);
  if (!f.due && !f.resume && !f.rollback && !cred) throw usageError(`Usage: ${USAGE}`);
  if (f.rollback && !cred) throw usageError('Usage: keyward rotate --rollback ID  (unfinished rotations: keyward rotate --resume)');
  if (!f.resume && !f.rollback && f['delete-orphan']) throw usageError('--delete-orphan goes with --resume or --rollback of the rotation that left the orphan.');
  const core = await ctx.openCore();
  followOnTerminal(ctx, core);
  if (f.due) {
    followRun(ctx, core);
    return rotateDueCommand(ctx, f);
  }

  async function resumeRuns(ids: string[]): Promise<number> {
    followRun(ctx, core);
    const summaries = [];
    for (const id of ids) summaries.push(await ctx.call('rotation.resumeRun', { id, hold: !!f.hold, wait: true }));
    ctx.print(summaries.length === 1 ? summaries[0] : summaries, summaries.map(summaryText).join(''));
    return summaries.some((s) => s.failed > 0) ? EXIT.FAILED : EXIT.OK;
  }

  const finish = (r: RotationView) => {
    ctx.print(r, rotationText(r));
    return r.state === 'IN_PROGRESS' && !r.held ? EXIT.FAILED : EXIT.OK;
  };
  // A step that stopped on AWS's answer: the run ran and failed (exit 1), whatever the code's usual exit.
  const stopped = (e: unknown) => {
    if (!(e instanceof KeywardError) || e.code !== 'AWS_ERROR') throw e;
    reportError(ctx.io, e, ctx.flags.json);
    return EXIT.FAILED;
  };

  if (f.resume || f.rollback) {
    let id = cred;
    const runs = await ctx.call('rotation.listRuns', {});
    if (!id && f.resume && runs.length > 0) {
      // Unfinished fleet runs: finish every rotation of each (a lone rotation beside them is named by id).
      const loose = (await ctx.call('rotation.listOpen', {})).filter((r) => !r.runId);
      if (loose.length)
        throw usageError(
          `Unfinished runs and ${loose.length} unfinished rotation(s) outside them: name one. Runs: ${runs.map((r) => r.id).join(', ')}; rotations: ${loose.map((r) => r.id).join(', ')}`,
        );
      return resumeRuns(runs.map((r) => r.id));
    }
    const run = id && f.resume ? runs.find((r) => r.id.startsWith(id as string)) : undefined;
    if (run) return resumeRuns([run.id]);
    if (!id) {
      const open = await ctx.call('rotation.listOpen', {});
      if (open.length === 0) {
        ctx.print([], 'No unfinished rotations.\n');
        return EXIT.OK;
      }
      if (open.length > 1) throw usageError(`${open.length} unfinished rotations: name one. ${open.map((r) => `${r.id} (${r.userName}, after ${r.phase})`).join('; ')}`);
      id = open[0].id;
    }
    try {
      if (f['delete-orphan']) await ctx.call('rotation.deleteOrphan', { id, accessKeyId: f['delete-orphan'] });
      const r = f.rollback ? await ctx.call('rotation.rollback', { id, wait: true }) : await ctx.call('rotation.resume', { id, holdBeforeDelete: !!f.hold, wait: true });
      return finish(r);
    } catch (e) {
      return stopped(e);
    }
  }

  const who = { credentialId: cred as string, user: f.user, as: f.as };
  const plan = await ctx.call('rotation.plan', who);
  if (!ctx.flags.json) ctx.io.stderr(planText(plan));
  const interactive = ctx.io.isTTY && !f.yes;
  const choice = await chooseKeys(ctx, plan, f, interactive);
  const problem = choiceProblem(plan, choice);
  if (problem) {
    // No safe way to proceed (e.g. two active keys under --yes): refuse, changing nothing.
    reportError(ctx.io, new KeywardError(problem.code, problem.message), ctx.flags.json);
    return EXIT.FAILED;
  }
  if (!f.yes) {
    if (!ctx.io.isTTY) throw usageError(`Rotating "${plan.credentialName}" creates a key and deletes ${maskKeyId(plan.oldAccessKeyId) || 'none'}: pass --yes to confirm.`);
    if (!(await ctx.io.confirm(`Rotate the key of "${plan.credentialName}" (IAM user ${plan.userName}) now?`))) throw usageError('Not rotated; nothing was changed.');
  }
  try {
    return finish(await ctx.call('rotation.start', { ...who, deleteFirstKeyId: choice.deleteFirstKeyId, confirmActive: !!choice.confirmActive, holdBeforeDelete: !!f.hold, wait: true }));
  } catch (e) {
    return stopped(e);
  }
}
