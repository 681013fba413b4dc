import type { AuditLog } from '../audit/log';
import type { CredentialService } from '../credentials/service';
import { KeywardError } from '../errors';
import type { EventBus } from '../events';
import type { Vault } from '../vault/vault';
import { RotationContext, type RotationOptions } from './context';
import type { IamUserInfo } from './iam';
import type { Rotation, RotationJournal } from './journal';
import { deleteOrphan, orphansOf } from './orphans';
import { checkChoice, listUsers, openRotation, planRotation, type DeleteChoice, type KeyStatus, type RotationPlan } from './plan';
import { runRollback, startRollback } from './rollback';
import { RotationRunner } from './runner';
import { Fleet } from './fleet';

export { DEFAULT_MAX_KEY_AGE_DAYS, type RotationOptions, type RotationProgress } from './context';
export type { DeleteChoice, KeyStatus, RotationPlan } from './plan';

/**
 * Rotates AWS access keys as the wizard shows it: plan (plan.ts), then the steps of the
 * table (steps.ts) run by the runner (runner.ts), with rollback (rollback.ts) and orphan
 * keys (orphans.ts) in their own files. This is the front door the app and the CLI use.
 */
export class RotationService {
  private readonly ctx: RotationContext;
  private readonly runner: RotationRunner;
  /** Every due key in one journaled run (fleet.ts). */
  readonly fleet: Fleet;

  constructor(vault: Vault, credentials: CredentialService, audit: AuditLog, events: EventBus, opts: RotationOptions = {}) {
    this.ctx = new RotationContext(vault, credentials, audit, events, opts);
    this.runner = new RotationRunner(this.ctx);
    this.fleet = new Fleet(this.ctx, this.runner);
  }

  get journal(): RotationJournal {
    return this.ctx.journal;
  }

  get(idOrPrefix: string): Rotation {
    return this.ctx.get(idOrPrefix);
  }

  listOpen(): Rotation[] {
    return this.ctx.journal.listOpen();
  }

  /** Credential id → when its key was last rotated. */
  lastRotated(): Record<string, string> {
    return this.ctx.journal.lastRotated();
  }

  listUsers(asCredential: string, filter = ''): Promise<IamUserInfo[]> {
    return listUsers(this.ctx, asCredential, filter);
  }

  plan(credential: string, opts: { user?: string; as?: string } = {}): Promise<RotationPlan> {
    return planRotation(this.ctx, credential, opts);
  }

  checkChoice(plan: RotationPlan, choice: DeleteChoice): void {
    checkChoice(plan, choice);
  }

  open(plan: RotationPlan, choice: DeleteChoice = {}): string {
    return openRotation(this.ctx, plan, choice);
  }

  /** Opens the journal with the plan (find-user, check-keys) and runs the rotation to its end. */
  async start(plan: RotationPlan, choice: DeleteChoice = {}, opts: { holdBeforeDelete?: boolean } = {}): Promise<Rotation> {
    return this.resume(this.open(plan, choice), opts);
  }

  async resume(idOrPrefix: string, opts: { holdBeforeDelete?: boolean } = {}): Promise<Rotation> {
    return this.runner.resume(this.get(idOrPrefix), opts);
  }

  /** Undoes an unfinished rotation: the old key active again, the credential restored, the new key deleted. */
  rollback(idOrPrefix: string): Promise<Rotation> {
    const rot = this.get(idOrPrefix);
    if (this.runner.isRunning(rot.id)) {
      throw new KeywardError('CONFLICT', `A step of rotation ${rot.id} is running. Roll back once it stops (or finishes the wait for the new key).`);
    }
    return this.runner.exclusive(rot.id, async () => {
      await startRollback(this.ctx, rot);
      return runRollback(this.ctx, rot.id);
    });
  }

  /** The old key as IAM sees it now (status, last use), for the admin watching before the delete. */
  async oldKeyUsage(idOrPrefix: string): Promise<{ accessKeyId: string; status: 'Active' | 'Inactive'; lastUsed: KeyStatus['lastUsed'] } | null> {
    const rot = this.get(idOrPrefix);
    if (!rot.oldAccessKeyId) return null;
    const keys = await this.ctx.iam(rot, 'deactivate-old').listKeys({ lastUsed: true });
    const old = keys.find((k) => k.accessKeyId === rot.oldAccessKeyId);
    return old ? { accessKeyId: old.accessKeyId, status: old.status, lastUsed: old.lastUsed } : null;
  }

  /** Keys of the user that this rotation did not know: made by a run that died before recording them. */
  async orphans(idOrPrefix: string): Promise<string[]> {
    return orphansOf(this.ctx, this.get(idOrPrefix));
  }

  deleteOrphan(idOrPrefix: string, accessKeyId: string): Promise<Rotation> {
    return deleteOrphan(this.ctx, this.get(idOrPrefix), accessKeyId);
  }
}
