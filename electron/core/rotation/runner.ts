import type { RotationContext } from './context';
import { RotationStepError } from './errors';
import type { Rotation } from './journal';
import { runRollback } from './rollback';
import { nextStep, type RotationStep } from './steps';

// Runs an unfinished rotation from where its journal stopped: each step of the table in
// turn, the fault port around its AWS calls, its record and vault writes in one
// transaction. One run per rotation at a time in this process.

export class RotationRunner {
  private readonly running = new Map<string, Promise<Rotation>>();
  /** Rotations run with holdBeforeDelete: they wait after deactivate-old. */
  private readonly holds = new Set<string>();

  constructor(private readonly ctx: RotationContext) {}

  isRunning(id: string): boolean {
    return this.running.has(id);
  }

  /**
   * Runs an unfinished rotation from where it stopped (or continues its rollback).
   * With `holdBeforeDelete`, it stops once the old key is deactivated: the admin watches the
   * old key's last use and then resumes to delete it, or rolls back.
   */
  resume(rot: Rotation, opts: { holdBeforeDelete?: boolean } = {}): Promise<Rotation> {
    return this.exclusive(rot.id, async () => {
      if (rot.state !== 'IN_PROGRESS') return rot;
      if (rot.steps.some((s) => s.name === 'rollback')) return runRollback(this.ctx, rot.id);
      if (opts.holdBeforeDelete) this.holds.add(rot.id);
      try {
        let current = rot;
        for (let step = nextStep(current.phase); step && current.state === 'IN_PROGRESS'; step = nextStep(current.phase)) {
          if (step.name === 'delete-old' && this.holds.has(rot.id) && current.held) break;
          await this.runStep(current, step);
          current = this.ctx.reload(rot);
        }
        return current;
      } finally {
        this.holds.delete(rot.id);
      }
    });
  }

  /**
   * One run per rotation at a time in this process (the window and a second click). While it
   * runs, every journal commit is durable before the next AWS call acts on it.
   */
  exclusive(id: string, fn: () => Promise<Rotation>): Promise<Rotation> {
    const running = this.running.get(id);
    if (running) return running;
    const release = this.ctx.vault.holdDurable();
    const p = fn().finally(() => {
      release();
      this.running.delete(id);
    });
    this.running.set(id, p);
    return p;
  }

  private async runStep(rot: Rotation, step: RotationStep): Promise<void> {
    const { ctx } = this;
    const name = step.name;
    ctx.progress({ rotationId: rot.id, step: name });
    try {
      await ctx.faults.at(`before:${name}`);
      const outcome = await step.run!(ctx, rot, { hold: this.holds.has(rot.id) && !!rot.oldAccessKeyId });
      // AWS has acted; the journal has not recorded it yet.
      await ctx.faults.at(`after:${name}`);
      const at = ctx.now();
      ctx.vault.tx(() => {
        ctx.journal.recordStep(rot.id, name, outcome.details, at);
        if (outcome.audit) ctx.audit.append(outcome.audit, { credentialId: rot.credentialId, details: { rotationId: rot.id, ...outcome.details } });
        outcome.write?.();
      });
      outcome.after?.();
    } catch (e) {
      if (e instanceof RotationStepError) {
        ctx.journal.recordFailure(rot.id, e.failure, ctx.now());
        ctx.audit.append('rotation.stopped', { credentialId: rot.credentialId, details: { rotationId: rot.id, step: name, operation: e.failure.operation, error: e.failure.error.code } });
      }
      throw e;
    } finally {
      ctx.changed(rot.id);
    }
  }
}
