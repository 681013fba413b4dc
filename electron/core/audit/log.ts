import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import { KeywardError } from '../errors';
import type { Vault } from '../vault/vault';
import { actionsInGroup, type AuditAction } from '../../../shared/audit-actions';
import type { AuditEvent as AuditEventView } from '../../../shared/channels/audit';
import { isoNow, systemClock, type Clock } from '../ports/clock';
import { canonicalJson } from './canonical';

// The tamper-evident audit log. Each event's hash is HMAC-SHA-256, keyed with a subkey of
// the vault's data key, over the previous event's hash and the event's canonical content.
// Keyed, so someone who can edit the file cannot recompute a consistent chain; the newest
// (seq, hash) is also kept in meta, so cutting events off the end is caught too.

const GENESIS_HASH = '0'.repeat(64);

export type AuditActor = AuditEventView['actor'];

/** An event as it is stored and read back (older vaults may hold actions no longer in AUDIT_ACTIONS). */
export type AuditEvent = AuditEventView;

interface AuditFilter {
  credentialId?: string;
  action?: string;
  /** ISO-8601, inclusive. */
  since?: string;
  /** ISO-8601, exclusive. */
  until?: string;
  /** Events with seq < beforeSeq (paging backwards from the newest). */
  beforeSeq?: number;
  limit?: number;
}

type AuditVerdict = { ok: true; events: number } | { ok: false; events: number; brokenAt: number; reason: string };

interface Row {
  seq: number;
  at: string;
  action: string;
  credential_id: string | null;
  actor: string;
  details: string;
  prev_hash: string;
  hash: string;
}

// Names that mean a secret: their values never go into an event.
const SECRET_KEY = /secret|password|passphrase|token|apikey|api_key|privatekey/i;

/** Refuses details that carry a secret-looking field with a value: an audit row is forever. */
export function assertNoSecrets(details: Record<string, unknown>, path = 'details'): void {
  for (const [k, v] of Object.entries(details)) {
    if (SECRET_KEY.test(k) && typeof v === 'string' && v !== '' && v !== 'changed') {
      throw new KeywardError('INTERNAL', `Refusing to write ${path}.${k} to the audit log: it looks like a secret.`);
    }
    if (v && typeof v === 'object' && !Array.isArray(v)) assertNoSecrets(v as Record<string, unknown>, `${path}.${k}`);
  }
}

function toEvent(r: Row): AuditEvent {
  return { seq: r.seq, at: r.at, action: r.action, credentialId: r.credential_id, actor: r.actor as AuditActor, details: JSON.parse(r.details) as Record<string, unknown> };
}

export class AuditLog {
  /** A KeyObject, prepared once: each event's two MACs then skip importing the key. */
  private readonly key: KeyObject;
  private readonly stmt: Record<string, Statement>;

  constructor(
    private readonly vault: Vault,
    private readonly actor: AuditActor,
    private readonly clock: Clock = systemClock,
  ) {
    this.key = createSecretKey(vault.subkey('audit-chain'));
    const db = vault.db;
    this.stmt = {
      head: db.prepare("SELECT value FROM meta WHERE key = 'audit_head'"),
      setHead: db.prepare("INSERT INTO meta (key, value) VALUES ('audit_head', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
      last: db.prepare('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1'),
      insert: db.prepare('INSERT INTO audit_events (seq, at, action, credential_id, actor, details, prev_hash, hash) VALUES (@seq, @at, @action, @credentialId, @actor, @details, @prevHash, @hash)'),
      all: db.prepare('SELECT * FROM audit_events ORDER BY seq'),
      maxSeq: db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'audit_events'"),
    };
  }

  private hashOf(prevHash: string, e: AuditEvent): string {
    const content = canonicalJson({ seq: e.seq, at: e.at, action: e.action, credentialId: e.credentialId, actor: e.actor, details: e.details });
    return createHmac('sha256', this.key).update(prevHash).update('\n').update(content).digest('hex');
  }

  // The head is MACed too: rewriting it after cutting events off needs the key.
  private headMac(seq: number, hash: string): string {
    return createHmac('sha256', this.key).update(`head\n${seq}\n${hash}`).digest('hex');
  }

  /** Appends one event; joins the caller's transaction when there is one. */
  append(action: AuditAction, opts: { credentialId?: string | null; details?: Record<string, unknown>; at?: string } = {}): AuditEvent {
    const details = opts.details ?? {};
    assertNoSecrets(details);
    // Inside the caller's transaction the event is written as part of it (no savepoint).
    const write = () => {
      const last = this.stmt.last.get() as { seq: number; hash: string } | undefined;
      const seqRow = this.stmt.maxSeq.get() as { seq: number } | undefined;
      const seq = Math.max(last?.seq ?? 0, seqRow?.seq ?? 0) + 1;
      const event: AuditEvent = { seq, at: opts.at ?? isoNow(this.clock), action, credentialId: opts.credentialId ?? null, actor: this.actor, details };
      const prevHash = last?.hash ?? GENESIS_HASH;
      const hash = this.hashOf(prevHash, event);
      this.stmt.insert.run({ ...event, details: canonicalJson(details), prevHash, hash });
      this.stmt.setHead.run(JSON.stringify({ seq, hash, mac: this.headMac(seq, hash) }));
      return event;
    };
    return this.vault.db.inTransaction ? write() : this.vault.tx(write);
  }

  /** The credential id that events recorded for this id or name (for deleted credentials). */
  findCredentialId(idOrName: string): string | null {
    const row = this.vault.db.prepare("SELECT credential_id FROM audit_events WHERE credential_id = ? OR json_extract(details, '$.name') = ? ORDER BY seq DESC LIMIT 1").get(idOrName, idOrName) as
      { credential_id: string | null } | undefined;
    return row?.credential_id ?? null;
  }

  /** Newest first. */
  list(f: AuditFilter = {}): AuditEvent[] {
    const where: string[] = [];
    const args: Record<string, unknown> = {};
    if (f.credentialId) {
      where.push('credential_id = @credentialId');
      args.credentialId = f.credentialId;
    }
    if (f.action) {
      // A group: "credential" matches credential.created, credentials.imported, … (shared/audit-actions.ts),
      // and any other "credential.*" an older or newer build recorded.
      const members = f.action.includes('.') ? [] : actionsInGroup(f.action);
      where.push(f.action.includes('.') ? 'action = @action' : `(action = @action OR action LIKE @actionPrefix${members.map((_, i) => ` OR action = @member${i}`).join('')})`);
      args.action = f.action;
      if (!f.action.includes('.')) args.actionPrefix = `${f.action}.%`;
      members.forEach((m, i) => (args[`member${i}`] = m));
    }
    if (f.since) {
      where.push('at >= @since');
      args.since = f.since;
    }
    if (f.until) {
      where.push('at < @until');
      args.until = f.until;
    }
    if (f.beforeSeq) {
      where.push('seq < @beforeSeq');
      args.beforeSeq = f.beforeSeq;
    }
    const sql = `SELECT * FROM audit_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT @limit`;
    args.limit = Math.min(f.limit ?? 1000, 100_000);
    return (this.vault.db.prepare(sql).all(args) as Row[]).map(toEvent);
  }

  /** Checks the chain and its head as of one moment (another process may be appending meanwhile). */
  verify(): AuditVerdict {
    return this.vault.readSnapshot(() => this.verifyNow());
  }

  /** Walks the whole chain; names the first event that does not hold. */
  private verifyNow(): AuditVerdict {
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    let events = 0;
    let lastSeq = 0;
    for (const r of this.stmt.all.iterate() as IterableIterator<Row>) {
      events++;
      if (r.seq !== expectedSeq) {
        return { ok: false, events, brokenAt: Math.min(r.seq, expectedSeq), reason: `event ${expectedSeq} is missing (next is ${r.seq})` };
      }
      let e: AuditEvent;
      try {
        e = toEvent(r);
      } catch {
        return { ok: false, events, brokenAt: r.seq, reason: 'its details are not valid JSON' };
      }
      if (r.prev_hash !== prevHash) return { ok: false, events, brokenAt: r.seq, reason: 'it does not follow the event before it (reordered or inserted)' };
      if (this.hashOf(prevHash, e) !== r.hash) return { ok: false, events, brokenAt: r.seq, reason: 'its content was changed' };
      prevHash = r.hash;
      lastSeq = r.seq;
      expectedSeq++;
    }
    const head = this.stmt.head.get() as { value: string } | undefined;
    if (head) {
      const h = JSON.parse(head.value) as { seq: number; hash: string; mac: string };
      if (h.mac !== this.headMac(h.seq, h.hash)) {
        return { ok: false, events, brokenAt: lastSeq, reason: 'the record of the newest event was altered' };
      }
      if (h.seq !== lastSeq || h.hash !== prevHash) {
        return { ok: false, events, brokenAt: lastSeq + 1, reason: `events after ${lastSeq} were removed (the log ended at ${h.seq})` };
      }
    } else if (events > 0) {
      return { ok: false, events, brokenAt: 1, reason: 'the chain head is missing' };
    }
    return { ok: true, events };
  }
}
