import type { CheckError } from '../../../../shared/contract';
import { networkErrorOf } from '../network-errors';
import { serverCode } from '../../verification/redact';

// Turns whatever the AWS SDK threw into a check verdict. AWS rejecting the request is
// INVALID; anything that kept AWS from answering (network, timeout, throttling or 5xx
// after the SDK's retries) is UNREACHABLE: no verdict on the credential.
// (IAM's LimitExceeded is a quota, not throttling: it is deliberately not listed here.)

const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'TransactionInProgressException',
  'RequestLimitExceeded',
  'BandwidthLimitExceeded',
  'RequestThrottled',
  'SlowDown',
  'PriorRequestNotComplete',
  'EC2ThrottledException',
]);

interface AwsErrorVerdict {
  kind: 'INVALID' | 'UNREACHABLE';
  error: CheckError;
  httpStatus: number | null;
}

interface SdkErrorShape {
  name?: string;
  message?: string;
  Code?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

// What the SDK names an error body it could not read as AWS's.
const UNREADABLE = new Set(['Unknown', 'UnknownError', 'Error']);

export function classifyAwsError(e: unknown): AwsErrorVerdict {
  const err = (e ?? {}) as SdkErrorShape;
  const status = err.$metadata?.httpStatusCode ?? null;
  // AWS's codes are PascalCase words, dotted for a sub-code (InvalidGroup.NotFound); anything else is not AWS's.
  const code = serverCode(err.Code ?? err.name, /^[A-Z][A-Za-z0-9]*(\.[A-Za-z0-9]+)*$/, 'UnknownError');
  const message = err.message || code;

  if (err.name === 'AbortError') {
    return { kind: 'UNREACHABLE', error: { code: 'TIMEOUT', message: 'AWS did not answer before the check’s deadline.' }, httpStatus: status };
  }
  const net = status === null ? networkErrorOf(e) : null;
  if (net) return { kind: 'UNREACHABLE', error: net, httpStatus: null };
  if (THROTTLING.has(code) || status === 429) {
    return { kind: 'UNREACHABLE', error: { code, message: `AWS throttled the request after retries: ${message}` }, httpStatus: status };
  }
  if ((status !== null && status >= 500) || err.$fault === 'server') {
    return { kind: 'UNREACHABLE', error: { code, message: `AWS answered with a server error after retries: ${message}` }, httpStatus: status };
  }
  if (status !== null && status >= 400) {
    // Only AWS rejecting the request is a verdict: AWS always sends a request id and a
    // readable error code. A proxy's 403 page or another service's 404 is not AWS.
    if (err.$metadata?.requestId && !UNREADABLE.has(code)) {
      return { kind: 'INVALID', error: { code, message }, httpStatus: status };
    }
    return {
      kind: 'UNREACHABLE',
      error: { code: 'BadResponse', message: `Something other than AWS answered with HTTP ${status}. Check the Endpoint URL and any proxy.` },
      httpStatus: status,
    };
  }
  // No HTTP status and no network code: the endpoint answered with something that is
  // not AWS (an HTML page, a proxy's error). No verdict on the credential.
  return {
    kind: 'UNREACHABLE',
    error: { code: 'BadResponse', message: `The endpoint did not answer like AWS (${code}). Check the Endpoint URL and any proxy.` },
    httpStatus: status,
  };
}
