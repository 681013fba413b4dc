import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CreatePolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwsTestServer, type AwsTestServer } from '../support/aws-server';
import { runCli, type CliResult } from './run-cli';

// The CLI as a process: resource add/list/verify (JSON shape, exit codes, diagnosis),
// delete listing the resources it takes, policy, and audit verify after tampering.

const PASSPHRASE = 'cli test passphrase 4';
const SG = 'sg-0123456789abcdef0';
let aws: AwsTestServer;
const secrets: string[] = [];
const outputs: string[] = [];

function vaultEnv(): NodeJS.ProcessEnv {
  const home = mkdtempSync(join(tmpdir(), 'keyward-cli4-home-'));
  return { KEYWARD_HOME: join(home, 'vault'), HOME: home, KEYWARD_PASSPHRASE: PASSPHRASE };
}

async function cli(args: string[], env: NodeJS.ProcessEnv, stdin?: string): Promise<CliResult> {
  const r = await runCli(args, { env, stdin });
  outputs.push(r.stdout, r.stderr);
  return r;
}

let users = 0;
function newKey(allow: string[] = ['*']) {
  const userName = `cli4-user-${++users}`;
  aws.state.createUser(userName, { allow });
  const key = aws.state.createAccessKey(userName);
  secrets.push(key.secretAccessKey);
  return key;
}

async function vaultWithCredential(opts: { allow?: string[]; verify?: boolean } = {}) {
  const env = vaultEnv();
  expect((await cli(['init', '--json'], env)).code).toBe(0);
  const key = newKey(opts.allow);
  const name = `prod-${users}`;
  const args = ['add', 'aws', '--name', name, '--access-key-id', key.accessKeyId, '--region', 'us-east-1', '--endpoint-url', aws.url, '--json'];
  const added = await cli(opts.verify === false ? [...args, '--no-verify'] : args, env, `${key.secretAccessKey}\n`);
  expect(added.code).toBe(0);
  return { env, name, key, id: (added.json() as { id: string }).id };
}

beforeAll(async () => {
  aws = await startAwsTestServer({ latencyMs: 0, propagationDelayMs: 0 });
  aws.state.addSecurityGroup({ groupId: SG, region: 'us-east-1' });
});

afterAll(async () => {
  await aws?.close();
  // No secret in anything the CLI printed.
  for (const s of secrets) for (const o of outputs) expect(o).not.toContain(s);
});

describe('keyward resource', () => {
  it('add, list and verify print the contract shape; verify exits 0 when VALID', async () => {
    const { env, name, id } = await vaultWithCredential();
    const added = await cli(['resource', 'add', name, '--security-group', SG, '--json'], env);
    expect(added.code).toBe(0);
    const r = added.json() as Record<string, unknown>;
    expect(r).toMatchObject({ credentialId: id, kind: 'AWS_SECURITY_GROUP', groupId: SG, region: 'us-east-1', status: 'UNVERIFIED', lastCheckedAt: null, error: null, diagnosis: null });
    const list = await cli(['resource', 'list', name, '--json'], env);
    expect(list.json()).toEqual([expect.objectContaining({ id: r.id, groupId: SG })]);
    const v = await cli(['resource', 'verify', String(r.id), '--json'], env);
    expect(v.code).toBe(0);
    expect(v.json()).toMatchObject({ id: r.id, status: 'VALID', error: null, diagnosis: null, lastCheckedAt: expect.any(String) });
    const human = await cli(['resource', 'list'], env);
    expect(human.stdout).toMatch(/GROUP\s+REGION\s+STATUS/);
    expect(human.stdout).toContain(SG);
  });

  it('rejects a malformed group id with exit 2', async () => {
    const { env, name } = await vaultWithCredential({ verify: false });
    const bad = await cli(['resource', 'add', name, '--security-group', 'sg-xyz', '--json'], env);
    expect(bad.code).toBe(2);
    expect(bad.errorJson().error.code).toBe('INVALID_INPUT');
  });

  it('verify exits 1 with the region-mismatch diagnosis in JSON', async () => {
    const groupId = 'sg-0fedcba9876543210';
    aws.state.addSecurityGroup({ groupId, region: 'eu-west-1' });
    const { env, name } = await vaultWithCredential();
    const r = (await cli(['resource', 'add', name, '--security-group', groupId, '--json'], env)).json() as { id: string };
    const v = await cli(['resource', 'verify', r.id, '--json'], env);
    expect(v.code).toBe(1);
    const out = v.json() as { status: string; error: { code: string }; diagnosis: { cause: string; remedy: string[]; test: string; found: string; fix: unknown } };
    expect(out.status).toBe('INVALID');
    expect(out.error.code).toBe('InvalidGroup.NotFound');
    expect(out.diagnosis.found).toBe(`${groupId} exists in eu-west-1, but the resource’s and the credential’s region is us-east-1.`);
    expect(out.diagnosis.fix).toEqual({ kind: 'resource-region', resourceId: r.id, region: 'eu-west-1' });
    expect(out.diagnosis.remedy.length).toBeGreaterThan(0);
    const human = await cli(['resource', 'verify', r.id], env);
    expect(human.code).toBe(1);
    expect(human.stdout).toContain('exists in eu-west-1');
  });

  it('verify exits 1 naming the missing permission', async () => {
    const { env, name } = await vaultWithCredential({ allow: ['sts:GetCallerIdentity'] });
    const r = (await cli(['resource', 'add', name, '--security-group', SG, '--json'], env)).json() as { id: string };
    const v = await cli(['resource', 'verify', r.id, '--json'], env);
    expect(v.code).toBe(1);
    expect(v.json()).toMatchObject({ status: 'INVALID', error: { code: 'UnauthorizedOperation' }, diagnosis: { missingPermission: 'ec2:DescribeSecurityGroups' } });
  });
});

describe('keyward delete with resources', () => {
  it('lists the resources it would delete, needs --yes, and deletes them with the credential', async () => {
    const { env, name, id } = await vaultWithCredential({ verify: false });
    await cli(['resource', 'add', name, '--security-group', SG], env);
    await cli(['resource', 'add', name, '--security-group', 'sg-0a1b2c3d', '--region', 'us-west-2'], env);
    const refused = await cli(['delete', name, '--json'], env);
    expect(refused.code).toBe(2);
    expect(refused.errorJson().error.message).toContain(`${SG} (us-east-1), sg-0a1b2c3d (us-west-2)`);
    const done = await cli(['delete', name, '--yes', '--json'], env);
    expect(done.code).toBe(0);
    expect(done.json()).toMatchObject({
      id,
      deleted: true,
      resources: [
        { groupId: SG, region: 'us-east-1' },
        { groupId: 'sg-0a1b2c3d', region: 'us-west-2' },
      ],
    });
    expect((await cli(['resource', 'list', '--json'], env)).json()).toEqual([]);
    const events = (await cli(['audit', '--action', 'credential.deleted', '--json'], env)).json() as Array<{ details: { resources: unknown[] } }>;
    expect(events[0].details.resources).toHaveLength(2);
  });
});

describe('keyward policy', () => {
  it('prints the least-privilege document, accepted by IAM CreatePolicy (the test server validates it)', async () => {
    const { env, name } = await vaultWithCredential();
    await cli(['resource', 'add', name, '--security-group', SG], env);
    await cli(['resource', 'add', name, '--security-group', 'sg-0a1b2c3d', '--region', 'us-gov-west-1'], env);
    const p = await cli(['policy', name, '--json'], env);
    expect(p.code).toBe(0);
    const doc = p.json() as { Version: string; Statement: Array<{ Sid: string; Action: string[]; Resource: string | string[] }> };
    expect(doc.Version).toBe('2012-10-17');
    expect(doc.Statement[0]).toMatchObject({
      Sid: 'ManageIngressOnRegisteredGroups',
      Action: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress'],
      Resource: [`arn:aws-us-gov:ec2:us-gov-west-1:123456789012:security-group/sg-0a1b2c3d`, `arn:aws:ec2:us-east-1:123456789012:security-group/${SG}`],
    });
    expect(doc.Statement.find((s) => s.Sid === 'DescribeSecurityGroups')?.Resource).toBe('*');
    expect(doc.Statement.some((s) => s.Sid === 'RotateOwnAccessKeys')).toBe(false);
    const withRotation = (await cli(['policy', name, '--with-rotation', '--json'], env)).json() as typeof doc;
    expect(withRotation.Statement.find((s) => s.Sid === 'RotateOwnAccessKeys')?.Resource).toBe('arn:aws:iam::123456789012:user/${aws:username}');
    const admin = newKey(['*']);
    const iam = new IAMClient({ endpoint: aws.url, region: 'us-east-1', credentials: admin, maxAttempts: 1 });
    for (const [i, d] of [doc, withRotation].entries()) {
      const out = await iam.send(new CreatePolicyCommand({ PolicyName: `keyward-${users}-${i}`, PolicyDocument: JSON.stringify(d, null, 2) }));
      expect(out.Policy?.Arn).toMatch(/^arn:aws:iam::123456789012:policy\/keyward-/);
    }
  });
});

describe('keyward audit verify after tampering with the SQLite file', () => {
  let template: NodeJS.ProcessEnv | null = null;
  /** One vault with a few events, built once and copied for each kind of tampering. */
  async function vaultWithEvents() {
    template ??= await buildVault();
    const env = vaultEnv();
    cpSync(template.KEYWARD_HOME!, env.KEYWARD_HOME!, { recursive: true });
    return env;
  }

  async function buildVault() {
    const env = vaultEnv();
    await cli(['init'], env);
    for (let i = 0; i < 3; i++) {
      const key = newKey();
      await cli(['add', 'aws', '--name', `c${i}`, '--access-key-id', key.accessKeyId, '--endpoint-url', aws.url, '--no-verify'], env, `${key.secretAccessKey}\n`);
    }
    await cli(['resource', 'add', 'c0', '--security-group', SG], env);
    await cli(['delete', 'c2', '--yes'], env);
    const ok = await cli(['audit', 'verify', '--json'], env);
    expect(ok.code).toBe(0);
    expect((ok.json() as { events: number }).events).toBeGreaterThanOrEqual(5);
    return env;
  }

  function tamper(env: NodeJS.ProcessEnv, sql: string[]) {
    const db = new Database(join(env.KEYWARD_HOME!, 'vault.sqlite'));
    db.exec('DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete;');
    for (const s of sql) db.exec(s);
    db.close();
  }

  async function brokenAt(env: NodeJS.ProcessEnv) {
    const r = await cli(['audit', 'verify', '--json'], env);
    expect(r.code).toBe(1);
    return r.json() as { ok: boolean; brokenAt: number };
  }

  it('a changed row', async () => {
    const env = await vaultWithEvents();
    tamper(env, [`UPDATE audit_events SET details = '{"name":"someone else"}' WHERE seq = 3`]);
    expect(await brokenAt(env)).toMatchObject({ ok: false, brokenAt: 3 });
  });

  it('a deleted row', async () => {
    const env = await vaultWithEvents();
    tamper(env, ['DELETE FROM audit_events WHERE seq = 2']);
    expect(await brokenAt(env)).toMatchObject({ ok: false, brokenAt: 2 });
  });

  it('two rows reordered', async () => {
    const env = await vaultWithEvents();
    const cols = ['at', 'action', 'credential_id', 'details', 'prev_hash', 'hash'];
    const set = (from: number) => cols.map((c) => `${c} = (SELECT ${c} FROM swap WHERE seq = ${from})`).join(', ');
    tamper(env, ['CREATE TEMP TABLE swap AS SELECT * FROM audit_events WHERE seq IN (2, 4)', `UPDATE audit_events SET ${set(4)} WHERE seq = 2`, `UPDATE audit_events SET ${set(2)} WHERE seq = 4`]);
    expect(await brokenAt(env)).toMatchObject({ ok: false, brokenAt: 2 });
  });
});
