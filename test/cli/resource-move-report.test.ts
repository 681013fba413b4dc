import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwsTestServer, type AwsTestServer } from '../support/aws-server';
import { runCli, type CliResult } from './run-cli';

// The CLI as a process: `resource move` (by id and --from), and `show CRED --report`.

const PASSPHRASE = 'cli move passphrase 5';
const SG = 'sg-0123456789abcdef0';
const SG2 = 'sg-0fedcba9876543210';
let aws: AwsTestServer;
const secrets: string[] = [];
const outputs: string[] = [];
let users = 0;

async function cli(args: string[], env: NodeJS.ProcessEnv, stdin?: string): Promise<CliResult> {
  const r = await runCli(args, { env, stdin });
  outputs.push(r.stdout, r.stderr);
  return r;
}

async function addCredential(env: NodeJS.ProcessEnv) {
  const userName = `move-user-${++users}`;
  aws.state.createUser(userName, { allow: ['*'] });
  const key = aws.state.createAccessKey(userName);
  secrets.push(key.secretAccessKey);
  const name = `aws-${users}`;
  const added = await cli(
    ['add', 'aws', '--name', name, '--access-key-id', key.accessKeyId, '--region', 'us-east-1', '--endpoint-url', aws.url, '--no-verify', '--json'],
    env,
    `${key.secretAccessKey}\n`,
  );
  expect(added.code).toBe(0);
  return { name, key, id: (added.json() as { id: string }).id };
}

async function newVault() {
  const home = mkdtempSync(join(tmpdir(), 'keyward-cli-move-'));
  const env = { KEYWARD_HOME: join(home, 'vault'), HOME: home, KEYWARD_PASSPHRASE: PASSPHRASE };
  expect((await cli(['init', '--json'], env)).code).toBe(0);
  return env;
}

beforeAll(async () => {
  aws = await startAwsTestServer({ latencyMs: 0, propagationDelayMs: 0 });
  aws.state.addSecurityGroup({ groupId: SG, region: 'us-east-1' });
  aws.state.addSecurityGroup({ groupId: SG2, region: 'us-east-1' });
});

afterAll(async () => {
  await aws?.close();
  for (const s of secrets) for (const o of outputs) expect(o).not.toContain(s);
});

describe('keyward resource move', () => {
  it('moves one resource by id, then all of a credential’s with --from, verifying each under the new credential', { timeout: 120_000 }, async () => {
    const env = await newVault();
    const old = await addCredential(env);
    const fresh = await addCredential(env);
    const a = (await cli(['resource', 'add', old.name, '--security-group', SG, '--json'], env)).json() as { id: string };
    await cli(['resource', 'add', old.name, '--security-group', SG2, '--json'], env);

    const one = await cli(['resource', 'move', a.id.slice(0, 8), '--to', fresh.name, '--json'], env);
    expect(one.code).toBe(0);
    expect(one.json()).toEqual([expect.objectContaining({ id: a.id, credentialId: fresh.id, status: 'VALID' })]);

    aws.state.deleteAccessKey(fresh.key.accessKeyId);
    const all = await cli(['resource', 'move', '--from', old.name, '--to', fresh.name], env);
    // Verified after the move: the new credential's key is gone, so the group is not VALID: exit 1.
    expect(all.code).toBe(1);
    expect(all.stdout).toContain(`Moved 1 resource to "${fresh.name}"`);
    expect(all.stdout).toMatch(new RegExp(`${SG2}\\s+us-east-1\\s+INVALID`));
    const audit = await cli(['audit', '--action', 'resource.moved', '--json'], env);
    expect((audit.json() as unknown[]).length).toBe(2);
  });

  it('refuses bad usage with exit 2 and a conflict with the CONFLICT code, moving nothing', { timeout: 120_000 }, async () => {
    const env = await newVault();
    const from = await addCredential(env);
    const to = await addCredential(env);
    expect((await cli(['resource', 'move', '--to', to.name], env)).code).toBe(2);
    expect((await cli(['resource', 'move', 'abcd1234', '--from', from.name, '--to', to.name], env)).code).toBe(2);
    const r = (await cli(['resource', 'add', from.name, '--security-group', SG, '--json'], env)).json() as { id: string };
    await cli(['resource', 'add', to.name, '--security-group', SG, '--json'], env);
    const clash = await cli(['resource', 'move', r.id, '--to', to.name, '--json'], env);
    expect(clash.code).toBe(2);
    expect(clash.errorJson().error.code).toBe('CONFLICT');
    const list = await cli(['resource', 'list', from.name, '--json'], env);
    expect(list.json()).toEqual([expect.objectContaining({ id: r.id })]);
  });
});

describe('keyward show CRED --report', () => {
  it('prints the support report: status, error, diagnosis, test command, masked key id, no secret', { timeout: 120_000 }, async () => {
    const env = await newVault();
    const c = await addCredential(env);
    aws.state.deleteAccessKey(c.key.accessKeyId);
    expect((await cli(['verify', c.name], env)).code).toBe(1);
    const report = await cli(['show', c.name, '--report'], env);
    expect(report.code).toBe(0);
    expect(report.stdout).toContain(`Credential:   ${c.name}`);
    expect(report.stdout).toContain('Status:       INVALID');
    expect(report.stdout).toContain('Test command:');
    expect(report.stdout).not.toContain(c.key.accessKeyId);
    const json = await cli(['show', c.name, '--report', '--json'], env);
    const withoutTime = (t: string) => t.replace(/ \(\d{4}-[^)]*\)/, '');
    expect(withoutTime((json.json() as { report: string }).report)).toBe(withoutTime(report.stdout));
  });
});
