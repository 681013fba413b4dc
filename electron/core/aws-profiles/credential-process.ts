import type { z } from 'zod';
import type { ProcessCredentialsSchema } from '../../../shared/channels/aws-profiles';
import { maskKeyId } from '../../../shared/mask';
import type { AuditLog } from '../audit/log';
import { CredentialRepo } from '../credentials/repo';
import { KeywardError } from '../errors';
import { systemClock, type Clock } from '../ports/clock';
import type { Vault } from '../vault/vault';
import { AwsSessionCache } from './session-cache';
import { getSessionToken, type FetchSession } from './sts-session';
import { DEFAULT_AWS_REGION } from '../../../shared/regions';

// Hands a vault's AWS key to a local tool: the long-term key, or temporary credentials
// from sts:GetSessionToken cached sealed in the vault. This is the one use case whose
// answer holds a secret, by design: it serves AWS's `credential_process` setting and
// `keyward exec`, in the CLI only (its channel is never exposed to the window).
//
// It imports only the vault, the credential repo and the audit log: it runs on every
// AWS CLI/SDK call, so the AWS SDK loads only when a session must be fetched.

/** What AWS's credential_process expects on stdout (Version 1); Expiration (ISO-8601) only for temporary credentials. */
type ProcessCredentials = z.output<typeof ProcessCredentialsSchema>;

export const SESSION_DURATION = { min: 900, max: 129_600, default: 3600 } as const;

export interface AwsUseRequest {
  credential: string;
  /** Temporary credentials instead of the long-term key. */
  session?: { durationSeconds: number; mfaSerial?: string };
  /** Who asked, for the audit log. */
  tool: 'credential-process' | 'exec';
}

interface AwsUsePorts {
  clock?: Clock;
  /** Asks a person for the MFA code of the device (the CLI reads /dev/tty). */
  readMfaCode?: (serial: string) => Promise<string>;
  fetchSession?: FetchSession;
}

export interface AwsUseResult {
  credentials: ProcessCredentials;
  credentialId: string;
  name: string;
  region: string;
  endpointUrl?: string;
  cached: boolean;
}

// AWS's SerialNumber: an MFA device ARN or a hardware serial, 9-256 of [\w+=/:,.@-].
const MFA_SERIAL = /^[\w+=/:,.@-]{9,256}$/;

function checkRequest(req: AwsUseRequest): void {
  const s = req.session;
  if (!s) return;
  if (!Number.isInteger(s.durationSeconds) || s.durationSeconds < SESSION_DURATION.min || s.durationSeconds > SESSION_DURATION.max) {
    throw new KeywardError('INVALID_INPUT', `--duration must be between 15m and 36h (${SESSION_DURATION.min}-${SESSION_DURATION.max} seconds), as sts:GetSessionToken allows for an IAM user.`);
  }
  if (s.mfaSerial !== undefined && !MFA_SERIAL.test(s.mfaSerial)) {
    throw new KeywardError('INVALID_INPUT', '--mfa-serial must be an MFA device ARN (arn:aws:iam::ACCOUNT:mfa/NAME) or a hardware device serial number.');
  }
}

/** The credentials a local tool gets for a vault credential, audited as credential.used. */
export async function awsCredentialsFor(vault: Vault, audit: AuditLog, req: AwsUseRequest, ports: AwsUsePorts = {}): Promise<AwsUseResult> {
  checkRequest(req);
  const repo = new CredentialRepo(vault);
  const rec = repo.get(req.credential) ?? repo.getByName(req.credential);
  if (!rec) throw new KeywardError('NOT_FOUND', `No credential with id or name "${req.credential}". List them with \`keyward list\`.`);
  if (rec.provider !== 'AWS') {
    throw new KeywardError('INVALID_INPUT', `"${rec.name}" is a ${rec.provider} credential; credential-process and exec hand out AWS access keys only.`);
  }
  const accessKeyId = rec.fields.accessKeyId;
  const secretAccessKey = repo.secretsOf(rec.id).secretAccessKey;
  if (!accessKeyId || !secretAccessKey) throw new KeywardError('NOT_FOUND', `"${rec.name}" has no stored access key. Edit it to enter the key.`);
  const region = rec.fields.region || DEFAULT_AWS_REGION;
  const endpointUrl = rec.fields.endpointUrl || undefined;
  const base = { credentialId: rec.id, name: rec.name, region, ...(endpointUrl ? { endpointUrl } : {}) };
  const record = (kind: 'long-term' | 'session', cached: boolean, keyId: string) =>
    audit.append('credential.used', {
      credentialId: rec.id,
      details: { name: rec.name, tool: req.tool, kind, ...(kind === 'session' ? { cached } : {}), accessKeyId: maskKeyId(keyId) },
    });

  if (!req.session) {
    // One small IMMEDIATE transaction per call: a burst of callers queues on the write
    // lock (busy_timeout) instead of failing with SQLITE_BUSY.
    vault.tx(() => record('long-term', false, accessKeyId));
    return { ...base, cached: false, credentials: { Version: 1, AccessKeyId: accessKeyId, SecretAccessKey: secretAccessKey } };
  }

  const { durationSeconds, mfaSerial } = req.session;
  const clock = ports.clock ?? systemClock;
  const fetchSession = ports.fetchSession ?? getSessionToken;
  const cache = new AwsSessionCache(vault, clock);
  const { session, cached } = await cache.get(
    { credentialId: rec.id, variant: `${durationSeconds}s${mfaSerial ? `+${mfaSerial}` : ''}`, accessKeyId, durationSeconds, mfa: !!mfaSerial },
    async () => {
      let tokenCode: string | undefined;
      if (mfaSerial) {
        if (!ports.readMfaCode) throw new KeywardError('INVALID_INPUT', '--mfa-serial needs a terminal to ask for the MFA code.');
        tokenCode = (await ports.readMfaCode(mfaSerial)).trim();
        if (!/^\d{6}$/.test(tokenCode)) throw new KeywardError('INVALID_INPUT', 'The MFA code is the 6 digits your device shows now.');
      }
      return fetchSession({ accessKeyId, secretAccessKey, region, ...(endpointUrl ? { endpointUrl } : {}) }, { durationSeconds, ...(mfaSerial ? { mfaSerial, tokenCode } : {}) });
    },
    (fromCache) => record('session', fromCache, accessKeyId),
  );
  return {
    ...base,
    cached,
    credentials: {
      Version: 1,
      AccessKeyId: session.accessKeyId,
      SecretAccessKey: session.secretAccessKey,
      SessionToken: session.sessionToken,
      Expiration: new Date(session.expiresAt).toISOString(),
    },
  };
}
