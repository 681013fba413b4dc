import { MongoClient, type MongoClientOptions } from 'mongodb';
import { databaseLogin, runConnectorCheck, type Attempt } from '../connector-run';
import { networkErrorOf } from '../network-errors';
import { connectorTrust } from '../tls-ca';
import type { CheckInput, CheckOptions, CheckOutcome } from '../types';
import { serverCode } from '../../verification/redact';

// MongoDB's Test Connection, with the official driver: connect to the one host given
// (directConnection), authenticate with SCRAM-SHA-256 against the user's database, then
// `ping`. The server's error codes decide: 18 AuthenticationFailed (wrong password or no
// such user: the server does not say which) and 13 Unauthorized are verdicts, INVALID; a
// refused or dropped connection, a timeout, a TLS failure and a server that is not
// primary-ready are UNREACHABLE. The password goes to the driver only, never into a URI.

interface MongoSettings {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  tls: boolean;
  /** PEM: the CA to trust with TLS on instead of the system's CAs. */
  ca?: string;
}

/** MongoDB server error codes that are a verdict on the credential. */
const VERDICT_CODES: Record<number, string> = { 18: 'AuthenticationFailed', 13: 'Unauthorized', 11: 'UserNotFound', 334: 'MechanismUnavailable' };
/** Codes that say "not now" (a node stepping down, shutting down, starting): no verdict, retried. */
const NO_VERDICT_CODES = new Set([91, 189, 10107, 11600, 11602, 13435, 13436]);

function serverCodeOf(e: unknown): { code: number; codeName?: string; message: string } | null {
  const err = e as { code?: unknown; codeName?: unknown; errorResponse?: { code?: unknown; codeName?: unknown }; message?: unknown; cause?: unknown } | null;
  // The driver wraps a handshake's auth failure (MongoServerError, code 18) in its pool error's cause.
  for (let cur = err, depth = 0; cur && depth < 4; cur = cur.cause as typeof err, depth++) {
    const code = typeof cur.code === 'number' ? cur.code : typeof cur.errorResponse?.code === 'number' ? cur.errorResponse.code : null;
    if (code !== null) {
      const codeName = typeof cur.codeName === 'string' ? cur.codeName : typeof cur.errorResponse?.codeName === 'string' ? cur.errorResponse.codeName : undefined;
      return { code, codeName, message: typeof cur.message === 'string' ? cur.message : '' };
    }
  }
  return null;
}

function serverFailure(e: { code: number; codeName?: string; message: string }, s: MongoSettings): Attempt {
  // A server's codeName is kept only in MongoDB's shape (AuthenticationFailed, Unauthorized…).
  const name = VERDICT_CODES[e.code] ?? serverCode(e.codeName, /^[A-Z][A-Za-z0-9]{1,63}$/, `MongoDB${e.code}`);
  // The server's message ("Authentication failed."): check.ts redacts and cuts it.
  const text = e.message && !/[\r\n]/.test(e.message) ? e.message : name;
  const error = { code: name, message: `${text} (code ${e.code}) as ${s.user} on database ${s.database}` };
  if (e.code in VERDICT_CODES) return { status: 'INVALID', error };
  return { status: 'UNREACHABLE', error, retry: NO_VERDICT_CODES.has(e.code) };
}

/** The driver reports a refused connection as a server-selection timeout; its heartbeat says why at once. */
function firstNetworkFailure(client: MongoClient): Promise<never> {
  return new Promise((_, reject) => {
    client.once('serverHeartbeatFailed', (ev: { failure: unknown }) => reject(ev.failure));
  });
}

export async function checkMongo(s: MongoSettings, opts: CheckOptions): Promise<CheckOutcome> {
  if (!s.password) {
    return { status: 'INVALID', error: { code: 'EmptyPassword', message: 'The password is empty; Keyward checks password authentication only.' } };
  }
  const trust = s.tls ? connectorTrust(s.ca) : { ca: undefined };
  if ('error' in trust) return { status: 'UNREACHABLE', error: trust.error };
  return runConnectorCheck(opts, 'MongoDB', async (signal, remainingMs) => {
    const options: MongoClientOptions = {
      directConnection: true,
      auth: { username: s.user, password: s.password },
      authSource: s.database,
      authMechanism: 'SCRAM-SHA-256',
      tls: s.tls,
      ...(trust.ca ? { ca: trust.ca } : {}),
      serverSelectionTimeoutMS: remainingMs,
      connectTimeoutMS: remainingMs,
      socketTimeoutMS: remainingMs,
      maxPoolSize: 1,
      retryReads: false,
      retryWrites: false,
      appName: 'keyward-check',
      monitorCommands: false,
    };
    const host = s.host.includes(':') && !s.host.startsWith('[') ? `[${s.host}]` : s.host;
    const client = new MongoClient(`mongodb://${host}:${s.port}/`, options);
    const close = () => void client.close(true).catch(() => undefined);
    signal.addEventListener('abort', close, { once: true });
    try {
      try {
        await Promise.race([client.connect(), firstNetworkFailure(client)]);
        const pong = await client.db(s.database).command({ ping: 1 });
        if (pong.ok !== 1) {
          return { status: 'UNREACHABLE', error: { code: 'BadResponse', message: 'The server accepted the login but did not answer ping with ok: 1.' } };
        }
      } catch (e) {
        if (networkErrorOf(e)) throw e; // refused, reset, TLS: runConnectorCheck makes it UNREACHABLE with its code
        const server = serverCodeOf(e);
        if (server) return serverFailure(server, s);
        throw e;
      }
      // The version is a nicety: a user may not be allowed buildInfo.
      const info = await client
        .db(s.database)
        .command({ buildInfo: 1 })
        .catch(() => null);
      const version = typeof info?.version === 'string' ? info.version : null;
      return { status: 'VALID', identity: { principal: `${s.user}@${s.database}`, ...(version ? { server: `MongoDB ${version}` } : {}) } };
    } finally {
      signal.removeEventListener('abort', close);
      close();
    }
  });
}

export const check = (input: CheckInput, opts: CheckOptions): Promise<CheckOutcome> => checkMongo({ ...databaseLogin(input, 27017), tls: input.fields.tls !== 'off' }, opts);
