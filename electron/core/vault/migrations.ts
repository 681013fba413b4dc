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
  {
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
  },
  {
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
  },
  {
    version: 5,
    name: 'credential-reports',
    sql: `
      -- IAM credential reports, imported from a file or fetched from AWS. The report holds
      -- no key ids: each key row is matched to a credential by user ARN and key age.
      CREATE TABLE credential_reports (
        id           TEXT PRIMARY KEY,
        source       TEXT NOT NULL CHECK (source IN ('file','fetch')),
        generated_at TEXT,                 -- when AWS generated it (fetch), else NULL
        imported_at  TEXT NOT NULL,
        account      TEXT                  -- the 12-digit account from the ARNs
      ) STRICT;

      CREATE TABLE credential_report_keys (
        report_id         TEXT NOT NULL REFERENCES credential_reports(id) ON DELETE CASCADE,
        user              TEXT NOT NULL,
        arn               TEXT NOT NULL,
        key_index         INTEGER NOT NULL CHECK (key_index IN (1, 2)),
        active            INTEGER NOT NULL,
        last_rotated      TEXT,
        last_used_date    TEXT,
        last_used_region  TEXT,
        last_used_service TEXT,
        credential_id     TEXT REFERENCES credentials(id) ON DELETE SET NULL,
        PRIMARY KEY (report_id, arn, key_index)
      ) STRICT;
      CREATE INDEX credential_report_keys_credential ON credential_report_keys(credential_id);

      -- What AWS said about a credential's own key (iam:ListAccessKeys): its creation
      -- time tells the two keys of one user apart in a report.
      CREATE TABLE aws_key_facts (
        credential_id  TEXT PRIMARY KEY REFERENCES credentials(id) ON DELETE CASCADE,
        access_key_id  TEXT NOT NULL,
        key_created_at TEXT NOT NULL,
        checked_at     TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 6,
    name: 'rotation-key-intent',
    sql: `
      -- When a rotation asked AWS for its new key, written before CreateAccessKey: a run
      -- killed before it recorded the key can tell that key as its own on resume.
      ALTER TABLE rotations ADD COLUMN key_requested_at TEXT;
    `,
  },
  {
    version: 7,
    name: 'credential-watch',
    sql: `
      -- When each credential's status began and when it was last VALID, kept by triggers so
      -- every writer (the app, the CLI, a restore) records it: "turned Invalid since it was
      -- Valid" and "unreachable for a day" are computed from the vault alone. A credential
      -- that never changed status has no row (its status began when it was created).
      CREATE TABLE credential_watch (
        credential_id TEXT PRIMARY KEY REFERENCES credentials(id) ON DELETE CASCADE,
        status_since  TEXT NOT NULL,
        last_valid_at TEXT
      ) STRICT;
      INSERT INTO credential_watch (credential_id, status_since, last_valid_at)
        SELECT id, coalesce(last_verified_at, created_at), CASE WHEN status = 'VALID' THEN last_verified_at END
        FROM credentials WHERE status <> 'UNVERIFIED' OR last_verified_at IS NOT NULL;
      CREATE TRIGGER credential_watch_status AFTER UPDATE OF status, last_verified_at ON credentials
      BEGIN
        INSERT INTO credential_watch (credential_id, status_since, last_valid_at)
          VALUES (NEW.id,
                  CASE WHEN NEW.last_verified_at IS NOT OLD.last_verified_at THEN NEW.last_verified_at ELSE NEW.updated_at END,
                  CASE WHEN NEW.status = 'VALID' THEN NEW.last_verified_at END)
          ON CONFLICT (credential_id) DO UPDATE SET
            status_since = CASE WHEN NEW.status IS NOT OLD.status THEN excluded.status_since ELSE status_since END,
            last_valid_at = CASE WHEN NEW.status = 'VALID' THEN coalesce(NEW.last_verified_at, last_valid_at) ELSE last_valid_at END;
      END;
    `,
  },
  {
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
  },
];

export const SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));
