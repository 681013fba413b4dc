import type { CheckError } from '../../../shared/contract';

// Node's socket and TLS error codes that mean "could not reach the service". They are
// never a verdict on the credential: the check ends UNREACHABLE.
const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'The connection was refused',
  ECONNRESET: 'The connection was reset',
  EPIPE: 'The connection was closed',
  ENOTFOUND: 'The host name could not be resolved',
  EAI_AGAIN: 'DNS lookup timed out',
  EHOSTUNREACH: 'The host is unreachable',
  ENETUNREACH: 'The network is unreachable',
  ETIMEDOUT: 'The connection timed out',
  ECONNABORTED: 'The connection was aborted',
  CERT_HAS_EXPIRED: 'The server’s TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'The server’s TLS certificate is self-signed and not trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'The server’s TLS certificate chain has an untrusted self-signed certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'The server’s TLS certificate could not be verified',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'The server’s TLS certificate issuer is not trusted',
  ERR_TLS_CERT_ALTNAME_INVALID: 'The server’s TLS certificate does not match its host name',
  EPROTO: 'The TLS handshake failed',
  UND_ERR_CONNECT_TIMEOUT: 'The connection timed out',
  UND_ERR_SOCKET: 'The connection was closed',
};

/** Finds a network error code on an error or its causes (fetch wraps them in `cause`). */
export function networkErrorOf(e: unknown): CheckError | null {
  let cur: unknown = e;
  for (let depth = 0; cur && depth < 5; depth++) {
    const err = cur as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown };
    if (typeof err.code === 'string' && err.code in NETWORK_CODES) {
      return { code: err.code, message: `${NETWORK_CODES[err.code]}${hostOf(err)}.` };
    }
    if (err.name === 'TimeoutError' || err.name === 'RequestTimeout') {
      return { code: 'TIMEOUT', message: 'The service did not answer in time.' };
    }
    cur = err.cause;
  }
  return null;
}

function hostOf(err: object): string {
  const e = err as { address?: string; port?: number; hostname?: string };
  if (e.hostname) return ` (${e.hostname})`;
  if (e.address) return ` (${e.address}${e.port ? `:${e.port}` : ''})`;
  return '';
}

export function timeoutError(ms: number): CheckError {
  return { code: 'TIMEOUT', message: `No answer within ${Math.round(ms / 1000)} s.` };
}
