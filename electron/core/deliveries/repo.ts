import type { Statement } from 'better-sqlite3';
import type { DeliveryOutcome } from '../../../shared/channels/deliveries';
import type { Vault } from '../vault/vault';

// The one SQL access layer for deliveries, and for what a rotation saved of each before
// writing it (sealed: what a place held before is a key).

export interface DeliveryRow {
  id: string;
  credentialId: string;
  kind: string;
  /** Parsed JSON; the kind's schema parses it again before use. */
  config: Record<string, unknown>;
  writerCredentialId: string | null;
  createdAt: string;
  lastWrite: DeliveryOutcome | null;
  lastCheck: DeliveryOutcome | null;
}

interface Row {
  id: string;
  credential_id: string;
  kind: string;
  config: string;
  writer_credential_id: string | null;
  created_at: string;
  last_write: string | null;
  last_check: string | null;
}

/** A delivery as one rotation wrote it: its kind and config as they were then, and how far it got. */
export interface RotationDeliveryRow {
  deliveryId: string;
  kind: string;
  config: Record<string, unknown>;
  state: 'SAVED' | 'WRITTEN' | 'RESTORED';
}

// Sealed under a record id of its own kind, so a saved value cannot pass for another's.
const savedRecord = (rotationId: string, deliveryId: string) => `rotation-delivery:${rotationId}:${deliveryId}`;

export class DeliveryRepo {
  private readonly stmt: Record<string, Statement>;

  constructor(private readonly vault: Vault) {
    const db = vault.db;
    this.stmt = {
      // Added in the same millisecond, places keep the order they were added in (rowid), not their random ids'.
      all: db.prepare('SELECT * FROM deliveries ORDER BY credential_id, created_at, rowid'),
      of: db.prepare('SELECT * FROM deliveries WHERE credential_id = ? ORDER BY created_at, rowid'),
      get: db.prepare('SELECT * FROM deliveries WHERE id = ?'),
      byPrefix: db.prepare("SELECT id FROM deliveries WHERE id LIKE ? || '%' LIMIT 2"),
      insert: db.prepare('INSERT INTO deliveries (id, credential_id, kind, config, writer_credential_id, created_at) VALUES (@id, @credentialId, @kind, @config, @writerCredentialId, @createdAt)'),
      delete: db.prepare('DELETE FROM deliveries WHERE id = ?'),
      lastWrite: db.prepare('UPDATE deliveries SET last_write_at = ?, last_write = ? WHERE id = ?'),
      lastCheck: db.prepare('UPDATE deliveries SET last_check_at = ?, last_check = ? WHERE id = ?'),
      saved: db.prepare('SELECT delivery_id, kind, config, state FROM rotation_deliveries WHERE rotation_id = ? ORDER BY seq'),
      savedOne: db.prepare('SELECT previous FROM rotation_deliveries WHERE rotation_id = ? AND delivery_id = ?'),
      save: db.prepare(
        `INSERT INTO rotation_deliveries (rotation_id, delivery_id, seq, kind, config, previous, state, at)
         VALUES (?, ?, (SELECT coalesce(max(seq), 0) + 1 FROM rotation_deliveries WHERE rotation_id = ?), ?, ?, ?, 'SAVED', ?)`,
      ),
      state: db.prepare('UPDATE rotation_deliveries SET state = ?, at = ? WHERE rotation_id = ? AND delivery_id = ?'),
    };
  }

  list(credentialId?: string): DeliveryRow[] {
    return ((credentialId === undefined ? this.stmt.all.all() : this.stmt.of.all(credentialId)) as Row[]).map(toRow);
  }

  get(id: string): DeliveryRow | null {
    const r = this.stmt.get.get(id) as Row | undefined;
    return r ? toRow(r) : null;
  }

  /** A delivery by its id or a unique prefix of it (as printed in short). */
  resolveId(idOrPrefix: string): string | null {
    const ids = this.stmt.byPrefix.all(idOrPrefix) as Array<{ id: string }>;
    return ids.length === 1 ? ids[0].id : null;
  }

  insert(d: { id: string; credentialId: string; kind: string; config: Record<string, unknown>; writerCredentialId: string | null; createdAt: string }): void {
    this.stmt.insert.run({ ...d, config: JSON.stringify(d.config) });
  }

  delete(id: string): boolean {
    return this.stmt.delete.run(id).changes > 0;
  }

  recordWrite(id: string, outcome: DeliveryOutcome): void {
    this.stmt.lastWrite.run(outcome.at, JSON.stringify(outcome), id);
  }

  recordCheck(id: string, outcome: DeliveryOutcome): void {
    this.stmt.lastCheck.run(outcome.at, JSON.stringify(outcome), id);
  }

  // --- a rotation's writes ----------------------------------------------------------------

  /** The deliveries a rotation saved, in the order it wrote them. */
  savedBy(rotationId: string): RotationDeliveryRow[] {
    return (this.stmt.saved.all(rotationId) as Array<{ delivery_id: string; kind: string; config: string; state: RotationDeliveryRow['state'] }>).map((r) => ({
      deliveryId: r.delivery_id,
      kind: r.kind,
      config: JSON.parse(r.config) as Record<string, unknown>,
      state: r.state,
    }));
  }

  /** Seals what the place held (JSON) before the rotation writes it; call in its own transaction, before the write. */
  save(rotationId: string, d: { id: string; kind: string; config: Record<string, unknown> }, previous: unknown, at: string): void {
    const sealed = this.vault.sealSecret(savedRecord(rotationId, d.id), 'previous', JSON.stringify(previous ?? null));
    this.stmt.save.run(rotationId, d.id, rotationId, d.kind, JSON.stringify(d.config), sealed, at);
  }

  /** What the place held before the rotation wrote it (null: it did not exist). */
  previous(rotationId: string, deliveryId: string): unknown {
    const row = this.stmt.savedOne.get(rotationId, deliveryId) as { previous: Buffer | null } | undefined;
    if (!row?.previous) return null;
    return JSON.parse(this.vault.openSecret(savedRecord(rotationId, deliveryId), 'previous', row.previous)) as unknown;
  }

  setSavedState(rotationId: string, deliveryId: string, state: RotationDeliveryRow['state'], at: string): void {
    this.stmt.state.run(state, at, rotationId, deliveryId);
  }
}

function toRow(r: Row): DeliveryRow {
  return {
    id: r.id,
    credentialId: r.credential_id,
    kind: r.kind,
    config: JSON.parse(r.config) as Record<string, unknown>,
    writerCredentialId: r.writer_credential_id,
    createdAt: r.created_at,
    lastWrite: r.last_write ? (JSON.parse(r.last_write) as DeliveryOutcome) : null,
    lastCheck: r.last_check ? (JSON.parse(r.last_check) as DeliveryOutcome) : null,
  };
}
