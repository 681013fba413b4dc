import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGoogleTokenServer, startMicrosoftTokenServer, startVaultTestServer, type GoogleTokenServer, type MicrosoftTokenServer, type VaultTestServer } from '../support/oauth-servers';
import { runCli, type CliResult } from './run-cli';

// `keyward add gcp|azure|vault` as a process: the key file's JSON as all of stdin, the
// client secret and the token as a stdin line, --json shapes and exit codes, and no
// secret in any output or in the vault folder.

const PASSPHRASE = 'cloud cli test passphrase';
const HOME_PREFIX = 'keyward-cloudcli-';
let google: GoogleTokenServer;
let microsoft: MicrosoftTokenServer;
let hv: VaultTestServer;
const outputs: string[] = [];
const secrets: string[] = [];
const homes: string[] = [];

function vaultEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const home = mkdtempSync(join(tmpdir(), HOME_PREFIX));
  homes.push(home);
  return { KEYWARD_HOME: join(home, 'vault'), HOME: home, KEYWARD_PASSPHRASE: PASSPHRASE, ...extra };
}

/** A fresh vault folder, initialised with the passphrase. */
async function newVault(): Promise<NodeJS.ProcessEnv> {
  const env = vaultEnv();
  const r = await runCli(['init', '--json'], { env });
  if (r.code !== 0) throw new Error(`keyward init failed: ${r.stderr}`);
  return env;
}

async function cli(args: string[], env: NodeJS.ProcessEnv, stdin?: string): Promise<CliResult> {
  const r = await runCli(args, { env, stdin });
  outputs.push(r.stdout, r.stderr);
  return r;
}

beforeAll(async () => {
  google = await startGoogleTokenServer();
  microsoft = await startMicrosoftTokenServer();
  hv = await startVaultTestServer();
});

afterAll(async () => {
  await google?.close();
  await microsoft?.close();
  await hv?.close();
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});

describe('keyward add gcp', () => {
  it('reads the whole key JSON from stdin, derives the public fields, and verifies it VALID', async () => {
    const env = await newVault();
    const email = google.createServiceAccount('cli-deployer', 'keyward-cli');
    const key = google.createKey(email);
    secrets.push(key.privateKey, ...key.privateKey.split('\n').filter((l) => l.length >= 60));
    const r = await cli(['add', 'gcp', '--name', 'gcp-prod', '--json'], env, `${key.json}\n`);
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({
      provider: 'GCP',
      type: 'SERVICE_ACCOUNT_KEY',
      status: 'VALID',
      clientEmail: email,
      projectId: 'keyward-cli',
      keyId: key.privateKeyId,
      secretFields: ['serviceAccountKey'],
      identity: { principal: email, project: 'keyward-cli' },
      error: null,
    });
    const shown = await cli(['show', 'gcp-prod'], env);
    expect(shown.stdout).toContain(`clientEmail:    ${email}`);
    expect(shown.stdout).toContain('secrets:        serviceAccountKey (stored encrypted, never shown)');
  });

  it('takes the key JSON after the passphrase line with --passphrase-stdin', async () => {
    const env = vaultEnv({ KEYWARD_PASSPHRASE: '' });
    expect((await cli(['init', '--passphrase-stdin', '--json'], env, `${PASSPHRASE}\n`)).code).toBe(0);
    const email = google.createServiceAccount('cli-piped');
    const key = google.createKey(email);
    secrets.push(key.privateKey);
    const r = await cli(['add', 'gcp', '--name', 'piped', '--token-endpoint', google.tokenUrl, '--passphrase-stdin', '--json'], env, `${PASSPHRASE}\n${key.json}`);
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ status: 'VALID', endpointUrl: google.tokenUrl });
  });

  it('ends INVALID with the key-deleted diagnosis when Google rejects the signature', async () => {
    const env = await newVault();
    const email = google.createServiceAccount('cli-deleted');
    const key = google.createKey(email);
    secrets.push(key.privateKey);
    google.deleteKey(email, key.privateKeyId);
    const r = await cli(['add', 'gcp', '--name', 'gone', '--json'], env, key.json);
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({
      status: 'INVALID',
      error: { code: 'InvalidJwtSignature' },
      diagnosis: { test: `gcloud iam service-accounts keys list --iam-account=${email} --project=keyward-test-project` },
    });
    const v = await cli(['verify', 'gone', '--json'], env);
    expect(v.code).toBe(1);
  });

  it('says what is wrong with a malformed key file (exit 2), and asks for stdin when it is empty', async () => {
    const env = await newVault();
    const email = google.createServiceAccount('cli-bad');
    const key = google.createKey(email);
    secrets.push(key.privateKey);
    const truncated = key.json.slice(0, key.json.length - 40);
    const bad = await cli(['add', 'gcp', '--name', 'bad', '--json'], env, truncated);
    expect(bad.code).toBe(2);
    expect(bad.errorJson().error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('not valid JSON') });
    const empty = await cli(['add', 'gcp', '--name', 'empty', '--json'], env, '');
    expect(empty.code).toBe(2);
    expect(empty.errorJson().error.message).toMatch(/pipe the key file in/);
    const flag = await cli(['add', 'gcp', '--name', 'x', '--region', 'us-east-1', '--json'], env, key.json);
    expect(flag.code).toBe(2);
    expect(flag.errorJson().error.message).toMatch(/gcp takes --name, --token-endpoint, --no-verify only, not --region/);
  });
});

describe('keyward add azure', () => {
  it('adds an app client secret from stdin and verifies it VALID; a wrong one ends INVALID AADSTS7000215', async () => {
    const env = await newVault();
    const tenant = microsoft.createTenant();
    const app = microsoft.createApp(tenant);
    const secret = microsoft.addSecret(tenant, app);
    secrets.push(secret);
    const args = ['add', 'azure', '--tenant', tenant, '--client-id', app, '--expires', '2099-01-31', '--authority', microsoft.url, '--json'];
    const good = await cli([...args, '--name', 'entra-app'], env, `${secret}\n`);
    expect(good.code).toBe(0);
    expect(good.json()).toMatchObject({ provider: 'AZURE', type: 'CLIENT_SECRET', status: 'VALID', tenantId: tenant, clientId: app, expiresAt: '2099-01-31', identity: { appId: app, tenant } });
    const wrong = 'Zz98Q~definitely-not-the-secret-value-000';
    secrets.push(wrong);
    const bad = await cli([...args, '--name', 'entra-bad'], env, `${wrong}\n`);
    expect(bad.code).toBe(0);
    expect(bad.json()).toMatchObject({ status: 'INVALID', error: { code: 'AADSTS7000215' }, diagnosis: { test: expect.stringContaining(`az login --service-principal -u ${app}`) } });
  });

  it('refuses a missing --tenant and a bad expiry date with exit 2', async () => {
    const env = await newVault();
    const noTenant = await cli(['add', 'azure', '--name', 'n', '--client-id', '11111111-2222-3333-4444-555555555555', '--json'], env, 'abc8Q~x\n');
    expect(noTenant.code).toBe(2);
    expect(noTenant.errorJson().error.message).toMatch(/--tenant is required/);
    const badDate = await cli(
      ['add', 'azure', '--name', 'n', '--tenant', 'contoso.onmicrosoft.com', '--client-id', '11111111-2222-3333-4444-555555555555', '--expires', '2026-13-01', '--json'],
      env,
      'abc8Q~x\n',
    );
    expect(badDate.code).toBe(2);
    expect(badDate.errorJson().error.message).toMatch(/Secret expiry date "2026-13-01" is not a real date/);
  });
});

describe('keyward add vault', () => {
  it('adds a token from stdin and verifies it VALID with its policies; a revoked one ends INVALID and verify exits 1', async () => {
    const env = await newVault();
    const token = hv.createToken({ displayName: 'token-cli', policies: ['default', 'kv-read'] });
    secrets.push(token);
    const good = await cli(['add', 'vault', '--name', 'hv', '--address', hv.url, '--json'], env, `${token}\n`);
    expect(good.code).toBe(0);
    expect(good.json()).toMatchObject({ provider: 'VAULT', type: 'TOKEN', status: 'VALID', address: hv.url, identity: { principal: 'token-cli', policies: ['default', 'kv-read'] } });
    const list = await cli(['list'], env);
    expect(list.stdout).toMatch(new RegExp(`hv\\s+VAULT\\s+VALID\\s+${hv.url.replace(/[.]/g, '\\.')}`));
    hv.revoke(token);
    const v = await cli(['verify', 'hv', '--json'], env);
    expect(v.code).toBe(1);
    expect(v.json()).toMatchObject([{ status: 'INVALID', error: { code: 'InvalidToken' }, diagnosis: { test: `VAULT_ADDR=${hv.url} vault token lookup` } }]);
  });

  it('passes --namespace, and --help lists the three providers', async () => {
    const env = await newVault();
    const token = hv.createToken({ namespace: 'team-b' });
    secrets.push(token);
    const r = await cli(['add', 'vault', '--name', 'ns', '--address', hv.url, '--namespace', 'team-b', '--json'], env, token);
    expect(r.json()).toMatchObject({ status: 'VALID', namespace: 'team-b' });
    const help = await cli(['--help'], env);
    expect(help.stdout).toMatch(/keyward add gcp --name NAME \[--token-endpoint URL\]/);
    expect(help.stdout).toMatch(/keyward add azure --name NAME --tenant TENANT --client-id APP_ID \[--expires YYYY-MM-DD\]/);
    expect(help.stdout).toMatch(/keyward add vault --name NAME --address URL \[--namespace NS\]/);
  });
});

describe('secrets never leave the vault', () => {
  it('appear in no CLI output and in no file of the vault folders, plain or base64', () => {
    expect(secrets.length).toBeGreaterThan(8);
    const haystacks = [...outputs];
    for (const home of homes) {
      const walk = (dir: string) => {
        for (const e of readdirSync(dir, { withFileTypes: true })) {
          const p = join(dir, e.name);
          if (e.isDirectory()) walk(p);
          else haystacks.push(readFileSync(p).toString('latin1'));
        }
      };
      walk(home);
    }
    expect(haystacks.length).toBeGreaterThan(outputs.length);
    for (const secret of secrets) {
      const b64 = Buffer.from(secret).toString('base64');
      for (const h of haystacks) {
        expect(h.includes(secret)).toBe(false);
        expect(h.includes(b64)).toBe(false);
      }
    }
  });
});
