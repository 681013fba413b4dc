import type { Migration } from './migration';

export default {
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
} satisfies Migration;
