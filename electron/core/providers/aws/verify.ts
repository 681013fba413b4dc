import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { CheckInput, CheckOptions, CheckOutcome } from '../types';
import { awsClientConfig, awsPartsOf, type AwsCredentialParts } from './client';
import { classifyAwsError } from './errors';
import { networkErrorOf } from '../network-errors';
import { retryCheck, type Attempt } from '../retry';

export { awsPartsOf } from './client';

/**
 * sts:GetCallerIdentity needs no IAM permission, so it tests the key itself. The SDK makes
 * one attempt per call; the one retry loop (retry.ts) repeats it for throttling, 5xx and
 * dropped connections, under the check's deadline and the caller's signal, like every check.
 */
export function checkAwsCredential(parts: AwsCredentialParts, opts: CheckOptions): Promise<CheckOutcome> {
  return checkAwsClient(new STSClient(awsClientConfig(parts, { ...opts, maxAttempts: 1 })), opts);
}

/** The same check with a client built elsewhere (a delivered profile, signing through the SDK's ini loader). */
export async function checkAwsClient(client: STSClient, opts: CheckOptions): Promise<CheckOutcome> {
  // No client.destroy(): it would close the keep-alive agents every client shares.
  return retryCheck(
    opts,
    async (abortSignal): Promise<Attempt> => {
      let out;
      try {
        out = await client.send(new GetCallerIdentityCommand({}), { abortSignal });
      } catch (e) {
        if (abortSignal.aborted) throw e; // the deadline (TIMEOUT) or the caller's cancel (rethrown)
        const verdict = classifyAwsError(e);
        if (verdict.kind === 'INVALID') return { status: 'INVALID', error: verdict.error };
        // Something other than AWS answering is no blip: retrying will not change it.
        return { status: 'UNREACHABLE', error: verdict.error, retry: verdict.error.code !== 'BadResponse' };
      }
      if (!out.Account || !out.Arn || !out.UserId) {
        // A 200 that is not STS (a captive portal, a wrong endpoint): no verdict.
        return { status: 'UNREACHABLE', error: { code: 'BadResponse', message: 'The endpoint answered, but not like AWS STS (no account, ARN and user id). Check the Endpoint URL and any proxy.' } };
      }
      return { status: 'VALID', identity: { account: out.Account, arn: out.Arn, userId: out.UserId } };
    },
    (e) => networkErrorOf(e) ?? { code: 'NetworkError', message: 'AWS could not be reached.' },
  );
}

export const check = (input: CheckInput, opts: CheckOptions) => checkAwsCredential(awsPartsOf(input), opts);
