import type { Migration } from './migration';

export default {
  version: 9,
  name: 'rotation-runs',
  sql: `
      -- A fleet run: every due key planned at once, each rotated as its own journaled
      -- rotation (rotations.run_id). The run lists its credentials, so a resume after a
      -- kill also starts those the killed run never reached.
      CREATE TABLE rotation_runs (
        id             TEXT PRIMARY KEY,
        state          TEXT NOT NULL CHECK (state IN ('IN_PROGRESS','DONE')),
        credential_ids TEXT NOT NULL,          -- JSON: the due credentials, in order
        options        TEXT NOT NULL,          -- JSON: acting credential, hold, delete-first choices
        created_at     TEXT NOT NULL,
        updated_at     TEXT NOT NULL
      ) STRICT;
      ALTER TABLE rotations ADD COLUMN run_id TEXT REFERENCES rotation_runs(id);
      CREATE INDEX rotations_run ON rotations(run_id) WHERE run_id IS NOT NULL;
    `,
} satisfies Migration;
