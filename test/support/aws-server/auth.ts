import { AwsError, expiredToken, incompleteSignature, invalidClientToken, missingAuthentication, requestTimeSkewed, signatureDoesNotMatch } from './errors';
import { parseAmzDate, toAmzDate, verifySignature, type ParsedAuth, type SignableRequest, type SigV4Auth } from './sigv4';
import type { AwsState } from './state';
import type { Caller, ServiceName } from './types';

export interface AuthSettings {
  state: AwsState;
  now: Date;
  /** How far X-Amz-Date may stray from the server clock. */
  clockSkewToleranceMs: number;
}

export type AuthResult = { ok: true; caller: Caller; region: string } | { ok: false; error: AwsError };

const fail = (error: AwsError): AuthResult => ({ ok: false, error });

function minutes(ms: number): string {
  const m = ms / 60_000;
  return Number.isInteger(m) ? String(m) : m.toFixed(2);
}

/**
 * AWS's time check, worded as STS/IAM word it ("Signature expired: … is now earlier than …").
 * Presigned URLs are instead valid from X-Amz-Date for X-Amz-Expires seconds.
 */
function checkRequestTime(auth: SigV4Auth, service: ServiceName, settings: AuthSettings): AwsError | undefined {
  const signedAt = parseAmzDate(auth.amzDate);
  if (!signedAt) {
    return incompleteSignature(`Date must be in ISO-8601 'basic format'. Got '${auth.amzDate}'. See http://en.wikipedia.org/wiki/ISO_8601`, service);
  }
  if (auth.credential.date !== auth.amzDate.slice(0, 8)) {
    return signatureDoesNotMatch(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.credential.date}' != '${auth.amzDate.slice(0, 8)}', from '${auth.amzDate}'.`,
      service,
    );
  }
  const now = settings.now.getTime();
  const tolerance = settings.clockSkewToleranceMs;
  const stamp = (ms: number) => toAmzDate(new Date(ms));
  const validUntil = auth.expiresSeconds !== undefined ? signedAt.getTime() + auth.expiresSeconds * 1000 : signedAt.getTime() + tolerance;
  if (now > validUntil) {
    const detail =
      auth.expiresSeconds !== undefined
        ? `Signature expired: ${auth.amzDate} is now earlier than ${stamp(now - auth.expiresSeconds * 1000)} (${stamp(now)} - ${auth.expiresSeconds} sec.)`
        : `Signature expired: ${auth.amzDate} is now earlier than ${stamp(now - tolerance)} (${stamp(now)} - ${minutes(tolerance)} min.)`;
    return requestTimeSkewed(service, detail);
  }
  if (signedAt.getTime() > now + tolerance) {
    return requestTimeSkewed(service, `Signature not yet current: ${auth.amzDate} is still later than ${stamp(now + tolerance)} (${stamp(now)} + ${minutes(tolerance)} min.)`);
  }
  return undefined;
}

interface Signer {
  secretAccessKey: string;
  account: string;
  userName: string;
  isSession: boolean;
}

/** Finds who owns the access key id, refusing keys AWS would not accept (in the order AWS checks them). */
function resolveSigner(auth: SigV4Auth, service: ServiceName, settings: AuthSettings): Signer | AwsError {
  const { state, now } = settings;
  const id = auth.credential.accessKeyId;
  const session = state.getSession(id);
  if (session) {
    if (auth.securityToken !== session.sessionToken) return invalidClientToken(service);
    if (now.getTime() >= session.expiresAt.getTime()) return expiredToken(service);
    return { secretAccessKey: session.secretAccessKey, account: session.account, userName: session.userName, isSession: true };
  }
  const key = state.getAccessKey(id);
  // A long-term key sent with a session token is as unknown to AWS as a wrong key id.
  if (!key || key.status !== 'Active' || state.isPropagating(key, now) || auth.securityToken !== undefined) {
    return invalidClientToken(service);
  }
  return { secretAccessKey: key.secretAccessKey, account: key.account, userName: key.userName, isSession: false };
}

/**
 * Authenticates a request the way AWS does: a SigV4 signature over the bytes received, from an
 * active (and propagated) key or unexpired session, within the clock-skew window.
 */
export function authenticate(req: SignableRequest, parsed: ParsedAuth, service: ServiceName, settings: AuthSettings): AuthResult {
  if (parsed.kind === 'none') return fail(missingAuthentication(service));
  if (parsed.kind === 'malformed') return fail(incompleteSignature(parsed.message, service));
  const { auth } = parsed;

  const timeError = checkRequestTime(auth, service, settings);
  if (timeError) return fail(timeError);

  const signer = resolveSigner(auth, service, settings);
  if (signer instanceof AwsError) return fail(signer);

  if (!verifySignature(req, auth, signer.secretAccessKey)) return fail(signatureDoesNotMatch(undefined, service));

  const user = settings.state.getUser(signer.userName, signer.account);
  if (!user) return fail(invalidClientToken(service));
  return {
    ok: true,
    region: auth.credential.region,
    caller: {
      account: user.account,
      userName: user.userName,
      userId: user.userId,
      arn: user.arn,
      accessKeyId: auth.credential.accessKeyId,
      isSession: signer.isSession,
    },
  };
}
