import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwsTestServer, type AwsTestServer } from '../support/aws-server';
import { runCli, type CliResult } from './run-cli';

// The CLI as a process: every command of the foundation, its --json shapes and exit
// codes, secrets from stdin only, and no secret anywhere it writes.

const PASSPHRASE = 'cli test passphrase 1';
let aws: AwsTestServer;
let apisix: Server;
let apisixUrl: string;
const APISIX_KEY = 'edd1c9f034335f136f87ad84b625c8f1';
const outputs: string[] = [];
const secrets: string[] = [APISIX_KEY];

function vaultEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const home = mkdtempSync(join(tmpdir(), 'keyward-cli-home-'));
  return { KEYWARD_HOME: join(home, 'vault'), HOME: home, KEYWARD_PASSPHRASE: PASSPHRASE, ...extra };
}

async function cli(args: string[], env: NodeJS.ProcessEnv, stdin?: string): Promise<CliResult> {
  const r = await runCli(args, { env, stdin });
  outputs.push(r.stdout, r.stderr);
  return r;
}

let users = 0;
/** A fresh IAM user with one key (AWS allows two keys per user). */
function newKey(prefix = 'cli-user') {
  const userName = `${prefix}-${++users}`;
  aws.state.createUser(userName);
  const key = aws.state.createAccessKey(userName);
  secrets.push(key.secretAccessKey);
  return key;
}

beforeAll(async () => {
  aws = await startAwsTestServer();
  apisix = createServer((req, res) => {
    const ok = req.url === '/apisix/admin/routes' && req.headers['x-api-key'] === APISIX_KEY;
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
    res.end(ok ? '{"total":0,"list":[]}' : '{"error_msg":"failed to check token"}');
  });
  await new Promise<void>((r) => apisix.listen(0, '127.0.0.1', r));
  apisixUrl = `http://127.0.0.1:${(apisix.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await aws?.close();
  await new Promise((r) => apisix?.close(r));
});

describe('keyward init', () => {
  it('creates a passphrase vault and refuses to create a second one over it', async () => {
    const env = vaultEnv();
    const first = await cli(['init', '--json'], env);
    expect(first.code).toBe(0);
    expect(first.json()).toMatchObject({ keyProvider: 'passphrase', path: join(env.KEYWARD_HOME!, 'vault.sqlite') });
    const before = readFileSync(join(env.KEYWARD_HOME!, 'vault.sqlite'));
    const second = await cli(['init', '--json'], env);
    expect(second.code).toBe(2);
    expect(second.errorJson().error.code).toBe('VAULT_EXISTS');
    expect(readFileSync(join(env.KEYWARD_HOME!, 'vault.sqlite')).equals(before)).toBe(true);
  });

  it('honours --vault-dir over KEYWARD_HOME', async () => {
    const env = vaultEnv();
    const dir = mkdtempSync(join(tmpdir(), 'keyward-cli-dir-'));
    const r = await cli(['init', '--json', '--vault-dir', dir], env);
    expect(r.code).toBe(0);
    expect((r.json() as { path: string }).path).toBe(join(dir, 'vault.sqlite'));
  });
});

describe('keyward add / list / show / verify / delete', () => {
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    env = vaultEnv();
    expect((await cli(['init'], env)).code).toBe(0);
  });

  it('adds an AWS credential with the secret from stdin and prints it VALID with its identity', async () => {
    const key = newKey();
    const r = await cli(['add', 'aws', '--name', 'AWS Production (us-east-1)', '--access-key-id', key.accessKeyId, '--endpoint-url', aws.url, '--json'], env, `${key.secretAccessKey}\n`);
    expect(r.code).toBe(0);
    const c = r.json() as Record<string, unknown>;
    expect(c).toMatchObject({
      name: 'AWS Production (us-east-1)',
      provider: 'AWS',
      type: 'ACCESS_KEY',
      status: 'VALID',
      accessKeyId: key.accessKeyId,
      region: 'us-east-1',
      identity: { account: '123456789012', arn: expect.stringMatching(/^arn:aws:iam::123456789012:user\/cli-user-\d+$/) },
      error: null,
      diagnosis: null,
    });
    expect(typeof c.id).toBe('string');
    expect(c.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(c.lastVerifiedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('adds with --no-verify and leaves the credential UNVERIFIED', async () => {
    const key = newKey();
    const r = await cli(['add', 'aws', '--name', 'unverified', '--access-key-id', key.accessKeyId, '--endpoint-url', aws.url, '--no-verify', '--json'], env, key.secretAccessKey);
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ status: 'UNVERIFIED', lastVerifiedAt: null });
  });

  it('rejects a malformed access key id with exit 2 and says what is wrong', async () => {
    const r = await cli(['add', 'aws', '--name', 'bad', '--access-key-id', 'akia1234', '--json'], env, 'x'.repeat(40));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const err = r.errorJson().error;
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toMatch(/upper-case/);
  });

  it('never takes a secret as a flag', async () => {
    const r = await cli(['add', 'aws', '--name', 'x', '--access-key-id', 'AKIAAAAAAAAAAAAAAAAA', '--secret-access-key', 'y'.repeat(40), '--json'], env);
    expect(r.code).toBe(2);
    expect(r.errorJson().error.message).toMatch(/Unknown option '--secret-access-key'/);
  });

  it('fails with exit 2 when no secret comes on stdin', async () => {
    const r = await cli(['add', 'aws', '--name', 'nosecret', '--access-key-id', 'AKIAAAAAAAAAAAAAAAAA', '--json'], env, '');
    expect(r.code).toBe(2);
    expect(r.errorJson().error.message).toMatch(/standard input/);
  });

  it('refuses a duplicate name with exit 2', async () => {
    const key = newKey();
    const r = await cli(['add', 'aws', '--name', 'unverified', '--access-key-id', key.accessKeyId, '--no-verify', '--json'], env, key.secretAccessKey);
    expect(r.code).toBe(2);
    expect(r.errorJson().error.code).toBe('CONFLICT');
  });

  it('adds an APISIX credential, and an invalid admin key ends INVALID with a diagnosis', async () => {
    const good = await cli(['add', 'apisix', '--name', 'gateway', '--endpoint', apisixUrl, '--json'], env, APISIX_KEY);
    expect(good.code).toBe(0);
    expect(good.json()).toMatchObject({ provider: 'APISIX', type: 'ADMIN_API_KEY', status: 'VALID', endpoint: apisixUrl });
    const bad = await cli(['add', 'apisix', '--name', 'gateway-bad', '--endpoint', apisixUrl, '--json'], env, 'wrong-key');
    expect(bad.code).toBe(0);
    expect(bad.json()).toMatchObject({ status: 'INVALID', error: { code: 'Unauthorized' }, diagnosis: { test: expect.stringContaining('/apisix/admin/routes') } });
  });

  it('lists credentials as a JSON array without secrets', async () => {
    const r = await cli(['list', '--json'], env);
    expect(r.code).toBe(0);
    const list = r.json() as Array<{ name: string; secretFields: string[] }>;
    expect(list.map((c) => c.name)).toEqual(['AWS Production (us-east-1)', 'unverified', 'gateway', 'gateway-bad']);
    expect(list[0].secretFields).toEqual(['secretAccessKey']);
    const human = await cli(['list'], env);
    expect(human.stdout).toMatch(/AWS Production \(us-east-1\)\s+AWS\s+VALID\s+AKIA\*{12}/);
  });

  it('shows one credential by exact name or by id, and exits 2 for an unknown one', async () => {
    const byName = await cli(['show', 'gateway', '--json'], env);
    expect(byName.code).toBe(0);
    const id = (byName.json() as { id: string }).id;
    const byId = await cli(['show', id, '--json'], env);
    expect(byId.json()).toMatchObject({ id, name: 'gateway' });
    const missing = await cli(['show', 'nope', '--json'], env);
    expect(missing.code).toBe(2);
    expect(missing.errorJson().error.code).toBe('NOT_FOUND');
  });

  it('verify exits 0 when all are VALID and 1 with the diagnosis when a key was deleted in IAM', async () => {
    const key = newKey();
    await cli(['add', 'aws', '--name', 'soon-deleted', '--access-key-id', key.accessKeyId, '--endpoint-url', aws.url, '--json'], env, key.secretAccessKey);
    const ok = await cli(['verify', 'soon-deleted', '--json'], env);
    expect(ok.code).toBe(0);
    expect((ok.json() as Array<{ status: string }>)[0].status).toBe('VALID');
    aws.state.deleteAccessKey(key.accessKeyId);
    const r = await cli(['verify', 'soon-deleted', '--json'], env);
    expect(r.code).toBe(1);
    const [c] = r.json() as Array<{ status: string; error: { code: string }; diagnosis: { cause: string; remedy: string[]; test: string }; identity: unknown }>;
    expect(c.status).toBe('INVALID');
    expect(c.error.code).toBe('InvalidClientTokenId');
    expect(c.diagnosis.cause).toMatch(/rotated or deleted/);
    expect(c.diagnosis.test).toBe(`aws sts get-caller-identity --region us-east-1 --endpoint-url ${aws.url}`);
    expect(c.identity).toMatchObject({ account: '123456789012' });
  });

  it('verify --all checks every credential and exits 1 when any is not VALID', async () => {
    const r = await cli(['verify', '--all', '--concurrency', '2', '--json'], env);
    expect(r.code).toBe(1);
    const list = r.json() as Array<{ name: string; status: string }>;
    expect(list).toHaveLength(5);
    expect(Object.fromEntries(list.map((c) => [c.name, c.status]))).toMatchObject({
      'AWS Production (us-east-1)': 'VALID',
      unverified: 'VALID',
      gateway: 'VALID',
      'gateway-bad': 'INVALID',
      'soon-deleted': 'INVALID',
    });
  });

  it('verify rejects a bad --concurrency with exit 2', async () => {
    const r = await cli(['verify', '--all', '--concurrency', '0', '--json'], env);
    expect(r.code).toBe(2);
  });

  it('delete asks for --yes when not on a terminal, then deletes', async () => {
    const refused = await cli(['delete', 'gateway-bad', '--json'], env);
    expect(refused.code).toBe(2);
    expect(refused.errorJson().error.message).toMatch(/--yes/);
    expect((await cli(['show', 'gateway-bad', '--json'], env)).code).toBe(0);
    const r = await cli(['delete', 'gateway-bad', '--yes', '--json'], env);
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ deleted: true });
    expect((await cli(['show', 'gateway-bad', '--json'], env)).code).toBe(2);
  });
});

describe('keyward import aws-credentials', () => {
  it('creates one credential per profile, with regions from the config file, and reports skipped profiles', async () => {
    const env = vaultEnv();
    await cli(['init'], env);
    const good = newKey('importer');
    const other = newKey('importer2');
    const awsDir = join(env.HOME!, '.aws');
    const fs = await import('node:fs');
    fs.mkdirSync(awsDir);
    writeFileSync(
      join(awsDir, 'credentials'),
      [
        '[default]',
        `aws_access_key_id = ${good.accessKeyId}`,
        `aws_secret_access_key = ${good.secretAccessKey}`,
        '',
        '[prod]',
        `aws_access_key_id=${other.accessKeyId}`,
        `aws_secret_access_key=${other.secretAccessKey}`,
        '',
        '[broken]',
        'aws_access_key_id = AKIAAAAAAAAAAAAAAAAA',
        '',
        '[session]',
        'aws_access_key_id = ASIAAAAAAAAAAAAAAAAA',
        `aws_secret_access_key = ${'s'.repeat(40)}`,
        'aws_session_token = abc',
        '',
      ].join('\n'),
    );
    writeFileSync(join(awsDir, 'config'), ['[default]', 'region = eu-west-1', '', '[profile prod]', 'region = us-west-2', ''].join('\n'));
    const r = await cli(['import', 'aws-credentials', '--no-verify', '--json'], env);
    expect(r.code).toBe(0);
    const out = r.json() as { imported: Array<{ name: string; region: string; accessKeyId: string }>; skipped: Array<{ profile: string; reason: string }> };
    expect(out.imported.map((c) => [c.name, c.region, c.accessKeyId])).toEqual([
      ['default', 'eu-west-1', good.accessKeyId],
      ['prod', 'us-west-2', other.accessKeyId],
    ]);
    expect(out.skipped.map((s) => s.profile).sort()).toEqual(['broken', 'session']);
    expect(out.skipped.find((s) => s.profile === 'broken')!.reason).toMatch(/aws_secret_access_key/);

    // Importing again skips the profiles that exist already.
    const again = await cli(['import', 'aws-credentials', join(awsDir, 'credentials'), '--no-verify', '--json'], env);
    const second = again.json() as { imported: unknown[]; skipped: Array<{ profile: string; reason: string }> };
    expect(second.imported).toEqual([]);
    expect(second.skipped.find((s) => s.profile === 'prod')!.reason).toMatch(/already exists/);
  });

  it('exits 2 when the file does not exist', async () => {
    const env = vaultEnv();
    await cli(['init'], env);
    const r = await cli(['import', 'aws-credentials', '/nonexistent/credentials', '--json'], env);
    expect(r.code).toBe(2);
    expect(r.errorJson().error.message).toMatch(/No AWS credentials file/);
  });
});

describe('a locked or missing vault', () => {
  it('exits 3 with VAULT_NOT_INITIALIZED when there is no vault', async () => {
    const r = await cli(['list', '--json'], vaultEnv());
    expect(r.code).toBe(3);
    expect(r.errorJson().error).toMatchObject({ code: 'VAULT_NOT_INITIALIZED', message: expect.stringContaining('keyward init') });
  });

  it('exits 3 on a wrong passphrase and leaves the vault file unchanged', async () => {
    const env = vaultEnv();
    await cli(['init'], env);
    const file = join(env.KEYWARD_HOME!, 'vault.sqlite');
    const before = readFileSync(file);
    const r = await cli(['list', '--json'], { ...env, KEYWARD_PASSPHRASE: 'not the passphrase' });
    expect(r.code).toBe(3);
    expect(r.errorJson().error).toMatchObject({ code: 'VAULT_LOCKED', message: expect.stringMatching(/passphrase is wrong/) });
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('exits 3 when a passphrase vault is opened without a passphrase', async () => {
    const env = vaultEnv();
    await cli(['init'], env);
    const r = await cli(['list', '--json'], { ...env, KEYWARD_PASSPHRASE: '' });
    expect(r.code).toBe(3);
    expect(r.errorJson().error.message).toMatch(/KEYWARD_PASSPHRASE/);
  });

  it('reads the passphrase from the first stdin line with --passphrase-stdin, then the secret', async () => {
    const env = vaultEnv({ KEYWARD_PASSPHRASE: '' });
    expect((await cli(['init', '--passphrase-stdin', '--json'], env, `${PASSPHRASE}\n`)).json()).toMatchObject({ keyProvider: 'passphrase' });
    const key = newKey();
    const r = await cli(
      ['add', 'aws', '--name', 'piped', '--access-key-id', key.accessKeyId, '--endpoint-url', aws.url, '--passphrase-stdin', '--json'],
      env,
      `${PASSPHRASE}\n${key.secretAccessKey}\n`,
    );
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ name: 'piped', status: 'VALID' });
  });
});

describe('the OS keychain', () => {
  it('keeps the vault key in the Secret Service when no passphrase is given', async () => {
    if (!process.env.DBUS_SESSION_BUS_ADDRESS) throw new Error('No D-Bus session: run the tests with `npm test`, which starts gnome-keyring.');
    const env = vaultEnv({ KEYWARD_PASSPHRASE: '' });
    const init = await cli(['init', '--json'], env);
    expect(init.code).toBe(0);
    expect(init.json()).toMatchObject({ keyProvider: 'keychain' });
    const key = newKey();
    const add = await cli(['add', 'aws', '--name', 'kc', '--access-key-id', key.accessKeyId, '--endpoint-url', aws.url, '--json'], env, key.secretAccessKey);
    expect(add.json()).toMatchObject({ status: 'VALID' });
    // Given a passphrase, the same vault refuses and names the provider it was made with.
    const wrong = await cli(['list', '--json'], { ...env, KEYWARD_PASSPHRASE: PASSPHRASE });
    expect(wrong.code).toBe(3);
    expect(wrong.errorJson().error.message).toMatch(/OS keychain/);
  });
});

describe('usage', () => {
  it('prints help with exit 0 and rejects unknown commands with exit 2', async () => {
    const help = await cli(['--help'], vaultEnv());
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/keyward add aws --name NAME --access-key-id ID/);
    const bad = await cli(['frobnicate', '--json'], vaultEnv());
    expect(bad.code).toBe(2);
    expect(bad.errorJson().error.code).toBe('INVALID_INPUT');
  });
});

describe('keyward import access-key-csv', () => {
  it('imports the .csv the console downloads as one AWS credential and verifies it (AWS_ENDPOINT_URL honoured)', async () => {
    const env = vaultEnv({ AWS_ENDPOINT_URL: aws.url });
    await cli(['init'], env);
    const key = newKey('csv-user');
    // Where a browser would save it: outside the vault folders the sweep below reads.
    const file = join(mkdtempSync(join(tmpdir(), 'downloads-')), 'csv-user_accessKeys.csv');
    writeFileSync(file, `\uFEFFAccess key ID,Secret access key\r\n${key.accessKeyId},${key.secretAccessKey}\r\n`);
    const r = await cli(['import', 'access-key-csv', file, '--name', 'from console', '--region', 'eu-west-1', '--json'], env);
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ name: 'from console', provider: 'AWS', accessKeyId: key.accessKeyId, region: 'eu-west-1', status: 'VALID' });
    const human = await cli(['import', 'access-key-csv', file, '--name', 'again'], env);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/Imported AKIA\*+\w{4} as "again": VALID\.\nThe file still holds the secret in clear: delete it once the key works\./);
  });

  it('says what is wrong with the file or the flags, with exit 2', async () => {
    const env = vaultEnv();
    await cli(['init'], env);
    const dir = mkdtempSync(join(tmpdir(), 'downloads-'));
    const notKeys = join(dir, 'report.csv');
    writeFileSync(notKeys, 'user,arn\nx,y\n');
    const wrong = await cli(['import', 'access-key-csv', notKeys, '--name', 'x', '--json'], env);
    expect(wrong.code).toBe(2);
    expect(wrong.errorJson().error.message).toMatch(/report\.csv: This is not the access key file the AWS console downloads/);
    expect((await cli(['import', 'access-key-csv', notKeys], env)).stderr).toMatch(/--name is required/);
    expect((await cli(['import', 'access-key-csv', join(dir, 'missing.csv'), '--name', 'x'], env)).stderr).toMatch(/Cannot read .*missing\.csv \(ENOENT\)/);
  });
});

describe('secrets never leave the vault', () => {
  it('appear in no CLI output and nowhere in any vault folder, in plain text or base64', async () => {
    expect(outputs.length).toBeGreaterThan(20);
    expect(secrets.length).toBeGreaterThan(5);
    const haystacks = [...outputs];
    const roots = [tmpdir()];
    for (const root of roots) {
      for (const entry of readdirSync(root, { withFileTypes: true })) {
        if (!entry.isDirectory() || !entry.name.startsWith('keyward-cli-')) continue;
        const walk = (dir: string) => {
          for (const e of readdirSync(dir, { withFileTypes: true })) {
            const p = join(dir, e.name);
            if (e.isDirectory()) walk(p);
            else if (!p.includes('.aws')) haystacks.push(readFileSync(p).toString('latin1'));
          }
        };
        walk(join(root, entry.name));
      }
    }
    for (const secret of secrets) {
      const b64 = Buffer.from(secret).toString('base64');
      for (const h of haystacks) {
        expect(h.includes(secret)).toBe(false);
        expect(h.includes(b64)).toBe(false);
      }
    }
  });
});
