import type { AuditAction } from '../../../shared/audit-actions';
import { DEFAULT_AWS_REGION } from '../../../shared/regions';
import type { AuditLog } from '../audit/log';
import type { CredentialRecord } from '../credentials/repo';
import type { CredentialService } from '../credentials/service';
import { DeliveryService } from '../deliveries/service';
import { ParameterRepo } from '../parameters/repo';
import { silentLogger, type Logger } from '../ports/logger';
import { KeywardError } from '../errors';
import type { EventBus } from '../events';
import { isoNow, systemClock, type Clock } from '../ports/clock';
import type { AwsCredentialParts } from '../providers/aws/client';
import { DEFAULT_CHECK } from '../verification/check';
import type { Vault } from '../vault/vault';
import { NO_FAULTS, type FaultPort } from './faults';
import { IamCalls, type CallOptions } from './iam';
import { RotationJournal, type JournalStepName, type Rotation, type StepName } from './journal';
import { DEFAULT_PROPAGATION, type PropagationOptions } from './propagation';

export const DEFAULT_MAX_KEY_AGE_DAYS = 90;

export interface RotationOptions {
  call?: CallOptions;
  propagation?: Partial<PropagationOptions>;
  /** Keys older than this are flagged; a function so a changed setting applies at once. */
  maxKeyAgeDays?: number | (() => number);
  /** Faults only tests inject (faults.ts). */
  faults?: FaultPort;
  clock?: Clock;
  /** Progress for a watcher (the CLI on a terminal, the wizard): a step began, or the countdown ticked. */
  onProgress?: (p: RotationProgress) => void;
  /** The places each credential's key is copied to: apply writes and checks them, rollback restores them (one over the same vault when not given). */
  deliveries?: DeliveryService;
  /** Where an unexpected error of a delivery goes (never its message or a secret). */
  log?: Logger;
}

export interface RotationProgress {
  rotationId: string;
  step: StepName | 'rollback';
  /** While waiting for the new key to work: seconds left before the step gives up. */
  secondsLeft?: number;
}

/**
 * What every part of a rotation shares: the vault and its services, the AWS call options,
 * the fault port, and the small lookups each step needs (who acts, with which key).
 */
export class RotationContext {
  readonly journal: RotationJournal;
  readonly call: CallOptions;
  readonly propagation: PropagationOptions;
  readonly faults: FaultPort;
  readonly clock: Clock;
  readonly deliveries: DeliveryService;
  readonly log: Logger;

  constructor(
    readonly vault: Vault,
    readonly credentials: CredentialService,
    readonly audit: AuditLog,
    readonly events: EventBus,
    readonly opts: RotationOptions,
  ) {
    this.journal = new RotationJournal(vault);
    this.call = opts.call ?? { timeoutMs: DEFAULT_CHECK.timeoutMs, maxAttempts: DEFAULT_CHECK.maxAttempts };
    this.propagation = { ...DEFAULT_PROPAGATION, ...opts.propagation };
    this.faults = opts.faults ?? NO_FAULTS;
    this.clock = opts.clock ?? systemClock;
    this.log = opts.log ?? silentLogger;
    this.deliveries = opts.deliveries ?? new DeliveryService(vault, credentials, new ParameterRepo(vault), audit, { clock: this.clock, log: this.log, check: { ...DEFAULT_CHECK, ...this.call } });
  }

  now(): string {
    return isoNow(this.clock);
  }

  maxKeyAgeDays(): number {
    const setting = this.opts.maxKeyAgeDays;
    return (typeof setting === 'function' ? setting() : setting) ?? DEFAULT_MAX_KEY_AGE_DAYS;
  }

  get(idOrPrefix: string): Rotation {
    const id = this.journal.resolveId(idOrPrefix);
    const rot = id ? this.journal.get(id) : null;
    if (!rot) throw new KeywardError('NOT_FOUND', `No rotation with id "${idOrPrefix}". Unfinished ones: \`keyward rotate --resume\`.`);
    return rot;
  }

  /** The journal as it stands now (after a step wrote to it). */
  reload(rot: Rotation): Rotation {
    return this.journal.get(rot.id) as Rotation;
  }

  /** Records a journal step (and its audit event) in one transaction. */
  record(rot: Rotation, step: JournalStepName, details: Record<string, unknown>, auditAction?: AuditAction): void {
    const at = this.now();
    this.vault.tx(() => {
      this.journal.recordStep(rot.id, step, details, at);
      if (auditAction) this.audit.append(auditAction, { credentialId: rot.credentialId, details: { rotationId: rot.id, ...details } });
    });
  }

  progress(p: RotationProgress): void {
    this.opts.onProgress?.(p);
    this.events.emit('rotation.progress', p);
  }

  /** The journal as it stands, to whoever watches (the wizard). */
  changed(id: string): void {
    const rot = this.journal.get(id);
    if (rot) this.events.emit('rotation.changed', rot);
  }

  awsCredential(ref: string): CredentialRecord {
    const cred = this.credentials.find(ref);
    if (cred.provider !== 'AWS') throw new KeywardError('INVALID_INPUT', `"${cred.name}" is a ${cred.provider} credential: only AWS access keys are rotated.`);
    return cred;
  }

  credentialOf(rot: Rotation): CredentialRecord {
    const cred = this.credentials.repo.get(rot.credentialId);
    if (!cred)
      throw new KeywardError('NOT_FOUND', `The credential of rotation ${rot.id} was deleted. Roll the keys back in the IAM console; the new key's id is ${rot.newAccessKeyId ?? 'not created'}.`);
    return cred;
  }

  partsOf(cred: CredentialRecord): AwsCredentialParts {
    return {
      accessKeyId: cred.fields.accessKeyId,
      secretAccessKey: this.credentials.repo.secretsOf(cred.id).secretAccessKey ?? '',
      region: cred.fields.region || DEFAULT_AWS_REGION,
      endpointUrl: cred.fields.endpointUrl || undefined,
    };
  }

  /**
   * Who calls IAM: the admin credential, or the credential itself with whatever key it
   * holds now (the old key before apply, the new one after), so a self-rotation never
   * calls with a key it has just deactivated.
   */
  iam(rot: Rotation, step: string): IamCalls {
    const acting = rot.actingCredentialId ? this.credentials.find(rot.actingCredentialId) : this.credentialOf(rot);
    return new IamCalls(this.partsOf(acting), step, rot.userName, this.call);
  }
}
