import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { DEFAULT_AWS_REGION } from '../../../../shared/regions';
import type { CheckInput, CheckOptions } from '../types';

// The one way core talks to AWS: every client (STS, IAM, EC2) gets its config here.
// Keep-alive agents are shared so a bulk check reuses connections instead of opening
// one per credential. They are made with the first client: a command that never calls
// AWS loads no HTTP stack.
let agents: { httpAgent: HttpAgent; httpsAgent: HttpsAgent } | null = null;
const sharedAgents = () => (agents ??= { httpAgent: new HttpAgent({ keepAlive: true, maxSockets: 64 }), httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: 64 }) });

export interface AwsCredentialParts {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  region: string;
  /** The credential's own endpoint (GovCloud, LocalStack, a test server). Otherwise
   *  the SDK resolves it, honouring AWS_ENDPOINT_URL(_<SERVICE>) as it always does. */
  endpointUrl?: string;
}

export function awsClientConfig(parts: AwsCredentialParts, opts: Pick<CheckOptions, 'timeoutMs' | 'maxAttempts'>) {
  return {
    region: parts.region,
    ...(parts.endpointUrl ? { endpoint: parts.endpointUrl } : {}),
    credentials: {
      accessKeyId: parts.accessKeyId,
      secretAccessKey: parts.secretAccessKey,
      ...(parts.sessionToken ? { sessionToken: parts.sessionToken } : {}),
    },
    maxAttempts: opts.maxAttempts,
    retryMode: 'standard',
    requestHandler: {
      ...sharedAgents(),
      connectionTimeout: Math.min(opts.timeoutMs, 5000),
      requestTimeout: opts.timeoutMs,
      // Without this the handler only logs a warning (to console) when time runs out.
      throwOnRequestTimeout: true,
    },
    // The SDK's default logger is silent; keep it that way so no request is ever logged.
    logger: undefined,
  } as const;
}

/**
 * A client that signs with a profile of an AWS shared credentials file, read by the SDK's
 * own ini loader (as the AWS CLI and every SDK read it): how a delivered profile is checked.
 * The file is read afresh each time, and the loader's warnings stay silent.
 */
export function awsProfileClientConfig(shared: { profile: string; file: string }, where: { region: string; endpointUrl?: string }, opts: Pick<CheckOptions, 'timeoutMs' | 'maxAttempts'>) {
  const { credentials: _static, ...base } = awsClientConfig({ accessKeyId: '', secretAccessKey: '', ...where }, opts);
  const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, trace: () => undefined };
  return { ...base, profile: shared.profile, filepath: shared.file, configFilepath: shared.file, ignoreCache: true, logger: silent };
}

/** A stored AWS credential's fields and secret as the SDK takes them (the region defaults to us-east-1). */
export function awsPartsOf(input: CheckInput): AwsCredentialParts {
  return {
    accessKeyId: input.fields.accessKeyId,
    secretAccessKey: input.secrets.secretAccessKey,
    region: input.fields.region || DEFAULT_AWS_REGION,
    endpointUrl: input.fields.endpointUrl || undefined,
  };
}
