import { KeywardError } from '../errors';
import type { AwsCredentialParts } from '../providers/aws/client';
import type { SessionCredentials } from './session-cache';

interface SessionRequest {
  durationSeconds: number;
  mfaSerial?: string;
  tokenCode?: string;
}

/** A long-term key's temporary credentials: sts:GetSessionToken, the one way core calls STS for them. */
export type FetchSession = (parts: AwsCredentialParts, req: SessionRequest) => Promise<SessionCredentials>;

/** The real call to STS. */
export const getSessionToken: FetchSession = async (parts, req) => {
  // node:http and the SDK load here, on a cache miss only: a cached session needs neither.
  const [{ STSClient, GetSessionTokenCommand }, { awsClientConfig }, { classifyAwsError }] = await Promise.all([
    import('@aws-sdk/client-sts'),
    import('../providers/aws/client'),
    import('../providers/aws/errors'),
  ]);
  const client = new STSClient(awsClientConfig(parts, { timeoutMs: 10_000, maxAttempts: 3 }));
  try {
    const out = await client.send(
      new GetSessionTokenCommand({
        DurationSeconds: req.durationSeconds,
        ...(req.mfaSerial ? { SerialNumber: req.mfaSerial, TokenCode: req.tokenCode } : {}),
      }),
    );
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
      throw new KeywardError('AWS_ERROR', 'STS answered GetSessionToken without complete credentials. Check the Endpoint URL.');
    }
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiresAt: c.Expiration.getTime() };
  } catch (e) {
    if (e instanceof KeywardError) throw e;
    const { kind, error } = classifyAwsError(e);
    const what = kind === 'INVALID' ? 'AWS refused sts:GetSessionToken' : 'sts:GetSessionToken could not reach a verdict';
    throw new KeywardError('AWS_ERROR', `${what}: ${error.code}: ${error.message}`, { code: error.code });
  }
  // No client.destroy(): it would close the keep-alive agents every client shares.
};
