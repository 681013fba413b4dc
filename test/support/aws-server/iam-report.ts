import { AwsError } from './errors';
import type { ActionContext, ActionSpec } from './service';
import type { AwsState } from './state';
import { isoDate, text } from './xml';

// IAM credential reports, as AWS documents them: GenerateCredentialReport starts a
// generation (State STARTED, then INPROGRESS until done, then COMPLETE); GetCredentialReport
// returns the CSV base64-encoded, or ReportNotPresent (410), ReportInProgress (404),
// ReportExpired (410, after four hours).

interface ReportState {
  startedAt: Date;
  readyAt: Date;
  csv: string | null;
}

interface ReportConfig {
  generationMs: number;
  reports: Map<string, ReportState>;
}

const configs = new WeakMap<AwsState, ReportConfig>();
function configOf(state: AwsState): ReportConfig {
  let c = configs.get(state);
  if (!c) configs.set(state, (c = { generationMs: 0, reports: new Map() }));
  return c;
}

const EXPIRES_MS = 4 * 3600_000;

/** How long generating a report takes on this server (default 0: ready at the next call). */
export function setCredentialReportGenerationMs(state: AwsState, ms: number): void {
  configOf(state).generationMs = ms;
}

/** Makes the account's report older than four hours, so GetCredentialReport says ReportExpired. */
export function expireCredentialReport(state: AwsState, account = '123456789012'): void {
  const r = configOf(state).reports.get(account);
  if (r) {
    r.startedAt = new Date(r.startedAt.getTime() - EXPIRES_MS - 1000);
    r.readyAt = new Date(r.readyAt.getTime() - EXPIRES_MS - 1000);
  }
}

const iso = (d: Date): string => isoDate(d).replace(/Z$/, '+00:00');

function reportCsv(ctx: ActionContext): string {
  const header =
    'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,' +
    'access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,' +
    'access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,' +
    'cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
  const account = ctx.caller.account;
  const lines = [
    header,
    `<root_account>,arn:aws:iam::${account}:root,${iso(new Date('2020-01-01T00:00:00Z'))},not_supported,no_information,not_supported,not_supported,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`,
  ];
  for (const u of ctx.state.listUsers(account)) {
    const keys = [...ctx.state.keysOf(u.userName, account)].sort((a, b) => a.createDate.getTime() - b.createDate.getTime());
    const row = [u.userName, u.arn, iso(u.createDate), 'false', 'N/A', 'N/A', 'N/A', 'false'];
    for (const i of [0, 1]) {
      const k = keys[i];
      if (!k) row.push('false', 'N/A', 'N/A', 'N/A', 'N/A');
      else row.push(String(k.status === 'Active'), iso(k.createDate), k.lastUsed ? iso(k.lastUsed.at) : 'N/A', k.lastUsed?.region ?? 'N/A', k.lastUsed?.service ?? 'N/A');
    }
    row.push('false', 'N/A', 'false', 'N/A');
    lines.push(row.join(','));
  }
  return `${lines.join('\n')}\n`;
}

export const GenerateCredentialReport: ActionSpec = {
  permission: 'iam:GenerateCredentialReport',
  run: (ctx) => {
    const c = configOf(ctx.state);
    const account = ctx.caller.account;
    const r = c.reports.get(account);
    const now = ctx.now.getTime();
    // A report younger than four hours is kept: AWS generates at most one per four hours.
    if (r && now - r.startedAt.getTime() < EXPIRES_MS) {
      if (now < r.readyAt.getTime()) return text('State', 'INPROGRESS') + text('Description', 'Report generation in progress.');
      r.csv ??= reportCsv(ctx);
      return text('State', 'COMPLETE');
    }
    const fresh: ReportState = { startedAt: ctx.now, readyAt: new Date(now + c.generationMs), csv: null };
    c.reports.set(account, fresh);
    if (c.generationMs === 0) fresh.csv = reportCsv(ctx);
    return text('State', 'STARTED') + text('Description', 'No report exists. Starting a new report generation task');
  },
};

export const GetCredentialReport: ActionSpec = {
  permission: 'iam:GetCredentialReport',
  run: (ctx) => {
    const r = configOf(ctx.state).reports.get(ctx.caller.account);
    if (!r) throw new AwsError(410, 'ReportNotPresent', 'Credential report not present. Use GenerateCredentialReport to generate a report.');
    const now = ctx.now.getTime();
    if (now < r.readyAt.getTime()) throw new AwsError(404, 'ReportInProgress', 'Credential report is being generated.');
    if (now - r.readyAt.getTime() > EXPIRES_MS) throw new AwsError(410, 'ReportExpired', 'Credential report has expired. Use GenerateCredentialReport to generate a new report.');
    r.csv ??= reportCsv(ctx);
    return text('Content', Buffer.from(r.csv, 'utf8').toString('base64')) + text('ReportFormat', 'text/csv') + text('GeneratedTime', isoDate(r.readyAt));
  },
};
