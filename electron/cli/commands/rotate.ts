import { writeFileSync } from 'node:fs';
import { KeywardError } from '../../core/errors';
import type { Rotation } from '../../core/rotation/journal';
import type { RotationOptions, RotationPlan } from '../../core/rotation/service';
import { maskKeyId } from '../../../shared/mask';
import type { CliContext } from '../context';
import { table } from '../format';
import { EXIT, reportError, usageError } from '../io';

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
}

const USAGE = 'keyward rotate CRED [--user IAM_USER] [--as ADMIN_CRED] [--delete-first KEY_ID] [--hold] [--yes] | rotate --resume [ID] | rotate --rollback ID  [--delete-orphan KEY_ID]';

/** The journal as CLI.md prints it: no secret, ever. */
export function rotationJson(r: Rotation) {
  return {
    id: r.id,
    credentialId: r.credentialId,
    state: r.state,
    phase: r.phase,
    /** Waiting (--hold) after deactivating the old key: --resume deletes it, --rollback restores it. */
    held: r.held,
    userName: r.userName,
    actingCredentialId: r.actingCredentialId,
    oldAccessKeyId: r.oldAccessKeyId,
    newAccessKeyId: r.newAccessKeyId,
    error: r.error,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    steps: r.steps.map((s) => ({ name: s.name, at: s.at, details: s.details })),
  };
}

function rotationText(r: Rotation): string {
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

function planText(p: RotationPlan): string {
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
    ])
  );
}

/**
 * Test hook, honoured only when KEYWARD_TEST_PAUSE_AT is set: at that point the rotation
 * writes KEYWARD_TEST_PAUSE_FILE and waits for ever, so a test can kill the process there.
 */
function rotationOptionsFrom(env: NodeJS.ProcessEnv, ctx: CliContext): RotationOptions {
  const opts: RotationOptions = {};
  const wait = Number(env.KEYWARD_PROPAGATION_TIMEOUT_MS);
  if (env.KEYWARD_PROPAGATION_TIMEOUT_MS && Number.isFinite(wait)) opts.propagation = { timeoutMs: wait, firstDelayMs: Math.min(500, wait / 4 || 1) };
  const pauseAt = env.KEYWARD_TEST_PAUSE_AT;
  const pauseFile = env.KEYWARD_TEST_PAUSE_FILE;
  if (pauseAt && pauseFile) {
    opts.pause = (point) => {
      if (point !== pauseAt) return Promise.resolve();
      writeFileSync(pauseFile, point);
      return new Promise(() => setInterval(() => undefined, 1000));
    };
  }
  if (!ctx.flags.json && ctx.io.isTTY) {
    opts.onProgress = (p) => ctx.io.stderr(p.secondsLeft !== undefined ? `\r  waiting for the new key to work… ${p.secondsLeft}s ` : `→ ${p.step}\n`);
  }
  return opts;
}

export async function rotateCommand(ctx: CliContext, cred: string | undefined, f: RotateFlags): Promise<number> {
  if (f.resume && f.rollback) throw usageError(`--resume and --rollback are exclusive. Usage: ${USAGE}`);
  if ((f.resume || f.rollback) && (f.user || f.as || f['delete-first'])) throw usageError(`--user, --as and --delete-first start a rotation; --resume/--rollback continue one. Usage: ${USAGE}`);
  if (!f.resume && !f.rollback && !cred) throw usageError(`Usage: ${USAGE}`);
  if (f.rollback && !cred) throw usageError('Usage: keyward rotate --rollback ID  (unfinished rotations: keyward rotate --resume)');
  const core = await ctx.openCore({ rotation: rotationOptionsFrom(ctx.io.env, ctx) });
  const rotations = core.rotations;

  const finish = (r: Rotation) => {
    ctx.print(rotationJson(r), rotationText(r));
    return r.state === 'IN_PROGRESS' && !r.held ? EXIT.FAILED : EXIT.OK;
  };
  const stopped = (e: unknown) => {
    if (!(e instanceof KeywardError) || e.code !== 'AWS_ERROR') throw e;
    reportError(ctx.io, e, ctx.flags.json);
    return EXIT.FAILED;
  };

  if (f.resume || f.rollback) {
    let id = cred;
    if (!id) {
      const open = rotations.listOpen();
      if (open.length === 0) {
        ctx.print([], 'No unfinished rotations.\n');
        return EXIT.OK;
      }
      if (open.length > 1) throw usageError(`${open.length} unfinished rotations: name one. ${open.map((r) => `${r.id} (${r.userName}, after ${r.phase})`).join('; ')}`);
      id = open[0].id;
    }
    try {
      if (f['delete-orphan']) await rotations.deleteOrphan(id, f['delete-orphan']);
      return finish(await (f.rollback ? rotations.rollback(id) : rotations.resume(id, { holdBeforeDelete: f.hold })));
    } catch (e) {
      return stopped(e);
    }
  }

  if (f['delete-orphan']) throw usageError('--delete-orphan goes with --resume or --rollback of the rotation that left the orphan.');
  const plan = await rotations.plan(cred as string, { user: f.user, as: f.as });
  if (!ctx.flags.json) ctx.io.stderr(planText(plan));
  const choice = { deleteFirstKeyId: f['delete-first'], confirmActive: false };
  const interactive = ctx.io.isTTY && !f.yes;

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
  try {
    rotations.checkChoice(plan, choice);
  } catch (e) {
    // No safe way to proceed (e.g. two active keys under --yes): refuse, changing nothing.
    reportError(ctx.io, e, ctx.flags.json);
    return EXIT.FAILED;
  }
  if (!f.yes) {
    if (!ctx.io.isTTY) throw usageError(`Rotating "${plan.credentialName}" creates a key and deletes ${maskKeyId(plan.oldAccessKeyId) || 'none'}: pass --yes to confirm.`);
    if (!(await ctx.io.confirm(`Rotate the key of "${plan.credentialName}" (IAM user ${plan.userName}) now?`))) throw usageError('Not rotated; nothing was changed.');
  }
  try {
    return finish(await rotations.start(plan, choice, { holdBeforeDelete: f.hold }));
  } catch (e) {
    return stopped(e);
  }
}
