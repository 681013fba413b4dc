import type { Migration } from './migration';

export default {
  version: 4,
  name: 'resources',
  sql: `
      -- AWS security groups registered under a credential: verified with that credential,
      -- deleted with it.
      CREATE TABLE resources (
        id              TEXT PRIMARY KEY,
        credential_id   TEXT NOT NULL REFERENCES credentials(id) ON DELETE CASCADE,
        kind            TEXT NOT NULL CHECK (kind IN ('AWS_SECURITY_GROUP')),
        group_id        TEXT NOT NULL,
        region          TEXT NOT NULL,
        status          TEXT NOT NULL DEFAULT 'UNVERIFIED'
                          CHECK (status IN ('UNVERIFIED','VALID','INVALID','UNREACHABLE')),
        last_checked_at TEXT,
        error           TEXT,                -- JSON: last failure {code,message}
        diagnosis       TEXT,                -- JSON: diagnosis of that failure
        created_at      TEXT NOT NULL,
        UNIQUE (credential_id, group_id, region)
      ) STRICT;
      CREATE INDEX resources_credential ON resources(credential_id);
    `,
} satisfies Migration;
