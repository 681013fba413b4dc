import { randomUUID } from 'node:crypto';
import { homedir } from 'node:os';
import type { z } from 'zod';
import type { Delivery, DeliveryConfig, DeliveryKindView, DeliveryOutcome } from '../../../shared/channels/deliveries';
import type { CheckError, Diagnosis } from '../../../shared/contract';
import { maskKeyId } from '../../../shared/mask';
import { DEFAULT_AWS_REGION } from '../../../shared/regions';
import type { AuditLog } from '../audit/log';
import type { CredentialRecord } from '../credentials/repo';
import type { CredentialService } from '../credentials/service';
import { KeywardError } from '../errors';
import type { FileWriter } from '../file-replace';
import type { ParameterRepo } from '../parameters/repo';
import { isoNow, type Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import { awsClientConfig, awsProfileClientConfig } from '../providers/aws/client';
import { stsSdk } from '../providers/aws/sdk';
import { diagnose } from '../diagnosis/diagnose';
import type { CheckOptions } from '../providers/types';
import { RotationStepError } from '../rotation/errors';
import { checkCredential } from '../verification/check';
import type { Vault } from '../vault/vault';
import { deliveryKindViews } from './fields';
import { deliveryKind } from './index';
import type { AnyDeliveryKind, BoundParameters, DeliveredKey, DeliveryCheck, DeliveryContext, SharedProfile } from './kind';
import { deliveryFiles } from './local-file';
import { DeliveryRepo, type DeliveryRow } from './repo';

// The deliveries use cases behind `delivery.*` and `keyward delivery`, and what the
// rotation's apply step asks of them (the context each kind is given, a read-back compared).

export interface DeliveryPorts {
  clock: Clock;
  log: Logger;
  check: Omit<CheckOptions, 'signal'>;
  /** Relative paths resolve here (the home folder). */
  fsRoot?: string;
  /** How local files are written (tests pass one that fails). */
  files?: FileWriter;
}

/** A delivery with its kind and its config parsed by the kind's schema. */
export interface LoadedDelivery {
  row: DeliveryRow;
  kind: AnyDeliveryKind;
  config: unknown;
  /** The place in words (kind.describe). */
  place: string;
}

/** Does what the place holds match the key? Every half it holds must; it must hold one. */
export function holdsKey(held: Partial<DeliveredKey> | null, key: DeliveredKey): boolean {
  if (!held || (!held.accessKeyId && !held.secretAccessKey)) return false;
  return (!held.accessKeyId || held.accessKeyId === key.accessKeyId) && (!held.secretAccessKey || held.secretAccessKey === key.secretAccessKey);
}

/** An outcome as stored and shown: the key id masked, never a secret. */
/** What a place's failure says: its code and message, and the diagnosis an AWS place's failed call carries (deliveries/aws-place.ts). */
export function placeError(e: KeywardError): { error: CheckError; diagnosis: Diagnosis | null } {
  if (e instanceof RotationStepError) return { error: e.failure.error, diagnosis: e.failure.diagnosis };
  return { error: { code: e.code, message: e.message }, diagnosis: null };
}

export function deliveryOutcome(at: string, ok: boolean, accessKeyId: string | null | undefined, detail: string, failure?: { error: CheckError; diagnosis: Diagnosis | null }): DeliveryOutcome {
  return { at, ok, accessKeyId: accessKeyId ? maskKeyId(accessKeyId) : null, detail, error: failure?.error ?? null, diagnosis: failure?.diagnosis ?? null };
}

/** A config parsed by its kind's schema: every byte from outside passes it. */
export function parseConfig(kind: AnyDeliveryKind, raw: unknown): unknown {
  const parsed = (kind.configSchema as z.ZodType).safeParse(raw ?? {});
  if (!parsed.success) {
    throw new KeywardError('INVALID_INPUT', `A ${kind.title} delivery: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`).join('; ')}.`);
  }
  return parsed.data;
}

const KEY_FIELDS = new Set(['accessKeyId', 'secretAccessKey']);

export class DeliveryService {
  readonly repo: DeliveryRepo;

  constructor(
    private readonly vault: Vault,
    private readonly credentials: CredentialService,
    private readonly parameters: ParameterRepo,
    private readonly audit: AuditLog,
    private readonly ports: DeliveryPorts,
  ) {
    this.repo = new DeliveryRepo(vault);
  }

  private now(): string {
    return isoNow(this.ports.clock);
  }

  /** The kinds a delivery can be, with their fields (the Add form's choices). Asked of an unlocked vault, as every channel but the gate is. */
  kinds(): DeliveryKindView[] {
    return deliveryKindViews();
  }

  list(credential?: string): Delivery[] {
    const cred = credential ? this.credentials.find(credential) : null;
    return this.loaded(cred?.id).map((d) => this.view(d));
  }

  /** A credential's deliveries (or all), the system-parameters one kept in step with its bindings first. */
  loaded(credentialId?: string): LoadedDelivery[] {
    this.syncSystemParameters(credentialId);
    return this.repo.list(credentialId).map((row) => this.load(row));
  }

  /** Where a credential's key is delivered, in words, for a rotation's plan ("AWS credentials profile: [prod] in …"). */
  placesOf(credentialId: string): string[] {
    return this.loaded(credentialId).map((d) => `${d.kind.title}: ${d.place}`);
  }

  load(row: Pick<DeliveryRow, 'credentialId' | 'kind' | 'config'> & Partial<DeliveryRow>): LoadedDelivery {
    const kind = deliveryKind(row.kind);
    const config = parseConfig(kind, row.config);
    const full: DeliveryRow = { id: '', writerCredentialId: null, createdAt: '', lastWrite: null, lastCheck: null, ...row };
    return { row: full, kind, config, place: kind.describe(config, this.boundParametersOf(row.credentialId)) };
  }

  find(ref: string): DeliveryRow {
    const id = this.repo.resolveId(ref);
    const row = id ? this.repo.get(id) : null;
    if (!row) throw new KeywardError('NOT_FOUND', `No delivery with id "${ref}". List them with \`keyward delivery list\`.`);
    return row;
  }

  add(req: { credentialId: string; kind: string; config: DeliveryConfig; as?: string; write?: boolean }): Promise<Delivery> | Delivery {
    const cred = this.awsCredential(req.credentialId);
    const kind = deliveryKind(req.kind);
    if (kind.id === 'system-parameters') {
      throw new KeywardError(
        'INVALID_INPUT',
        `System Parameters are delivered by binding them: keyward params bind KEY "${cred.name}" accessKeyId|secretAccessKey. Keyward lists and rotates them as one delivery.`,
      );
    }
    const config = parseConfig(kind, req.config) as Record<string, unknown>;
    const writer = req.as ? this.awsCredential(req.as) : null;
    const same = this.repo.list(cred.id).find((d) => d.kind === kind.id && JSON.stringify(parseConfig(kind, d.config)) === JSON.stringify(config));
    if (same) throw new KeywardError('CONFLICT', `"${cred.name}" already delivers to ${kind.describe(config)} (delivery ${same.id.slice(0, 8)}).`);
    const row = { id: randomUUID(), credentialId: cred.id, kind: kind.id, config, writerCredentialId: writer?.id ?? null, createdAt: this.now() };
    this.vault.tx(() => {
      this.repo.insert(row);
      this.audit.append('delivery.added', { credentialId: cred.id, details: { deliveryId: row.id, kind: kind.id, place: kind.describe(config), writer: writer?.name ?? null } });
    });
    const added = this.load(this.repo.get(row.id) as DeliveryRow);
    if (!req.write) return this.view(added);
    return this.writeCurrent(added).then(() => this.view(this.load(this.repo.get(row.id) as DeliveryRow)));
  }

  remove(ref: string): { id: string; removed: true } {
    const row = this.find(ref);
    const { kind, place } = this.load(row);
    if (kind.id === 'system-parameters' && this.boundKeys(row.credentialId).length) {
      const keys = this.boundKeys(row.credentialId).map((p) => p.key);
      throw new KeywardError('CONFLICT', `This delivery is the System Parameters bound to the credential (${keys.join(', ')}): unbind them (keyward params unbind ${keys[0]}) and it goes.`);
    }
    this.vault.tx(() => {
      this.repo.delete(row.id);
      this.audit.append('delivery.removed', { credentialId: row.credentialId, details: { deliveryId: row.id, kind: kind.id, place } });
    });
    return { id: row.id, removed: true };
  }

  /** Reads back and checks a delivery, or every delivery of a credential; each result is recorded. */
  async test(ref: string): Promise<Delivery[]> {
    const id = this.repo.resolveId(ref);
    let targets: LoadedDelivery[];
    if (id) {
      targets = [this.load(this.repo.get(id) as DeliveryRow)];
    } else {
      const cred = this.credentials.repo.get(ref) ?? this.credentials.repo.getByName(ref);
      if (!cred) throw new KeywardError('NOT_FOUND', `No delivery or credential "${ref}". List deliveries with \`keyward delivery list\`.`);
      targets = this.loaded(cred.id);
    }
    const out: Delivery[] = [];
    for (const d of targets) {
      const outcome = await this.testOne(d);
      this.vault.tx(() => {
        this.repo.recordCheck(d.row.id, outcome);
        this.audit.append('delivery.tested', {
          credentialId: d.row.credentialId,
          details: { deliveryId: d.row.id, kind: d.kind.id, ok: outcome.ok, accessKeyId: outcome.accessKeyId, error: outcome.error?.code ?? null },
        });
      });
      out.push(this.view(this.load(this.repo.get(d.row.id) as DeliveryRow)));
    }
    return out;
  }

  /** The credential's current key, as deliveries get it. */
  keyOf(credentialId: string): DeliveredKey {
    const cred = this.credentials.repo.get(credentialId);
    if (!cred) throw new KeywardError('NOT_FOUND', 'The credential of this delivery was deleted.');
    return { accessKeyId: cred.fields.accessKeyId ?? '', secretAccessKey: this.credentials.repo.secretsOf(cred.id).secretAccessKey ?? '' };
  }

  /**
   * What a kind is given. AWS places are written by the delivery's named writer, else the
   * rotation's acting credential, else the credential itself (with the key it holds now).
   */
  contextFor(row: Pick<DeliveryRow, 'credentialId' | 'writerCredentialId'>, acting: string | null = null): DeliveryContext {
    const credentialId = row.credentialId;
    const consumer = () => this.credentials.repo.get(credentialId);
    return {
      aws: () => {
        const writerId = row.writerCredentialId ?? acting ?? credentialId;
        const writer = this.credentials.repo.get(writerId);
        if (!writer) throw new KeywardError('NOT_FOUND', 'The credential that writes this delivery was deleted: remove the delivery and add it again with --as CRED.');
        return awsClientConfig({ ...this.keyOf(writer.id), region: writer.fields.region || DEFAULT_AWS_REGION, endpointUrl: writer.fields.endpointUrl || undefined }, this.ports.check);
      },
      clock: this.ports.clock,
      fsRoot: this.ports.fsRoot ?? homedir(),
      files: this.ports.files ?? deliveryFiles,
      parameters: this.boundParametersOf(credentialId),
      checkKey: (key) => this.checkKey(consumer(), key),
    };
  }

  /** The System Parameters bound to a credential's key, as the system-parameters kind sees them. */
  private boundParametersOf(credentialId: string): BoundParameters {
    return {
      bound: () => this.boundKeys(credentialId),
      values: () => {
        const held: Partial<DeliveredKey> = {};
        const key = this.keyOf(credentialId);
        for (const p of this.boundKeys(credentialId)) held[p.field] = key[p.field];
        return held;
      },
    };
  }

  /** The parameters bound to a credential's key fields. */
  boundKeys(credentialId: string): Array<{ key: string; field: 'accessKeyId' | 'secretAccessKey' }> {
    return this.parameters.boundTo(credentialId).filter((p): p is { key: string; field: 'accessKeyId' | 'secretAccessKey' } => KEY_FIELDS.has(p.field));
  }

  private async checkKey(cred: CredentialRecord | null, key: DeliveredKey | SharedProfile): Promise<DeliveryCheck> {
    const fields: Record<string, string> = { region: cred?.fields.region || DEFAULT_AWS_REGION };
    if (cred?.fields.endpointUrl) fields.endpointUrl = cred.fields.endpointUrl;
    if ('profile' in key) return this.checkProfile(key, fields);
    const r = await checkCredential(
      { provider: 'AWS', fields: { ...fields, accessKeyId: key.accessKeyId } },
      { secretAccessKey: key.secretAccessKey },
      { ...this.ports.check },
      { clock: this.ports.clock, log: this.ports.log },
    );
    if (r.status === 'VALID') return { ok: true, detail: `AWS accepts it${r.identity?.arn ? ` as ${r.identity.arn}` : ''}.` };
    return {
      ok: false,
      error: r.error ?? { code: r.status, message: 'The key was not accepted.' },
      diagnosis: r.diagnosis ?? { cause: 'AWS did not accept the key.', remedy: [], test: 'aws sts get-caller-identity', link: null },
    };
  }

  /** The profile signed with by the SDK's own ini loader (the STS client and the check load on first use). */
  private async checkProfile(shared: SharedProfile, fields: Record<string, string>): Promise<DeliveryCheck> {
    const [{ STSClient }, { checkAwsClient }] = await Promise.all([stsSdk(), import('../providers/aws/verify')]);
    const opts = { ...this.ports.check, clock: this.ports.clock };
    const client = new STSClient(awsProfileClientConfig(shared, { region: fields.region, endpointUrl: fields.endpointUrl }, { ...opts, maxAttempts: 1 }));
    const outcome = await checkAwsClient(client, opts);
    if (outcome.status === 'VALID') return { ok: true, detail: `the AWS SDK reads [${shared.profile}] and AWS accepts it${outcome.identity?.arn ? ` as ${outcome.identity.arn}` : ''}.` };
    return { ok: false, error: outcome.error, diagnosis: diagnose({ provider: 'AWS', status: outcome.status, error: outcome.error, fields }) };
  }

  /** Read back, compared with the credential's key, then the kind's check where it has one. */
  private async testOne(d: LoadedDelivery): Promise<DeliveryOutcome> {
    const ctx = this.contextFor(d.row);
    const key = this.keyOf(d.row.credentialId);
    const at = () => this.now();
    let held: Partial<DeliveredKey> | null;
    try {
      held = await d.kind.readBack(ctx, d.config);
    } catch (e) {
      const err = e instanceof KeywardError ? e : null;
      if (!err) throw e;
      const f = placeError(err);
      return deliveryOutcome(at(), false, null, err.message, { error: f.error, diagnosis: f.diagnosis ?? { cause: err.message, remedy: [], test: d.kind.testCommand(d.config), link: null } });
    }
    if (!holdsKey(held, key)) {
      const what = held?.accessKeyId ? `holds ${maskKeyId(held.accessKeyId)}` : held ? 'holds another secret' : 'holds no key';
      const cause = `${d.place} ${what}, not the credential's key ${maskKeyId(key.accessKeyId)}.`;
      return deliveryOutcome(at(), false, held?.accessKeyId, cause, {
        error: { code: 'DeliveryMismatch', message: cause },
        diagnosis: {
          cause,
          remedy: ['Rotate the key (keyward rotate CRED) to write it everywhere, or remove the delivery and add it again with --write.'],
          test: d.kind.testCommand(d.config),
          link: null,
        },
      });
    }
    const canCheck = d.kind.check && held?.accessKeyId && held.secretAccessKey;
    if (!canCheck) return deliveryOutcome(at(), true, key.accessKeyId, `Holds the credential's key.`);
    const verdict = await d.kind.check!(ctx, d.config, key);
    if (!verdict.ok) return deliveryOutcome(at(), false, key.accessKeyId, `Holds the credential's key, but ${verdict.error.message}`, verdict);
    return deliveryOutcome(at(), true, key.accessKeyId, `Holds the credential's key; ${verdict.detail}`);
  }

  /** `delivery add --write`: the credential's current key, written now. */
  private async writeCurrent(d: LoadedDelivery): Promise<void> {
    const key = this.keyOf(d.row.credentialId);
    const ctx = this.contextFor(d.row);
    let outcome: DeliveryOutcome;
    try {
      await d.kind.write(ctx, d.config, key);
      const held = await d.kind.readBack(ctx, d.config);
      outcome = holdsKey(held, key)
        ? deliveryOutcome(this.now(), true, key.accessKeyId, `Wrote the key to ${d.place}.`)
        : deliveryOutcome(this.now(), false, key.accessKeyId, `Wrote ${d.place}, but it reads back another key.`, {
            error: { code: 'DeliveryMismatch', message: 'The place reads back another key.' },
            diagnosis: null,
          });
    } catch (e) {
      if (!(e instanceof KeywardError)) throw e;
      outcome = deliveryOutcome(this.now(), false, key.accessKeyId, e.message, placeError(e));
      this.recordWrite(d, outcome, null);
      throw e;
    }
    this.recordWrite(d, outcome, null);
  }

  /** Records a write (by a rotation, or `add --write`), with its audit event. */
  recordWrite(d: LoadedDelivery, outcome: DeliveryOutcome, rotationId: string | null): void {
    this.vault.tx(() => {
      this.repo.recordWrite(d.row.id, outcome);
      this.audit.append('delivery.written', {
        credentialId: d.row.credentialId,
        details: {
          deliveryId: d.row.id,
          kind: d.kind.id,
          place: d.place,
          ok: outcome.ok,
          accessKeyId: outcome.accessKeyId,
          ...(rotationId ? { rotationId } : {}),
          ...(outcome.error ? { error: outcome.error.code } : {}),
        },
      });
    });
  }

  /** One system-parameters delivery per credential while parameters are bound to its key, none otherwise. */
  private syncSystemParameters(credentialId?: string): void {
    if (this.vault.readOnly) return;
    const ids = credentialId
      ? [credentialId]
      : [
          ...new Set(
            this.parameters
              .list()
              .filter((p) => p.boundCredentialId && p.awsField && KEY_FIELDS.has(p.awsField))
              .map((p) => p.boundCredentialId as string),
          ),
        ];
    const existing = this.repo.list(credentialId).filter((d) => d.kind === 'system-parameters');
    this.vault.tx(() => {
      for (const id of ids) {
        const bound = this.boundKeys(id).length > 0;
        const row = existing.find((d) => d.credentialId === id);
        if (bound && !row && this.credentials.repo.get(id))
          this.repo.insert({ id: randomUUID(), credentialId: id, kind: 'system-parameters', config: {}, writerCredentialId: null, createdAt: this.now() });
        if (!bound && row) this.repo.delete(row.id);
      }
      // Rows left for credentials whose parameters were all unbound.
      for (const row of existing) if (!ids.includes(row.credentialId) && this.boundKeys(row.credentialId).length === 0) this.repo.delete(row.id);
    });
  }

  view(d: LoadedDelivery): Delivery {
    const { row, kind, config } = d;
    return {
      id: row.id,
      credentialId: row.credentialId,
      kind: kind.id,
      title: kind.title,
      description: d.place,
      config: config as DeliveryConfig,
      writerCredentialId: row.writerCredentialId,
      createdAt: row.createdAt,
      lastWrite: row.lastWrite,
      lastCheck: row.lastCheck,
    };
  }

  private awsCredential(ref: string): CredentialRecord {
    const cred = this.credentials.find(ref);
    if (cred.provider !== 'AWS') throw new KeywardError('INVALID_INPUT', `"${cred.name}" is a ${cred.provider} credential: deliveries carry AWS access keys.`);
    return cred;
  }
}
