import { Socket } from 'node:net';
import { isIP } from 'node:net';
import { Client } from 'pg';
import { databaseLogin, runConnectorCheck, type Attempt } from '../connector-run';
import { connectorTrust } from '../tls-ca';
import type { CheckInput, CheckOptions, CheckOutcome } from '../types';

// PostgreSQL's Test Connection: connect (password auth), then SELECT 1. The server's
// SQLSTATE decides: class 28 (authentication: 28P01 wrong password, 28000 no pg_hba.conf
// entry), 3D000 (no such database) and the like are verdicts, INVALID. Connection
// exceptions (08), too many connections (53), shutting down or starting up (57P) and
// every socket or TLS failure are UNREACHABLE.

interface PostgresSettings {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  tls: 'require' | 'disable';
  /** PEM: the CA to trust with TLS require instead of the system's CAs (a private CA or a self-signed certificate). */
  ca?: string;
}

/** SQLSTATE classes that are no verdict on the credential. */
const NO_VERDICT_CLASSES = new Set(['08', '53', '57', '58']);

const SQLSTATE = /^(0[0-9A-Z]|2[0-9A-F]|3[4-9BDF]|4[024]|5[3-8]|72|F0|HV|P0|XX)[0-9A-Z]{3}$/;

function sqlstateOf(e: unknown): string | null {
  const code = (e as { code?: unknown } | null)?.code;
  // A server's code is kept only as a SQLSTATE of a class PostgreSQL defines (Appendix A), never as any 5 characters it sent.
  return typeof code === 'string' && SQLSTATE.test(code) ? code : null;
}

function serverFailure(sqlstate: string, e: unknown): Attempt {
  // The server's own message, e.g. `password authentication failed for user "app"`; check.ts redacts and cuts it.
  const text = e instanceof Error && e.message && !/[\r\n]/.test(e.message) ? e.message : `SQLSTATE ${sqlstate}`;
  const error = { code: sqlstate, message: `${text} (SQLSTATE ${sqlstate})` };
  if (NO_VERDICT_CLASSES.has(sqlstate.slice(0, 2))) return { status: 'UNREACHABLE', error, retry: true };
  return { status: 'INVALID', error };
}

export async function checkPostgres(s: PostgresSettings, opts: CheckOptions): Promise<CheckOutcome> {
  if (!s.password) {
    return { status: 'INVALID', error: { code: 'EmptyPassword', message: 'The password is empty; Keyward checks password authentication only.' } };
  }
  const trust = s.tls === 'require' ? connectorTrust(s.ca) : { ca: undefined };
  if ('error' in trust) return { status: 'UNREACHABLE', error: trust.error };
  return runConnectorCheck(opts, 'PostgreSQL', async (signal, remainingMs) => {
    const sockets: Socket[] = [];
    const client = new Client({
      host: s.host,
      port: s.port,
      database: s.database,
      user: s.user,
      password: s.password,
      // require: TLS with the certificate checked against the system's CAs (or the stored CA) and the host name.
      ssl: s.tls === 'require' ? { rejectUnauthorized: true, servername: isIP(s.host) ? undefined : s.host, ...(trust.ca ? { ca: trust.ca } : {}) } : false,
      connectionTimeoutMillis: remainingMs,
      query_timeout: remainingMs,
      application_name: 'keyward-check',
      stream: () => {
        const socket = new Socket();
        sockets.push(socket);
        return socket;
      },
    });
    // pg emits late socket errors as events: without a listener they would crash the process.
    client.on('error', () => undefined);
    const close = () => {
      for (const socket of sockets) socket.destroy();
    };
    signal.addEventListener('abort', close, { once: true });
    try {
      let row: { who: string; db: string; version: string; ok: number } | undefined;
      try {
        await client.connect();
        const res = await client.query<{ who: string; db: string; version: string; ok: number }>(
          "SELECT 1 AS ok, current_user AS who, current_database() AS db, current_setting('server_version') AS version",
        );
        row = res.rows[0];
      } catch (e) {
        const sqlstate = sqlstateOf(e);
        if (sqlstate === null && e instanceof Error && /does not support SSL/i.test(e.message)) {
          return { status: 'UNREACHABLE', error: { code: 'TlsNotSupported', message: 'The server does not accept TLS connections, and TLS is set to require.' } };
        }
        if (sqlstate === null) throw e; // socket, TLS or protocol: runConnectorCheck makes it UNREACHABLE
        return serverFailure(sqlstate, e);
      }
      if (!row || Number(row.ok) !== 1) {
        return { status: 'UNREACHABLE', error: { code: 'BadResponse', message: 'The server accepted the login but SELECT 1 did not return 1.' } };
      }
      return { status: 'VALID', identity: { principal: `${row.who}@${row.db}`, server: `PostgreSQL ${row.version}` } };
    } finally {
      signal.removeEventListener('abort', close);
      // Terminate politely when connected; never wait on it (a half-open connection may not answer).
      void client.end().catch(() => undefined);
      setTimeout(close, 1000).unref();
    }
  });
}

export const check = (input: CheckInput, opts: CheckOptions): Promise<CheckOutcome> =>
  checkPostgres({ ...databaseLogin(input, 5432), tls: input.fields.tls === 'disable' ? 'disable' : 'require' }, opts);
