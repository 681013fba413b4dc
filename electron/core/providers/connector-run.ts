import type { CheckError } from '../../../shared/contract';
import { networkErrorOf } from './network-errors';
import { retryCheck, type Attempt } from './retry';
import type { CheckInput, CheckOptions, CheckOutcome } from './types';

// What the database and directory checks (LDAP, PostgreSQL, Redis, MongoDB) add to the one
// retry loop (retry.ts): how a thrown error that is not a known network code reads.

export type { Attempt } from './retry';

/** A database login as its form stores it (PostgreSQL, MongoDB): the port defaults to the server's own. */
export function databaseLogin(input: CheckInput, defaultPort: number) {
  const { host, port, database, user, caCert } = input.fields;
  return { host, port: Number(port || defaultPort), database, user, password: input.secrets.password ?? '', ca: caCert || undefined };
}

/**
 * Runs `attempt` under retryCheck. A thrown network error ends UNREACHABLE with its code,
 * a protocol mismatch as BadResponse, anything else as NetworkError in words.
 */
export function runConnectorCheck(opts: CheckOptions, what: string, attempt: (signal: AbortSignal, remainingMs: number) => Promise<Attempt>): Promise<CheckOutcome> {
  return retryCheck(opts, attempt, (e) => networkErrorOf(e) ?? protocolFailure(e, what) ?? unknownFailure(e, what));
}

/** Something answered, but not in the service's protocol (a wrong port, an HTTP server, TLS on one side only). */
function protocolFailure(e: unknown, what: string): CheckError | null {
  if ((e as { code?: unknown } | null)?.code !== 'BadResponse') return null;
  return { code: 'BadResponse', message: `Something answered at that host and port, but not like a ${what} server: check the port and the TLS setting.` };
}

/**
 * A failure that is neither a server verdict nor a known network code: the connection
 * broke in a way the client library reports only in words. No verdict, so UNREACHABLE.
 * The library's text is kept only when it is short and plain (it never holds a secret:
 * the secret is sent, never echoed; check.ts redacts the stored text anyway).
 */
function unknownFailure(e: unknown, what: string): CheckError {
  const text = e instanceof Error ? e.message : '';
  const detail = text && text.length <= 200 && !/[\r\n]/.test(text) ? `: ${text}` : '';
  return { code: 'NetworkError', message: `The ${what} connection failed before the server gave a verdict${detail}.` };
}
