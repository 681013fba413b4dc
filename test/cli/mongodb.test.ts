import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/connector-servers';
import { startMongoStandIn, type MongoStandIn } from '../support/mongo-server';
import { filesUnder, initCliHome, runCli, type CliResult } from './run-cli';

// `keyward add mongodb` as a process against the MongoDB stand-in (the real wire protocol
// and SCRAM-SHA-256): flags derived from the field definitions, the password on stdin, and
// the window's own limits, since the request goes through the same dispatcher.

const PASSPHRASE = 'cli mongodb passphrase';
let mongo: MongoStandIn;
let env: NodeJS.ProcessEnv;
let home: string;
const outputs: string[] = [];
const secrets: string[] = [];

async function cli(args: string[], stdin?: string): Promise<CliResult> {
  if (stdin && stdin.length < 1000) secrets.push(stdin.trim());
  const r = await runCli(args, { env, stdin });
  outputs.push(r.stdout, r.stderr);
  return r;
}

const addArgs = (name: string, extra: string[] = []) => [
  'add',
  'mongodb',
  '--name',
  name,
  '--host',
  mongo.host,
  '--port',
  String(mongo.port),
  '--database',
  mongo.db,
  '--user',
  mongo.user,
  '--tls',
  'off',
  ...extra,
  '--json',
];

beforeAll(async () => {
  mongo = await startMongoStandIn({ user: 'reporting', db: 'admin' });
  ({ home, env } = await initCliHome('keyward-cli-mongo-', PASSPHRASE));
}, 60_000);

afterAll(async () => {
  // No password piped in, right or wrong, came back out or sits in the vault folder in clear.
  expect(secrets.length).toBeGreaterThan(2);
  const haystacks = [...outputs, ...(home ? filesUnder(home) : [])];
  for (const s of secrets) for (const h of haystacks) expect(h.includes(s)).toBe(false);
  await mongo?.stop();
});

describe('keyward add mongodb', () => {
  it('adds a VALID credential from flags and the password on stdin (SCRAM-SHA-256, then ping)', async () => {
    const r = await cli(addArgs('reports-db'), `${mongo.password}\n`);
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({
      provider: 'MONGODB',
      type: 'PASSWORD',
      status: 'VALID',
      host: '127.0.0.1',
      port: String(mongo.port),
      database: 'admin',
      user: 'reporting',
      tls: 'off',
      secretFields: ['password'],
      identity: { principal: 'reporting@admin' },
    });
    expect(mongo.commands).toEqual(expect.arrayContaining(['saslStart', 'saslContinue', 'ping']));
  });

  it('ends INVALID AuthenticationFailed with the mongosh test for a wrong password; verify exits 1', async () => {
    const r = await cli(addArgs('reports-bad'), 'not-the-password\n');
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({
      status: 'INVALID',
      error: { code: 'AuthenticationFailed' },
      diagnosis: { test: expect.stringMatching(/^mongosh --host 127\.0\.0\.1 --port \d+ --username reporting --authenticationDatabase admin/) },
    });
    const v = await cli(['verify', 'reports-bad', '--json']);
    expect(v.code).toBe(1);
  });

  it('ends UNREACHABLE ECONNREFUSED on a closed port', async () => {
    const port = await freePort();
    const r = await cli(['add', 'mongodb', '--name', 'nobody-home', '--host', '127.0.0.1', '--port', String(port), '--database', 'admin', '--user', 'u', '--tls', 'off', '--json'], 'pw-for-refused\n');
    expect(r.json()).toMatchObject({ status: 'UNREACHABLE', error: { code: 'ECONNREFUSED' }, diagnosis: { cause: expect.stringContaining('bindIp') } });
  });

  it('defaults the port to 27017 and TLS to on, and says which flag is missing', async () => {
    const r = await cli(['add', 'mongodb', '--name', 'defaults', '--host', 'mongo.example.invalid', '--database', 'admin', '--user', 'u', '--no-verify', '--json'], 'pw-for-defaults\n');
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ status: 'UNVERIFIED', port: '27017', tls: 'on' });
    const missing = await cli(['add', 'mongodb', '--name', 'x', '--host', 'db', '--user', 'u', '--json'], 'pw-for-missing\n');
    expect(missing.code).toBe(2);
    expect(missing.errorJson().error.message).toContain('--database is required');
    const stray = await cli(['add', 'mongodb', '--name', 'x', '--host', 'db', '--database', 'admin', '--user', 'u', '--bind-dn', 'cn=x', '--json'], 'pw-for-stray\n');
    expect(stray.code).toBe(2);
    expect(stray.errorJson().error.message).toContain('mongodb does not take --bind-dn');
  });

  it('refuses what the window refuses, with the window’s message: a 16 KiB+ secret and a 121-character name (exit 2)', async () => {
    const big = await cli(addArgs('too-big'), `${'x'.repeat(16_385)}\n`);
    expect(big.code).toBe(2);
    expect(big.errorJson().error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/^Invalid request for credentials\.add: fields\.password: /) });
    const long = await cli(addArgs('n'.repeat(121)), `${mongo.password}\n`);
    expect(long.code).toBe(2);
    expect(long.errorJson().error).toEqual({ code: 'INVALID_INPUT', message: 'Name is at most 120 characters.' });
    const list = await cli(['list', '--json']);
    expect((list.json() as Array<{ name: string }>).map((c) => c.name)).not.toContain('too-big');
  });

  it('lists the provider in --help, with its flags generated from its fields', async () => {
    const help = await cli(['--help']);
    expect(help.stdout).toContain('keyward add mongodb --name NAME --host HOST [--port 27017] --database DB --user USER [--tls on|off] [--ca-file CA.pem] [--no-verify]');
  });
});

describe('the provider registry', () => {
  // The built CLI binds packages lazily itself (test/cli/built-cli.test.ts); from source, as
  // in the desktop's main process, it is the registry that keeps each check unloaded.
  it('loads no provider check and no client library (ldapts, pg, mongodb) for keyward list, run from source', () => {
    const log = join(home, 'imports.log');
    const r = spawnSync(process.execPath, ['--import', resolve(import.meta.dirname, '../support/record-imports.mjs'), resolve(import.meta.dirname, '../../bin/keyward-dev.mjs'), 'list', '--json'], {
      env: { PATH: process.env.PATH, HOME: home, KEYWARD_HOME: env.KEYWARD_HOME, KEYWARD_PASSPHRASE: PASSPHRASE, KEYWARD_TEST_IMPORT_LOG: log },
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as unknown[]).length).toBeGreaterThan(0);
    const loaded = readFileSync(log, 'utf8').split('\n');
    // The recorder sees packages and our own files: the registry and zod were loaded.
    expect(loaded.some((u) => u.includes('/electron/core/providers/index.ts'))).toBe(true);
    expect(loaded.some((u) => u.includes('/node_modules/zod/'))).toBe(true);
    const checks = ['apisix', 'ldap', 'postgres', 'redis', 'gcp', 'azure', 'vault', 'mongodb'].map((p) => `/electron/core/providers/${p}/verify.ts`);
    for (const heavy of ['/node_modules/ldapts/', '/node_modules/pg/', '/node_modules/mongodb/', ...checks]) {
      expect(loaded.filter((u) => u.includes(heavy))).toEqual([]);
    }
  });
});
