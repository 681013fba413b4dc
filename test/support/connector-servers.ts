// Real connector servers for the tests, from the Debian packages scripts/system-deps.sh
// installs: slapd, PostgreSQL and Redis. Each starts on 127.0.0.1 only, on a free port,
// in its own temp folder, and stop() kills it and removes the folder. Nothing listens
// on any other interface.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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
  baseDn: string;
  bindDn: string;
  bindPassword: string;
}

export async function startSlapd(): Promise<LdapServer> {
  const dir = mkdtempSync(join(tmpdir(), 'keyward-slapd-'));
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
  const { child, log } = start('/usr/sbin/slapd', ['-f', conf, '-h', `${url}/`, '-d', '0'], { cwd: dir });
  await waitForPort(port, child, 'slapd', log);
  return {
    host: '127.0.0.1',
    port,
    dir,
    url,
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

export async function startPostgres(): Promise<PostgresServer> {
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
  const { child, log } = start(
    `${bin}/postgres`,
    ['-D', data, '-c', 'listen_addresses=127.0.0.1', '-c', `port=${port}`, '-c', `unix_socket_directories=${dir}`, '-c', 'fsync=off', '-c', 'password_encryption=scram-sha-256'],
    { cwd: dir, uid: runAs?.uid, gid: runAs?.gid },
  );
  await waitForPort(port, child, 'postgres', log);
  const psql = (sql: string) =>
    execFileSync(`${bin}/psql`, ['-h', dir, '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', sql], asUser);
  // A throwaway password for a throwaway server, set over the trusted Unix socket in the temp folder.
  psql(`CREATE ROLE ${user} LOGIN PASSWORD '${password}'`);
  psql(`CREATE DATABASE ${database} OWNER ${user}`);
  return {
    host: '127.0.0.1',
    port,
    dir,
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
}

export async function startRedis(): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'keyward-redis-'));
  const port = await freePort();
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
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  const { child, log } = start('redis-server', [conf], { cwd: dir });
  await waitForPort(port, child, 'redis-server', log);
  return {
    host: '127.0.0.1',
    port,
    dir,
    password,
    aclUser,
    aclPassword,
    noPingUser: 'keyward-noping',
    stop: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
