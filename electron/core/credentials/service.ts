import { randomUUID } from 'node:crypto';
import type { CheckError, Credential, Diagnosis, ParsedRequest, VerifyProgress } from '../../../shared/contract';
import { nameShadowsId, PROVIDERS, validateFields, validateName, secretFieldKeys, type ProviderId } from '../../../shared/providers';
import { KeywardError } from '../errors';
import { AuditLog } from '../audit/log';
import type { EventBus } from '../events';
import type { CheckOptions } from '../providers/types';
import { isoNow, systemClock, type Clock } from '../ports/clock';
import { silentLogger, type Logger } from '../ports/logger';
import { checkCredential, DEFAULT_CHECK } from '../verification/check';
import { runPool } from '../verification/pool';
import { deepenCredentialDiagnosis } from '../diagnosis/deepen';
import type { Vault } from '../vault/vault';
import { CredentialRepo, type CheckRecord, type CredentialRecord } from './repo';
import { vaultFieldDefaults } from '../../../shared/channels/settings';
import { readVaultSettings } from '../settings/vault-settings';
import type { ProfileCandidate, ProfileProblem } from '../import/aws-credentials';

const DEFAULT_CONCURRENCY = 16;

export interface ServiceOptions {
  check?: Partial<Omit<CheckOptions, 'signal'>>;
}

/** A check's result waiting for the next write (see writeResults). */
interface UnwrittenResult {
  rec: CredentialRecord;
  result: CheckRecord;
  resolve: (after: CredentialRecord | null) => void;
  reject: (e: unknown) => void;
}

interface VerifyRun {
  controller: AbortController;
  done: Promise<Credential[]>;
}

/** The credential use cases, shared by the desktop (through IPC) and the CLI. */
export class CredentialService {
  readonly repo: CredentialRepo;
  private readonly inFlight = new Map<string, Promise<Credential>>();
  private readonly runs = new Map<string, VerifyRun>();
  private readonly unwritten: UnwrittenResult[] = [];
  private readonly checkOpts: Omit<CheckOptions, 'signal'>;
  private readonly closing = new AbortController();
  private readonly audit: AuditLog;
  private readonly clock: Clock;
  private readonly log: Logger;

  constructor(
    private readonly vault: Vault,
    private readonly events: EventBus,
    opts: ServiceOptions & { audit?: AuditLog; clock?: Clock; log?: Logger } = {},
  ) {
    this.clock = opts.clock ?? systemClock;
    this.log = opts.log ?? silentLogger;
    this.repo = new CredentialRepo(vault);
    this.audit = opts.audit ?? new AuditLog(vault, 'desktop', this.clock);
    this.checkOpts = { ...DEFAULT_CHECK, ...opts.check, clock: this.clock };
  }

  /** The record as the window sees it. Mutates: records are fresh objects from the repo. */
  private view(rec: CredentialRecord): Credential {
    if (this.inFlight.size > 0 && this.inFlight.has(rec.id)) rec.verifying = true;
    return rec;
  }

  /** What the vault's settings default for a new credential of this provider (its default AWS region). */
  private vaultDefaults(provider: ProviderId): Record<string, string> {
    return vaultFieldDefaults(readVaultSettings(this.vault.db), provider);
  }

  list(): Credential[] {
    return this.repo.list().map((r) => this.view(r));
  }

  /** A credential by id, or by its exact name. */
  find(idOrName: string): CredentialRecord {
    const rec = this.repo.get(idOrName) ?? this.repo.getByName(idOrName);
    if (!rec) throw new KeywardError('NOT_FOUND', `No credential with id or name "${idOrName}". List them with \`keyward list\`.`);
    return rec;
  }

  /**
   * A credential id for audit queries: a live credential by id or name, or a deleted
   * one by the id or name its events recorded.
   */
  findAny(idOrName: string, audit: AuditLog): string {
    const live = this.repo.get(idOrName) ?? this.repo.getByName(idOrName);
    if (live) return live.id;
    const past = audit.findCredentialId(idOrName);
    if (past) return past;
    throw new KeywardError('NOT_FOUND', `No credential, past or present, with id or name "${idOrName}".`);
  }

  /** A name that commands would take for another credential's id: refused. */
  private shadowedId(name: string, exceptId = ''): string | null {
    return nameShadowsId(name, () => this.vault.db.prepare('SELECT id FROM credentials WHERE id <> ?').pluck().all(exceptId) as string[]);
  }

  get(idOrName: string): Credential {
    return this.view(this.find(idOrName));
  }

  add(req: ParsedRequest<'credentials.add'>): Credential {
    const name = req.name.trim();
    const provider = req.provider as ProviderId;
    const def = PROVIDERS[provider];
    const problems: string[] = [];
    const nameError = validateName(name) ?? this.shadowedId(name);
    if (nameError) problems.push(nameError);
    if (!def.types.includes(req.type)) problems.push(`${def.label} credentials have type ${def.types.join(' or ')}, not ${req.type}.`);
    const fields = withDefaults(provider, req.fields, this.vaultDefaults(provider));
    problems.push(...Object.values(validateFields(provider, fields)));
    if (problems.length) throw new KeywardError('INVALID_INPUT', problems.join(' '));
    const id = randomUUID();
    const { publicFields, secrets } = split(provider, withDerived(provider, fields, false));
    let created: CredentialRecord;
    try {
      created = this.vault.tx(() => {
        const rec = this.repo.insert({ id, name, provider, type: req.type, fields: publicFields }, secrets, isoNow(this.clock));
        this.audit.append('credential.created', { credentialId: id, details: { name, provider, type: req.type, ...publicFields } });
        return rec;
      });
    } catch (e) {
      // The name's UNIQUE constraint decides, also against another process (the CLI beside the app).
      if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' && /credentials\.name/.test((e as Error).message)) {
        throw new KeywardError('CONFLICT', `A credential named "${name}" already exists. Choose another name.`);
      }
      throw e;
    }
    this.events.emit('credential.changed', this.view(created));
    if (!req.verify) return created;
    void this.verify(id).catch(() => undefined);
    return this.view(this.find(id)); // now marked as verifying
  }

  update(req: ParsedRequest<'credentials.update'>, opts: { verify?: boolean } = {}): Credential {
    const rec = this.find(req.id);
    const name = req.name === undefined ? rec.name : req.name.trim();
    const nameError = name === rec.name ? null : (validateName(name) ?? this.shadowedId(name, rec.id));
    const provider = rec.provider;
    const given = req.fields ?? {};
    const errors = validateFields(provider, given, { partial: true });
    const problems = [nameError, ...Object.values(errors)].filter((p): p is string => !!p);
    if (problems.length) throw new KeywardError('INVALID_INPUT', problems.join(' '));
    if (this.repo.isNameTaken(name, rec.id)) {
      throw new KeywardError('CONFLICT', `A credential named "${name}" already exists. Choose another name.`);
    }
    const { publicFields, secrets } = split(provider, withDerived(provider, given, true));
    // An empty secret means "keep the stored one"; an empty optional public field clears it.
    for (const k of Object.keys(secrets)) if (!secrets[k]) delete secrets[k];
    const fields = { ...rec.fields, ...publicFields };
    for (const k of Object.keys(fields)) if (fields[k] === '') delete fields[k];
    // The identity belongs to the key: a new secret or key id makes it stale; a new region or endpoint does not.
    const keyChanged = Object.keys(secrets).length > 0 || (publicFields.accessKeyId !== undefined && publicFields.accessKeyId !== rec.fields.accessKeyId);
    this.vault.tx(() => {
      this.repo.update(rec.id, name, fields, secrets, isoNow(this.clock), keyChanged);
      const changed = [...(name !== rec.name ? ['name'] : []), ...Object.keys(publicFields).filter((k) => publicFields[k] !== rec.fields[k]), ...Object.keys(secrets)];
      const before = Object.fromEntries(
        Object.keys(publicFields)
          .filter((k) => publicFields[k] !== rec.fields[k])
          .map((k) => [k, rec.fields[k] ?? null]),
      );
      const after = Object.fromEntries(Object.keys(before).map((k) => [k, fields[k] ?? null]));
      if (name !== rec.name) {
        before.name = rec.name;
        after.name = name;
      }
      // Secrets are recorded as "changed", never with a value.
      this.audit.append('credential.edited', { credentialId: rec.id, details: { name, changed, before, after, secretsChanged: Object.keys(secrets) } });
    });
    const updated = this.get(rec.id);
    this.events.emit('credential.changed', updated);
    if (opts.verify ?? true) void this.verify(rec.id).catch(() => undefined);
    return this.view(this.find(rec.id));
  }

  /**
   * Test connection from the form, before saving: the form's fields (an edited
   * credential's stored secrets stand in for those left empty) through the same provider
   * check as Verify. Nothing is stored; the test is audited without a value.
   */
  async testUnsaved(req: ParsedRequest<'credentials.test'>): Promise<CheckRecord> {
    const rec = req.id ? this.find(req.id) : null;
    const provider = (rec?.provider ?? req.provider) as ProviderId;
    const given = rec ? req.fields : withDefaults(provider, req.fields, this.vaultDefaults(provider));
    const problems = Object.values(validateFields(provider, given, { partial: rec !== null }));
    if (problems.length) throw new KeywardError('INVALID_INPUT', problems.join(' '));
    const { publicFields, secrets } = split(provider, withDerived(provider, given, rec !== null));
    for (const k of Object.keys(secrets)) if (!secrets[k]) delete secrets[k];
    const fields = { ...rec?.fields, ...publicFields };
    for (const k of Object.keys(fields)) if (fields[k] === '') delete fields[k];
    const allSecrets = { ...(rec ? this.repo.secretsOf(rec.id) : {}), ...secrets };
    const result = await checkCredential({ provider, fields }, allSecrets, { ...this.checkOpts, signal: this.closing.signal });
    this.audit.append('credential.tested', { credentialId: rec?.id, details: { name: rec?.name ?? null, provider, status: result.status, error: result.error?.code ?? null, unsaved: true } });
    return result;
  }

  /** One AWS credential per profile, named after it; existing names are skipped and reported. */
  importAwsProfiles(profiles: ProfileCandidate[], opts: { verify: boolean }): { imported: Credential[]; skipped: ProfileProblem[] } {
    const ids: string[] = [];
    const skipped: ProfileProblem[] = [];
    if (profiles.length === 0) return { imported: [], skipped };
    // One transaction: killed or failed midway, the import stored nothing; done, it stored all it reports.
    this.vault.tx(() => {
      for (const p of profiles) {
        if (this.repo.isNameTaken(p.profile)) {
          skipped.push({ profile: p.profile, reason: `a credential named "${p.profile}" already exists` });
          continue;
        }
        // No region in either file: add() gives it the vault's default region.
        const fields: Record<string, string> = { accessKeyId: p.accessKeyId, secretAccessKey: p.secretAccessKey };
        if (p.region) fields.region = p.region;
        if (p.endpointUrl) fields.endpointUrl = p.endpointUrl;
        try {
          ids.push(this.add({ name: p.profile, provider: 'AWS', type: 'ACCESS_KEY', fields, verify: false }).id);
        } catch (e) {
          if (!(e instanceof KeywardError)) throw e;
          skipped.push({ profile: p.profile, reason: e.message });
        }
      }
      this.audit.append('credentials.imported', { details: { source: 'aws-credentials', imported: ids.map((id) => this.find(id).name), skipped } });
    });
    // Checked once stored, never inside the import's transaction.
    if (opts.verify) for (const id of ids) void this.verify(id).catch(() => undefined);
    return { imported: ids.map((id) => this.get(id)), skipped };
  }

  /** The resources registered under a credential (deleted with it). */
  resourcesOf(id: string): Array<{ id: string; groupId: string; region: string }> {
    return this.vault.db.prepare('SELECT id, group_id AS groupId, region FROM resources WHERE credential_id = ? ORDER BY created_at, rowid').all(id) as Array<{
      id: string;
      groupId: string;
      region: string;
    }>;
  }

  delete(idOrName: string): { id: string; deleted: true; resources: Array<{ id: string; groupId: string; region: string }> } {
    const rec = this.find(idOrName);
    let resources: Array<{ id: string; groupId: string; region: string }> = [];
    this.vault.tx(() => {
      // Its resources go with it (ON DELETE CASCADE): the event names them.
      resources = this.resourcesOf(rec.id);
      this.repo.delete(rec.id);
      this.audit.append('credential.deleted', { credentialId: rec.id, details: { name: rec.name, provider: rec.provider, resources } });
    });
    this.events.emit('credential.deleted', { id: rec.id });
    return { id: rec.id, deleted: true, resources };
  }

  /** Checks one credential now. A check already running for it is joined, not repeated. */
  verify(idOrName: string, signal?: AbortSignal): Promise<Credential> {
    const rec = this.find(idOrName);
    const running = this.inFlight.get(rec.id);
    if (running) return running;
    const p = this.runCheck(rec, signal).then(
      (after) => {
        this.inFlight.delete(rec.id);
        if (!after) return rec; // deleted while it was checked
        const view = this.view(after);
        this.events.emit('credential.changed', view);
        return view;
      },
      (e: unknown) => {
        this.inFlight.delete(rec.id);
        throw e;
      },
    );
    this.inFlight.set(rec.id, p);
    this.events.emit('credential.changed', this.view(rec));
    return p;
  }

  /** The credential once its check's result is stored (or as it now is, if edited meanwhile); null once deleted. */
  private async runCheck(rec: CredentialRecord, signal?: AbortSignal): Promise<CredentialRecord | null> {
    const secrets = this.repo.secretsOf(rec.id);
    const combined = signal ? AbortSignal.any([signal, this.closing.signal]) : this.closing.signal;
    const opts = { ...this.checkOpts, signal: combined };
    // The deeper diagnosis runs inside the check's boundary: what it adds is redacted with the rest.
    const deepen = (error: CheckError, diagnosis: Diagnosis) => deepenCredentialDiagnosis(rec, secrets, error, diagnosis, this.repo, opts);
    const result = await checkCredential(rec, secrets, opts, { clock: this.clock, log: this.log, deepen });
    return new Promise((resolve, reject) => {
      this.unwritten.push({ rec, result, resolve, reject });
      if (this.unwritten.length === 1) setImmediate(() => this.writeResults());
    });
  }

  /**
   * Stores the check results that landed in one turn of the event loop in one transaction
   * (a sweep's results arrive in bursts of up to its concurrency), each result in its own
   * savepoint so that one failing write fails only its own check. A result is stored only
   * if the credential is unchanged since its check began: one deleted or edited meanwhile
   * keeps what it is now. Each check resolves once the transaction holding its result is
   * committed, so a result is in the vault before its event or progress says so.
   */
  private writeResults(): void {
    const batch = this.unwritten.splice(0);
    const failed = new Map<UnwrittenResult, unknown>();
    try {
      this.vault.tx(() => {
        for (const u of batch) {
          try {
            this.vault.tx(() => {
              if (this.repo.updatedAtOf(u.rec.id) !== u.rec.updatedAt) return;
              this.repo.recordCheck(u.rec.id, u.result);
              this.audit.append('credential.verified', { credentialId: u.rec.id, details: { name: u.rec.name, status: u.result.status, error: u.result.error?.code ?? null } });
            });
          } catch (e) {
            failed.set(u, e);
          }
        }
      });
    } catch (e) {
      for (const u of batch) if (!failed.has(u)) failed.set(u, e);
    }
    for (const u of batch) {
      if (failed.has(u)) u.reject(failed.get(u));
      else {
        try {
          u.resolve(this.repo.get(u.rec.id));
        } catch (e) {
          u.reject(e);
        }
      }
    }
  }

  /**
   * Checks many credentials with bounded concurrency, reporting progress as events.
   * Returns at once with the run id; `done` resolves with the checked credentials.
   */
  verifyMany(ids: string[] | 'all', concurrency = DEFAULT_CONCURRENCY): { runId: string; total: number; done: Promise<Credential[]> } {
    const targets = ids === 'all' ? this.repo.list().map((r) => r.id) : ids.map((i) => this.find(i).id);
    const runId = randomUUID();
    const controller = new AbortController();
    const progress: VerifyProgress = { runId, done: 0, total: targets.length, valid: 0, invalid: 0, unreachable: 0, finished: false, cancelled: false };
    const results: Credential[] = [];
    let lastEmit = 0;
    const emit = (force = false) => {
      // Throttled to ~20/s: 10,000 checks must not flood the window with events.
      const now = Date.now();
      if (force || now - lastEmit >= 50) {
        lastEmit = now;
        this.events.emit('verify.progress', { ...progress });
      }
    };
    emit(true);
    const done = runPool(
      targets,
      concurrency,
      async (id) => {
        try {
          const c = await this.verify(id, controller.signal);
          results.push(c);
          if (c.status === 'VALID') progress.valid++;
          else if (c.status === 'INVALID') progress.invalid++;
          else progress.unreachable++;
        } catch (e) {
          if (controller.signal.aborted) return;
          if (!(e instanceof KeywardError && e.code === 'NOT_FOUND')) progress.unreachable++;
        }
        progress.done++;
        emit();
      },
      controller.signal,
    ).then(() => {
      progress.finished = true;
      progress.cancelled = controller.signal.aborted;
      emit(true);
      this.runs.delete(runId);
      return results;
    });
    this.runs.set(runId, { controller, done });
    return { runId, total: targets.length, done };
  }

  cancel(runId: string): boolean {
    const run = this.runs.get(runId);
    if (!run) return false;
    run.controller.abort();
    return true;
  }

  /** Resolves when no check is running (the CLI waits for this before it exits). */
  async idle(): Promise<void> {
    while (this.inFlight.size || this.runs.size) {
      await Promise.allSettled([...this.inFlight.values(), ...[...this.runs.values()].map((r) => r.done)]);
    }
  }

  /** Aborts running checks: used when the vault closes. */
  abortAll(): void {
    this.closing.abort();
  }
}

/** The fields as given, over the vault's defaults (its default AWS region), over the provider's. */
function withDefaults(provider: ProviderId, fields: Record<string, string>, vaultDefaults: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of PROVIDERS[provider].fields) if (f.defaultValue !== undefined) out[f.key] = vaultDefaults[f.key] ?? f.defaultValue;
  for (const [k, v] of Object.entries(fields)) if (v !== '' || !(k in out)) out[k] = v;
  for (const k of Object.keys(out)) if (out[k] === '') delete out[k];
  return out;
}

/** Adds the fields a provider reads from a secret (GCP: email, project, key id) when that secret is given. */
function withDerived(provider: ProviderId, fields: Record<string, string>, editing: boolean): Record<string, string> {
  const def = PROVIDERS[provider];
  if (!def.derive || !secretFieldKeys(provider).some((k) => fields[k])) return fields;
  // On an edit, a replaced key file replaces every derived field: one it lacks is cleared ('').
  const cleared = editing ? Object.fromEntries(def.fields.filter((f) => f.derived).map((f) => [f.key, ''])) : {};
  return { ...fields, ...cleared, ...def.derive(fields) };
}

function split(provider: ProviderId, fields: Record<string, string>) {
  const secretKeys = new Set(secretFieldKeys(provider));
  const publicFields: Record<string, string> = {};
  const secrets: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) (secretKeys.has(k) ? secrets : publicFields)[k] = v;
  return { publicFields, secrets };
}
