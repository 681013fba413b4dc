import type { Migration } from './migration';

export default {
  version: 3,
  name: 'rotation-and-parameters',
  sql: `
      -- One row per AWS key rotation. The new key's secret is sealed here (bound to the
      -- rotation id) in the same transaction that records the create step; the old one
      -- is sealed here when the credential switches, so a rollback can restore it.
      CREATE TABLE rotations (
        id                   TEXT PRIMARY KEY,
        credential_id        TEXT NOT NULL,       -- no foreign key: the journal outlives its credential
        acting_credential_id TEXT,                -- NULL: the credential rotates itself
        user_name            TEXT NOT NULL,
        state                TEXT NOT NULL CHECK (state IN ('IN_PROGRESS','DONE','ROLLED_BACK')),
        phase                TEXT NOT NULL,       -- the last step completed
        old_access_key_id    TEXT,
        new_access_key_id    TEXT,
        delete_first_key_id  TEXT,
        confirmed_active     INTEGER NOT NULL DEFAULT 0,
        keys_at_start        TEXT NOT NULL,       -- JSON: key ids the user had when it began
        new_secret           BLOB,
        old_secret           BLOB,
        error                TEXT,                -- JSON: the step that stopped it, with its diagnosis
        created_at           TEXT NOT NULL,
        updated_at           TEXT NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX rotations_one_open ON rotations(credential_id) WHERE state = 'IN_PROGRESS';

      CREATE TABLE rotation_steps (
        rotation_id TEXT NOT NULL REFERENCES rotations(id) ON DELETE CASCADE,
        seq         INTEGER NOT NULL,
        name        TEXT NOT NULL,
        at          TEXT NOT NULL,
        details     TEXT NOT NULL,               -- JSON, never a secret
        PRIMARY KEY (rotation_id, seq)
      ) STRICT;

      -- System parameters: an application's integration settings. A secret value is
      -- sealed; a bound parameter takes its value from its credential when read.
      CREATE TABLE system_parameters (
        key                 TEXT PRIMARY KEY,
        label               TEXT NOT NULL,
        grp                 TEXT NOT NULL,
        type                TEXT NOT NULL CHECK (type IN ('text','number','boolean','choice','secret')),
        choices             TEXT,                -- JSON array for type choice
        aws_field           TEXT CHECK (aws_field IN ('accessKeyId','secretAccessKey','region','endpointUrl')),
        value               TEXT,
        sealed              BLOB,
        bound_credential_id TEXT REFERENCES credentials(id) ON DELETE SET NULL,
        description         TEXT NOT NULL DEFAULT '',
        updated_at          TEXT NOT NULL
      ) STRICT;
      CREATE INDEX system_parameters_group ON system_parameters(grp, key);
    `,
} satisfies Migration;
