// MongoDB's check with the official driver against a loopback stand-in that speaks the
// real wire protocol and SCRAM-SHA-256 (test/support/mongo-server.ts): the driver does the
// whole client side (handshake, saslStart/saslContinue, server signature check, ping).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credential } from '../../shared/contract';
import { PROVIDERS, validateFields } from '../../shared/providers';
import { CredentialService } from '../../electron/core/credentials/service';
import { CATALOG } from '../../electron/core/diagnosis/catalog';
import { testCommandFor } from '../../electron/core/diagnosis/diagnose';
import { EventBus } from '../../electron/core/events';
import { PROVIDER_MODULES } from '../../electron/core/providers';
import { checkMongo } from '../../electron/core/providers/mongodb/verify';
import { Vault } from '../../electron/core/vault/vault';
import { freePort, makeTestCa, type TestCa } from '../support/connector-servers';
import { fastProvider, rawVaultBytes, removeTempDirs, tempDir } from '../support/fixtures';
import { causeOf, type CheckOverrides, ONE_ATTEMPT as OPTS } from '../support/checks';
import { startMongoStandIn, type MongoStandIn } from '../support/mongo-server';

let vault: Vault;
let mongo: MongoStandIn;
let mongoTls: MongoStandIn;
let ca: TestCa;
let n = 0;
const secretsSent = new Set<string>();
function fields(overrides: Record<string, string> = {}): Record<string, string> {
  return { host: mongo.host, port: String(mongo.port), database: mongo.db, user: mongo.user, password: mongo.password, tls: 'off', ...overrides };
}

async function verify(f: Record<string, string>, check: CheckOverrides = {}): Promise<Credential> {
  secretsSent.add(f.password!);
  expect(validateFields('MONGODB', f)).toEqual({}); // what the form and main accept
  const svc = new CredentialService(vault, new EventBus(), { check: { timeoutMs: 5000, maxAttempts: 1, ...check } });
  const cred = svc.add({ name: `mongo-${++n}`, provider: 'MONGODB', type: 'PASSWORD', fields: f, verify: false });
  const checked = await svc.verify(cred.id);
  const text = JSON.stringify(checked);
  for (const s of secretsSent) expect(text).not.toContain(s);
  return checked;
}

beforeAll(async () => {
  vault = await Vault.init(tempDir(), fastProvider());
  mongo = await startMongoStandIn({ user: 'app_rw', db: 'admin' });
  ca = makeTestCa();
  mongoTls = await startMongoStandIn({ user: 'tls_user', db: 'orders', tls: ca });
});

afterAll(async () => {
  // No password sent, right or wrong, is in the vault file in clear.
  const raw = rawVaultBytes(vault.path);
  for (const s of secretsSent) expect(raw.includes(Buffer.from(s))).toBe(false);
  vault.close();
  await mongo?.stop();
  await mongoTls?.stop();
  ca?.remove();
  removeTempDirs();
});

describe('MongoDB check (SCRAM-SHA-256 and ping)', () => {
  it('is VALID with the right password: the driver authenticated with SCRAM-SHA-256 and the server saw ping', async () => {
    const before = mongo.commands.length;
    const checked = await verify(fields());
    expect(checked.status).toBe('VALID');
    expect(checked.identity).toEqual({ principal: 'app_rw@admin', server: 'MongoDB 7.0.0' });
    const seen = mongo.commands.slice(before);
    expect(seen).toEqual(expect.arrayContaining(['saslStart', 'saslContinue', 'ping']));
    expect(seen.indexOf('saslContinue')).toBeLessThan(seen.indexOf('ping'));
  });

  it('is INVALID AuthenticationFailed (code 18) for a wrong password, with the runbook’s cause and a mongosh test that prompts', async () => {
    const checked = await verify(fields({ password: 'not-the-password' }));
    expect(checked.status).toBe('INVALID');
    expect(checked.error).toEqual({ code: 'AuthenticationFailed', message: 'Authentication failed. (code 18) as app_rw on database admin' });
    expect(checked.diagnosis?.cause).toBe(causeOf('mongodb.auth-failed'));
    expect(checked.diagnosis?.cause).toMatch(/password was changed/);
    // --username without --password: mongosh asks for it.
    expect(checked.diagnosis?.test).toBe(
      `mongosh --host 127.0.0.1 --port ${mongo.port} --username app_rw --authenticationDatabase admin --authenticationMechanism SCRAM-SHA-256 --eval 'db.runCommand({ ping: 1 })'`,
    );
    expect(checked.diagnosis?.remedy.join(' ')).toContain(checked.diagnosis!.test);
  });

  it('is INVALID for a user the database does not hold, as MongoDB answers it (18, never "no such user")', async () => {
    const checked = await verify(fields({ user: 'nobody', password: 'whatever-it-is' }));
    expect(checked.status).toBe('INVALID');
    expect(checked.error?.code).toBe('AuthenticationFailed');
  });

  it('is INVALID when the user exists in another database than the one given', async () => {
    const outcome = await checkMongo({ host: mongo.host, port: mongo.port, database: 'orders', user: mongo.user, password: mongo.password, tls: false }, OPTS);
    expect(outcome).toMatchObject({ status: 'INVALID', error: { code: 'AuthenticationFailed' } });
  });

  it('is UNREACHABLE ECONNREFUSED (never INVALID) on a closed port, at once, with the bindIp remedy', async () => {
    const port = await freePort();
    // The driver reports a refusal as a server-selection timeout; the check reports the refusal itself.
    const checked = await verify(fields({ port: String(port) }), { maxAttempts: 2, timeoutMs: 8000 });
    expect(checked.status).toBe('UNREACHABLE');
    expect(checked.error?.code).toBe('ECONNREFUSED');
    expect(checked.diagnosis?.cause).toBe(causeOf('mongodb.refused'));
    expect(checked.diagnosis?.remedy.join(' ')).toMatch(/bindIp/);
  });

  it('is UNREACHABLE TIMEOUT within the deadline when the server accepts but never answers', async () => {
    mongo.silent(true);
    try {
      const started = Date.now();
      const outcome = await checkMongo({ host: mongo.host, port: mongo.port, database: mongo.db, user: mongo.user, password: mongo.password, tls: false }, { timeoutMs: 600, maxAttempts: 3 });
      expect(Date.now() - started).toBeLessThan(5000);
      expect(outcome.status !== 'VALID' && outcome.error.code).toBe('TIMEOUT');
    } finally {
      mongo.silent(false);
    }
  });

  it('rethrows when the caller cancels', async () => {
    mongo.silent(true);
    try {
      const controller = new AbortController();
      const run = checkMongo({ host: mongo.host, port: mongo.port, database: mongo.db, user: mongo.user, password: mongo.password, tls: false }, { ...OPTS, signal: controller.signal });
      setTimeout(() => controller.abort(new Error('cancelled by the test')), 100);
      await expect(run).rejects.toThrow('cancelled by the test');
    } finally {
      mongo.silent(false);
    }
  });

  it('trusts the stored CA certificate with TLS on (VALID); without it the certificate is not trusted and nothing is sent', async () => {
    const tlsFields = { host: 'localhost', port: String(mongoTls.port), database: 'orders', user: 'tls_user', password: mongoTls.password, tls: 'on' };
    const good = await verify({ ...tlsFields, caCert: ca.caPem });
    expect(good.status).toBe('VALID');
    expect(good.identity?.principal).toBe('tls_user@orders');
    const before = mongoTls.commands.length;
    const untrusted = await verify(tlsFields);
    expect(untrusted.status).toBe('UNREACHABLE');
    expect(untrusted.diagnosis?.cause).toBe(causeOf('mongodb.tls-untrusted'));
    expect(untrusted.diagnosis?.test).toContain('--tls --tlsCAFile ca.pem');
    expect(mongoTls.commands.slice(before)).not.toContain('saslStart');
  });

  it('is never VALID when the server cannot prove it knows the password (a forged SCRAM server signature)', async () => {
    const impostor = await startMongoStandIn({ user: mongo.user, password: mongo.password, db: mongo.db, forgeServerSignature: true });
    try {
      const outcome = await checkMongo({ host: impostor.host, port: impostor.port, database: impostor.db, user: impostor.user, password: impostor.password, tls: false }, OPTS);
      expect(outcome.status).toBe('UNREACHABLE');
      expect(impostor.commands).toContain('saslContinue');
      expect(impostor.commands).not.toContain('ping');
    } finally {
      await impostor.stop();
    }
  });

  it('refuses an empty password without connecting', async () => {
    const before = mongo.commands.length;
    const outcome = await checkMongo({ host: mongo.host, port: mongo.port, database: mongo.db, user: mongo.user, password: '', tls: false }, OPTS);
    expect(outcome).toMatchObject({ status: 'INVALID', error: { code: 'EmptyPassword' } });
    expect(mongo.commands.length).toBe(before);
  });
});

describe('MongoDB fields and test command', () => {
  it('validates the form’s fields with their own messages', () => {
    expect(validateFields('MONGODB', { host: 'mongodb://db', port: '99999', database: 'a.b', user: 'u', password: 'p', tls: 'maybe' })).toEqual({
      host: 'Enter the host name only (e.g. db.example.com), without a scheme such as postgres://.',
      port: 'Port is from 1 to 65535; 99999 is out of range.',
      database: 'Database must not contain / \\ . " or $.',
      tls: 'TLS is "on" or "off", not "maybe".',
    });
    expect(PROVIDERS.MONGODB.fields.find((f) => f.key === 'port')?.defaultValue).toBe('27017');
    expect(PROVIDERS.MONGODB.fields.filter((f) => f.secret).map((f) => f.key)).toEqual(['password']);
  });

  it('builds a mongosh command with TLS and the CA file, and never the password', () => {
    const cmd = testCommandFor('MONGODB', { host: 'db.example.com', port: '27018', database: 'admin', user: "o'brien", tls: 'on', caCert: 'PEM' });
    expect(cmd).toBe(
      `mongosh --host db.example.com --port 27018 --tls --tlsCAFile ca.pem --username 'o'\\''brien' --authenticationDatabase admin --authenticationMechanism SCRAM-SHA-256 --eval 'db.runCommand({ ping: 1 })'`,
    );
  });

  it('is registered once: its catalog rows are in the catalog and its check loads on first use', () => {
    expect(PROVIDER_MODULES.MONGODB.def).toBe(PROVIDERS.MONGODB);
    expect(CATALOG.filter((e) => e.provider === 'MONGODB').map((e) => e.id)).toEqual(['mongodb.auth-failed', 'mongodb.unauthorized', 'mongodb.mechanism', 'mongodb.tls-untrusted', 'mongodb.refused']);
  });
});
