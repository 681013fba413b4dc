// Versioned schema. Each migration runs in one transaction and bumps user_version,
// so a vault is always at exactly one known version. Never edit a shipped migration:
// add the next one.
export const MIGRATIONS: ReadonlyArray<{ version: number; name: string; sql: string }> = [
  {
    version: 1,
    name: 'credentials',
    sql: `
      CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE credentials (
        id               TEXT PRIMARY KEY,
        name             TEXT NOT NULL UNIQUE,
        provider         TEXT NOT NULL,
        type             TEXT NOT NULL,
        status           TEXT NOT NULL DEFAULT 'UNVERIFIED'
                           CHECK (status IN ('UNVERIFIED','VALID','INVALID','UNREACHABLE')),
        fields           TEXT NOT NULL,            -- JSON: public fields only
        identity         TEXT,                     -- JSON: last good identity
        error            TEXT,                     -- JSON: last failure {code,message}
        diagnosis        TEXT,                     -- JSON: diagnosis of that failure
        created_at       TEXT NOT NULL,
        updated_at       TEXT NOT NULL,
        last_verified_at TEXT
      ) STRICT;
      CREATE INDEX credentials_provider ON credentials(provider);

      -- One row per secret field, each sealed with AES-256-GCM bound to (vault, id, field).
      CREATE TABLE credential_secrets (
        credential_id TEXT NOT NULL REFERENCES credentials(id) ON DELETE CASCADE,
        field         TEXT NOT NULL,
        sealed        BLOB NOT NULL,
        PRIMARY KEY (credential_id, field)
      ) STRICT;
    `,
  },
  {
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
  },
];

export const SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));
