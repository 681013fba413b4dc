// Real connector servers for the tests, from the Debian packages scripts/system-deps.sh
// installs: slapd, PostgreSQL and Redis. Each starts on 127.0.0.1 only, on a free port,
// in its own temp folder, and stop() kills it and removes the folder. Nothing listens
// on any other interface. With `{ tls }` (a throwaway CA from makeTestCa()), each also
// speaks TLS with a certificate that CA issued for the name "localhost" only.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningServer {
  host: '127.0.0.1';
  port: number;
  dir: string;
  stop(): Promise<void>;
}

/** A port nothing listens on right now (the kernel picks it; we close it again). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

async function waitForPort(port: number, child: ChildProcess, what: string, log: () => string, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode}: ${log()}`);
    const open = await new Promise<boolean>((r) => {
      const s = connect({ host: '127.0.0.1', port }, () => (s.destroy(), r(true)));
      s.on('error', () => r(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`${what} did not listen on 127.0.0.1:${port} within ${timeoutMs} ms: ${log()}`);
}

/** Servers still running: killed if the test process exits without stopping them (a crash, a timeout). */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

function start(cmd: string, args: string[], opts: { cwd: string; uid?: number; gid?: number }): { child: ChildProcess; log: () => string } {
  const child = spawn(cmd, args, { cwd: opts.cwd, uid: opts.uid, gid: opts.gid, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let out = '';
  const keep = (d: Buffer) => (out = (out + d.toString()).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { child, log: () => out };
}

// ── A throwaway CA for the TLS servers ───────────────────────────────────────

export interface TestCa {
  dir: string;
  /** The CA's certificate (PEM): what a credential's "CA certificate (PEM)" holds. */
  caPem: string;
  caFile: string;
  /** The server certificate (signed by the CA) names only this host: SAN DNS:localhost, not IP 127.0.0.1. */
  serverName: 'localhost';
  certFile: string;
  keyFile: string;
  remove(): void;
}

/**
 * A CA (P-256, valid 2 days) and a server certificate it issued for DNS:localhost only,
 * made with openssl in a temp folder. Connecting to "localhost" with the CA verifies;
 * connecting to 127.0.0.1 (an IP the certificate does not name) fails host-name verification.
 */
export function makeTestCa(): TestCa {
  const dir = mkdtempSync(join(tmpdir(), 'keyward-ca-'));
  const openssl = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl([
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=Keyward test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  openssl(['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost']);
  writeFileSync(
    join(dir, 'server.ext'),
    ['subjectAltName=DNS:localhost', 'basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', 'extendedKeyUsage=serverAuth', ''].join('\n'),
  );
  openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'server.ext']);
  chmodSync(join(dir, 'server.key'), 0o600);
  return {
    dir,
    caPem: readFileSync(join(dir, 'ca.pem'), 'utf8'),
    caFile: join(dir, 'ca.pem'),
    serverName: 'localhost',
    certFile: join(dir, 'server.pem'),
    keyFile: join(dir, 'server.key'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Copies the server certificate and key into a server's own folder (key 0600, owned by the user the server runs as). */
function serverTlsFiles(ca: TestCa, dir: string, owner?: { uid: number; gid: number }): { ca: string; cert: string; key: string } {
  const files = { ca: join(dir, 'tls-ca.pem'), cert: join(dir, 'tls-server.pem'), key: join(dir, 'tls-server.key') };
  copyFileSync(ca.caFile, files.ca);
  copyFileSync(ca.certFile, files.cert);
  copyFileSync(ca.keyFile, files.key);
  chmodSync(files.key, 0o600);
  if (owner) for (const f of Object.values(files)) chownSync(f, owner.uid, owner.gid);
  return files;
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

// ── slapd ────────────────────────────────────────────────────────────────────

export interface LdapServer extends RunningServer {
  url: string;
  /** With `{ tls }`: ldaps://localhost:PORT (slapd also listens there, on 127.0.0.1). */
  tlsUrl?: string;
  tlsPort?: number;
  baseDn: string;
  bindDn: string;
  bindPassword: string;
}

export async function startSlapd(opts: { tls?: TestCa } = {}): Promise<LdapServer> {
  const dir = mkdtempSync(join(tmpdir(), 'keyward-slapd-'));
  const tlsFiles = opts.tls ? serverTlsFiles(opts.tls, dir) : null;
  const tlsPort = opts.tls ? await freePort() : undefined;
  const baseDn = 'dc=keyward,dc=test';
  const bindDn = `uid=svc-keyward,ou=people,${baseDn}`;
  const bindPassword = `ldap-${Math.random().toString(36).slice(2)}-pw`;
  const port = await freePort();
  const db = join(dir, 'db');
  execFileSync('mkdir', ['-p', db]);
  const conf = join(dir, 'slapd.conf');
  writeFileSync(
    conf,
    [
      'include /etc/ldap/schema/core.schema',
      'include /etc/ldap/schema/cosine.schema',
      'include /etc/ldap/schema/inetorgperson.schema',
      'modulepath /usr/lib/ldap',
      'moduleload back_mdb',
      `pidfile ${join(dir, 'slapd.pid')}`,
      ...(tlsFiles ? [`TLSCACertificateFile ${tlsFiles.ca}`, `TLSCertificateFile ${tlsFiles.cert}`, `TLSCertificateKeyFile ${tlsFiles.key}`] : []),
      'database mdb',
      'maxsize 10485760',
      `suffix "${baseDn}"`,
      `directory ${db}`,
      'access to attrs=userPassword by anonymous auth by * none',
      'access to * by users read by * none',
      '',
    ].join('\n'),
  );
  const ldif = [
    `dn: ${baseDn}`,
    'objectClass: dcObject',
    'objectClass: organization',
    'o: Keyward test',
    'dc: keyward',
    '',
    `dn: ou=people,${baseDn}`,
    'objectClass: organizationalUnit',
    'ou: people',
    '',
    `dn: ${bindDn}`,
    'objectClass: inetOrgPerson',
    'uid: svc-keyward',
    'cn: Keyward service',
    'sn: service',
    `userPassword: ${bindPassword}`,
    '',
  ].join('\n');
  writeFileSync(join(dir, 'seed.ldif'), ldif);
  execFileSync('/usr/sbin/slapadd', ['-f', conf, '-l', join(dir, 'seed.ldif')], { stdio: 'pipe' });
  const url = `ldap://127.0.0.1:${port}`;
  // -d 0: stay in the foreground (so the test owns the process) without debug output.
  const listen = tlsPort ? `${url}/ ldaps://127.0.0.1:${tlsPort}/` : `${url}/`;
  const { child, log } = start('/usr/sbin/slapd', ['-f', conf, '-h', listen, '-d', '0'], { cwd: dir });
  await waitForPort(port, child, 'slapd', log);
  if (tlsPort) await waitForPort(tlsPort, child, 'slapd (ldaps)', log);
  return {
    host: '127.0.0.1',
    port,
    dir,
    url,
    ...(tlsPort ? { tlsPort, tlsUrl: `ldaps://localhost:${tlsPort}` } : {}),
    baseDn,
    bindDn,
    bindPassword,
    stop: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ── PostgreSQL ───────────────────────────────────────────────────────────────

export interface PostgresServer extends RunningServer {
  /** With `{ tls }`: ssl=on on the same port (plain connections are still accepted). */
  tls: boolean;
  database: string;
  user: string;
  password: string;
}

function postgresBin(): string {
  const versions = readdirSync('/usr/lib/postgresql').filter((v) => existsSync(`/usr/lib/postgresql/${v}/bin/initdb`));
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error('PostgreSQL is not installed: run scripts/system-deps.sh as root.');
  return `/usr/lib/postgresql/${newest}/bin`;
}

/** PostgreSQL refuses to run as root: as root, the server runs as the `postgres` system user (else nobody). */
function postgresRunAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of ['postgres', 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', name]).toString().trim());
      const gid = Number(execFileSync('id', ['-g', name]).toString().trim());
      return { uid, gid };
    } catch {
      /* try the next one */
    }
  }
  throw new Error('Running as root, and neither a postgres nor a nobody user exists to run PostgreSQL as.');
}

export async function startPostgres(opts: { tls?: TestCa } = {}): Promise<PostgresServer> {
  const bin = postgresBin();
  const runAs = postgresRunAs();
  const dir = mkdtempSync(join(tmpdir(), 'keyward-pg-'));
  chmodSync(dir, 0o700);
  if (runAs) chownSync(dir, runAs.uid, runAs.gid);
  const data = join(dir, 'data');
  const user = 'keyward_svc';
  const database = 'keyward_app';
  const password = `pg-${Math.random().toString(36).slice(2)}-pw`;
  const port = await freePort();
  const asUser = { cwd: dir, uid: runAs?.uid, gid: runAs?.gid, stdio: 'pipe' as const };
  const pwFile = join(dir, 'superuser.pw');
  writeFileSync(pwFile, `${Math.random().toString(36).slice(2)}\n`, { mode: 0o600 });
  if (runAs) chownSync(pwFile, runAs.uid, runAs.gid);
  execFileSync(`${bin}/initdb`, ['-D', data, '-U', 'postgres', '--pwfile', pwFile, '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--no-locale', '--no-sync'], asUser);
  // Host connections need a scram-sha-256 password; only this folder's Unix socket is trusted (for setup).
  writeFileSync(join(data, 'pg_hba.conf'), ['local all postgres trust', `host all ${user} 127.0.0.1/32 scram-sha-256`, ''].join('\n'));
  if (runAs) chownSync(join(data, 'pg_hba.conf'), runAs.uid, runAs.gid);
  // PostgreSQL wants its key file 0600 and owned by the user it runs as.
  const tlsFiles = opts.tls ? serverTlsFiles(opts.tls, dir, runAs) : null;
  const sslArgs = tlsFiles ? ['-c', 'ssl=on', '-c', `ssl_cert_file=${tlsFiles.cert}`, '-c', `ssl_key_file=${tlsFiles.key}`, '-c', `ssl_ca_file=${tlsFiles.ca}`] : [];
  const { child, log } = start(
    `${bin}/postgres`,
    ['-D', data, '-c', 'listen_addresses=127.0.0.1', '-c', `port=${port}`, '-c', `unix_socket_directories=${dir}`, '-c', 'fsync=off', '-c', 'password_encryption=scram-sha-256', ...sslArgs],
    { cwd: dir, uid: runAs?.uid, gid: runAs?.gid },
  );
  await waitForPort(port, child, 'postgres', log);
  const psql = (sql: string) => execFileSync(`${bin}/psql`, ['-h', dir, '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', sql], asUser);
  // A throwaway password for a throwaway server, set over the trusted Unix socket in the temp folder.
  psql(`CREATE ROLE ${user} LOGIN PASSWORD '${password}'`);
  psql(`CREATE DATABASE ${database} OWNER ${user}`);
  return {
    host: '127.0.0.1',
    port,
    dir,
    tls: !!tlsFiles,
    database,
    user,
    password,
    stop: async () => {
      await stopChild(child, 'SIGINT'); // fast shutdown
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ── Redis ────────────────────────────────────────────────────────────────────

export interface RedisServer extends RunningServer {
  /** The default user's password (requirepass). */
  password: string;
  /** An ACL user and its password. */
  aclUser: string;
  aclPassword: string;
  /** An ACL user (same password as aclUser) that may AUTH but not PING. */
  noPingUser: string;
  /** With `{ tls }`: the TLS port (on 127.0.0.1; the certificate names localhost). */
  tlsPort?: number;
}

export async function startRedis(opts: { tls?: TestCa } = {}): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'keyward-redis-'));
  const port = await freePort();
  const tlsFiles = opts.tls ? serverTlsFiles(opts.tls, dir) : null;
  const tlsPort = tlsFiles ? await freePort() : undefined;
  const password = `redis-${Math.random().toString(36).slice(2)}-pw`;
  const aclUser = 'keyward-app';
  const aclPassword = `acl-${Math.random().toString(36).slice(2)}-pw`;
  const conf = join(dir, 'redis.conf');
  writeFileSync(
    conf,
    [
      `port ${port}`,
      'bind 127.0.0.1',
      'protected-mode yes',
      `dir ${dir}`,
      'save ""',
      'appendonly no',
      'daemonize no',
      `requirepass ${password}`,
      // An ACL user that may PING but not INFO: the check must not depend on INFO.
      `user ${aclUser} on >${aclPassword} resetkeys -@all +ping +hello +auth`,
      `user keyward-noping on >${aclPassword} resetkeys -@all +auth`,
      // TLS beside the plain port; clients need no certificate of their own.
      ...(tlsFiles ? [`tls-port ${tlsPort}`, `tls-cert-file ${tlsFiles.cert}`, `tls-key-file ${tlsFiles.key}`, `tls-ca-cert-file ${tlsFiles.ca}`, 'tls-auth-clients no'] : []),
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  const { child, log } = start('redis-server', [conf], { cwd: dir });
  await waitForPort(port, child, 'redis-server', log);
  if (tlsPort) await waitForPort(tlsPort, child, 'redis-server (TLS)', log);
  return {
    host: '127.0.0.1',
    port,
    dir,
    password,
    aclUser,
    aclPassword,
    noPingUser: 'keyward-noping',
    ...(tlsPort ? { tlsPort } : {}),
    stop: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
