import { randomUUID } from 'node:crypto';
import type { Identity } from '../../../shared/contract';
import type { AuditAction } from '../../../shared/audit-actions';
import type { AuditLog } from '../audit/log';
import type { CredentialRecord } from '../credentials/repo';
import type { CredentialService } from '../credentials/service';
import { KeywardError } from '../errors';
import type { EventBus } from '../events';
import type { AwsCredentialParts } from '../providers/aws/client';
import { DEFAULT_CHECK } from '../verification/check';
import type { Vault } from '../vault/vault';
import { RotationStepError } from './errors';
import { IamCalls, type AccessKeyInfo, type CallOptions, type IamUserInfo } from './iam';
import { RotationJournal, type Rotation, type StepName } from './journal';
import { DEFAULT_PROPAGATION, waitForKeyToWork, type PropagationOptions } from './propagation';

export const DEFAULT_MAX_KEY_AGE_DAYS = 90;

export interface RotationOptions {
  call?: CallOptions;
  propagation?: Partial<PropagationOptions>;
  /** Keys older than this are flagged; a function so a changed setting applies at once. */
  maxKeyAgeDays?: number | (() => number);
  /** Test hook only: awaited at `before:<step>` / `after:<step>` (after the AWS call, before the journal write). */
  pause?: (point: string) => Promise<void>;
  /** Progress for a watcher (the CLI on a terminal, the wizard): a step began, or the countdown ticked. */
  onProgress?: (p: RotationProgress) => void;
  /** The System Parameters bound to a credential, named in the apply step and its audit event. */
  boundParameters?: (credentialId: string) => Array<{ key: string; field: string }>;
}

export interface RotationProgress {
  rotationId: string;
  step: StepName | 'rollback';
  /** While waiting for the new key to work: seconds left before the step gives up. */
  secondsLeft?: number;
}

export interface KeyStatus extends AccessKeyInfo {
  ageDays: number;
  tooOld: boolean;
  /** This is the credential's key: the one being rotated. */
  isCredentialKey: boolean;
}

/** What "find the IAM user" and "check key status" found, before anything changes. */
export interface RotationPlan {
  credentialId: string;
  credentialName: string;
  actingCredentialId: string | null;
  userName: string;
  keys: KeyStatus[];
  oldAccessKeyId: string | null;
  /** AWS allows two keys: with two, one must be deleted first, chosen by the admin. */
  needsDeleteChoice: boolean;
  /** Keys that may be deleted first (never the credential's own key). */
  deletable: string[];
  /** Keys older than this many days are flagged. */
  maxKeyAgeDays: number;
}

export interface DeleteChoice {
  deleteFirstKeyId?: string;
  /** The admin's explicit word that the chosen key may be deleted although it is Active. */
  confirmActive?: boolean;
}

const NEXT: Partial<Record<StepName, StepName>> = {
  'check-keys': 'delete-chosen-key',
  'delete-chosen-key': 'create-key',
  'create-key': 'wait-for-key',
  'wait-for-key': 'apply',
  apply: 'deactivate-old',
  'deactivate-old': 'delete-old',
};

/**
 * Rotates an AWS access key as the wizard shows it, step by step: find the IAM user,
 * check its keys, (delete the chosen extra key), create the new key, wait for it to
 * work, apply it to the credential and its parameters, deactivate the old key, delete
 * it. Each step is one transaction in the journal and reconciles with IAM before it
 * acts, so a rotation killed at any moment resumes or rolls back with no key lost.
 */
export class RotationService {
  readonly journal: RotationJournal;
  private readonly call: CallOptions;
  private readonly propagation: PropagationOptions;
  private readonly running = new Map<string, Promise<Rotation>>();
  /** Rotations resumed with holdBeforeDelete: they wait after deactivate-old. */
  private readonly holds = new Set<string>();

  constructor(
    private readonly vault: Vault,
    private readonly credentials: CredentialService,
    private readonly audit: AuditLog,
    private readonly events: EventBus,
    private readonly opts: RotationOptions = {},
  ) {
    this.journal = new RotationJournal(vault);
    this.call = opts.call ?? { timeoutMs: DEFAULT_CHECK.timeoutMs, maxAttempts: DEFAULT_CHECK.maxAttempts };
    this.propagation = { ...DEFAULT_PROPAGATION, ...opts.propagation };
  }

  // --- reading ------------------------------------------------------------------------------

  get(idOrPrefix: string): Rotation {
    const id = this.journal.resolveId(idOrPrefix);
    const rot = id ? this.journal.get(id) : null;
    if (!rot) throw new KeywardError('NOT_FOUND', `No rotation with id "${idOrPrefix}". Unfinished ones: \`keyward rotate --resume\`.`);
    return rot;
  }

  listOpen(): Rotation[] {
    return this.journal.listOpen();
  }

  /** IAM users the admin credential can see, filtered by a name fragment (e.g. SynergistExpress). */
  async listUsers(asCredential: string, filter = ''): Promise<IamUserInfo[]> {
    const acting = this.awsCredential(asCredential);
    const users = await new IamCalls(this.partsOf(acting), 'find-user', '', this.call).listUsers();
    const f = filter.toLowerCase();
    return users.filter((u) => u.userName.toLowerCase().includes(f));
  }

  // --- find the IAM user, check key status ----------------------------------------------------

  /** Preflight: who acts, on which IAM user, and the user's keys. Changes nothing. */
  async plan(credential: string, opts: { user?: string; as?: string } = {}): Promise<RotationPlan> {
    const cred = this.awsCredential(credential);
    const open = this.journal.openFor(cred.id);
    if (open) {
      throw new KeywardError('CONFLICT', `"${cred.name}" already has an unfinished rotation (${open}). Resume it (keyward rotate --resume ${open}) or roll it back (keyward rotate --rollback ${open}).`);
    }
    const acting = opts.as ? this.awsCredential(opts.as) : cred;
    let userName = opts.user ?? '';
    if (!userName) {
      // The user the rotated key belongs to: STS answers for any working key.
      const who = await new IamCalls(this.partsOf(cred), 'find-user', '', this.call).callerUserName();
      if (!who.userName) throw new KeywardError('INVALID_INPUT', `The key of "${cred.name}" belongs to ${who.arn}, not an IAM user: only IAM user keys can be rotated.`);
      userName = who.userName;
    }
    const keys = await new IamCalls(this.partsOf(acting), 'check-keys', userName, this.call).listKeys({ lastUsed: true });
    const setting = this.opts.maxKeyAgeDays;
    const maxAge = (typeof setting === 'function' ? setting() : setting) ?? DEFAULT_MAX_KEY_AGE_DAYS;
    const now = Date.now();
    const statuses: KeyStatus[] = keys.map((k) => {
      const ageDays = Math.floor((now - Date.parse(k.createdAt)) / 86_400_000);
      return { ...k, ageDays, tooOld: ageDays > maxAge, isCredentialKey: k.accessKeyId === cred.fields.accessKeyId };
    });
    const oldAccessKeyId = statuses.some((k) => k.isCredentialKey) ? cred.fields.accessKeyId : null;
    return {
      credentialId: cred.id,
      credentialName: cred.name,
      actingCredentialId: opts.as ? acting.id : null,
      userName,
      keys: statuses,
      oldAccessKeyId,
      needsDeleteChoice: keys.length >= 2,
      deletable: statuses.filter((k) => !k.isCredentialKey).map((k) => k.accessKeyId),
      maxKeyAgeDays: maxAge,
    };
  }

  /** Checks the admin's choice of the key to delete first; throws what is missing. Changes nothing. */
  checkChoice(plan: RotationPlan, choice: DeleteChoice): void {
    const id = choice.deleteFirstKeyId;
    if (!id) {
      if (plan.needsDeleteChoice) {
        const inactive = plan.keys.filter((k) => k.status === 'Inactive' && !k.isCredentialKey).map((k) => k.accessKeyId);
        throw new KeywardError(
          'CONFLICT',
          `IAM user ${plan.userName} already has two access keys, and AWS allows two. Choose one to delete first${inactive.length ? ` (inactive: ${inactive.join(', ')})` : ''}: keyward rotate CRED --delete-first KEY_ID. Nothing was changed.`,
        );
      }
      return;
    }
    const key = plan.keys.find((k) => k.accessKeyId === id);
    if (!key) throw new KeywardError('INVALID_INPUT', `IAM user ${plan.userName} has no access key ${id}. Nothing was changed.`);
    if (key.isCredentialKey) throw new KeywardError('INVALID_INPUT', `${id} is the key being rotated: choose the other key to delete first. Nothing was changed.`);
    if (key.status === 'Active' && !choice.confirmActive) {
      throw new KeywardError('CONFLICT', `${id} is Active: Keyward never deletes an active key without your explicit confirmation. Deactivate it first, or confirm it interactively. Nothing was changed.`);
    }
  }

  /** Opens the journal with the plan (find-user, check-keys) and runs the rotation to its end. */
  async start(plan: RotationPlan, choice: DeleteChoice = {}, opts: { holdBeforeDelete?: boolean } = {}): Promise<Rotation> {
    return this.resume(this.open(plan, choice), opts);
  }

  /** Opens the journal with the plan's two steps (find-user, check-keys); returns its id. Calls no AWS. */
  open(plan: RotationPlan, choice: DeleteChoice = {}): string {
    this.checkChoice(plan, choice);
    const id = randomUUID();
    const at = new Date().toISOString();
    try {
      this.vault.db.transaction(() => {
        this.journal.create({
          id,
          credentialId: plan.credentialId,
          actingCredentialId: plan.actingCredentialId,
          userName: plan.userName,
          oldAccessKeyId: plan.oldAccessKeyId,
          deleteFirstKeyId: choice.deleteFirstKeyId ?? null,
          confirmedActive: !!choice.confirmActive,
          keysAtStart: plan.keys.map((k) => k.accessKeyId),
          at,
        });
        this.journal.recordStep(id, 'find-user', { userName: plan.userName, acting: plan.actingCredentialId ? 'admin credential' : 'the credential itself' }, at);
        this.journal.recordStep(id, 'check-keys', { keys: plan.keys.map((k) => ({ accessKeyId: k.accessKeyId, status: k.status, ageDays: k.ageDays })) }, at);
        this.audit.append('rotation.started', {
          credentialId: plan.credentialId,
          details: { rotationId: id, userName: plan.userName, oldAccessKeyId: plan.oldAccessKeyId, deleteFirst: choice.deleteFirstKeyId ?? null, actingCredentialId: plan.actingCredentialId },
        });
      })();
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new KeywardError('CONFLICT', `"${plan.credentialName}" already has an unfinished rotation. Resume it or roll it back first.`);
      }
      throw e;
    }
    return id;
  }

  // --- resume ---------------------------------------------------------------------------------

  /** Runs an unfinished rotation from where it stopped (or continues its rollback). */
  /**
   * Runs an unfinished rotation from where it stopped (or continues its rollback).
   * With `holdBeforeDelete`, it stops once the old key is deactivated: the admin watches the
   * old key's last use (`oldKeyUsage`) and then resumes to delete it, or rolls back.
   */
  resume(idOrPrefix: string, opts: { holdBeforeDelete?: boolean } = {}): Promise<Rotation> {
    const rot = this.get(idOrPrefix);
    return this.exclusive(rot.id, async () => {
      if (rot.state !== 'IN_PROGRESS') return rot;
      if (rot.steps.some((s) => s.name === 'rollback')) return this.runRollback(rot.id);
      if (opts.holdBeforeDelete) this.holds.add(rot.id);
      try {
        let current = rot;
        for (let step = NEXT[current.phase]; step && current.state === 'IN_PROGRESS'; step = NEXT[current.phase]) {
          if (step === 'delete-old' && this.holds.has(rot.id) && current.held) break;
          await this.runStep(current, step);
          current = this.journal.get(rot.id) as Rotation;
        }
        return current;
      } finally {
        this.holds.delete(rot.id);
      }
    });
  }

  /** The old key as IAM sees it now (status, last use), for the admin watching before the delete. */
  async oldKeyUsage(idOrPrefix: string): Promise<{ accessKeyId: string; status: 'Active' | 'Inactive'; lastUsed: KeyStatus['lastUsed'] } | null> {
    const rot = this.get(idOrPrefix);
    if (!rot.oldAccessKeyId) return null;
    const keys = await this.iam(rot, 'deactivate-old').listKeys({ lastUsed: true });
    const old = keys.find((k) => k.accessKeyId === rot.oldAccessKeyId);
    return old ? { accessKeyId: old.accessKeyId, status: old.status, lastUsed: old.lastUsed } : null;
  }

  private async runStep(rot: Rotation, step: StepName): Promise<void> {
    this.progress({ rotationId: rot.id, step });
    try {
      await this.opts.pause?.(`before:${step}`);
      await this.steps[step]?.(rot);
    } catch (e) {
      if (e instanceof RotationStepError) {
        this.journal.recordFailure(rot.id, e.failure, new Date().toISOString());
        this.audit.append('rotation.stopped', { credentialId: rot.credentialId, details: { rotationId: rot.id, step, operation: e.failure.operation, error: e.failure.error.code } });
      }
      throw e;
    } finally {
      this.changed(rot.id);
    }
  }

  private progress(p: RotationProgress): void {
    this.opts.onProgress?.(p);
    this.events.emit('rotation.progress', p);
  }

  /** The journal as it stands, to whoever watches (the wizard). */
  private changed(id: string): void {
    const rot = this.journal.get(id);
    if (rot) this.events.emit('rotation.changed', rot);
  }

  private readonly steps: Partial<Record<StepName, (rot: Rotation) => Promise<void>>> = {
    'delete-chosen-key': (rot) => this.deleteChosenKey(rot),
    'create-key': (rot) => this.createKey(rot),
    'wait-for-key': (rot) => this.waitForKey(rot),
    apply: async (rot) => this.apply(rot),
    'deactivate-old': (rot) => this.deactivateOld(rot),
    'delete-old': (rot) => this.deleteOld(rot),
  };

  private async deleteChosenKey(rot: Rotation): Promise<void> {
    const id = rot.deleteFirstKeyId;
    if (id) {
      const iam = this.iam(rot, 'delete-chosen-key');
      const key = (await iam.listKeys()).find((k) => k.accessKeyId === id);
      if (key?.status === 'Active' && !rot.confirmedActive) {
        throw new KeywardError('CONFLICT', `${id} became Active since it was chosen; it is not deleted without your word. Roll back, or start again.`);
      }
      if (key) await iam.deleteKey(id);
      await this.opts.pause?.('after:delete-chosen-key');
    }
    this.record(rot, 'delete-chosen-key', id ? { accessKeyId: id, aws: ['iam:DeleteAccessKey'] } : { skipped: true }, 'rotation.key-deleted');
  }

  private async createKey(rot: Rotation): Promise<void> {
    const iam = this.iam(rot, 'create-key');
    // Reconcile first: a key the journal does not know was created by a run that died
    // before it could record it. Its secret is lost; report it, never make a third.
    await this.refuseOrphans(rot, iam);
    const created = await iam.createKey();
    await this.opts.pause?.('after:create-key');
    // AWS shows the secret once: it is sealed in the same transaction as the step.
    this.vault.db.transaction(() => {
      this.journal.putNewKey(rot.id, created.accessKeyId, created.secretAccessKey);
      this.record(rot, 'create-key', { accessKeyId: created.accessKeyId, aws: ['iam:ListAccessKeys', 'iam:CreateAccessKey'] }, 'rotation.key-created');
    })();
  }

  private async waitForKey(rot: Rotation): Promise<void> {
    const cred = this.credentialOf(rot);
    const parts = { ...this.partsOf(cred), accessKeyId: rot.newAccessKeyId as string, secretAccessKey: this.journal.newSecret(rot.id) as string };
    const result = await waitForKeyToWork(parts, {
      ...this.propagation,
      call: this.call,
      onWait: (secondsLeft) => this.progress({ rotationId: rot.id, step: 'wait-for-key', secondsLeft }),
    });
    await this.opts.pause?.('after:wait-for-key');
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
    this.record(rot, 'wait-for-key', { attempts: result.attempts, waitedMs: result.waitedMs, identity: result.identity, aws: ['sts:GetCallerIdentity'] });
  }

  /** Switches the credential (and so every parameter bound to it) to the new key, in one transaction. */
  private apply(rot: Rotation): void {
    const cred = this.credentialOf(rot);
    const newId = rot.newAccessKeyId as string;
    const newSecret = this.journal.newSecret(rot.id) as string;
    const oldSecret = this.credentials.repo.secretsOf(cred.id).secretAccessKey ?? '';
    const identity = (rot.steps.findLast((s) => s.name === 'wait-for-key')?.details.identity ?? null) as Identity | null;
    const bound = this.opts.boundParameters?.(cred.id) ?? [];
    const at = new Date().toISOString();
    this.vault.db.transaction(() => {
      this.journal.putOldSecret(rot.id, oldSecret);
      this.credentials.repo.update(cred.id, cred.name, { ...cred.fields, accessKeyId: newId }, { secretAccessKey: newSecret }, at, true);
      // The wait step just proved the new key works: the credential is VALID as it stands.
      this.credentials.repo.recordCheck(cred.id, { status: 'VALID', identity, error: null, diagnosis: null, at });
      this.audit.append('credential.rotated', {
        credentialId: cred.id,
        details: { name: cred.name, rotationId: rot.id, before: { accessKeyId: cred.fields.accessKeyId }, after: { accessKeyId: newId }, secretsChanged: ['secretAccessKey'] },
      });
      for (const p of bound) {
        const change = p.field === 'accessKeyId' ? { before: cred.fields.accessKeyId, after: newId } : { value: 'changed' };
        if (p.field === 'accessKeyId' || p.field === 'secretAccessKey') this.audit.append('parameter.changed', { credentialId: cred.id, details: { key: p.key, via: 'rotation', rotationId: rot.id, ...change } });
      }
      this.record(rot, 'apply', { credential: cred.name, parameters: bound.filter((p) => p.field !== 'region').map((p) => p.key) });
    })();
    this.events.emit('credential.changed', this.credentials.get(cred.id));
  }

  private async deactivateOld(rot: Rotation): Promise<void> {
    const old = rot.oldAccessKeyId;
    if (old) {
      const iam = this.iam(rot, 'deactivate-old');
      const key = (await iam.listKeys()).find((k) => k.accessKeyId === old);
      if (key?.status === 'Active') await iam.setStatus(old, 'Inactive');
      await this.opts.pause?.('after:deactivate-old');
    }
    const hold = this.holds.has(rot.id) && !!old;
    this.record(rot, 'deactivate-old', old ? { accessKeyId: old, aws: ['iam:UpdateAccessKey'], ...(hold ? { holdBeforeDelete: true } : {}) } : { skipped: true, reason: 'the credential’s old key was not among the user’s keys' });
  }

  private async deleteOld(rot: Rotation): Promise<void> {
    const old = rot.oldAccessKeyId;
    if (old) {
      await this.iam(rot, 'delete-old').deleteKey(old);
      await this.opts.pause?.('after:delete-old');
    }
    const at = new Date().toISOString();
    this.vault.db.transaction(() => {
      this.journal.recordStep(rot.id, 'delete-old', old ? { accessKeyId: old, aws: ['iam:DeleteAccessKey'] } : { skipped: true }, at);
      this.journal.setState(rot.id, 'DONE', at);
      this.audit.append('rotation.completed', {
        credentialId: rot.credentialId,
        details: { rotationId: rot.id, userName: rot.userName, oldAccessKeyId: old, newAccessKeyId: rot.newAccessKeyId },
      });
    })();
  }

  // --- roll back, orphans ---------------------------------------------------------------------

  /** Undoes an unfinished rotation: the old key active again, the credential restored, the new key deleted. */
  rollback(idOrPrefix: string): Promise<Rotation> {
    const rot = this.get(idOrPrefix);
    if (this.running.has(rot.id)) {
      throw new KeywardError('CONFLICT', `A step of rotation ${rot.id} is running. Roll back once it stops (or finishes the wait for the new key).`);
    }
    return this.exclusive(rot.id, async () => {
      if (rot.state !== 'IN_PROGRESS') {
        throw new KeywardError('CONFLICT', `Rotation ${rot.id} is ${rot.state === 'DONE' ? 'finished: the old key is deleted, so there is nothing to go back to' : 'already rolled back'}.`);
      }
      if (!rot.steps.some((s) => s.name === 'rollback')) {
        // Once the old key is deleted there is nothing to go back to: only finishing is safe.
        const old = rot.oldAccessKeyId;
        if (old && !(await this.iam(rot, 'rollback').listKeys()).some((k) => k.accessKeyId === old)) {
          throw new KeywardError('CONFLICT', `The old key ${old} is already deleted from IAM, so rotation ${rot.id} cannot be rolled back. Finish it: keyward rotate --resume ${rot.id}.`);
        }
        this.vault.db.transaction(() => this.record(rot, 'rollback', { from: rot.phase }, 'rotation.rollback-started'))();
      }
      return this.runRollback(rot.id);
    });
  }

  private async runRollback(id: string): Promise<Rotation> {
    let rot = this.journal.get(id) as Rotation;
    this.progress({ rotationId: id, step: 'rollback' });
    try {
      const iam = () => this.iam(rot, 'rollback');
      await this.refuseOrphans(rot, iam());
      const keys = await iam().listKeys();
      const old = rot.oldAccessKeyId ? keys.find((k) => k.accessKeyId === rot.oldAccessKeyId) : undefined;
      if (old?.status === 'Inactive') await iam().setStatus(old.accessKeyId, 'Active');
      await this.opts.pause?.('rollback:reactivated');
      const cred = this.credentialOf(rot);
      if (rot.newAccessKeyId && cred.fields.accessKeyId === rot.newAccessKeyId) {
        const oldSecret = this.journal.oldSecret(rot.id) as string;
        const at = new Date().toISOString();
        this.vault.db.transaction(() => {
          this.credentials.repo.update(cred.id, cred.name, { ...cred.fields, accessKeyId: rot.oldAccessKeyId ?? cred.fields.accessKeyId }, { secretAccessKey: oldSecret }, at, true);
          this.audit.append('credential.rotated', {
            credentialId: cred.id,
            details: { name: cred.name, rotationId: rot.id, rollback: true, before: { accessKeyId: rot.newAccessKeyId }, after: { accessKeyId: rot.oldAccessKeyId }, secretsChanged: ['secretAccessKey'] },
          });
        })();
        this.events.emit('credential.changed', this.credentials.get(cred.id));
        rot = this.journal.get(id) as Rotation;
      }
      await this.opts.pause?.('rollback:restored');
      if (rot.newAccessKeyId && keys.some((k) => k.accessKeyId === rot.newAccessKeyId)) await iam().deleteKey(rot.newAccessKeyId);
    } catch (e) {
      if (e instanceof RotationStepError) this.journal.recordFailure(id, e.failure, new Date().toISOString());
      this.changed(id);
      throw e;
    }
    const at = new Date().toISOString();
    this.vault.db.transaction(() => {
      this.journal.recordStep(id, 'rolled-back', { oldAccessKeyId: rot.oldAccessKeyId, deletedNewKey: rot.newAccessKeyId }, at);
      this.journal.setState(id, 'ROLLED_BACK', at);
      this.audit.append('rotation.rolled-back', { credentialId: rot.credentialId, details: { rotationId: id, oldAccessKeyId: rot.oldAccessKeyId, newAccessKeyId: rot.newAccessKeyId } });
    })();
    this.changed(id);
    return this.journal.get(id) as Rotation;
  }

  /** Keys of the user that this rotation did not know: made by a run that died before recording them. */
  async orphans(idOrPrefix: string): Promise<string[]> {
    const rot = this.get(idOrPrefix);
    return this.findOrphans(rot, await this.iam(rot, 'create-key').listKeys());
  }

  /** Deletes an orphan key, on the admin's explicit word; only a key the journal does not know. */
  async deleteOrphan(idOrPrefix: string, accessKeyId: string): Promise<Rotation> {
    const rot = this.get(idOrPrefix);
    if (rot.state !== 'IN_PROGRESS') throw new KeywardError('CONFLICT', `Rotation ${rot.id} is ${rot.state}.`);
    const iam = this.iam(rot, 'create-key');
    const orphans = this.findOrphans(rot, await iam.listKeys());
    if (!orphans.includes(accessKeyId)) {
      throw new KeywardError('INVALID_INPUT', `${accessKeyId} is not an orphan of rotation ${rot.id}${orphans.length ? ` (orphans: ${orphans.join(', ')})` : ' (it has none)'}: Keyward only deletes keys it created and lost.`);
    }
    await iam.deleteKey(accessKeyId);
    this.vault.db.transaction(() => this.record(rot, 'orphan-deleted', { accessKeyId, aws: ['iam:DeleteAccessKey'] }, 'rotation.orphan-deleted'))();
    return this.journal.get(rot.id) as Rotation;
  }

  private findOrphans(rot: Rotation, keys: AccessKeyInfo[]): string[] {
    const known = new Set([...rot.keysAtStart, ...(rot.newAccessKeyId ? [rot.newAccessKeyId] : [])]);
    return keys.map((k) => k.accessKeyId).filter((k) => !known.has(k));
  }

  private async refuseOrphans(rot: Rotation, iam: IamCalls): Promise<void> {
    const orphans = this.findOrphans(rot, await iam.listKeys());
    if (orphans.length === 0) return;
    throw new RotationStepError({
      step: 'create-key',
      operation: 'ListAccessKeys',
      error: { code: 'OrphanKey', message: `IAM user ${rot.userName} has key(s) this rotation did not record: ${orphans.join(', ')}.` },
      diagnosis: {
        cause: `A run of this rotation was stopped between AWS creating the new key and Keyward recording it, so the key exists but its secret was never seen again. Keyward will not create another key beside it.`,
        remedy: [`Delete the orphan: keyward rotate --resume ${rot.id} --delete-orphan ${orphans[0]} (or --rollback with the same flag).`, 'Its secret is lost; nothing uses it.'],
        test: `aws iam list-access-keys --user-name ${rot.userName}`,
        link: null,
      },
    });
  }

  // --- helpers --------------------------------------------------------------------------------

  private record(rot: Rotation, step: Parameters<RotationJournal['recordStep']>[1], details: Record<string, unknown>, auditAction?: AuditAction): void {
    const at = new Date().toISOString();
    this.vault.db.transaction(() => {
      this.journal.recordStep(rot.id, step, details, at);
      if (auditAction) this.audit.append(auditAction, { credentialId: rot.credentialId, details: { rotationId: rot.id, ...details } });
    })();
  }

  /** One run per rotation at a time in this process (the window and a second click). */
  private exclusive(id: string, fn: () => Promise<Rotation>): Promise<Rotation> {
    const running = this.running.get(id);
    if (running) return running;
    const p = fn().finally(() => this.running.delete(id));
    this.running.set(id, p);
    return p;
  }

  private awsCredential(ref: string): CredentialRecord {
    const cred = this.credentials.find(ref);
    if (cred.provider !== 'AWS') throw new KeywardError('INVALID_INPUT', `"${cred.name}" is a ${cred.provider} credential: only AWS access keys are rotated.`);
    return cred;
  }

  private credentialOf(rot: Rotation): CredentialRecord {
    const cred = this.credentials.repo.get(rot.credentialId);
    if (!cred) throw new KeywardError('NOT_FOUND', `The credential of rotation ${rot.id} was deleted. Roll the keys back in the IAM console; the new key's id is ${rot.newAccessKeyId ?? 'not created'}.`);
    return cred;
  }

  private partsOf(cred: CredentialRecord): AwsCredentialParts {
    return {
      accessKeyId: cred.fields.accessKeyId,
      secretAccessKey: this.credentials.repo.secretsOf(cred.id).secretAccessKey ?? '',
      region: cred.fields.region || 'us-east-1',
      endpointUrl: cred.fields.endpointUrl || undefined,
    };
  }

  /**
   * Who calls IAM: the admin credential, or the credential itself with whatever key it
   * holds now (the old key before apply, the new one after), so a self-rotation never
   * calls with a key it has just deactivated.
   */
  private iam(rot: Rotation, step: string): IamCalls {
    const acting = rot.actingCredentialId ? this.credentials.find(rot.actingCredentialId) : this.credentialOf(rot);
    return new IamCalls(this.partsOf(acting), step, rot.userName, this.call);
  }
}
