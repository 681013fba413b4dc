import type { CheckError, CredentialStatus, Diagnosis } from '../../../shared/contract';
import type { Resource } from '../../../shared/channels/resources';
import type { Vault } from '../vault/vault';

interface Row {
  id: string;
  credential_id: string;
  kind: string;
  group_id: string;
  region: string;
  status: string;
  last_checked_at: string | null;
  error: string | null;
  diagnosis: string | null;
  created_at: string;
}

const toResource = (r: Row): Resource => ({
  id: r.id,
  credentialId: r.credential_id,
  kind: 'AWS_SECURITY_GROUP',
  groupId: r.group_id,
  region: r.region,
  status: r.status as CredentialStatus,
  lastCheckedAt: r.last_checked_at,
  error: r.error ? (JSON.parse(r.error) as CheckError) : null,
  diagnosis: r.diagnosis ? (JSON.parse(r.diagnosis) as Diagnosis) : null,
  createdAt: r.created_at,
});

/** The one SQL access layer for resources. */
export class ResourceRepo {
  constructor(private readonly vault: Vault) {}

  private get db() {
    return this.vault.db;
  }

  list(credentialId?: string): Resource[] {
    const rows = credentialId
      ? this.db.prepare('SELECT * FROM resources WHERE credential_id = ? ORDER BY created_at, rowid').all(credentialId)
      : this.db.prepare('SELECT * FROM resources ORDER BY created_at, rowid').all();
    return (rows as Row[]).map(toResource);
  }

  get(id: string): Resource | null {
    const row = this.db.prepare('SELECT * FROM resources WHERE id = ?').get(id) as Row | undefined;
    return row ? toResource(row) : null;
  }

  /** By id, or by a unique id prefix (the CLI's table shows 8 characters). */
  find(idOrPrefix: string): Resource | null {
    const exact = this.get(idOrPrefix);
    if (exact) return exact;
    if (idOrPrefix.length < 4) return null;
    const rows = this.db.prepare("SELECT * FROM resources WHERE id LIKE ? || '%' LIMIT 2").all(idOrPrefix) as Row[];
    return rows.length === 1 ? toResource(rows[0]) : null;
  }

  exists(credentialId: string, groupId: string, region: string): boolean {
    return this.db.prepare('SELECT 1 FROM resources WHERE credential_id = ? AND group_id = ? AND region = ?').get(credentialId, groupId, region) !== undefined;
  }

  insert(r: { id: string; credentialId: string; groupId: string; region: string; at: string }): void {
    this.db.prepare(`INSERT INTO resources (id, credential_id, kind, group_id, region, created_at) VALUES (?, ?, 'AWS_SECURITY_GROUP', ?, ?, ?)`).run(r.id, r.credentialId, r.groupId, r.region, r.at);
  }

  recordCheck(id: string, c: { status: CredentialStatus; error: CheckError | null; diagnosis: Diagnosis | null; at: string }): void {
    this.db
      .prepare('UPDATE resources SET status = ?, error = ?, diagnosis = ?, last_checked_at = ? WHERE id = ?')
      .run(c.status, c.error ? JSON.stringify(c.error) : null, c.diagnosis ? JSON.stringify(c.diagnosis) : null, c.at, id);
  }

  /** Reassigns a resource to another credential; its last check no longer applies. */
  setCredential(id: string, credentialId: string): void {
    this.db.prepare("UPDATE resources SET credential_id = ?, status = 'UNVERIFIED', error = NULL, diagnosis = NULL WHERE id = ?").run(credentialId, id);
  }

  setRegion(id: string, region: string): void {
    this.db.prepare("UPDATE resources SET region = ?, status = 'UNVERIFIED', error = NULL, diagnosis = NULL WHERE id = ?").run(region, id);
  }

  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM resources WHERE id = ?').run(id).changes > 0;
  }
}
