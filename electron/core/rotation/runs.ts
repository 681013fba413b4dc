import type { Statement } from 'better-sqlite3';
import type { Vault } from '../vault/vault';

// The journal of fleet runs: which credentials a run set out to rotate, with what options.
// Each key's rotation is its own journal row (rotations.run_id); the run is done when each
// of its credentials was rotated, held, skipped or rolled back.

export interface RunOptions {
  actingCredentialId: string | null;
  hold: boolean;
  /** Credential id → the inactive key deleted first (the user had two). */
  deleteFirst: Record<string, string>;
}

export interface RotationRun {
  id: string;
  state: 'IN_PROGRESS' | 'DONE';
  credentialIds: string[];
  options: RunOptions;
  createdAt: string;
  updatedAt: string;
}

interface Row {
  id: string;
  state: 'IN_PROGRESS' | 'DONE';
  credential_ids: string;
  options: string;
  created_at: string;
  updated_at: string;
}

export class RunJournal {
  private readonly stmt: Record<string, Statement>;

  constructor(vault: Vault) {
    const db = vault.db;
    this.stmt = {
      insert: db.prepare(`INSERT INTO rotation_runs (id, state, credential_ids, options, created_at, updated_at) VALUES (?, 'IN_PROGRESS', ?, ?, ?, ?)`),
      get: db.prepare('SELECT * FROM rotation_runs WHERE id = ?'),
      open: db.prepare("SELECT * FROM rotation_runs WHERE state = 'IN_PROGRESS' ORDER BY created_at"),
      state: db.prepare('UPDATE rotation_runs SET state = ?, updated_at = ? WHERE id = ?'),
    };
  }

  create(id: string, credentialIds: string[], options: RunOptions, at: string): void {
    this.stmt.insert.run(id, JSON.stringify(credentialIds), JSON.stringify(options), at, at);
  }

  get(id: string): RotationRun | null {
    const row = this.stmt.get.get(id) as Row | undefined;
    return row ? toRun(row) : null;
  }

  listOpen(): RotationRun[] {
    return (this.stmt.open.all() as Row[]).map(toRun);
  }

  finish(id: string, at: string): void {
    this.stmt.state.run('DONE', at, id);
  }
}

function toRun(r: Row): RotationRun {
  return {
    id: r.id,
    state: r.state,
    credentialIds: JSON.parse(r.credential_ids) as string[],
    options: JSON.parse(r.options) as RunOptions,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
