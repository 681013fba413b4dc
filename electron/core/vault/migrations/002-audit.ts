import type { Migration } from './migration';

export default {
  version: 2,
  name: 'audit',
  sql: `
      -- Append-only, hash-chained: each row's hash covers the previous hash and its own
      -- canonical content. The triggers stop ordinary writes; the chain catches the rest.
      CREATE TABLE audit_events (
        seq           INTEGER PRIMARY KEY AUTOINCREMENT,
        at            TEXT NOT NULL,
        action        TEXT NOT NULL,
        credential_id TEXT,            -- no foreign key: events outlive deleted credentials
        actor         TEXT NOT NULL,
        details       TEXT NOT NULL,   -- JSON, never a secret value
        prev_hash     TEXT NOT NULL,
        hash          TEXT NOT NULL
      ) STRICT;
      CREATE INDEX audit_by_action ON audit_events(action, seq);
      CREATE INDEX audit_by_credential ON audit_events(credential_id, seq);
      CREATE INDEX audit_by_time ON audit_events(at);
      CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_events
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
      CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_events
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    `,
} satisfies Migration;
