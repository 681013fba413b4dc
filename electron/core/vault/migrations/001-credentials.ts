import type { Migration } from './migration';

export default {
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
} satisfies Migration;
