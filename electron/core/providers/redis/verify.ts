import { runConnectorCheck, type Attempt } from '../connector-run';
import type { CheckInput, CheckOptions, CheckOutcome } from '../types';
import { connectorTrust } from '../tls-ca';
import { openResp, RespError, type RespConnection } from './resp';
import { serverCode } from '../../verification/redact';

// Redis's Test Connection: AUTH (AUTH username password for an ACL user, Redis 6+), then
// PING. Error replies decide: WRONGPASS / "invalid password" (wrong secret or disabled
// user), NOAUTH (the server wants a password) and NOPERM are verdicts, INVALID; LOADING,
// BUSY, MASTERDOWN, "max number of clients" and every socket or TLS failure are
// UNREACHABLE. The password is written to the socket and nowhere else.

interface RedisSettings {
  host: string;
  port: number;
  username?: string;
  password: string;
  tls: boolean;
  /** PEM: the CA to trust with TLS on instead of the system's CAs (a private CA or a self-signed certificate). */
  ca?: string;
}

/** Error replies that are no verdict on the credential: retry, then UNREACHABLE. */
const NO_VERDICT = new Set(['LOADING', 'BUSY', 'MASTERDOWN', 'TRYAGAIN', 'CLUSTERDOWN']);

function replyFailure(err: RespError, step: string): Attempt {
  // The first word of the error line is the code only in Redis's shape (ERR, WRONGPASS, NOAUTH…): a server answering
  // "-<password> …" must not turn the password into a code.
  let code = serverCode(err.prefix, /^[A-Z]{2,24}$/, 'ERR');
  // Redis before 6 says "ERR invalid password"; 6+ says "WRONGPASS invalid username-password pair…".
  if (code === 'ERR' && /invalid (username-)?password/i.test(err.text)) code = 'WRONGPASS';
  if (code === 'ERR' && /without any password configured/i.test(err.text)) code = 'NoPasswordConfigured';
  const error = { code, message: `${step}: ${err.text}` };
  if (NO_VERDICT.has(code) || /max number of clients/i.test(err.text)) return { status: 'UNREACHABLE', error, retry: true };
  return { status: 'INVALID', error };
}

function serverVersion(info: unknown): string | undefined {
  if (typeof info !== 'string') return undefined;
  const m = /^redis_version:(\S+)/m.exec(info);
  return m ? `Redis ${m[1]}` : undefined;
}

export async function checkRedis(s: RedisSettings, opts: CheckOptions): Promise<CheckOutcome> {
  const trust = s.tls ? connectorTrust(s.ca) : { ca: undefined };
  if ('error' in trust) return { status: 'UNREACHABLE', error: trust.error };
  return runConnectorCheck(opts, 'Redis', async (signal) => {
    const conn: RespConnection = await openResp({ host: s.host, port: s.port, tls: s.tls, ca: trust.ca, signal });
    try {
      // No password: send nothing, and let PING show whether the server wants one (NOAUTH).
      if (s.password) {
        const auth = await conn.command(s.username ? ['AUTH', s.username, s.password] : ['AUTH', s.password]);
        if (auth instanceof RespError) return replyFailure(auth, s.username ? `AUTH as ${s.username}` : 'AUTH');
      }
      const pong = await conn.command(['PING']);
      if (pong instanceof RespError) return replyFailure(pong, 'PING');
      if (pong !== 'PONG') {
        return { status: 'UNREACHABLE', error: { code: 'BadResponse', message: 'The server answered PING, but not with PONG: check the host and port.' } };
      }
      // The version is a nicety: an ACL user may not be allowed INFO.
      const info = await conn.command(['INFO', 'server']).catch(() => null);
      const server = info instanceof RespError ? undefined : serverVersion(info);
      return { status: 'VALID', identity: { principal: s.username || 'default', ...(server ? { server } : {}) } };
    } finally {
      conn.close();
    }
  });
}

export const check = (input: CheckInput, opts: CheckOptions): Promise<CheckOutcome> =>
  checkRedis(
    {
      host: input.fields.host,
      port: Number(input.fields.port || 6379),
      username: input.fields.username || undefined,
      password: input.secrets.password ?? '',
      tls: input.fields.tls === 'on',
      ca: input.fields.caCert || undefined,
    },
    opts,
  );
