import type { Migration } from './migration';

export default {
  version: 10,
  name: 'deliveries',
  sql: `
      -- The places a credential's key is copied to (a credentials-file profile, a .env file,
      -- SSM, Secrets Manager, its bound System Parameters). Config is never secret. The last
      -- write and check are JSON {at, ok, accessKeyId (masked), detail, error, diagnosis}.
      CREATE TABLE deliveries (
        id                   TEXT PRIMARY KEY,
        credential_id        TEXT NOT NULL REFERENCES credentials(id) ON DELETE CASCADE,
        kind                 TEXT NOT NULL,
        config               TEXT NOT NULL,          -- JSON, the kind's own schema
        writer_credential_id TEXT REFERENCES credentials(id) ON DELETE SET NULL,
        created_at           TEXT NOT NULL,
        last_write_at        TEXT,
        last_write           TEXT,
        last_check_at        TEXT,
        last_check           TEXT
      ) STRICT;
      CREATE INDEX deliveries_credential ON deliveries(credential_id);

      -- A rotation's writes to its deliveries. What the place held before is sealed and
      -- recorded before the write (state SAVED), so a kill between the write and its record
      -- still rolls back. The delivery's kind and config are copied: one removed mid-rotation
      -- is still restored.
      CREATE TABLE rotation_deliveries (
        rotation_id TEXT NOT NULL REFERENCES rotations(id) ON DELETE CASCADE,
        delivery_id TEXT NOT NULL,
        seq         INTEGER NOT NULL,
        kind        TEXT NOT NULL,
        config      TEXT NOT NULL,
        previous    BLOB,                            -- sealed JSON; NULL once the rotation ends
        state       TEXT NOT NULL CHECK (state IN ('SAVED','WRITTEN','RESTORED')),
        at          TEXT NOT NULL,
        PRIMARY KEY (rotation_id, delivery_id)
      ) STRICT;
      -- A finished or rolled-back rotation keeps no secret, as its journal keeps none.
      CREATE TRIGGER rotation_deliveries_forget AFTER UPDATE OF state ON rotations
        WHEN NEW.state <> 'IN_PROGRESS'
        BEGIN UPDATE rotation_deliveries SET previous = NULL WHERE rotation_id = NEW.id; END;
    `,
} satisfies Migration;
