import type { Statement } from 'better-sqlite3';
import type { z } from 'zod';
import type { RotationSchema } from '../../../shared/channels/rotation';
import { ROTATION_STEPS } from '../../../shared/rotation-steps';
import type { Vault } from '../vault/vault';
import type { StepFailure } from './errors';

// The rotation journal: one row per rotation, one per step. Every write here happens
// inside the transaction of the step it records, so the journal and the vault never
// disagree about what was done.

export type RotationState = z.output<typeof RotationSchema>['state'];

/** The steps, in the order the wizard shows them (one list, shared with the window). */
export const STEPS = ROTATION_STEPS;
export type StepName = (typeof STEPS)[number];
export type JournalStepName = StepName | 'orphan-deleted' | 'rollback' | 'rolled-back' | 'stopped';

export interface JournalStep {
  name: JournalStepName;
  at: string;
  details: Record<string, unknown>;
}

/**
 * A rotation as the CLI prints it and the window shows it (the contract's RotationSchema:
 * no secret, ever), with what the journal keeps for itself besides.
 */
export type Rotation = Omit<z.output<typeof RotationSchema>, 'steps'> & {
  steps: JournalStep[];
  confirmedActive: boolean;
  keysAtStart: string[];
  /** When the create step last asked AWS for a key (recorded before the call): how a resume tells its own unrecorded key. */
  keyRequestedAt: string | null;
};

interface Row {
  id: string;
  credential_id: string;
  acting_credential_id: string | null;
  user_name: string;
  state: RotationState;
  phase: StepName;
  old_access_key_id: string | null;
  new_access_key_id: string | null;
  delete_first_key_id: string | null;
  confirmed_active: number;
  keys_at_start: string;
  key_requested_at: string | null;
  run_id: string | null;
  error: string | null;
  created_at: string;
  updated_at: string;
}

/** Sealed secrets live under their own record ids, so a ciphertext cannot be moved between rotations. */
const NEW_SECRET = 'newSecretAccessKey';
const OLD_SECRET = 'oldSecretAccessKey';

export class RotationJournal {
  private readonly stmt: Record<string, Statement>;

  constructor(private readonly vault: Vault) {
    const db = vault.db;
    this.stmt = {
      insert: db.prepare(
        `INSERT INTO rotations (id, credential_id, acting_credential_id, user_name, state, phase, old_access_key_id,
           delete_first_key_id, confirmed_active, keys_at_start, run_id, created_at, updated_at)
         VALUES (@id, @credentialId, @actingCredentialId, @userName, 'IN_PROGRESS', @phase, @oldAccessKeyId,
           @deleteFirstKeyId, @confirmedActive, @keysAtStart, @runId, @at, @at)`,
      ),
      get: db.prepare('SELECT * FROM rotations WHERE id = ?'),
      byPrefix: db.prepare("SELECT id FROM rotations WHERE id LIKE ? || '%'"),
      open: db.prepare("SELECT * FROM rotations WHERE state = 'IN_PROGRESS' ORDER BY created_at"),
      openFor: db.prepare("SELECT id FROM rotations WHERE credential_id = ? AND state = 'IN_PROGRESS'"),
      all: db.prepare('SELECT * FROM rotations ORDER BY created_at DESC LIMIT ?'),
      lastDone: db.prepare("SELECT credential_id AS credentialId, max(updated_at) AS at FROM rotations WHERE state = 'DONE' GROUP BY credential_id"),
      steps: db.prepare('SELECT name, at, details FROM rotation_steps WHERE rotation_id = ? ORDER BY seq'),
      addStep: db.prepare(
        `INSERT INTO rotation_steps (rotation_id, seq, name, at, details)
         VALUES (?, (SELECT coalesce(max(seq), 0) + 1 FROM rotation_steps WHERE rotation_id = ?), ?, ?, ?)`,
      ),
      phase: db.prepare('UPDATE rotations SET phase = ?, error = NULL, updated_at = ? WHERE id = ?'),
      // A finished rotation keeps no secret: the credential holds the one that works.
      state: db.prepare('UPDATE rotations SET state = ?, error = NULL, new_secret = NULL, old_secret = NULL, updated_at = ? WHERE id = ?'),
      error: db.prepare('UPDATE rotations SET error = ?, updated_at = ? WHERE id = ?'),
      newKey: db.prepare('UPDATE rotations SET new_access_key_id = ?, new_secret = ? WHERE id = ?'),
      oldSecret: db.prepare('UPDATE rotations SET old_secret = ? WHERE id = ?'),
      ofRun: db.prepare('SELECT * FROM rotations WHERE run_id = ? ORDER BY created_at'),
      keyRequested: db.prepare('UPDATE rotations SET key_requested_at = ?, updated_at = ? WHERE id = ?'),
      secrets: db.prepare('SELECT new_secret, old_secret FROM rotations WHERE id = ?'),
    };
  }

  create(r: {
    id: string;
    credentialId: string;
    actingCredentialId: string | null;
    userName: string;
    oldAccessKeyId: string | null;
    deleteFirstKeyId: string | null;
    confirmedActive: boolean;
    keysAtStart: string[];
    runId?: string | null;
    at: string;
  }): void {
    this.stmt.insert.run({ ...r, runId: r.runId ?? null, phase: 'check-keys', confirmedActive: r.confirmedActive ? 1 : 0, keysAtStart: JSON.stringify(r.keysAtStart) });
  }

  get(id: string): Rotation | null {
    const row = this.stmt.get.get(id) as Row | undefined;
    return row ? this.toRotation(row) : null;
  }

  /** A rotation by its id or a unique prefix of it (as printed in short). */
  resolveId(idOrPrefix: string): string | null {
    const ids = this.stmt.byPrefix.all(idOrPrefix) as Array<{ id: string }>;
    return ids.length === 1 ? ids[0].id : null;
  }

  listOpen(): Rotation[] {
    return (this.stmt.open.all() as Row[]).map((r) => this.toRotation(r));
  }

  list(limit = 100): Rotation[] {
    return (this.stmt.all.all(limit) as Row[]).map((r) => this.toRotation(r));
  }

  /** When each credential's key was last rotated (its latest finished rotation). */
  lastRotated(): Record<string, string> {
    return Object.fromEntries((this.stmt.lastDone.all() as Array<{ credentialId: string; at: string }>).map((r) => [r.credentialId, r.at]));
  }

  /** The rotations of a fleet run, in the order they were opened. */
  ofRun(runId: string): Rotation[] {
    return (this.stmt.ofRun.all(runId) as Row[]).map((r) => this.toRotation(r));
  }

  openFor(credentialId: string): string | null {
    return (this.stmt.openFor.get(credentialId) as { id: string } | undefined)?.id ?? null;
  }

  /** Records a step (call inside the step's transaction). `phase` advances when the step is one of STEPS. */
  recordStep(id: string, name: JournalStepName, details: Record<string, unknown>, at: string): void {
    this.stmt.addStep.run(id, id, name, at, JSON.stringify(details));
    if ((STEPS as readonly string[]).includes(name)) this.stmt.phase.run(name, at, id);
  }

  setState(id: string, state: RotationState, at: string): void {
    this.stmt.state.run(state, at, id);
  }

  recordFailure(id: string, failure: StepFailure, at: string): void {
    this.vault.tx(() => {
      this.stmt.error.run(JSON.stringify(failure), at, id);
      this.stmt.addStep.run(id, id, 'stopped', at, JSON.stringify({ step: failure.step, operation: failure.operation, error: failure.error.code }));
    });
  }

  /** The intent to create a key, with its time, written before CreateAccessKey is called. */
  recordKeyRequested(id: string, at: string): void {
    this.stmt.keyRequested.run(at, at, id);
  }

  /** Seals the new key's secret into the journal (inside the create step's transaction). */
  putNewKey(id: string, accessKeyId: string, secretAccessKey: string): void {
    this.stmt.newKey.run(accessKeyId, this.vault.sealSecret(id, NEW_SECRET, secretAccessKey), id);
  }

  putOldSecret(id: string, secretAccessKey: string): void {
    this.stmt.oldSecret.run(this.vault.sealSecret(id, OLD_SECRET, secretAccessKey), id);
  }

  newSecret(id: string): string | null {
    const row = this.stmt.secrets.get(id) as { new_secret: Buffer | null } | undefined;
    return row?.new_secret ? this.vault.openSecret(id, NEW_SECRET, row.new_secret) : null;
  }

  oldSecret(id: string): string | null {
    const row = this.stmt.secrets.get(id) as { old_secret: Buffer | null } | undefined;
    return row?.old_secret ? this.vault.openSecret(id, OLD_SECRET, row.old_secret) : null;
  }

  private toRotation(r: Row): Rotation {
    const steps = (this.stmt.steps.all(r.id) as Array<{ name: JournalStepName; at: string; details: string }>).map((s) => ({
      name: s.name,
      at: s.at,
      details: JSON.parse(s.details) as Record<string, unknown>,
    }));
    const held =
      r.state === 'IN_PROGRESS' &&
      !r.error &&
      r.phase === 'deactivate-old' &&
      !steps.some((s) => s.name === 'rollback') &&
      steps.some((s) => s.name === 'deactivate-old' && s.details.holdBeforeDelete === true);
    return {
      id: r.id,
      credentialId: r.credential_id,
      actingCredentialId: r.acting_credential_id,
      userName: r.user_name,
      state: r.state,
      phase: r.phase,
      oldAccessKeyId: r.old_access_key_id,
      newAccessKeyId: r.new_access_key_id,
      deleteFirstKeyId: r.delete_first_key_id,
      confirmedActive: r.confirmed_active === 1,
      keysAtStart: JSON.parse(r.keys_at_start) as string[],
      keyRequestedAt: r.key_requested_at,
      runId: r.run_id,
      error: r.error ? (JSON.parse(r.error) as StepFailure) : null,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      steps,
      held,
    };
  }
}
