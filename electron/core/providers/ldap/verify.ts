import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { Client } from 'ldapts';
import { runConnectorCheck, type Attempt } from '../connector-run';
import { connectorTrust } from '../tls-ca';
import type { CheckInput, CheckOptions, CheckOutcome } from '../types';

// LDAP's Test Connection: a simple bind as the Bind DN, then (when a Base DN is set) a
// base-scope search of it. The server's result codes decide: 49 (invalid credentials)
// and 32 (no such object) are verdicts, INVALID; busy/unavailable and every socket or
// TLS failure are UNREACHABLE. Bind DN and password go to the server only.

interface LdapSettings {
  url: string;
  bindDn: string;
  baseDn?: string;
  bindPassword: string;
  /** PEM: the CA to trust for ldaps:// instead of the system's CAs (a private CA or a self-signed certificate). */
  ca?: string;
}

/** LDAP result codes (RFC 4511) with the words the directory tools print for them. */
const RESULT_NAMES: Record<number, { code: string; words: string }> = {
  13: { code: 'ConfidentialityRequired', words: 'Confidentiality required' },
  32: { code: 'NoSuchObject', words: 'No such object' },
  34: { code: 'InvalidDNSyntax', words: 'Invalid DN syntax' },
  48: { code: 'InappropriateAuthentication', words: 'Inappropriate authentication' },
  49: { code: 'InvalidCredentials', words: 'Invalid credentials' },
  50: { code: 'InsufficientAccess', words: 'Insufficient access' },
  51: { code: 'Busy', words: 'Server is busy' },
  52: { code: 'Unavailable', words: 'Server is unavailable' },
  53: { code: 'UnwillingToPerform', words: 'Server is unwilling to perform' },
};
/** Result codes that are no verdict on the credential: try again, then UNREACHABLE. */
const NO_VERDICT = new Set([51, 52]);

function resultCodeOf(e: unknown): number | null {
  const code = (e as { code?: unknown } | null)?.code;
  // ldapts' ResultCodeError carries the numeric LDAP result code; socket errors carry strings.
  return typeof code === 'number' ? code : null;
}

function ldapFailure(rc: number, step: string, e: unknown): Attempt {
  const known = RESULT_NAMES[rc];
  const code = known?.code ?? `LDAP${rc}`;
  const words = known?.words ?? 'LDAP error';
  // The server's diagnostic message (e.g. AD's "data 775" for a locked account) helps; check.ts redacts and cuts it.
  const serverText = e instanceof Error && e.message && !/[\r\n]/.test(e.message) ? e.message : '';
  const message = `LDAP error: ${words} (${rc}) ${step}${serverText && !serverText.startsWith(words) ? ` — ${serverText}` : ''}.`;
  if (NO_VERDICT.has(rc)) return { status: 'UNREACHABLE', error: { code, message }, retry: true };
  return { status: 'INVALID', error: { code, message } };
}

export async function checkLdap(s: LdapSettings, opts: CheckOptions): Promise<CheckOutcome> {
  if (!s.bindPassword) {
    // A simple bind with an empty password is an anonymous bind that servers accept (RFC 4513 §5.1.2): never a verdict.
    return { status: 'INVALID', error: { code: 'EmptyPassword', message: 'The bind password is empty; an LDAP bind without a password is anonymous and proves nothing.' } };
  }
  // Only ldaps:// uses the CA: ldapts would turn an ldap:// connection into TLS if it got tlsOptions.
  const trust = /^ldaps:/i.test(s.url) ? connectorTrust(s.ca) : { ca: undefined };
  if ('error' in trust) return { status: 'UNREACHABLE', error: trust.error };
  return runConnectorCheck(opts, 'LDAP', async (signal, remainingMs) => {
    const sockets: Socket[] = [];
    const client = new Client({
      url: s.url,
      // The stored CA replaces the system's CAs; the certificate and the host name are still verified.
      ...(trust.ca ? { tlsOptions: { ca: trust.ca, rejectUnauthorized: true } } : {}),
      timeout: remainingMs,
      connectTimeout: remainingMs,
      strictDN: false, // the directory judges the DN; a client-side parse error would hide its answer
      createConnection: ((...args: Parameters<typeof netConnect>) => {
        const socket = netConnect(...args);
        sockets.push(socket);
        return socket;
      }) as typeof netConnect,
      createSecureConnection: ((...args: Parameters<typeof tlsConnect>) => {
        const socket = tlsConnect(...args);
        sockets.push(socket);
        return socket;
      }) as typeof tlsConnect,
    });
    const close = () => {
      for (const socket of sockets) socket.destroy();
    };
    signal.addEventListener('abort', close, { once: true });
    try {
      try {
        await client.bind(s.bindDn, s.bindPassword);
      } catch (e) {
        const rc = resultCodeOf(e);
        if (rc === null) throw e; // a socket or TLS error: runConnectorCheck makes it UNREACHABLE
        return ldapFailure(rc, `binding as ${s.bindDn}`, e);
      }
      if (s.baseDn) {
        try {
          await client.search(s.baseDn, { scope: 'base', filter: '(objectClass=*)', attributes: ['1.1'], sizeLimit: 1 });
        } catch (e) {
          const rc = resultCodeOf(e);
          if (rc === null) throw e;
          return ldapFailure(rc, `reading the Base DN ${s.baseDn}`, e);
        }
      }
      // Who the directory says we are (RFC 4532 "Who am I?"); not every server offers it.
      let principal = s.bindDn;
      try {
        const who = await client.exop('1.3.6.1.4.1.4203.1.11.3');
        if (who.value) principal = who.value.replace(/^dn:/, '');
      } catch {
        /* the bind already proved the credential */
      }
      return { status: 'VALID', identity: { principal } };
    } finally {
      signal.removeEventListener('abort', close);
      // Unbind politely when connected; never wait on it (a half-open connection may not answer).
      void client.unbind().catch(() => undefined);
      setTimeout(close, 1000).unref();
    }
  });
}

export const check = (input: CheckInput, opts: CheckOptions): Promise<CheckOutcome> =>
  checkLdap(
    { url: input.fields.url, bindDn: input.fields.bindDn, baseDn: input.fields.baseDn || undefined, bindPassword: input.secrets.bindPassword ?? '', ca: input.fields.caCert || undefined },
    opts,
  );
