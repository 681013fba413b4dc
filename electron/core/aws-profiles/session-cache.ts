import { randomUUID } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import type { ErrorCode } from '../../../shared/errors';
import { KeywardError } from '../errors';
import type { Clock } from '../ports/clock';
import type { Vault } from '../vault/vault';

// The sealed cache of sts:GetSessionToken credentials, and the lease that makes a burst
// of callers (Terraform starts dozens of credential_process calls at once) cost one STS
// call. Every write is an IMMEDIATE transaction: it takes SQLite's write lock before it
// reads, so concurrent processes queue on busy_timeout instead of failing with
// SQLITE_BUSY when a read transaction would have to turn into a write.

export interface SessionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** ms since the epoch. */
  expiresAt: number;
}

interface Row {
  access_key_id: string | null;
  sealed: Buffer | null;
  expires_at: number | null;
  lease_owner: string | null;
  lease_until: number | null;
  error: string | null;
  error_at: number | null;
}

/** How long one fetch may hold the lease (an MFA prompt waits for a person). */
const LEASE_MS = 30_000;
const MFA_LEASE_MS = 120_000;
/** How often a waiting caller looks at the row again. */
const POLL_MS = 40;

/**
 * A cached session is handed out until this long before it expires. The AWS CLI and SDKs
 * refresh credentials 10–15 minutes before their Expiration, so anything closer would
 * make every call fetch anew; a short session keeps half its life.
 */
function renewBefore(durationSeconds: number): number {
  return Math.min(15 * 60_000, (durationSeconds * 1000) / 2);
}

type SessionOutcome = { session: SessionCredentials; cached: boolean };

export class AwsSessionCache {
  private readonly stmt: Record<string, Statement>;
  private readonly owner = randomUUID();

  constructor(
    private readonly vault: Vault,
    private readonly clock: Clock,
  ) {
    const db = vault.db;
    this.stmt = {
      get: db.prepare('SELECT access_key_id, sealed, expires_at, lease_owner, lease_until, error, error_at FROM aws_sessions WHERE credential_id = ? AND variant = ?'),
      lease: db.prepare(
        `INSERT INTO aws_sessions (credential_id, variant, lease_owner, lease_until, updated_at) VALUES (@id, @variant, @owner, @until, @at)
         ON CONFLICT (credential_id, variant) DO UPDATE SET lease_owner = excluded.lease_owner, lease_until = excluded.lease_until, updated_at = excluded.updated_at`,
      ),
      store: db.prepare(
        `UPDATE aws_sessions SET access_key_id = @keyId, sealed = @sealed, expires_at = @expiresAt, lease_owner = NULL, lease_until = NULL,
           error = NULL, error_at = NULL, updated_at = @at WHERE credential_id = @id AND variant = @variant`,
      ),
      fail: db.prepare(
        `UPDATE aws_sessions SET lease_owner = NULL, lease_until = NULL, error = @error, error_at = @now, updated_at = @at
         WHERE credential_id = @id AND variant = @variant AND lease_owner = @owner`,
      ),
    };
  }

  private field(variant: string): string {
    // Sealed with the vault's data key, bound to this credential and variant: a row moved
    // to another credential fails to open.
    return `aws-session/${variant}`;
  }

  private open(credentialId: string, variant: string, row: Row): SessionCredentials {
    const v = JSON.parse(this.vault.openSecret(credentialId, this.field(variant), row.sealed!)) as Omit<SessionCredentials, 'expiresAt'>;
    return { ...v, expiresAt: row.expires_at! };
  }

  private fresh(row: Row | undefined, keyId: string, durationSeconds: number): boolean {
    return !!row?.sealed && row.access_key_id === keyId && row.expires_at !== null && row.expires_at - this.clock.now() > renewBefore(durationSeconds);
  }

  /** An immediate transaction (vault.tx): the write lock first, so concurrent writers wait in turn. */
  private immediate<T>(fn: () => T): T {
    return this.vault.tx(fn);
  }

  /**
   * The cached session for (credential, variant), or a new one from `fetch` when there is
   * none that is fresh. Only the caller holding the lease fetches; the rest wait for it.
   * `onServe` runs inside the transaction that hands the session out (the audit event).
   */
  async get(
    req: { credentialId: string; variant: string; accessKeyId: string; durationSeconds: number; mfa: boolean },
    fetch: () => Promise<SessionCredentials>,
    onServe: (cached: boolean) => void,
  ): Promise<SessionOutcome> {
    const { credentialId: id, variant } = req;
    const started = this.clock.now();
    let waited = false;
    for (;;) {
      const step = this.immediate(() => {
        const row = this.stmt.get.get(id, variant) as Row | undefined;
        if (this.fresh(row, req.accessKeyId, req.durationSeconds)) {
          onServe(true);
          return { kind: 'hit' as const, session: this.open(id, variant, row!) };
        }
        const now = this.clock.now();
        if (row?.lease_owner && row.lease_owner !== this.owner && (row.lease_until ?? 0) > now) return { kind: 'wait' as const };
        // The fetch another caller was waited for failed: report it rather than retry in turn.
        if (waited && row?.error && (row.error_at ?? 0) >= started && !row.lease_owner) {
          const e = JSON.parse(row.error) as { code: ErrorCode; message: string };
          return { kind: 'failed' as const, error: new KeywardError(e.code, e.message) };
        }
        this.stmt.lease.run({ id, variant, owner: this.owner, until: now + (req.mfa ? MFA_LEASE_MS : LEASE_MS), at: new Date(now).toISOString() });
        return { kind: 'fetch' as const };
      });
      if (step.kind === 'hit') return { session: step.session, cached: true };
      if (step.kind === 'failed') throw step.error;
      if (step.kind === 'wait') {
        waited = true;
        // A plain timer, not the clock port's: an unref'd one would let the process exit
        // (with nothing printed) while it waits for the fetch of another process.
        await new Promise<void>((res) => setTimeout(res, POLL_MS));
        continue;
      }
      let session: SessionCredentials;
      try {
        session = await fetch();
      } catch (e) {
        const payload = e instanceof KeywardError ? { code: e.code, message: e.message } : { code: 'INTERNAL', message: 'Fetching a session failed unexpectedly.' };
        const now = this.clock.now();
        this.immediate(() => this.stmt.fail.run({ id, variant, owner: this.owner, error: JSON.stringify(payload), now, at: new Date(now).toISOString() }));
        throw e;
      }
      const { expiresAt, ...secret } = session;
      this.immediate(() => {
        this.stmt.store.run({
          id,
          variant,
          keyId: req.accessKeyId,
          sealed: this.vault.sealSecret(id, this.field(variant), JSON.stringify(secret)),
          expiresAt,
          at: new Date(this.clock.now()).toISOString(),
        });
        onServe(false);
      });
      return { session, cached: false };
    }
  }
}
