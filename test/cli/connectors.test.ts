import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, makeTestCa, startPostgres, startRedis, startSlapd, type LdapServer, type PostgresServer, type RedisServer, type TestCa } from '../support/connector-servers';
import { filesUnder, initCliHome, runCli, type CliResult } from './run-cli';

// `keyward add ldap|postgres|redis` as a process against real servers on 127.0.0.1:
// flags named after the fields, the secret on stdin, the verdict and its diagnosis in
// --json, and no secret anywhere the CLI writes.

const PASSPHRASE = 'cli connectors passphrase';
let ldap: LdapServer;
let pg: PostgresServer;
let redis: RedisServer;
/** The throwaway CA that issued slapd's ldaps:// certificate (for "localhost"). */
let ca: TestCa;
const outputs: string[] = [];
const secrets: string[] = [];
let env: NodeJS.ProcessEnv;
let home: string;

async function cli(args: string[], stdin?: string): Promise<CliResult> {
  if (stdin) secrets.push(stdin.trim());
  const r = await runCli(args, { env, stdin });
  outputs.push(r.stdout, r.stderr);
  return r;
}

beforeAll(async () => {
  ca = makeTestCa();
  ldap = await startSlapd({ tls: ca });
  pg = await startPostgres();
  redis = await startRedis();
  ({ home, env } = await initCliHome('keyward-cli-home-', PASSPHRASE));
}, 60_000);

afterAll(async () => {
  // Every secret piped in, right or wrong, never came back out, nor sits in the vault folder in clear or base64.
  expect(secrets.length).toBeGreaterThan(8);
  const haystacks = [...outputs, ...(home ? filesUnder(home) : [])];
  for (const s of secrets) {
    for (const h of haystacks) {
      expect(h.includes(s)).toBe(false);
      expect(h.includes(Buffer.from(s).toString('base64'))).toBe(false);
    }
  }
  await ldap?.stop();
  await pg?.stop();
  await redis?.stop();
  ca?.remove();
}, 30_000);

describe('keyward --help', () => {
  it('documents the three connectors', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('keyward add ldap --name NAME --url ldaps://HOST[:PORT] --bind-dn DN [--base-dn DN]');
    expect(r.stdout).toContain('keyward add postgres --name NAME --host HOST [--port 5432] --database DB --user USER');
    expect(r.stdout).toContain('keyward add redis --name NAME --host HOST [--port 6379] [--username ACL_USER]');
  });
});

describe('keyward add ldap', () => {
  it('adds a VALID LDAP credential from flags and the bind password on stdin', async () => {
    const r = await cli(['add', 'ldap', '--name', 'directory', '--url', ldap.url, '--bind-dn', ldap.bindDn, '--base-dn', ldap.baseDn, '--json'], `${ldap.bindPassword}\n`);
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ provider: 'LDAP', type: 'BIND_PASSWORD', status: 'VALID', url: ldap.url, bindDn: ldap.bindDn, baseDn: ldap.baseDn, identity: { principal: ldap.bindDn } });
  });

  it('ends INVALID "Invalid credentials (49)" with the ldapwhoami test for a wrong password, and shows it in words', async () => {
    const r = await cli(['add', 'ldap', '--name', 'directory-bad', '--url', ldap.url, '--bind-dn', ldap.bindDn], 'wrong-bind-password\n');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('INVALID');
    expect(r.stdout).toContain('Invalid credentials (49)');
    expect(r.stdout).toContain(`ldapwhoami -x -H ${ldap.url} -D ${ldap.bindDn} -W`);
  });

  it('says which flag is missing, and refuses flags of another provider', async () => {
    const missing = await cli(['add', 'ldap', '--name', 'x', '--url', ldap.url, '--json'], 'pw-for-missing\n');
    expect(missing.code).toBe(2);
    expect(missing.errorJson().error.message).toContain('--bind-dn is required');
    const stray = await cli(['add', 'ldap', '--name', 'x', '--url', ldap.url, '--bind-dn', ldap.bindDn, '--host', 'db', '--json'], 'pw-for-stray\n');
    expect(stray.code).toBe(2);
    expect(stray.errorJson().error.message).toContain('ldap does not take --host');
  });

  it('trusts the CA certificate from --ca-file over ldaps:// (VALID), and says what is wrong with a bad --ca-file', async () => {
    const r = await cli(['add', 'ldap', '--name', 'directory-tls', '--url', ldap.tlsUrl!, '--bind-dn', ldap.bindDn, '--ca-file', ca.caFile, '--json'], `${ldap.bindPassword}\n`);
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ provider: 'LDAP', status: 'VALID', url: ldap.tlsUrl, caCert: ca.caPem, identity: { principal: ldap.bindDn } });
    // In words, the PEM is summarised (--json has it whole).
    const shown = await cli(['show', 'directory-tls']);
    expect(shown.stdout).toMatch(/caCert: +PEM, 1 certificate/);
    const missing = await cli(['add', 'ldap', '--name', 'x', '--url', ldap.tlsUrl!, '--bind-dn', ldap.bindDn, '--ca-file', `${ca.dir}/no-such.pem`, '--json'], 'pw-for-missing-ca\n');
    expect(missing.code).toBe(2);
    expect(missing.errorJson().error.message).toContain('Cannot read --ca-file');
    expect(missing.errorJson().error.message).toContain('no such file');
    // A private key given as the CA is refused, and never echoed (afterAll looks for it everywhere the CLI wrote).
    secrets.push(readFileSync(ca.keyFile, 'utf8').split('\n')[1]!);
    const key = await cli(['add', 'ldap', '--name', 'x', '--url', ldap.tlsUrl!, '--bind-dn', ldap.bindDn, '--ca-file', ca.keyFile, '--json'], 'pw-for-key-as-ca\n');
    expect(key.code).toBe(2);
    expect(key.errorJson().error.message).toContain('holds a private key');
    const plain = await cli(['add', 'ldap', '--name', 'x', '--url', ldap.url, '--bind-dn', ldap.bindDn, '--ca-file', ca.caFile, '--json'], 'pw-for-plain-ca\n');
    expect(plain.code).toBe(2);
    expect(plain.errorJson().error.message).toContain('--ca-file is for LDAP over TLS');
  });

  it('rejects a non-LDAP URL with the field’s own message', async () => {
    const r = await cli(['add', 'ldap', '--name', 'x', '--url', 'http://ldap.example.com', '--bind-dn', ldap.bindDn, '--json'], 'pw-for-bad-url\n');
    expect(r.code).toBe(2);
    expect(r.errorJson().error.message).toContain('must start with ldap:// or ldaps://');
  });
});

describe('keyward add postgres', () => {
  it('adds a VALID PostgreSQL credential (TLS disabled), with current_user@database as identity', async () => {
    const r = await cli(
      ['add', 'postgres', '--name', 'app-db', '--host', pg.host, '--port', String(pg.port), '--database', pg.database, '--user', pg.user, '--tls', 'disable', '--json'],
      `${pg.password}\n`,
    );
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({
      provider: 'POSTGRES',
      type: 'PASSWORD',
      status: 'VALID',
      host: pg.host,
      port: String(pg.port),
      tls: 'disable',
      identity: { principal: `${pg.user}@${pg.database}` },
    });
  });

  it('ends INVALID 28P01 with the psql test for a wrong password', async () => {
    const r = await cli(
      ['add', 'postgres', '--name', 'app-db-bad', '--host', pg.host, '--port', String(pg.port), '--database', pg.database, '--user', pg.user, '--tls', 'disable', '--json'],
      'wrong-db-password\n',
    );
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ status: 'INVALID', error: { code: '28P01' }, diagnosis: { test: expect.stringContaining(`psql 'host=127.0.0.1 port=${pg.port}`) } });
  });

  it('defaults the port to 5432 and TLS to require', async () => {
    const r = await cli(['add', 'postgres', '--name', 'defaults', '--host', 'db.example.invalid', '--database', 'd', '--user', 'u', '--no-verify', '--json'], 'pw-for-defaults\n');
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ status: 'UNVERIFIED', port: '5432', tls: 'require' });
  });
});

describe('keyward add redis', () => {
  it('adds a VALID Redis credential for an ACL user', async () => {
    const r = await cli(['add', 'redis', '--name', 'cache', '--host', redis.host, '--port', String(redis.port), '--username', redis.aclUser, '--json'], `${redis.aclPassword}\n`);
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ provider: 'REDIS', type: 'PASSWORD', status: 'VALID', username: redis.aclUser, tls: 'off', identity: { principal: redis.aclUser } });
  });

  it('ends INVALID WRONGPASS for a wrong password, and UNREACHABLE (exit 1 on verify) on a closed port', async () => {
    const bad = await cli(['add', 'redis', '--name', 'cache-bad', '--host', redis.host, '--port', String(redis.port), '--json'], 'wrong-redis-password\n');
    expect(bad.json()).toMatchObject({ status: 'INVALID', error: { code: 'WRONGPASS' }, diagnosis: { test: `redis-cli -h 127.0.0.1 -p ${redis.port} --askpass PING` } });
    const port = await freePort();
    const down = await cli(['add', 'redis', '--name', 'cache-down', '--host', redis.host, '--port', String(port), '--json'], `${redis.password}\n`);
    expect(down.json()).toMatchObject({ status: 'UNREACHABLE', error: { code: 'ECONNREFUSED' } });
    const verify = await cli(['verify', 'cache-down', '--json']);
    expect(verify.code).toBe(1);
  });

  it('needs the password on stdin', async () => {
    const r = await cli(['add', 'redis', '--name', 'nopw', '--host', redis.host, '--json']);
    expect(r.code).toBe(2);
    expect(r.errorJson().error.message).toContain('password is read from standard input');
  });
});
