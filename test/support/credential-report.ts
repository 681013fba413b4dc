// Builds IAM credential reports as AWS writes them: the documented columns in AWS's
// order, ISO-8601 times with +00:00, and N/A / not_supported / no_information.

export const REPORT_COLUMNS = [
  'user',
  'arn',
  'user_creation_time',
  'password_enabled',
  'password_last_used',
  'password_last_changed',
  'password_next_rotation',
  'mfa_active',
  'access_key_1_active',
  'access_key_1_last_rotated',
  'access_key_1_last_used_date',
  'access_key_1_last_used_region',
  'access_key_1_last_used_service',
  'access_key_2_active',
  'access_key_2_last_rotated',
  'access_key_2_last_used_date',
  'access_key_2_last_used_region',
  'access_key_2_last_used_service',
  'cert_1_active',
  'cert_1_last_rotated',
  'cert_2_active',
  'cert_2_last_rotated',
] as const;

export interface ReportKeySpec {
  active: boolean;
  lastRotated: string;
  lastUsed: string | null; // null: never used (N/A)
  region: string | null;
  service: string | null;
}

export interface ReportUser {
  user: string;
  arn?: string;
  root?: boolean;
  keys?: ReportKeySpec[];
}

export function credentialReportCsv(users: ReportUser[], account = '123456789012'): string {
  const lines = [REPORT_COLUMNS.join(',')];
  for (const u of users) {
    const arn = u.arn ?? `arn:aws:iam::${account}:user/${u.user}`;
    const row: string[] = [u.user, arn, '2024-05-01T12:00:00+00:00'];
    if (u.root) row.push('not_supported', '2026-10-01T09:00:00+00:00', 'not_supported', 'not_supported', 'true');
    else row.push('false', 'N/A', 'N/A', 'N/A', 'false');
    for (const i of [0, 1]) {
      const k = u.keys?.[i];
      if (!k) row.push('false', 'N/A', 'N/A', 'N/A', 'N/A');
      else row.push(String(k.active), k.lastRotated, k.lastUsed ?? 'N/A', k.region ?? 'N/A', k.service ?? 'N/A');
    }
    row.push('false', 'N/A', 'false', 'N/A');
    lines.push(row.join(','));
  }
  return `${lines.join('\n')}\n`;
}
