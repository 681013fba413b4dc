import type { Statement } from 'better-sqlite3';
import type { CheckError, Credential, CredentialStatus, Diagnosis, Identity } from '../../../shared/contract';
import type { CredentialType, ProviderId } from '../../../shared/providers';
import type { Vault } from '../vault/vault';

/**
 * A credential as stored: public data only; secrets stay sealed in credential_secrets.
 * `verifying` is always false here; the service marks the ones being checked.
 */
export type CredentialRecord = Credential;

// Rows are read as arrays (better-sqlite3 `raw`): listing 10,000 credentials is the hot
// path of the window, and building one object per row directly halves its cost.
type Row = [
  id: string,
  name: string,
  provider: string,
  type: string,
  status: string,
  fields: string,
  identity: string | null,
  error: string | null,
  diagnosis: string | null,
  createdAt: string,
  updatedAt: string,
  lastVerifiedAt: string | null,
];

const SELECT = `
  SELECT c.id, c.name, c.provider, c.type, c.status, c.fields, c.identity, c.error, c.diagnosis,
         c.created_at, c.updated_at, c.last_verified_at
  FROM credentials c`;

function toRecord(r: Row, secretFields: string[]): CredentialRecord {
  return {
    id: r[0],
    name: r[1],
    provider: r[2] as ProviderId,
    type: r[3] as CredentialType,
    status: r[4] as CredentialStatus,
    createdAt: r[9],
    updatedAt: r[10],
    lastVerifiedAt: r[11],
    verifying: false,
    fields: JSON.parse(r[5]) as Record<string, string>,
    secretFields,
    identity: r[6] ? (JSON.parse(r[6]) as Identity) : null,
    error: r[7] ? (JSON.parse(r[7]) as CheckError) : null,
    diagnosis: r[8] ? (JSON.parse(r[8]) as Diagnosis) : null,
  };
}

export interface CheckRecord {
  status: CredentialStatus;
  identity?: Identity | null; // undefined: keep the last good identity
  error: CheckError | null;
  diagnosis: Diagnosis | null;
  at: string;
}

/** The one SQL access layer for credentials. Every write is one transaction. */
export class CredentialRepo {
  private readonly stmt: Record<string, Statement>;

  constructor(private readonly vault: Vault) {
    const db = vault.db;
    this.stmt = {
      list: db.prepare(`${SELECT} ORDER BY c.created_at, c.rowid`).raw(),
      allSecretFields: db.prepare('SELECT credential_id, field FROM credential_secrets ORDER BY credential_id, field').raw(),
      secretFields: db.prepare('SELECT field FROM credential_secrets WHERE credential_id = ? ORDER BY field').pluck(),
      byId: db.prepare(`${SELECT} WHERE c.id = ?`).raw(),
      byName: db.prepare(`${SELECT} WHERE c.name = ?`).raw(),
      nameTaken: db.prepare('SELECT id FROM credentials WHERE name = ? AND id <> ?'),
      insert: db.prepare(
        `INSERT INTO credentials (id, name, provider, type, status, fields, created_at, updated_at)
         VALUES (@id, @name, @provider, @type, 'UNVERIFIED', @fields, @at, @at)`,
      ),
      putSecret: db.prepare(
        `INSERT INTO credential_secrets (credential_id, field, sealed) VALUES (?, ?, ?)
         ON CONFLICT (credential_id, field) DO UPDATE SET sealed = excluded.sealed`,
      ),
      secrets: db.prepare('SELECT field, sealed FROM credential_secrets WHERE credential_id = ?'),
      update: db.prepare(
        `UPDATE credentials SET name = @name, fields = @fields, status = 'UNVERIFIED', error = NULL, diagnosis = NULL,
           identity = CASE WHEN @keyChanged THEN NULL ELSE identity END, updated_at = @at WHERE id = @id`,
      ),
      check: db.prepare(
        `UPDATE credentials SET status = @status, identity = coalesce(@identity, identity), error = @error,
           diagnosis = @diagnosis, last_verified_at = @at WHERE id = @id`,
      ),
      updatedAt: db.prepare('SELECT updated_at FROM credentials WHERE id = ?').pluck(),
      delete: db.prepare('DELETE FROM credentials WHERE id = ?'),
      count: db.prepare('SELECT count(*) FROM credentials').pluck(),
    };
  }

  /**
   * Every credential's public data; no secret is opened (two queries, no per-row lookups,
   * in one read snapshot: a credential another process adds in between is not listed
   * without its secret fields).
   */
  list(): CredentialRecord[] {
    return this.vault.readSnapshot(() => {
      const fieldsById = new Map<string, string[]>();
      for (const [id, field] of this.stmt.allSecretFields.all() as Array<[string, string]>) {
        const list = fieldsById.get(id);
        if (list) list.push(field);
        else fieldsById.set(id, [field]);
      }
      return (this.stmt.list.all() as Row[]).map((r) => toRecord(r, fieldsById.get(r[0]) ?? []));
    });
  }

  /** The row, then its secret fields, in one read snapshot. */
  private one(row: () => Row | undefined): CredentialRecord | null {
    return this.vault.readSnapshot(() => {
      const r = row();
      return r ? toRecord(r, this.stmt.secretFields.all(r[0]) as string[]) : null;
    });
  }

  count(): number {
    return this.stmt.count.get() as number;
  }

  get(id: string): CredentialRecord | null {
    return this.one(() => this.stmt.byId.get(id) as Row | undefined);
  }

  getByName(name: string): CredentialRecord | null {
    return this.one(() => this.stmt.byName.get(name) as Row | undefined);
  }

  isNameTaken(name: string, exceptId = ''): boolean {
    return this.stmt.nameTaken.get(name, exceptId) !== undefined;
  }

  /** Stores a new credential, UNVERIFIED; returns it as `get` would read it back (no second read). */
  insert(rec: { id: string; name: string; provider: ProviderId; type: CredentialType; fields: Record<string, string> }, secrets: Record<string, string>, at: string): CredentialRecord {
    const fields = JSON.stringify(rec.fields);
    this.vault.tx(() => {
      this.stmt.insert.run({ ...rec, fields, at });
      for (const [field, value] of Object.entries(secrets)) {
        this.stmt.putSecret.run(rec.id, field, this.vault.sealSecret(rec.id, field, value));
      }
    });
    const row: Row = [rec.id, rec.name, rec.provider, rec.type, 'UNVERIFIED', fields, null, null, null, at, at, null];
    // secret_fields' order: SQLite's BINARY collation, which is code-unit order for these keys.
    return toRecord(row, Object.keys(secrets).sort());
  }

  /**
   * Replaces name/fields and the given secrets; the credential goes back to UNVERIFIED.
   * `keyChanged` forgets the last identity: it belonged to the key that was replaced.
   */
  update(id: string, name: string, fields: Record<string, string>, secrets: Record<string, string>, at: string, keyChanged: boolean): void {
    this.vault.tx(() => {
      this.stmt.update.run({ id, name, fields: JSON.stringify(fields), at, keyChanged: keyChanged ? 1 : 0 });
      for (const [field, value] of Object.entries(secrets)) {
        this.stmt.putSecret.run(id, field, this.vault.sealSecret(id, field, value));
      }
    });
  }

  secretsOf(id: string): Record<string, string> {
    const rows = this.stmt.secrets.all(id) as Array<{ field: string; sealed: Buffer }>;
    return Object.fromEntries(rows.map((r) => [r.field, this.vault.openSecret(id, r.field, r.sealed)]));
  }

  /** When the credential's name, fields or secrets last changed; undefined once it is deleted. */
  updatedAtOf(id: string): string | undefined {
    return this.stmt.updatedAt.get(id) as string | undefined;
  }

  recordCheck(id: string, c: CheckRecord): void {
    this.stmt.check.run({
      id,
      status: c.status,
      identity: c.identity ? JSON.stringify(c.identity) : null,
      error: c.error ? JSON.stringify(c.error) : null,
      diagnosis: c.diagnosis ? JSON.stringify(c.diagnosis) : null,
      at: c.at,
    });
  }

  delete(id: string): boolean {
    return this.stmt.delete.run(id).changes > 0;
  }
}
