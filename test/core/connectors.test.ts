// LDAP, PostgreSQL and Redis checks against real servers (slapd, postgres, redis-server
// from Debian), started by test/support/connector-servers.ts on 127.0.0.1 only.
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credential } from '../../shared/contract';
import { validateFields } from '../../shared/providers';
import { AuditLog } from '../../electron/core/audit/log';
import { CredentialService } from '../../electron/core/credentials/service';
import { checkLdap } from '../../electron/core/providers/ldap/verify';
import { checkPostgres } from '../../electron/core/providers/postgres/verify';
import { checkRedis } from '../../electron/core/providers/redis/verify';
import { Vault } from '../../electron/core/vault/vault';
import { freePort, makeTestCa, startPostgres, startRedis, startSlapd, type LdapServer, type PostgresServer, type RedisServer, type TestCa } from '../support/connector-servers';
import { fastProvider, rawVaultBytes, removeTempDirs, tempDir } from '../support/fixtures';
import { causeOf, checkingService, type CheckOverrides, expectNoSecret, ONE_ATTEMPT as OPTS } from '../support/checks';

let vault: Vault;
let ldap: LdapServer;
let pg: PostgresServer;
let redis: RedisServer;
/** The throwaway CA that issued the TLS servers' certificate (for "localhost" only). */
let ca: TestCa;
/** A second PostgreSQL with ssl=on (the first has none, for the TlsNotSupported case). */
let pgTls: PostgresServer;
let n = 0;
/** Every secret a test sent, right or wrong: none may show up in a result, the audit log or the vault file. */
const secretsSent = new Set<string>();

function service(check: CheckOverrides = {}): CredentialService {
  return checkingService(vault, { ...OPTS, ...check });
}

async function verify(provider: 'LDAP' | 'POSTGRES' | 'REDIS', fields: Record<string, string>, check: CheckOverrides = {}): Promise<Credential> {
  for (const key of ['bindPassword', 'password']) if (fields[key]) secretsSent.add(fields[key]);
  expect(validateFields(provider, fields)).toEqual({}); // what the form and main accept
  const svc = service(check);
  const cred = svc.add({ name: `${provider.toLowerCase()}-${++n}`, provider, type: provider === 'LDAP' ? 'BIND_PASSWORD' : 'PASSWORD', fields, verify: false });
  const checked = await svc.verify(cred.id);
  assertNoSecret(checked);
  return checked;
}

const assertNoSecret = (value: unknown) => expectNoSecret(value, secretsSent);

beforeAll(async () => {
  vault = await Vault.init(tempDir(), fastProvider());
  // One at a time: the machine has 2 cores. slapd and Redis also listen with TLS, beside their plain port.
  ca = makeTestCa();
  ldap = await startSlapd({ tls: ca });
  pg = await startPostgres();
  pgTls = await startPostgres({ tls: ca });
  redis = await startRedis({ tls: ca });
}, 90_000);

afterAll(async () => {
  // Nothing the tests sent as a secret is in the audit log or in clear in the vault file.
  assertNoSecret(new AuditLog(vault, 'desktop').list({}));
  const raw = rawVaultBytes(vault.path);
  for (const s of secretsSent) expect(raw.includes(Buffer.from(s))).toBe(false);
  vault.close();
  await ldap?.stop();
  await pg?.stop();
  await redis?.stop();
  await pgTls?.stop();
  ca?.remove();
  removeTempDirs();
}, 30_000);

describe('LDAP (slapd)', () => {
  const fields = (over: Record<string, string> = {}) => ({ url: ldap.url, bindDn: ldap.bindDn, baseDn: ldap.baseDn, bindPassword: ldap.bindPassword, ...over });

  it('is VALID with the right bind password, with the directory’s "who am I" as identity', async () => {
    const checked = await verify('LDAP', fields());
    expect(checked.status).toBe('VALID');
    expect(checked.identity).toEqual({ principal: ldap.bindDn });
    expect(checked.error).toBeNull();
  });

  it('is INVALID "Invalid credentials (49)" with its diagnosis and an ldapwhoami test for a wrong password', async () => {
    const checked = await verify('LDAP', fields({ bindPassword: 'not-the-bind-password' }));
    expect(checked.status).toBe('INVALID');
    expect(checked.error?.code).toBe('InvalidCredentials');
    expect(checked.error?.message).toContain('Invalid credentials (49)');
    expect(checked.diagnosis?.cause).toBe(causeOf('ldap.invalid-credentials'));
    expect(checked.diagnosis?.test).toBe(`ldapwhoami -x -H ${ldap.url} -D ${ldap.bindDn} -W`);
    expect(checked.identity).toBeNull();
  });

  it('is INVALID "No such object (32)" with an ldapsearch -s base test when the Base DN does not exist', async () => {
    const baseDn = 'ou=nowhere,dc=keyward,dc=test';
    const checked = await verify('LDAP', fields({ baseDn }));
    expect(checked.status).toBe('INVALID');
    expect(checked.error?.code).toBe('NoSuchObject');
    expect(checked.error?.message).toContain('No such object (32)');
    expect(checked.error?.message).toContain(baseDn);
    expect(checked.diagnosis?.cause).toBe(causeOf('ldap.no-such-object'));
    expect(checked.diagnosis?.test).toBe(`ldapsearch -x -H ${ldap.url} -D ${ldap.bindDn} -W -b ${baseDn} -s base '(objectClass=*)'`);
  });

  it('is VALID without a Base DN (the bind alone)', async () => {
    const { baseDn: _omit, ...noBase } = fields();
    const checked = await verify('LDAP', noBase);
    expect(checked.status).toBe('VALID');
  });

  it('is UNREACHABLE (never INVALID) with the LDAP refused diagnosis on a closed port', async () => {
    const port = await freePort();
    const checked = await verify('LDAP', fields({ url: `ldap://127.0.0.1:${port}` }));
    expect(checked.status).toBe('UNREACHABLE');
    expect(checked.error?.code).toBe('ECONNREFUSED');
    expect(checked.diagnosis?.cause).toBe(causeOf('ldap.refused'));
    expect(checked.diagnosis?.test).toBe(`ldapwhoami -x -H ldap://127.0.0.1:${port} -D ${ldap.bindDn} -W`);
  });

  it('is UNREACHABLE with the LDAP TLS diagnosis (add the CA certificate) when an ldaps:// server’s certificate is self-signed', async () => {
    const dir = tempDir();
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'k.pem', '-out', 'c.pem', '-days', '1', '-subj', '/CN=127.0.0.1'], { cwd: dir, stdio: 'pipe' });
    const server: TlsServer = createTlsServer({ key: readFileSync(join(dir, 'k.pem')), cert: readFileSync(join(dir, 'c.pem')) }, (s) => s.end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `ldaps://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const checked = await verify('LDAP', fields({ url }));
      expect(checked.status).toBe('UNREACHABLE');
      expect(checked.error?.code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
      expect(checked.diagnosis?.cause).toBe(causeOf('ldap.tls-untrusted'));
      expect(checked.diagnosis?.remedy[0]).toContain('add the CA certificate (PEM) to the credential');
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('never treats an empty password as a bind (an anonymous bind proves nothing)', async () => {
    const outcome = await checkLdap({ url: ldap.url, bindDn: ldap.bindDn, bindPassword: '' }, OPTS);
    expect(outcome.status).toBe('INVALID');
    expect(outcome.status !== 'VALID' && outcome.error.code).toBe('EmptyPassword');
  });

  it('is UNREACHABLE TIMEOUT within the deadline when the server accepts but never answers the bind', async () => {
    const { createServer } = await import('node:net');
    const silent = createServer((socket) => socket.resume()); // reads, never answers
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const started = Date.now();
      const url = `ldap://127.0.0.1:${(silent.address() as AddressInfo).port}`;
      const outcome = await checkLdap({ url, bindDn: ldap.bindDn, bindPassword: 'some-password' }, { timeoutMs: 400, maxAttempts: 3 });
      expect(outcome.status).toBe('UNREACHABLE');
      expect(outcome.status !== 'VALID' && outcome.error.code).toBe('TIMEOUT');
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  it('honours the caller’s cancel: the check rejects with the abort reason', async () => {
    const controller = new AbortController();
    controller.abort(new Error('cancelled by the test'));
    await expect(checkLdap({ url: ldap.url, bindDn: ldap.bindDn, bindPassword: ldap.bindPassword }, { ...OPTS, signal: controller.signal })).rejects.toThrow('cancelled by the test');
  });
});

describe('PostgreSQL (postgres)', () => {
  const fields = (over: Record<string, string> = {}) => ({
    host: pg.host,
    port: String(pg.port),
    database: pg.database,
    user: pg.user,
    password: pg.password,
    tls: 'disable',
    ...over,
  });

  it('is VALID with the right password, with current_user@database and the server version', async () => {
    const checked = await verify('POSTGRES', fields());
    expect(checked.status).toBe('VALID');
    expect(checked.identity?.principal).toBe(`${pg.user}@${pg.database}`);
    expect(checked.identity?.server).toMatch(/^PostgreSQL \d+\.\d+/);
  });

  it('is INVALID 28P01 "password authentication failed" with its diagnosis and a psql test for a wrong password', async () => {
    const checked = await verify('POSTGRES', fields({ password: 'not-the-db-password' }));
    expect(checked.status).toBe('INVALID');
    expect(checked.error?.code).toBe('28P01');
    expect(checked.error?.message).toContain('password authentication failed');
    expect(checked.diagnosis?.cause).toBe(causeOf('postgres.wrong-password'));
    expect(checked.diagnosis?.test).toBe(`psql 'host=127.0.0.1 port=${pg.port} dbname=${pg.database} user=${pg.user} sslmode=disable' -c 'SELECT 1'`);
  });

  it('is INVALID 3D000 with the missing-database diagnosis and a psql -l test', async () => {
    const checked = await verify('POSTGRES', fields({ database: 'no_such_db' }));
    expect(checked.status).toBe('INVALID');
    expect(checked.error?.code).toBe('3D000');
    expect(checked.error?.message).toContain('"no_such_db" does not exist');
    expect(checked.diagnosis?.cause).toBe(causeOf('postgres.no-database'));
    expect(checked.diagnosis?.test).toBe(`psql 'host=127.0.0.1 port=${pg.port} dbname=postgres user=${pg.user} sslmode=disable' -l`);
  });

  it('is INVALID 28000 "no pg_hba.conf entry" for a user no rule lets in', async () => {
    const checked = await verify('POSTGRES', fields({ user: 'intruder' }));
    expect(checked.status).toBe('INVALID');
    expect(checked.error?.code).toBe('28000');
    expect(checked.error?.message).toContain('no pg_hba.conf entry');
    expect(checked.diagnosis?.cause).toBe(causeOf('postgres.no-hba-entry'));
  });

  it('is UNREACHABLE TlsNotSupported (not INVALID) when TLS is required and the server has none', async () => {
    const checked = await verify('POSTGRES', fields({ tls: 'require' }));
    expect(checked.status).toBe('UNREACHABLE');
    expect(checked.error?.code).toBe('TlsNotSupported');
    expect(checked.diagnosis?.cause).toBe(causeOf('postgres.tls-not-supported'));
  });

  it('is UNREACHABLE (never INVALID) with the PostgreSQL refused diagnosis on a closed port, after every attempt', async () => {
    const port = await freePort();
    const checked = await verify('POSTGRES', fields({ port: String(port) }), { maxAttempts: 2 });
    expect(checked.status).toBe('UNREACHABLE');
    expect(checked.error?.code).toBe('ECONNREFUSED');
    expect(checked.diagnosis?.cause).toBe(causeOf('postgres.refused'));
  });

  it('is UNREACHABLE TIMEOUT when the server accepts the connection but never answers', async () => {
    const { createServer } = await import('node:net');
    const silent = createServer((socket) => socket.resume()); // reads, never answers
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const started = Date.now();
      const outcome = await checkPostgres(
        { host: '127.0.0.1', port: (silent.address() as AddressInfo).port, database: 'x', user: 'x', password: 'some-password', tls: 'disable' },
        { timeoutMs: 400, maxAttempts: 3 },
      );
      expect(outcome.status).toBe('UNREACHABLE');
      expect(outcome.status !== 'VALID' && outcome.error.code).toBe('TIMEOUT');
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });
});

describe('Redis (redis-server)', () => {
  const fields = (over: Record<string, string> = {}) => ({ host: redis.host, port: String(redis.port), password: redis.password, tls: 'off', ...over });

  it('is VALID with the default user’s password, with the server version', async () => {
    const checked = await verify('REDIS', fields());
    expect(checked.status).toBe('VALID');
    expect(checked.identity?.principal).toBe('default');
    expect(checked.identity?.server).toMatch(/^Redis \d+\.\d+/);
  });

  it('is VALID for an ACL user with AUTH username password (even when INFO is not allowed)', async () => {
    const checked = await verify('REDIS', fields({ username: redis.aclUser, password: redis.aclPassword }));
    expect(checked.status).toBe('VALID');
    expect(checked.identity).toEqual({ principal: redis.aclUser }); // INFO was refused (NOPERM): no version, still VALID
  });

  it('is INVALID WRONGPASS with its diagnosis and a redis-cli test for a wrong password', async () => {
    const checked = await verify('REDIS', fields({ password: 'not-the-redis-password' }));
    expect(checked.status).toBe('INVALID');
    expect(checked.error?.code).toBe('WRONGPASS');
    expect(checked.error?.message).toContain('invalid username-password pair');
    expect(checked.diagnosis?.cause).toBe(causeOf('redis.wrongpass'));
    expect(checked.diagnosis?.test).toBe(`redis-cli -h 127.0.0.1 -p ${redis.port} --askpass PING`);
  });

  it('is INVALID WRONGPASS for an ACL user that does not exist, with --user in the test', async () => {
    const checked = await verify('REDIS', fields({ username: 'ghost', password: redis.aclPassword }));
    expect(checked.status).toBe('INVALID');
    expect(checked.error?.code).toBe('WRONGPASS');
    expect(checked.diagnosis?.test).toBe(`redis-cli -h 127.0.0.1 -p ${redis.port} --user ghost --askpass PING`);
  });

  it('is INVALID NOPERM with its diagnosis when the user signs in but may not PING', async () => {
    const checked = await verify('REDIS', fields({ username: redis.noPingUser, password: redis.aclPassword }));
    expect(checked.status).toBe('INVALID');
    expect(checked.error?.code).toBe('NOPERM');
    expect(checked.error?.message).toMatch(/^PING: NOPERM/);
    expect(checked.diagnosis?.cause).toBe(causeOf('redis.noperm'));
  });

  it('is INVALID NOAUTH when no password is sent to a server that requires one', async () => {
    const outcome = await checkRedis({ host: redis.host, port: redis.port, password: '', tls: false }, OPTS);
    expect(outcome.status).toBe('INVALID');
    if (outcome.status === 'VALID') return;
    expect(outcome.error.code).toBe('NOAUTH');
    const { diagnose } = await import('../../electron/core/diagnosis/diagnose');
    expect(diagnose({ provider: 'REDIS', status: 'INVALID', error: outcome.error, fields: fields() }).cause).toBe(causeOf('redis.noauth'));
  });

  it('stops at once when the caller cancels while the server keeps it waiting', async () => {
    const { createServer } = await import('node:net');
    const silent = createServer((socket) => socket.resume());
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const controller = new AbortController();
      const started = Date.now();
      setTimeout(() => controller.abort(new Error('cancelled by the admin')), 200);
      const check = checkRedis(
        { host: '127.0.0.1', port: (silent.address() as AddressInfo).port, password: 'some-password', tls: false },
        { timeoutMs: 10_000, maxAttempts: 3, signal: controller.signal },
      );
      await expect(check).rejects.toThrow('cancelled by the admin');
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  it('is UNREACHABLE (never INVALID) with the Redis refused diagnosis on a closed port', async () => {
    const port = await freePort();
    const checked = await verify('REDIS', fields({ port: String(port) }));
    expect(checked.status).toBe('UNREACHABLE');
    expect(checked.error?.code).toBe('ECONNREFUSED');
    expect(checked.diagnosis?.cause).toBe(causeOf('redis.refused'));
  });

  it('is UNREACHABLE (not INVALID) when TLS is on but the server speaks plain Redis', async () => {
    const checked = await verify('REDIS', fields({ tls: 'on' }), { timeoutMs: 1500 });
    expect(checked.status).toBe('UNREACHABLE');
    expect(['EPROTO', 'ECONNRESET', 'TIMEOUT']).toContain(checked.error?.code);
  });

  it('is UNREACHABLE BadResponse when something that is not Redis answers', async () => {
    const { createServer } = await import('node:net');
    const http = createServer((s) => (s.resume(), s.end('HTTP/1.1 400 Bad Request\r\n\r\n')));
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    try {
      const checked = await verify('REDIS', fields({ port: String((http.address() as AddressInfo).port) }));
      expect(checked.status).toBe('UNREACHABLE');
      expect(checked.error?.code).toBe('BadResponse');
    } finally {
      await new Promise<void>((r) => http.close(() => r()));
    }
  });
});

describe('TLS with a private CA (real slapd, PostgreSQL and Redis on 127.0.0.1)', () => {
  // Each server's certificate was issued by `ca` for DNS:localhost only: "localhost" with
  // the CA verifies; without the CA the chain is untrusted; 127.0.0.1 is a name the
  // certificate does not hold, so host-name verification must refuse it even with the CA.
  // The servers send their chain with the CA in it (TLSCACertificateFile, ssl_ca_file, tls-ca-cert-file): an untrusted root.
  const UNTRUSTED = 'SELF_SIGNED_CERT_IN_CHAIN';
  const MISMATCH = 'ERR_TLS_CERT_ALTNAME_INVALID';
  const REMEDY = /add the CA certificate \(PEM\) to the credential/;

  describe('LDAP (ldaps://)', () => {
    const fields = (over: Record<string, string> = {}) => ({ url: ldap.tlsUrl!, bindDn: ldap.bindDn, baseDn: ldap.baseDn, bindPassword: ldap.bindPassword, caCert: ca.caPem, ...over });

    it('is VALID over ldaps:// when the credential holds the CA certificate', async () => {
      expect(ldap.tlsUrl).toBe(`ldaps://localhost:${ldap.tlsPort}`);
      const checked = await verify('LDAP', fields());
      expect(checked.status).toBe('VALID');
      expect(checked.identity).toEqual({ principal: ldap.bindDn });
      expect(checked.fields.caCert).toBe(ca.caPem); // public: stored and shown as given
    });

    it('is INVALID 49 over ldaps:// for a wrong password (the verdict comes through TLS), with LDAPTLS_CACERT in the test', async () => {
      const checked = await verify('LDAP', fields({ bindPassword: 'not-the-tls-bind-password' }));
      expect(checked.status).toBe('INVALID');
      expect(checked.error?.code).toBe('InvalidCredentials');
      expect(checked.diagnosis?.test).toBe(`LDAPTLS_CACERT=ca.pem ldapwhoami -x -H ${ldap.tlsUrl} -D ${ldap.bindDn} -W`);
    });

    it('is UNREACHABLE (never INVALID) with the untrusted-certificate diagnosis without the CA', async () => {
      const { caCert: _none, ...noCa } = fields();
      const checked = await verify('LDAP', noCa);
      expect(checked.status).toBe('UNREACHABLE');
      expect(checked.error?.code).toBe(UNTRUSTED);
      expect(checked.diagnosis?.cause).toBe(causeOf('ldap.tls-untrusted'));
      expect(checked.diagnosis?.remedy.join(' ')).toMatch(REMEDY);
      expect(checked.diagnosis?.test).toBe(`LDAPTLS_CACERT=ca.pem ldapwhoami -x -H ${ldap.tlsUrl} -D ${ldap.bindDn} -W`);
    });

    it('keeps host-name verification: with the CA, a host the certificate does not name is UNREACHABLE', async () => {
      const checked = await verify('LDAP', fields({ url: `ldaps://127.0.0.1:${ldap.tlsPort}` }));
      expect(checked.status).toBe('UNREACHABLE');
      expect(checked.error?.code).toBe(MISMATCH);
      expect(checked.diagnosis?.cause).toBe(causeOf('ldap.tls-untrusted'));
    });

    it('ignores the CA for plain ldap:// (and stays plain)', async () => {
      const checked = await verify('LDAP', fields({ url: ldap.url }));
      expect(checked.status).toBe('VALID');
    });
  });

  describe('PostgreSQL (TLS require)', () => {
    const fields = (over: Record<string, string> = {}) => ({
      host: ca.serverName,
      port: String(pgTls.port),
      database: pgTls.database,
      user: pgTls.user,
      password: pgTls.password,
      tls: 'require',
      caCert: ca.caPem,
      ...over,
    });

    it('is VALID over TLS when the credential holds the CA certificate', async () => {
      const checked = await verify('POSTGRES', fields());
      expect(checked.status).toBe('VALID');
      expect(checked.identity?.principal).toBe(`${pgTls.user}@${pgTls.database}`);
    });

    it('is UNREACHABLE (never INVALID) with the untrusted-certificate diagnosis and a verify-full psql test without the CA', async () => {
      const { caCert: _none, ...noCa } = fields();
      const checked = await verify('POSTGRES', noCa);
      expect(checked.status).toBe('UNREACHABLE');
      expect(checked.error?.code).toBe(UNTRUSTED);
      expect(checked.diagnosis?.cause).toBe(causeOf('postgres.tls-untrusted'));
      expect(checked.diagnosis?.remedy.join(' ')).toMatch(REMEDY);
      expect(checked.diagnosis?.test).toBe(`psql 'host=localhost port=${pgTls.port} dbname=${pgTls.database} user=${pgTls.user} sslmode=verify-full sslrootcert=ca.pem' -c 'SELECT 1'`);
    });

    it('keeps host-name verification: with the CA, 127.0.0.1 (not in the certificate) is UNREACHABLE', async () => {
      const checked = await verify('POSTGRES', fields({ host: '127.0.0.1' }));
      expect(checked.status).toBe('UNREACHABLE');
      expect(checked.error?.code).toBe(MISMATCH);
      expect(checked.diagnosis?.cause).toBe(causeOf('postgres.tls-untrusted'));
    });

    it('does not trust a CA that did not issue the server’s certificate', async () => {
      const other = makeTestCa();
      try {
        const checked = await verify('POSTGRES', fields({ caCert: other.caPem }));
        expect(checked.status).toBe('UNREACHABLE');
        expect(checked.error?.code).toBe(UNTRUSTED);
      } finally {
        other.remove();
      }
    });
  });

  describe('Redis (TLS on)', () => {
    const fields = (over: Record<string, string> = {}) => ({ host: ca.serverName, port: String(redis.tlsPort), password: redis.password, tls: 'on', caCert: ca.caPem, ...over });

    it('is VALID over TLS when the credential holds the CA certificate', async () => {
      const checked = await verify('REDIS', fields());
      expect(checked.status).toBe('VALID');
      expect(checked.identity?.principal).toBe('default');
      expect(checked.identity?.server).toMatch(/^Redis \d+\.\d+/);
    });

    it('is UNREACHABLE (never INVALID) with the untrusted-certificate diagnosis and a redis-cli --cacert test without the CA', async () => {
      const { caCert: _none, ...noCa } = fields();
      const checked = await verify('REDIS', noCa);
      expect(checked.status).toBe('UNREACHABLE');
      expect(checked.error?.code).toBe(UNTRUSTED);
      expect(checked.diagnosis?.cause).toBe(causeOf('redis.tls-untrusted'));
      expect(checked.diagnosis?.remedy.join(' ')).toMatch(REMEDY);
      expect(checked.diagnosis?.test).toBe(`redis-cli -h localhost -p ${redis.tlsPort} --tls --cacert ca.pem --askpass PING`);
    });

    it('keeps host-name verification: with the CA, 127.0.0.1 (not in the certificate) is UNREACHABLE', async () => {
      const checked = await verify('REDIS', fields({ host: '127.0.0.1' }));
      expect(checked.status).toBe('UNREACHABLE');
      expect(checked.error?.code).toBe(MISMATCH);
      expect(checked.diagnosis?.cause).toBe(causeOf('redis.tls-untrusted'));
    });
  });

  it('a CA field that has the PEM shape but is no certificate is UNREACHABLE CaCertificateInvalid, before any connection', async () => {
    // Valid base64 of bytes that are not DER: shared/ accepts the shape, core's X509Certificate does not.
    const notDer = `-----BEGIN CERTIFICATE-----\n${Buffer.from('not a certificate, just text!!').toString('base64')}\n-----END CERTIFICATE-----\n`;
    const closed = await freePort();
    const checked = await verify('REDIS', { host: '127.0.0.1', port: String(closed), password: 'some-redis-password', tls: 'on', caCert: notDer });
    expect(checked.status).toBe('UNREACHABLE');
    expect(checked.error?.code).toBe('CaCertificateInvalid'); // not ECONNREFUSED: it never connected
    expect(checked.error?.message).toContain('is not a readable X.509 certificate');
    expect(checked.diagnosis?.cause).toBe(causeOf('connector.ca-invalid'));
    expect(checked.diagnosis?.test).toBe('openssl x509 -in ca.pem -noout -subject -issuer -enddate');
  });
});

describe('connector fields', () => {
  it('take a CA certificate (PEM) only as whole CERTIFICATE blocks, and never echo a pasted key', () => {
    const base = { host: 'db.example.com', port: '5432', database: 'd', user: 'u', password: 'p', tls: 'require' };
    expect(validateFields('POSTGRES', { ...base, caCert: ca.caPem })).toEqual({});
    expect(validateFields('POSTGRES', { ...base, caCert: `${ca.caPem}\n${ca.caPem}` })).toEqual({}); // a bundle
    const key = readFileSync(ca.keyFile, 'utf8');
    const keyError = validateFields('REDIS', { host: 'r', port: '6379', password: 'p', tls: 'on', caCert: `${ca.caPem}${key}` }).caCert;
    expect(keyError).toContain('holds a private key');
    expect(keyError).not.toContain(key.split('\n')[1]);
    expect(validateFields('LDAP', { url: 'ldaps://l', bindDn: 'cn=a,dc=b', bindPassword: 'x', caCert: 'MIIB...' }).caCert).toContain('one or more blocks from -----BEGIN CERTIFICATE-----');
    expect(validateFields('LDAP', { url: 'ldaps://l', bindDn: 'cn=a,dc=b', bindPassword: 'x', caCert: `subject=CN=x\n${ca.caPem}` }).caCert).toContain('text outside');
    expect(validateFields('LDAP', { url: 'ldaps://l', bindDn: 'cn=a,dc=b', bindPassword: 'x', caCert: ca.caPem.replace(/\n[A-Za-z0-9+/]{10}/, '\n!!!!!!!!!!') }).caCert).toContain('not valid base64');
    expect(validateFields('LDAP', { url: 'ldaps://l', bindDn: 'cn=a,dc=b', bindPassword: 'x', caCert: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----' }).caCert).toContain(
      '"PUBLIC KEY" block',
    );
    expect(validateFields('LDAP', { url: 'ldaps://l', bindDn: 'cn=a,dc=b', bindPassword: 'x', caCert: ca.caPem.repeat(40) }).caCert).toContain('at most 16 KiB');
  });

  it('say exactly what is wrong', () => {
    expect(validateFields('LDAP', { url: 'https://ldap.example.com', bindDn: 'cn=a,dc=b', bindPassword: 'x' })).toEqual({
      url: 'The server URL must start with ldap:// or ldaps://, not https://.',
    });
    expect(validateFields('LDAP', { url: 'ldaps://ldap.example.com', bindDn: 'admin', bindPassword: 'x' }).bindDn).toContain('"admin" is not');
    expect(validateFields('POSTGRES', { host: 'postgres://db', port: '5432', database: 'd', user: 'u', password: 'p', tls: 'require' }).host).toContain('without a scheme');
    expect(validateFields('POSTGRES', { host: 'db', port: '70000', database: 'd', user: 'u', password: 'p', tls: 'require' }).port).toBe('Port is from 1 to 65535; 70000 is out of range.');
    expect(validateFields('REDIS', { host: 'db:6379', port: '6379', password: 'p', tls: 'maybe' })).toEqual({
      host: 'Enter the port in the Port field, not after the host.',
      tls: 'TLS is "on" or "off", not "maybe".',
    });
  });
});
