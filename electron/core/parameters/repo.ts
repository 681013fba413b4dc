import type { Statement } from 'better-sqlite3';
import type { AwsField, ParameterType } from '../../../shared/parameters';
import type { Vault } from '../vault/vault';

/** A parameter as stored; a secret value stays sealed (bound to the parameter's key). */
export interface ParameterRow {
  key: string;
  label: string;
  group: string;
  type: ParameterType;
  choices: string[] | null;
  awsField: AwsField | null;
  value: string | null;
  hasSealed: boolean;
  boundCredentialId: string | null;
  description: string;
  updatedAt: string;
}

interface Row {
  key: string;
  label: string;
  grp: string;
  type: ParameterType;
  choices: string | null;
  aws_field: AwsField | null;
  value: string | null;
  has_sealed: number;
  bound_credential_id: string | null;
  description: string;
  updated_at: string;
}

const COLUMNS = 'key, label, grp, type, choices, aws_field, value, sealed IS NOT NULL AS has_sealed, bound_credential_id, description, updated_at';
// Sealed under a record id of its own kind, so a parameter's ciphertext cannot pass for a credential's.
const recordId = (key: string) => `parameter:${key}`;

/** The one SQL access layer for system parameters. */
export class ParameterRepo {
  private readonly stmt: Record<string, Statement>;

  constructor(private readonly vault: Vault) {
    const db = vault.db;
    this.stmt = {
      list: db.prepare(`SELECT ${COLUMNS} FROM system_parameters ORDER BY grp, key`),
      byGroup: db.prepare(`SELECT ${COLUMNS} FROM system_parameters WHERE grp = ? ORDER BY key`),
      get: db.prepare(`SELECT ${COLUMNS} FROM system_parameters WHERE key = ?`),
      boundTo: db.prepare('SELECT key, aws_field FROM system_parameters WHERE bound_credential_id = ? ORDER BY key'),
      upsert: db.prepare(
        `INSERT INTO system_parameters (key, label, grp, type, choices, aws_field, description, updated_at)
         VALUES (@key, @label, @group, @type, @choices, @awsField, @description, @at)
         ON CONFLICT (key) DO UPDATE SET label = excluded.label, grp = excluded.grp, type = excluded.type,
           choices = excluded.choices, aws_field = excluded.aws_field, description = excluded.description, updated_at = excluded.updated_at`,
      ),
      setValue: db.prepare('UPDATE system_parameters SET value = ?, sealed = NULL, updated_at = ? WHERE key = ?'),
      setSealed: db.prepare('UPDATE system_parameters SET sealed = ?, value = NULL, updated_at = ? WHERE key = ?'),
      sealed: db.prepare('SELECT sealed FROM system_parameters WHERE key = ?').pluck(),
      bind: db.prepare('UPDATE system_parameters SET bound_credential_id = ?, aws_field = ?, value = NULL, sealed = NULL, updated_at = ? WHERE key = ?'),
      unbind: db.prepare('UPDATE system_parameters SET bound_credential_id = NULL, updated_at = ? WHERE key = ?'),
      delete: db.prepare('DELETE FROM system_parameters WHERE key = ?'),
    };
  }

  list(group?: string): ParameterRow[] {
    return ((group === undefined ? this.stmt.list.all() : this.stmt.byGroup.all(group)) as Row[]).map(toRow);
  }

  get(key: string): ParameterRow | null {
    const r = this.stmt.get.get(key) as Row | undefined;
    return r ? toRow(r) : null;
  }

  /** The parameters bound to a credential, with the field each follows. */
  boundTo(credentialId: string): Array<{ key: string; field: string }> {
    return (this.stmt.boundTo.all(credentialId) as Array<{ key: string; aws_field: string }>).map((r) => ({ key: r.key, field: r.aws_field }));
  }

  upsert(p: { key: string; label: string; group: string; type: ParameterType; choices: string[] | null; awsField: AwsField | null; description: string }, at: string): void {
    this.stmt.upsert.run({ ...p, choices: p.choices ? JSON.stringify(p.choices) : null, at });
  }

  setValue(key: string, value: string | null, at: string): void {
    this.stmt.setValue.run(value, at, key);
  }

  setSecret(key: string, value: string, at: string): void {
    this.stmt.setSealed.run(this.vault.sealSecret(recordId(key), 'value', value), at, key);
  }

  secretOf(key: string): string | null {
    const sealed = this.stmt.sealed.get(key) as Buffer | null | undefined;
    return sealed ? this.vault.openSecret(recordId(key), 'value', sealed) : null;
  }

  bind(key: string, credentialId: string, field: AwsField, at: string): void {
    this.stmt.bind.run(credentialId, field, at, key);
  }

  unbind(key: string, at: string): void {
    this.stmt.unbind.run(at, key);
  }

  delete(key: string): boolean {
    return this.stmt.delete.run(key).changes > 0;
  }
}

function toRow(r: Row): ParameterRow {
  return {
    key: r.key,
    label: r.label,
    group: r.grp,
    type: r.type,
    choices: r.choices ? (JSON.parse(r.choices) as string[]) : null,
    awsField: r.aws_field,
    value: r.value,
    hasSealed: r.has_sealed === 1,
    boundCredentialId: r.bound_credential_id,
    description: r.description,
    updatedAt: r.updated_at,
  };
}
