import { AWS_FIELDS, AWS_S3_TEMPLATE, BINDABLE_FIELDS, normaliseParameterValue, PARAMETER_TYPES, validateParameterKey, type AwsField, type ParameterType } from '../../../shared/parameters';
import type { AuditLog } from '../audit/log';
import type { CredentialService } from '../credentials/service';
import { KeywardError } from '../errors';
import { checkCredential, DEFAULT_CHECK } from '../verification/check';
import type { CheckOptions } from '../providers/types';
import type { Vault } from '../vault/vault';
import { ParameterRepo, type ParameterRow } from './repo';
import { envQuote } from '../env-file';
import { isoNow, systemClock, type Clock } from '../ports/clock';
import { silentLogger, type Logger } from '../ports/logger';
import type { ParameterView } from '../../../shared/channels/parameters';
import type { Response } from '../../../shared/contract';

/** A parameter as the page and the CLI see it: a secret's value is never here (null, write-only). */
export type Parameter = ParameterView;
/** A group's "Perform test". */
type GroupTestResult = Response<'parameters.test'>;

interface ParameterDefinition {
  key: string;
  label?: string;
  group?: string;
  type?: ParameterType;
  choices?: string[] | null;
  awsField?: AwsField | null;
  description?: string;
}

interface GroupExport {
  group: string;
  parameters: Array<{
    key: string;
    label: string;
    type: ParameterType;
    choices: string[] | null;
    awsField: AwsField | null;
    description: string;
    value?: string;
    boundTo?: { credential: string; field: AwsField };
  }>;
}

/** The System Parameters use cases, shared by the page (through IPC) and `keyward params`. */
export class ParameterService {
  readonly repo: ParameterRepo;

  constructor(
    private readonly vault: Vault,
    private readonly credentials: CredentialService,
    private readonly audit: AuditLog,
    private readonly checkOpts: Omit<CheckOptions, 'signal'> = DEFAULT_CHECK,
    private readonly ports: { clock: Clock; log: Logger } = { clock: systemClock, log: silentLogger },
  ) {
    this.repo = new ParameterRepo(vault);
  }

  list(opts: { group?: string; search?: string } = {}): Parameter[] {
    const q = opts.search?.toLowerCase();
    return this.repo
      .list(opts.group)
      .map((r) => this.view(r))
      .filter((p) => !q || [p.key, p.label, p.group, p.value ?? '', p.boundTo?.credentialName ?? ''].some((s) => s.toLowerCase().includes(q)));
  }

  get(key: string): Parameter {
    return this.view(this.find(key));
  }

  /** Creates a parameter, or changes its definition (label, group, type, choices, AWS role). */
  define(def: ParameterDefinition): Parameter {
    const keyError = validateParameterKey(def.key);
    if (keyError) throw new KeywardError('INVALID_INPUT', keyError);
    const existing = this.repo.get(def.key);
    const type = def.type ?? existing?.type ?? 'text';
    if (!PARAMETER_TYPES.includes(type)) throw new KeywardError('INVALID_INPUT', `Type is one of ${PARAMETER_TYPES.join(', ')}.`);
    const choices = def.choices !== undefined ? def.choices : (existing?.choices ?? null);
    if (type === 'choice' && !choices?.length) throw new KeywardError('INVALID_INPUT', 'A choice parameter needs its choices (e.g. --choices a,b,c).');
    const awsField = def.awsField !== undefined ? def.awsField : (existing?.awsField ?? null);
    if (awsField && !AWS_FIELDS.includes(awsField)) throw new KeywardError('INVALID_INPUT', `The AWS role is one of ${AWS_FIELDS.join(', ')}.`);
    if (existing && existing.type !== type && (existing.type === 'secret' || type === 'secret') && (existing.value !== null || existing.hasSealed)) {
      throw new KeywardError('INVALID_INPUT', `${def.key} holds a value: it cannot change between secret and non-secret. Delete it and define it again.`);
    }
    const p = {
      key: def.key,
      label: def.label ?? existing?.label ?? def.key,
      group: def.group ?? existing?.group ?? 'General',
      type,
      choices: type === 'choice' ? choices : null,
      awsField,
      description: def.description ?? existing?.description ?? '',
    };
    this.vault.tx(() => {
      this.repo.upsert(p, isoNow(this.ports.clock));
      this.audit.append(existing ? 'parameter.defined' : 'parameter.created', { details: { key: p.key, label: p.label, group: p.group, type: p.type, awsField: p.awsField } });
    });
    return this.get(def.key);
  }

  /** Sets a value, validated by type. A secret is sealed and audited as "changed" only. */
  set(key: string, value: string, def: Omit<ParameterDefinition, 'key'> = {}): Parameter {
    // Defining and setting are one transaction: an invalid value leaves no half-made parameter.
    this.vault.tx(() => {
      const existing = this.repo.get(key);
      const row = !existing || Object.values(def).some((v) => v !== undefined) ? (this.define({ key, ...def }), this.find(key)) : existing;
      if (row.boundCredentialId) {
        throw new KeywardError('CONFLICT', `${key} is bound to a credential and follows it: change the credential, or unbind ${key} first.`);
      }
      const checked = normaliseParameterValue(row.type, value, row.choices);
      if ('error' in checked) throw new KeywardError('INVALID_INPUT', `${key}: ${checked.error}`);
      const at = isoNow(this.ports.clock);
      if (row.type === 'secret') {
        this.repo.setSecret(key, checked.value, at);
        this.audit.append('parameter.changed', { details: { key, value: 'changed' } });
      } else {
        this.repo.setValue(key, checked.value, at);
        this.audit.append('parameter.changed', { details: { key, before: row.value, after: checked.value } });
      }
    });
    return this.get(key);
  }

  /** Binds a parameter to a credential field: its value then follows the credential. Creates the parameter if new. */
  bind(key: string, credential: string, field: string): Parameter {
    if (!(BINDABLE_FIELDS as readonly string[]).includes(field)) throw new KeywardError('INVALID_INPUT', `FIELD is one of ${BINDABLE_FIELDS.join(', ')}, not "${field}".`);
    const f = field as AwsField;
    const cred = this.credentials.find(credential);
    if (cred.provider !== 'AWS') throw new KeywardError('INVALID_INPUT', `"${cred.name}" is not an AWS credential.`);
    const existing = this.repo.get(key);
    const wantSecret = f === 'secretAccessKey';
    if (existing && (existing.type === 'secret') !== wantSecret) {
      throw new KeywardError(
        'INVALID_INPUT',
        `${key} is a ${existing.type} parameter: ${wantSecret ? 'a secret access key needs a secret parameter' : `${field} is not a secret, bind it to a non-secret parameter`}.`,
      );
    }
    if (!existing) this.define({ key, type: wantSecret ? 'secret' : 'text', awsField: f });
    const at = isoNow(this.ports.clock);
    this.vault.tx(() => {
      this.repo.bind(key, cred.id, f, at);
      this.audit.append('parameter.bound', { credentialId: cred.id, details: { key, credential: cred.name, field } });
    });
    return this.get(key);
  }

  unbind(key: string): Parameter {
    const row = this.find(key);
    if (!row.boundCredentialId) return this.view(row);
    this.vault.tx(() => {
      this.repo.unbind(key, isoNow(this.ports.clock));
      this.audit.append('parameter.unbound', { credentialId: row.boundCredentialId, details: { key } });
    });
    return this.get(key);
  }

  delete(key: string): { key: string; deleted: true } {
    this.find(key);
    this.vault.tx(() => {
      this.repo.delete(key);
      this.audit.append('parameter.deleted', { details: { key } });
    });
    return { key, deleted: true };
  }

  /** Adds the AWS S3 starting set (IAM Access Key, Secret IAM Key, bucket, region) to a group. */
  addTemplate(group: string, prefix = ''): Parameter[] {
    for (const t of AWS_S3_TEMPLATE) {
      if (this.repo.get(prefix + t.key)) throw new KeywardError('CONFLICT', `${prefix + t.key} already exists: choose another prefix.`);
    }
    return AWS_S3_TEMPLATE.map((t) => this.define({ key: prefix + t.key, label: t.label, group, type: t.type, awsField: t.awsField, description: t.description }));
  }

  /** "Perform test": verifies the AWS credential the group's parameters form, like the credentials table. */
  async performTest(group: string, signal?: AbortSignal): Promise<GroupTestResult> {
    const rows = this.repo.list(group);
    if (rows.length === 0) throw new KeywardError('NOT_FOUND', `No parameters in group "${group}".`);
    const value = (field: AwsField) => {
      const row = rows.find((r) => r.awsField === field);
      return row ? this.resolve(row) : null;
    };
    const fields: Record<string, string> = {};
    for (const f of ['accessKeyId', 'region', 'endpointUrl'] as const) {
      const v = value(f) ?? (f === 'endpointUrl' ? this.boundEndpoint(rows) : null);
      if (v) fields[f] = v;
    }
    const secret = value('secretAccessKey');
    const missing = [!fields.accessKeyId && 'access key ID', !secret && 'secret access key'].filter(Boolean);
    if (missing.length) {
      throw new KeywardError(
        'INVALID_INPUT',
        `Nothing to test yet: no parameter of "${group}" holds the AWS ${missing.join(' or the ')}. Bind the group's key parameters to an AWS credential, or give them values and say which holds the access key ID and which the secret (in the app: "Perform test reads it as"; in the CLI: keyward params set KEY --aws-field accessKeyId).`,
      );
    }
    const result = await checkCredential({ provider: 'AWS', fields }, { secretAccessKey: secret as string }, { ...this.checkOpts, signal }, this.ports);
    this.audit.append('parameters.tested', { details: { group, status: result.status, error: result.error?.code ?? null } });
    return { group, status: result.status as GroupTestResult['status'], identity: result.identity ?? null, error: result.error, diagnosis: result.diagnosis, at: result.at };
  }

  /** A group without its secrets, as JSON or .env lines. */
  exportGroup(group: string): GroupExport {
    const rows = this.repo.list(group);
    if (rows.length === 0) throw new KeywardError('NOT_FOUND', `No parameters in group "${group}".`);
    return {
      group,
      parameters: rows.map((r) => {
        const v = this.view(r);
        return {
          key: r.key,
          label: r.label,
          type: r.type,
          choices: r.choices,
          awsField: r.awsField,
          description: r.description,
          ...(v.value !== null && !r.boundCredentialId ? { value: v.value } : {}),
          ...(v.boundTo ? { boundTo: { credential: v.boundTo.credentialName, field: v.boundTo.field } } : {}),
        };
      }),
    };
  }

  exportEnv(group: string): string {
    return (
      this.exportGroup(group)
        .parameters.map((p) => (p.type === 'secret' ? `# ${p.key}= (secret: not exported)` : `${p.key}=${envQuote(this.get(p.key).value ?? '')}`))
        .join('\n') + '\n'
    );
  }

  /** Imports a group exported by exportGroup: definitions, non-secret values, bindings to credentials that exist here. */
  importGroup(data: GroupExport): Parameter[] {
    if (!data || typeof data.group !== 'string' || !Array.isArray(data.parameters)) throw new KeywardError('INVALID_INPUT', 'Not a parameters export: expected {"group": "...", "parameters": [...]}.');
    const out: Parameter[] = [];
    this.vault.tx(() => {
      for (const p of data.parameters) {
        this.define({ key: p.key, label: p.label, group: data.group, type: p.type, choices: p.choices ?? null, awsField: p.awsField ?? null, description: p.description ?? '' });
        if (p.boundTo) {
          const cred = this.credentials.repo.getByName(p.boundTo.credential);
          if (cred) this.bind(p.key, cred.id, p.boundTo.field);
        } else if (p.value !== undefined && p.type !== 'secret') {
          this.set(p.key, p.value);
        }
        out.push(this.get(p.key));
      }
      this.audit.append('parameters.imported', { details: { group: data.group, keys: out.map((p) => p.key) } });
    });
    return out;
  }

  // --- helpers --------------------------------------------------------------------------------

  private find(key: string): ParameterRow {
    const row = this.repo.get(key);
    if (!row) throw new KeywardError('NOT_FOUND', `No parameter "${key}". List them with \`keyward params list\`.`);
    return row;
  }

  /** A parameter's working value (secrets opened): for Perform test only, never for output. */
  private resolve(row: ParameterRow): string | null {
    if (row.boundCredentialId && row.awsField) {
      const cred = this.credentials.repo.get(row.boundCredentialId);
      if (!cred) return null;
      return row.awsField === 'secretAccessKey' ? (this.credentials.repo.secretsOf(cred.id).secretAccessKey ?? null) : (cred.fields[row.awsField] ?? null);
    }
    return row.type === 'secret' ? this.repo.secretOf(row.key) : row.value;
  }

  private boundEndpoint(rows: ParameterRow[]): string | null {
    const bound = rows.find((r) => r.boundCredentialId);
    return bound ? (this.credentials.repo.get(bound.boundCredentialId as string)?.fields.endpointUrl ?? null) : null;
  }

  /** Bound values are read from the credential now, so they follow its edits and rotations. */
  private view(r: ParameterRow): Parameter {
    const cred = r.boundCredentialId ? this.credentials.repo.get(r.boundCredentialId) : null;
    const boundTo = cred && r.awsField ? { credentialId: cred.id, credentialName: cred.name, field: r.awsField } : null;
    let value: string | null = null;
    let hasValue = false;
    if (boundTo) {
      hasValue = boundTo.field === 'secretAccessKey' ? cred!.secretFields.includes('secretAccessKey') : !!cred!.fields[boundTo.field];
      value = r.type === 'secret' ? null : (cred!.fields[boundTo.field] ?? null);
    } else {
      hasValue = r.type === 'secret' ? r.hasSealed : r.value !== null;
      value = r.type === 'secret' ? null : r.value;
    }
    return { key: r.key, label: r.label, group: r.group, type: r.type, choices: r.choices, awsField: r.awsField, value, hasValue, boundTo, description: r.description, updatedAt: r.updatedAt };
  }
}
