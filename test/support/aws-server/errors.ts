import type { ServiceName } from './types';

/**
 * An error the server answers with. `status`, `code` and `message` are exactly what AWS puts
 * on the wire; `type` is the query protocol's <Type> (Sender for 4xx, Receiver for 5xx).
 */
export class AwsError extends Error {
  readonly type: 'Sender' | 'Receiver';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AwsError';
    this.type = status >= 500 ? 'Receiver' : 'Sender';
  }
}

const isEc2 = (service: ServiceName): boolean => service === 'ec2';
/** SSM and Secrets Manager speak awsJson1_1: every refusal is a 400 with an `…Exception` code (or SSM's bare names). */
export const isJson = (service: ServiceName | undefined): boolean => service === 'ssm' || service === 'secretsmanager';

// --- authentication -------------------------------------------------------------------

const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** Unknown, deleted, inactive or not-yet-propagated access key id (or unknown session token). */
export function invalidClientToken(service: ServiceName): AwsError {
  if (isJson(service)) return new AwsError(400, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
  return isEc2(service)
    ? new AwsError(401, 'AuthFailure', 'AWS was not able to validate the provided access credentials')
    : new AwsError(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');
}

export function signatureDoesNotMatch(message: string = SIGNATURE_MISMATCH, service?: ServiceName): AwsError {
  // JSON-protocol services say InvalidSignatureException (400); EC2 answers a wrong secret with
  // the same 403 SignatureDoesNotMatch as STS and IAM.
  if (isJson(service)) return new AwsError(400, 'InvalidSignatureException', message);
  return new AwsError(403, 'SignatureDoesNotMatch', message);
}

/** X-Amz-Date outside the server's tolerance. STS/IAM fold this into SignatureDoesNotMatch; EC2 says RequestExpired. */
export function requestTimeSkewed(service: ServiceName, detail: string): AwsError {
  return isEc2(service) ? new AwsError(400, 'RequestExpired', 'Request has expired.') : signatureDoesNotMatch(detail, service);
}

/** Expired temporary credentials. EC2 reports these as RequestExpired too (its documented meaning includes them). */
export function expiredToken(service: ServiceName): AwsError {
  if (isJson(service)) return new AwsError(400, 'ExpiredTokenException', 'The security token included in the request is expired');
  return isEc2(service) ? new AwsError(400, 'RequestExpired', 'Request has expired.') : new AwsError(403, 'ExpiredToken', 'The security token included in the request is expired');
}

export function missingAuthentication(service: ServiceName): AwsError {
  if (isJson(service)) return new AwsError(400, 'MissingAuthenticationTokenException', 'Request is missing Authentication Token');
  return isEc2(service)
    ? new AwsError(401, 'AuthFailure', 'AWS was not able to validate the provided access credentials')
    : new AwsError(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token');
}

export function incompleteSignature(message: string, service?: ServiceName): AwsError {
  if (isJson(service)) return new AwsError(400, 'IncompleteSignatureException', message);
  return new AwsError(403, 'IncompleteSignature', message);
}

// --- request shape ----------------------------------------------------------------------

export function invalidAction(service: ServiceName, action: string, version: string): AwsError {
  // A JSON service answers an unknown (or missing) X-Amz-Target with a bare UnknownOperationException.
  if (isJson(service)) return new AwsError(400, 'UnknownOperationException', '');
  return isEc2(service)
    ? new AwsError(400, 'InvalidAction', `The action ${action} is not valid for this web service.`)
    : new AwsError(400, 'InvalidAction', `Could not find operation ${action} for version ${version}`);
}

export function missingAction(): AwsError {
  return new AwsError(400, 'MissingAction', 'Missing Action');
}

/** IAM/STS input validation failure, phrased like AWS's "1 validation error detected: ...". */
export function validationError(detail: string): AwsError {
  return new AwsError(400, 'ValidationError', `1 validation error detected: ${detail}`);
}

// --- injected faults --------------------------------------------------------------------

export function throttled(service: ServiceName): AwsError {
  if (isJson(service)) return new AwsError(400, 'ThrottlingException', 'Rate exceeded');
  return isEc2(service) ? new AwsError(503, 'RequestLimitExceeded', 'Request limit exceeded.') : new AwsError(400, 'Throttling', 'Rate exceeded');
}

export function serverError(service: ServiceName, status: 500 | 503): AwsError {
  if (isJson(service)) {
    if (status === 503) return new AwsError(503, 'ServiceUnavailable', 'Service is unavailable. Please try again later.');
    // Each names its modelled server fault: SSM InternalServerError, Secrets Manager InternalServiceError.
    return service === 'ssm' ? new AwsError(500, 'InternalServerError', 'An error occurred on the server side.') : new AwsError(500, 'InternalServiceError', 'An error occurred on the server side.');
  }
  if (status === 503) {
    return isEc2(service)
      ? new AwsError(503, 'Unavailable', "The server is overloaded and can't handle the request.")
      : new AwsError(503, 'ServiceUnavailable', 'Service is unavailable. Please try again later.');
  }
  return isEc2(service)
    ? new AwsError(500, 'InternalError', 'An internal error has occurred. Retry your request, but if the problem persists, contact us with details by posting a message on the AWS forums.')
    : new AwsError(500, 'InternalFailure', 'An internal error has occurred. Please try again later.');
}
