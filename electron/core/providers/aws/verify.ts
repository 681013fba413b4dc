import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { CheckInput, CheckOptions, CheckOutcome } from '../types';
import { awsClientConfig, awsPartsOf, type AwsCredentialParts } from './client';
import { classifyAwsError } from './errors';
import { timeoutError } from '../network-errors';

export { awsPartsOf } from './client';

/** Runs `fn` under the check's deadline; the SDK aborts the request when it fires. */
export async function withDeadline<T>(opts: CheckOptions, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const deadline = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, deadline]) : deadline;
  return fn(signal);
}

/** sts:GetCallerIdentity needs no IAM permission, so it tests the key itself. */
export async function checkAwsCredential(parts: AwsCredentialParts, opts: CheckOptions): Promise<CheckOutcome> {
  const client = new STSClient(awsClientConfig(parts, opts));
  try {
    const out = await withDeadline(opts, (abortSignal) => client.send(new GetCallerIdentityCommand({}), { abortSignal }));
    if (!out.Account || !out.Arn || !out.UserId) {
      // A 200 that is not STS (a captive portal, a wrong endpoint): no verdict.
      return { status: 'UNREACHABLE', error: { code: 'BadResponse', message: 'The endpoint answered, but not like AWS STS (no account, ARN and user id). Check the Endpoint URL and any proxy.' } };
    }
    return { status: 'VALID', identity: { account: out.Account, arn: out.Arn, userId: out.UserId } };
  } catch (e) {
    if (opts.signal?.aborted) throw e;
    const verdict = classifyAwsError(e);
    if (verdict.error.code === 'TIMEOUT') return { status: 'UNREACHABLE', error: timeoutError(opts.timeoutMs) };
    return verdict.kind === 'INVALID' ? { status: 'INVALID', error: verdict.error } : { status: 'UNREACHABLE', error: verdict.error };
  }
  // No client.destroy(): it would close the keep-alive agents every client shares.
}

export const check = (input: CheckInput, opts: CheckOptions) => checkAwsCredential(awsPartsOf(input), opts);
