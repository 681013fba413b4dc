import { randomUUID } from 'node:crypto';
import type { AuditLog } from '../audit/log';
import type { CredentialRecord } from '../credentials/repo';
import { KeywardError } from '../errors';
import type { Vault } from '../vault/vault';
import { parseCsv } from '../../../shared/csv';
import { isoNow, systemClock, type Clock } from '../ports/clock';
import type { MatchedKey, ReportKey, ReportSummaryView } from '../../../shared/channels/inventory';

// IAM credential reports (`aws iam get-credential-report`, or the console's download).
// The report names users, not key ids: each key is matched to a vault credential by the
// IAM user ARN the credential's last verification recorded and, where the user has two
// keys, by the key's creation time (`access_key_N_last_rotated` = the key's CreateDate).

interface ParsedReport {
  users: number;
  account: string | null;
  keys: ReportKey[];
}

/** A report as stored and shown; `notInKeyward`: keys AWS reports that no vault credential holds. */
export type ReportSummary = ReportSummaryView;

const REQUIRED = ['user', 'arn', 'access_key_1_active', 'access_key_1_last_rotated', 'access_key_2_active', 'access_key_2_last_rotated'];

/** RFC 4180 lines: AWS writes none of its values quoted, but a re-saved file may. */

// N/A: no such key (or never); not_supported / no_information: AWS has no data.
function dateOrNull(v: string | undefined): string | null {
  if (!v || v === 'N/A' || v === 'not_supported' || v === 'no_information') return null;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}
function textOrNull(v: string | undefined): string | null {
  if (!v || v === 'N/A' || v === 'not_supported' || v === 'no_information') return null;
  return v;
}

export function parseCredentialReport(text: string): ParsedReport {
  const rows = parseCsv(text);
  const header = rows[0]?.map((h) => h.trim()) ?? [];
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (missing.length) {
    throw new KeywardError(
      'INVALID_INPUT',
      `This is not an IAM credential report: the columns ${missing.join(', ')} are missing. Download it with \`aws iam get-credential-report --query Content --output text | base64 -d\` or from the IAM console (Credential report → Download).`,
    );
  }
  const col = Object.fromEntries(header.map((h, i) => [h, i]));
  const keys: ReportKey[] = [];
  let account: string | null = null;
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r];
    const get = (name: string) => row[col[name]]?.trim();
    const user = get('user');
    const arn = get('arn');
    if (!user || !arn) throw new KeywardError('INVALID_INPUT', `Line ${r + 1} of the credential report has no user or ARN: the file is damaged. Download the report again.`);
    account ??= /^arn:aws[\w-]*:iam::(\d{12}):/.exec(arn)?.[1] ?? null;
    for (const n of [1, 2] as const) {
      const active = get(`access_key_${n}_active`) === 'true';
      const lastRotated = dateOrNull(get(`access_key_${n}_last_rotated`));
      // An inactive slot with no rotation date holds no key.
      if (!active && !lastRotated) continue;
      keys.push({
        user,
        arn,
        keyIndex: n,
        active,
        lastRotated,
        lastUsedDate: dateOrNull(get(`access_key_${n}_last_used_date`)),
        lastUsedRegion: textOrNull(get(`access_key_${n}_last_used_region`)),
        lastUsedService: textOrNull(get(`access_key_${n}_last_used_service`)),
      });
    }
  }
  return { users: rows.length - 1, account, keys };
}

/** When a credential's own key was created, as iam:ListAccessKeys reported it. */
export type KeyCreatedAt = Map<string, string>;

const SAME_TIME_MS = 60_000;

/**
 * Matches report keys to AWS credentials: by user ARN; where the user has more than one
 * key (or more than one credential), by the key's creation time. What cannot be told
 * apart stays unmatched rather than guessed.
 */
export function matchReportKeys(keys: ReportKey[], credentials: CredentialRecord[], createdAt: KeyCreatedAt): MatchedKey[] {
  const byArn = new Map<string, CredentialRecord[]>();
  for (const c of credentials) {
    if (c.provider !== 'AWS' || !c.identity?.arn) continue;
    const list = byArn.get(c.identity.arn);
    if (list) list.push(c);
    else byArn.set(c.identity.arn, [c]);
  }
  const keysByArn = new Map<string, ReportKey[]>();
  for (const k of keys) {
    const list = keysByArn.get(k.arn);
    if (list) list.push(k);
    else keysByArn.set(k.arn, [k]);
  }
  const out: MatchedKey[] = [];
  for (const [arn, userKeys] of keysByArn) {
    const creds = byArn.get(arn) ?? [];
    const taken = new Set<string>();
    const pick = new Map<ReportKey, CredentialRecord>();
    // First by creation time, where known.
    for (const k of userKeys) {
      const at = k.lastRotated ? Date.parse(k.lastRotated) : NaN;
      const c = creds.find((c) => !taken.has(c.id) && createdAt.has(c.id) && Math.abs(Date.parse(createdAt.get(c.id)!) - at) <= SAME_TIME_MS);
      if (c) {
        pick.set(k, c);
        taken.add(c.id);
      }
    }
    // Then one key and one credential left with nothing to tell apart: they are each other.
    const restKeys = userKeys.filter((k) => !pick.has(k));
    const restCreds = creds.filter((c) => !taken.has(c.id) && !createdAt.has(c.id));
    if (restKeys.length === 1 && restCreds.length === 1 && userKeys.length === 1) pick.set(restKeys[0], restCreds[0]);
    for (const k of userKeys) {
      const c = pick.get(k);
      out.push({ ...k, credentialId: c?.id ?? null, credentialName: c?.name ?? null });
    }
  }
  return out;
}

interface KeyRow {
  report_id: string;
  user: string;
  arn: string;
  key_index: number;
  active: number;
  last_rotated: string | null;
  last_used_date: string | null;
  last_used_region: string | null;
  last_used_service: string | null;
  credential_id: string | null;
}

/** A credential's key as the newest credential report saw it. */
export interface KeyUsage {
  credentialId: string;
  reportId: string;
  reportGeneratedAt: string | null;
  reportImportedAt: string;
  active: boolean;
  lastRotated: string | null;
  lastUsedDate: string | null;
  lastUsedRegion: string | null;
  lastUsedService: string | null;
}

/** Stores reports and answers "what did the newest report say about this key". */
export class CredentialReports {
  constructor(
    private readonly vault: Vault,
    private readonly audit: AuditLog,
    private readonly credentials: () => CredentialRecord[],
    private readonly clock: Clock = systemClock,
  ) {}

  keyCreatedAt(): KeyCreatedAt {
    const rows = this.vault.db.prepare('SELECT credential_id, key_created_at FROM aws_key_facts').raw().all() as Array<[string, string]>;
    return new Map(rows);
  }

  /** Records a key's CreateDate from iam:ListAccessKeys. */
  recordKeyCreatedAt(credentialId: string, accessKeyId: string, createdAt: string): void {
    this.vault.db
      .prepare(
        `INSERT INTO aws_key_facts (credential_id, access_key_id, key_created_at, checked_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (credential_id) DO UPDATE SET access_key_id = excluded.access_key_id, key_created_at = excluded.key_created_at, checked_at = excluded.checked_at`,
      )
      .run(credentialId, accessKeyId, createdAt, isoNow(this.clock));
  }

  import(text: string, opts: { source: 'file' | 'fetch'; generatedAt?: string | null; fileName?: string; actingCredentialId?: string }): ReportSummary {
    const parsed = parseCredentialReport(text);
    const creds = this.credentials();
    const names = new Map(creds.map((c) => [c.id, c.name]));
    const matched = matchReportKeys(parsed.keys, creds, this.keyCreatedAt());
    const id = randomUUID();
    const importedAt = isoNow(this.clock);
    const generatedAt = opts.generatedAt ?? null;
    const db = this.vault.db;
    const insertKey = db.prepare(
      `INSERT INTO credential_report_keys (report_id, user, arn, key_index, active, last_rotated, last_used_date, last_used_region, last_used_service, credential_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    );
    this.vault.tx(() => {
      db.prepare('INSERT INTO credential_reports (id, source, generated_at, imported_at, account) VALUES (?, ?, ?, ?, ?)').run(id, opts.source, generatedAt, importedAt, parsed.account);
      for (const k of matched) {
        insertKey.run(id, k.user, k.arn, k.keyIndex, k.active ? 1 : 0, k.lastRotated, k.lastUsedDate, k.lastUsedRegion, k.lastUsedService, k.credentialId);
      }
      this.audit.append('inventory.report.imported', {
        credentialId: opts.actingCredentialId ?? null,
        details: {
          reportId: id,
          source: opts.source,
          ...(opts.fileName ? { file: opts.fileName } : {}),
          account: parsed.account,
          users: parsed.users,
          keys: matched.length,
          matched: matched.filter((k) => k.credentialId).length,
        },
      });
    });
    return {
      id,
      source: opts.source,
      generatedAt,
      importedAt,
      account: parsed.account,
      users: parsed.users,
      keys: matched.length,
      matched: matched.filter((k) => k.credentialId).map((k) => ({ ...k, credentialName: names.get(k.credentialId!) ?? null })),
      notInKeyward: matched.filter((k) => !k.credentialId),
    };
  }

  /** Per credential, the newest report's row about its key. */
  keyUsage(): Map<string, KeyUsage> {
    const rows = this.vault.db
      .prepare(
        `SELECT k.*, r.generated_at, r.imported_at FROM credential_report_keys k JOIN credential_reports r ON r.id = k.report_id
         WHERE k.credential_id IS NOT NULL ORDER BY r.imported_at, r.rowid`,
      )
      .all() as Array<KeyRow & { generated_at: string | null; imported_at: string }>;
    const out = new Map<string, KeyUsage>();
    for (const r of rows) {
      out.set(r.credential_id!, {
        credentialId: r.credential_id!,
        reportId: r.report_id,
        reportGeneratedAt: r.generated_at,
        reportImportedAt: r.imported_at,
        active: r.active === 1,
        lastRotated: r.last_rotated,
        lastUsedDate: r.last_used_date,
        lastUsedRegion: r.last_used_region,
        lastUsedService: r.last_used_service,
      });
    }
    return out;
  }

  /** The newest report: when it was made, and the keys it lists that the vault does not hold. */
  latest(): { id: string; source: 'file' | 'fetch'; generatedAt: string | null; importedAt: string; account: string | null; notInKeyward: ReportKey[] } | null {
    const r = this.vault.db.prepare('SELECT * FROM credential_reports ORDER BY imported_at DESC, rowid DESC LIMIT 1').get() as
      { id: string; source: 'file' | 'fetch'; generated_at: string | null; imported_at: string; account: string | null } | undefined;
    if (!r) return null;
    const keys = this.vault.db.prepare('SELECT * FROM credential_report_keys WHERE report_id = ? AND credential_id IS NULL ORDER BY user, key_index').all(r.id) as KeyRow[];
    return {
      id: r.id,
      source: r.source,
      generatedAt: r.generated_at,
      importedAt: r.imported_at,
      account: r.account,
      notInKeyward: keys.map((k) => ({
        user: k.user,
        arn: k.arn,
        keyIndex: k.key_index as 1 | 2,
        active: k.active === 1,
        lastRotated: k.last_rotated,
        lastUsedDate: k.last_used_date,
        lastUsedRegion: k.last_used_region,
        lastUsedService: k.last_used_service,
      })),
    };
  }
}
