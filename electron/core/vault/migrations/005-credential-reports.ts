import type { Migration } from './migration';

export default {
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
} satisfies Migration;
