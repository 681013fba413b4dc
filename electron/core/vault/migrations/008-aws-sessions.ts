import type { Migration } from './migration';

export default {
  version: 8,
  name: 'aws-sessions',
  sql: `
      -- Temporary credentials from sts:GetSessionToken that credential-process hands out,
      -- one per credential and variant (duration, MFA device), sealed like a secret field.
      -- A process fetching a new one holds the lease, so a burst of callers makes one STS
      -- call; the others wait for the row. A cache: losing it costs one STS call.
      CREATE TABLE aws_sessions (
        credential_id TEXT NOT NULL REFERENCES credentials(id) ON DELETE CASCADE,
        variant       TEXT NOT NULL,
        access_key_id TEXT,            -- the long-term key it was issued to: another key makes it stale
        sealed        BLOB,            -- JSON {accessKeyId, secretAccessKey, sessionToken}, sealed
        expires_at    INTEGER,         -- ms since the epoch, as STS said
        lease_owner   TEXT,
        lease_until   INTEGER,         -- ms since the epoch
        error         TEXT,            -- JSON {code, message} of the last failed fetch, never a secret
        error_at      INTEGER,
        updated_at    TEXT NOT NULL,
        PRIMARY KEY (credential_id, variant)
      ) STRICT;
    `,
} satisfies Migration;
