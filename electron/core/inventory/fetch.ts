import type { IAMClient } from '@aws-sdk/client-iam';
import type { CredentialRecord } from '../credentials/repo';
import { KeywardError } from '../errors';
import { awsClientConfig, awsPartsOf } from '../providers/aws/client';
import { iamSdk } from '../providers/aws/sdk';
import { classifyAwsError } from '../providers/aws/errors';
import type { CredentialReports, ReportSummary } from './report';

// "Fetch report": with an admin credential and a network, ask IAM for a fresh credential
// report instead of a file, and learn each vault key's creation time (ListAccessKeys) so
// two keys of one user can be told apart.

interface FetchOptions {
  timeoutMs?: number;
  maxAttempts?: number;
  /** Gives up waiting for AWS to finish the report after this long. */
  maxWaitMs?: number;
  firstPollMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function awsFailure(e: unknown, step: string): KeywardError {
  const v = classifyAwsError(e);
  const hint =
    v.error.code === 'AccessDenied'
      ? ' The admin credential needs iam:GenerateCredentialReport and iam:GetCredentialReport (and iam:ListAccessKeys to tell two keys of a user apart).'
      : v.kind === 'UNREACHABLE'
        ? ' Check the network, or import a report file instead (`aws iam get-credential-report`).'
        : '';
  return new KeywardError('AWS_ERROR', `${step} failed: ${v.error.code}: ${v.error.message}.${hint}`);
}

const codeOf = (e: unknown): string | undefined => (e as { Code?: string; name?: string })?.Code ?? (e as { name?: string })?.name;

/** Generates (when needed) and downloads the account's credential report, polling with backoff. */
async function downloadCredentialReport(client: IAMClient, opts: FetchOptions = {}): Promise<{ csv: string; generatedAt: string | null }> {
  const sdk = await iamSdk();
  const deadline = Date.now() + (opts.maxWaitMs ?? 60_000);
  let wait = opts.firstPollMs ?? 500;
  const generate = async () => {
    try {
      return (await client.send(new sdk.GenerateCredentialReportCommand({}))).State;
    } catch (e) {
      throw awsFailure(e, 'iam:GenerateCredentialReport');
    }
  };
  let state = await generate();
  for (;;) {
    if (state === 'COMPLETE') {
      try {
        const r = await client.send(new sdk.GetCredentialReportCommand({}));
        if (!r.Content) throw new KeywardError('AWS_ERROR', 'AWS returned an empty credential report. Try again in a minute.');
        return { csv: Buffer.from(r.Content).toString('utf8'), generatedAt: r.GeneratedTime?.toISOString() ?? null };
      } catch (e) {
        if (e instanceof KeywardError) throw e;
        const code = codeOf(e);
        // Not ready yet, or gone: generate again and keep polling.
        if (code === 'ReportInProgress' || code === 'CredentialReportNotReadyException') state = 'INPROGRESS';
        else if (code === 'ReportExpired' || code === 'ReportNotPresent' || code === 'CredentialReportExpiredException' || code === 'CredentialReportNotPresentException') state = await generate();
        else throw awsFailure(e, 'iam:GetCredentialReport');
        if (state === 'COMPLETE') continue;
      }
    }
    if (Date.now() + wait > deadline) {
      throw new KeywardError('AWS_ERROR', 'AWS is still generating the credential report. Try Fetch report again in a minute, or import a report file.');
    }
    await sleep(wait);
    wait = Math.min(wait * 1.5, 5000);
    // Poll by asking for the report: AWS answers ReportInProgress until it is ready.
    state = 'COMPLETE';
  }
}

/** Records each vault key's CreateDate, asking IAM about the users the vault holds keys of. */
async function learnKeyCreationTimes(client: IAMClient, creds: CredentialRecord[], reports: CredentialReports, account: string | null): Promise<number> {
  const sdk = await iamSdk();
  const byUser = new Map<string, CredentialRecord[]>();
  for (const c of creds) {
    const arn = c.identity?.arn;
    if (c.provider !== 'AWS' || !arn || (account && c.identity?.account !== account)) continue;
    const user = /:user\/(?:.*\/)?([^/]+)$/.exec(arn)?.[1];
    if (!user) continue;
    byUser.set(user, [...(byUser.get(user) ?? []), c]);
  }
  let learned = 0;
  for (const [user, list] of byUser) {
    try {
      const r = await client.send(new sdk.ListAccessKeysCommand({ UserName: user }));
      for (const k of r.AccessKeyMetadata ?? []) {
        const c = list.find((c) => c.fields.accessKeyId === k.AccessKeyId);
        if (c && k.AccessKeyId && k.CreateDate) {
          reports.recordKeyCreatedAt(c.id, k.AccessKeyId, k.CreateDate.toISOString());
          learned++;
        }
      }
    } catch {
      // Without ListAccessKeys a user's single key still matches; two keys stay unmatched.
    }
  }
  return learned;
}

/** Fetches the report with `admin`'s key and imports it. */
export async function fetchCredentialReport(
  admin: CredentialRecord,
  secrets: Record<string, string>,
  creds: CredentialRecord[],
  reports: CredentialReports,
  opts: FetchOptions = {},
): Promise<ReportSummary & { keyDatesLearned: number }> {
  if (admin.provider !== 'AWS' || !admin.fields.accessKeyId || !secrets.secretAccessKey) {
    throw new KeywardError('INVALID_INPUT', `"${admin.name}" is not an AWS access key; fetch the report with an AWS credential allowed iam:GenerateCredentialReport.`);
  }
  const sdk = await iamSdk();
  const client = new sdk.IAMClient(awsClientConfig(awsPartsOf({ fields: admin.fields, secrets }), { timeoutMs: opts.timeoutMs ?? 15_000, maxAttempts: opts.maxAttempts ?? 3 }));
  try {
    const { csv, generatedAt } = await downloadCredentialReport(client, opts);
    const keyDatesLearned = await learnKeyCreationTimes(client, creds, reports, admin.identity?.account ?? null);
    return { ...reports.import(csv, { source: 'fetch', generatedAt, actingCredentialId: admin.id }), keyDatesLearned };
  } finally {
    client.destroy();
  }
}
