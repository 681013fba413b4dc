import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { DueKeySchema, DuePlanSchema, KeyResultSchema, RunSummarySchema, SkippedKeySchema } from '../../../shared/channels/rotation';
import { choiceProblem } from '../../../shared/rotation-steps';
import { KeywardError } from '../errors';
import { runPool } from '../verification/pool';
import type { RotationContext } from './context';
import { RotationStepError } from './errors';
import type { Rotation } from './journal';
import { openRotation, planRotation, type RotationPlan } from './plan';
import type { RotationRunner } from './runner';
import { RunJournal, type RotationRun } from './runs';

// Rotation at fleet scale: plan every due key first (nothing changes), then rotate each as
// its own journaled rotation from a queue with bounded concurrency. One key failing stops
// only that key. The run is journaled too, so a resume after a kill finishes every key.

export const DEFAULT_FLEET_CONCURRENCY = 4;

export interface DueOptions {
  /** Keys older than this many days are due (default: the Inventory's maximum key age). */
  maxAgeDays?: number;
  /** One admin credential acting on every user. */
  as?: string;
  /** Only IAM users whose name matches (`*` any run of characters, case-insensitive). */
  match?: string;
  /** Only these credentials (a selection in the Credentials table). */
  credentialIds?: string[];
  concurrency?: number;
}

export type DueKey = z.output<typeof DueKeySchema>;
export type SkippedKey = z.output<typeof SkippedKeySchema>;
export type DuePlan = z.output<typeof DuePlanSchema>;
export type KeyResult = z.output<typeof KeyResultSchema>;
export type KeyOutcome = KeyResult['outcome'];
export type RunSummary = z.output<typeof RunSummarySchema>;

/** `SynergistExpress*` → a case-insensitive whole-name match. */
function matcher(pattern: string | undefined): (name: string) => boolean {
  if (!pattern) return () => true;
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    'i',
  );
  return (name) => re.test(name);
}

export class Fleet {
  readonly runs: RunJournal;

  constructor(
    private readonly ctx: RotationContext,
    private readonly runner: RotationRunner,
  ) {
    this.runs = new RunJournal(ctx.vault);
  }

  /** Every AWS key that is due, and every one that is not with the reason. Changes nothing. */
  async plan(opts: DueOptions = {}): Promise<{ view: DuePlan; plans: Map<string, RotationPlan> }> {
    const maxAgeDays = opts.maxAgeDays ?? this.ctx.maxKeyAgeDays();
    const matches = matcher(opts.match);
    const only = opts.credentialIds ? new Set(opts.credentialIds.map((ref) => this.ctx.credentials.find(ref).id)) : null;
    const actingId = opts.as ? this.ctx.awsCredential(opts.as).id : '';
    const creds = this.ctx.credentials.repo.list().filter((c) => c.provider === 'AWS' && c.id !== actingId && (!only || only.has(c.id)));
    const due: DueKey[] = [];
    const skipped: SkippedKey[] = [];
    const plans = new Map<string, RotationPlan>();
    const skip = (c: { id: string; name: string }, reason: string, userName: string | null = null, ageDays: number | null = null): void => {
      skipped.push({ credentialId: c.id, credentialName: c.name, userName, ageDays, reason });
    };
    await runPool(creds, opts.concurrency ?? DEFAULT_FLEET_CONCURRENCY, async (c) => {
      let plan: RotationPlan;
      try {
        plan = await planRotation(this.ctx, c.id, { as: opts.as });
      } catch (e) {
        return skip(c, e instanceof KeywardError ? e.message : 'The plan failed: the key could not be checked.');
      }
      if (!matches(plan.userName)) return skip(c, `IAM user ${plan.userName} does not match ${opts.match}.`, plan.userName);
      const own = plan.keys.find((k) => k.isCredentialKey);
      if (!own) return skip(c, `Its key is not among the keys of IAM user ${plan.userName}: verify it, or rotate it alone.`, plan.userName);
      if (own.ageDays <= maxAgeDays) return skip(c, `Not due: ${own.ageDays} days old (due after ${maxAgeDays}).`, plan.userName, own.ageDays);
      const other = plan.keys.find((k) => !k.isCredentialKey);
      const deleteFirstKeyId = plan.needsDeleteChoice && other?.status === 'Inactive' ? other.accessKeyId : null;
      const problem = choiceProblem(plan, { deleteFirstKeyId: deleteFirstKeyId ?? undefined });
      if (problem)
        return skip(
          c,
          `IAM user ${plan.userName} has two active keys: Keyward deletes an active key only on your word (keyward rotate "${c.name}" --delete-first KEY_ID).`,
          plan.userName,
          own.ageDays,
        );
      plans.set(c.id, plan);
      due.push({
        credentialId: c.id,
        credentialName: c.name,
        userName: plan.userName,
        accessKeyId: own.accessKeyId,
        ageDays: own.ageDays,
        actingCredentialId: plan.actingCredentialId,
        deleteFirstKeyId,
        deliveries: this.ctx.deliveries.placesOf(c.id),
      });
    });
    const byName = (a: { credentialName: string }, b: { credentialName: string }) => a.credentialName.localeCompare(b.credentialName);
    return { view: { maxAgeDays, due: due.sort(byName), skipped: skipped.sort(byName) }, plans };
  }

  /** Journals the run; `done` rotates every due key of the plan, and settles with the summary. */
  start(planned: { view: DuePlan; plans: Map<string, RotationPlan> }, opts: { as?: string; hold?: boolean; concurrency?: number } = {}): { runId: string; done: Promise<RunSummary> } {
    const runId = randomUUID();
    const deleteFirst = Object.fromEntries(planned.view.due.filter((d) => d.deleteFirstKeyId).map((d) => [d.credentialId, d.deleteFirstKeyId as string]));
    const actingCredentialId = opts.as ? this.ctx.awsCredential(opts.as).id : null;
    this.ctx.vault.tx(() =>
      this.runs.create(
        runId,
        planned.view.due.map((d) => d.credentialId),
        { actingCredentialId, hold: !!opts.hold, deleteFirst },
        this.ctx.now(),
      ),
    );
    const done = this.drive(runId, { hold: !!opts.hold, concurrency: opts.concurrency, plans: planned.plans }).then((summary) => ({
      ...summary,
      skipped: planned.view.skipped.length,
      skippedKeys: planned.view.skipped,
    }));
    return { runId, done };
  }

  /** Finishes a run after a kill or a stop: resumes its open rotations, starts those it never reached. */
  resume(runId: string, opts: { hold?: boolean; concurrency?: number } = {}): Promise<RunSummary> {
    return this.drive(runId, { hold: !!opts.hold, concurrency: opts.concurrency });
  }

  /** The run a rotation id or run id (or a unique prefix) names, if any. */
  findRun(idOrPrefix: string): RotationRun | null {
    return this.runs.get(idOrPrefix) ?? this.runs.listOpen().find((r) => r.id.startsWith(idOrPrefix)) ?? null;
  }

  private async drive(runId: string, opts: { hold: boolean; concurrency?: number; plans?: Map<string, RotationPlan> }): Promise<RunSummary> {
    const run = this.runs.get(runId);
    if (!run) throw new KeywardError('NOT_FOUND', `No rotation run with id "${runId}".`);
    const results: KeyResult[] = [];
    let done = 0;
    await runPool(run.credentialIds, opts.concurrency ?? DEFAULT_FLEET_CONCURRENCY, async (credentialId) => {
      const result = await this.rotateOne(run, credentialId, opts);
      results.push(result);
      this.ctx.events.emit('rotation.run', { runId, done: ++done, total: run.credentialIds.length, credentialId, outcome: result.outcome });
    });
    // Done when nothing of it is open any more: every key rotated, rolled back, or failed before it began.
    if (!this.ctx.journal.ofRun(runId).some((r) => r.state === 'IN_PROGRESS') && results.every((r) => r.outcome !== 'failed' || !r.rotationId)) {
      this.ctx.vault.tx(() => this.runs.finish(runId, this.ctx.now()));
    }
    const order = new Map(run.credentialIds.map((id, i) => [id, i]));
    results.sort((a, b) => (order.get(a.credentialId) ?? 0) - (order.get(b.credentialId) ?? 0));
    const count = (o: KeyOutcome) => results.filter((r) => r.outcome === o).length;
    return { runId, total: run.credentialIds.length, rotated: count('rotated'), held: count('held'), failed: count('failed'), skipped: 0, keys: results, skippedKeys: [] };
  }

  private async rotateOne(run: RotationRun, credentialId: string, opts: { hold: boolean; plans?: Map<string, RotationPlan> }): Promise<KeyResult> {
    const cred = this.ctx.credentials.repo.get(credentialId);
    const base = { credentialId, credentialName: cred?.name ?? credentialId };
    let rotationId: string | null = null;
    let userName: string | null = null;
    try {
      if (!cred) throw new KeywardError('NOT_FOUND', 'The credential was deleted after the run was planned.');
      const existing = this.ctx.journal.ofRun(run.id).findLast((r) => r.credentialId === credentialId);
      let rot: Rotation;
      if (existing) {
        rotationId = existing.id;
        userName = existing.userName;
        rot = await this.runner.resume(existing, { holdBeforeDelete: opts.hold });
      } else {
        const plan = opts.plans?.get(credentialId) ?? (await planRotation(this.ctx, credentialId, { as: run.options.actingCredentialId ?? undefined }));
        userName = plan.userName;
        rotationId = openRotation(this.ctx, plan, { deleteFirstKeyId: run.options.deleteFirst[credentialId] }, run.id);
        rot = await this.runner.resume(this.ctx.get(rotationId), { holdBeforeDelete: opts.hold });
      }
      return outcomeOf(base, rot, run.id);
    } catch (e) {
      const error =
        e instanceof KeywardError
          ? { code: e instanceof RotationStepError ? e.failure.error.code : e.code, message: e.message }
          : { code: 'INTERNAL', message: 'An unexpected error stopped this key; the others went on.' };
      const next = rotationId
        ? `${e instanceof RotationStepError ? `${e.failure.diagnosis.remedy[0] ?? ''} ` : ''}Then keyward rotate --resume ${run.id} (or --rollback ${rotationId}).`.trim()
        : 'Nothing was changed for this key: fix the cause, then rotate it alone or in the next run.';
      return { ...base, userName, rotationId, outcome: 'failed', newAccessKeyId: null, error, next };
    }
  }
}

function outcomeOf(base: { credentialId: string; credentialName: string }, rot: Rotation, runId: string): KeyResult {
  const common = { ...base, userName: rot.userName, rotationId: rot.id, newAccessKeyId: rot.newAccessKeyId, error: null };
  if (rot.state === 'DONE') return { ...common, outcome: 'rotated', next: null };
  if (rot.state === 'ROLLED_BACK') return { ...common, outcome: 'rolled-back', next: null };
  if (rot.held) return { ...common, outcome: 'held', next: `The old key is inactive: once nothing broke, keyward rotate --resume ${runId} deletes it (or --rollback ${rot.id}).` };
  return {
    ...common,
    outcome: 'failed',
    error: rot.error ? { code: rot.error.error.code, message: rot.error.diagnosis.cause } : null,
    next: `keyward rotate --resume ${runId} (or --rollback ${rot.id}).`,
  };
}
