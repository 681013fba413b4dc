// `keyward rotate` and `keyward params` as processes: JSON shapes, exit codes, the
// two-key refusals under --yes, resume and rollback, bound parameters, Perform test.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsTestServer } from '../support/aws-server';
import { tempDir } from '../support/fixtures';
import { runCli } from './run-cli';
import { expectOneWorkingKey, openRotations, startCliWorld, stopCliWorld, userWithCredential } from './rotate-support';

let aws: AwsTestServer;
let dir: string;
let env: NodeJS.ProcessEnv;
const outputs: string[] = [];

async function cli(args: string[], stdin?: string) {
  const r = await runCli(args, { env, stdin });
  outputs.push(r.stdout, r.stderr);
  return r;
}

beforeAll(async () => ({ aws, dir, env } = await startCliWorld()));
afterAll(() => stopCliWorld(aws));

describe('keyward rotate', { timeout: 60_000 }, () => {
  it('rotates with --yes and prints the journal of CLI.md', async () => {
    const { userName, key, cred } = await userWithCredential(aws, dir);
    const r = await cli(['rotate', cred.name, '--yes', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = r.json() as { id: string; credentialId: string; state: string; oldAccessKeyId: string; newAccessKeyId: string; steps: Array<{ name: string; at: string }> };
    expect(j).toMatchObject({ credentialId: cred.id, state: 'DONE', oldAccessKeyId: key.accessKeyId });
    expect(j.steps.map((s) => s.name)).toEqual(['find-user', 'check-keys', 'delete-chosen-key', 'create-key', 'wait-for-key', 'apply', 'deactivate-old', 'delete-old']);
    expect(j.steps.every((s) => !Number.isNaN(Date.parse(s.at)))).toBe(true);
    await expectOneWorkingKey(aws, dir, userName, cred.id);
    const secret = aws.state.getAccessKey(j.newAccessKeyId)!.secretAccessKey;
    expect(r.stdout + r.stderr).not.toContain(secret);
  });

  it('--hold stops after deactivating the old key (exit 0, held); --resume then deletes it', async () => {
    const { userName, key, cred } = await userWithCredential(aws, dir);
    const held = await cli(['rotate', cred.name, '--yes', '--hold', '--json']);
    expect(held.code, held.stderr).toBe(0);
    const j = held.json() as { id: string; state: string; phase: string; held: boolean };
    expect(j).toMatchObject({ state: 'IN_PROGRESS', phase: 'deactivate-old', held: true });
    expect(aws.state.getAccessKey(key.accessKeyId)?.status).toBe('Inactive');
    await expectOneWorkingKey(aws, dir, userName, cred.id);
    const human = await cli(['rotate', '--resume', j.id]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/: DONE/);
    expect(aws.state.getAccessKey(key.accessKeyId)).toBeUndefined();
  });

  it('without --yes and without a terminal: exit 2, "pass --yes", nothing changed', async () => {
    const { userName, cred } = await userWithCredential(aws, dir);
    const r = await cli(['rotate', cred.id]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('pass --yes');
    expect(aws.state.listAccessKeys(userName)).toHaveLength(1);
    expect(await openRotations(dir)).toHaveLength(0);
  });

  it('--yes with two active keys refuses with exit 1 and changes nothing, even when the active key is named', async () => {
    const { userName, cred } = await userWithCredential(aws, dir);
    const other = aws.state.createAccessKey(userName);
    for (const extra of [[], ['--delete-first', other.accessKeyId]]) {
      const r = await cli(['rotate', cred.id, '--yes', '--json', ...extra]);
      expect(r.code).toBe(1);
      expect(r.errorJson().error.code).toBe('CONFLICT');
      expect(aws.state.listAccessKeys(userName).map((k) => k.status)).toEqual(['Active', 'Active']);
    }
    expect(await openRotations(dir)).toHaveLength(0);
  });

  it('--delete-first an inactive key rotates with --yes', async () => {
    const { userName, cred } = await userWithCredential(aws, dir);
    const other = aws.state.createAccessKey(userName, { status: 'Inactive' });
    const r = await cli(['rotate', cred.id, '--yes', '--json', '--delete-first', other.accessKeyId]);
    expect(r.code, r.stderr).toBe(0);
    expect(aws.state.getAccessKey(other.accessKeyId)).toBeUndefined();
    await expectOneWorkingKey(aws, dir, userName, cred.id);
  });

  it('acts on --user with an admin credential --as', async () => {
    const { userName, cred } = await userWithCredential(aws, dir);
    const admin = await userWithCredential(aws, dir, 'admin');
    const r = await cli(['rotate', cred.id, '--as', admin.cred.name, '--user', userName, '--yes', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ state: 'DONE', actingCredentialId: admin.cred.id, userName });
    await expectOneWorkingKey(aws, dir, userName, cred.id);
  });

  it('a missing permission stops with exit 1 and names it; --rollback then restores', async () => {
    const { userName, cred } = await userWithCredential(aws, dir);
    aws.state.setUserPolicy(userName, { allow: ['sts:*', 'iam:ListAccessKeys', 'iam:GetAccessKeyLastUsed', 'iam:CreateAccessKey'] });
    const r = await cli(['rotate', cred.id, '--yes', '--json']);
    expect(r.code).toBe(1);
    expect(r.errorJson().error).toMatchObject({ code: 'AWS_ERROR' });
    expect(r.errorJson().error.message).toContain('iam:UpdateAccessKey');
    const [open] = await openRotations(dir);
    expect(open.phase).toBe('apply');
    aws.state.setUserPolicy(userName, { allow: ['*'] });
    const back = await cli(['rotate', '--rollback', open.id, '--json']);
    expect(back.code, back.stderr).toBe(0);
    expect(back.json()).toMatchObject({ state: 'ROLLED_BACK' });
    await expectOneWorkingKey(aws, dir, userName, cred.id);
  });

  it('--resume with no unfinished rotation says so; a second --rollback of a finished one is refused', async () => {
    const r = await cli(['rotate', '--resume', '--json']);
    expect(r.code).toBe(0);
    expect(r.json()).toEqual([]);
    const { cred } = await userWithCredential(aws, dir);
    const done = (await cli(['rotate', cred.id, '--yes', '--json'])).json() as { id: string };
    const again = await cli(['rotate', '--rollback', done.id, '--json']);
    expect(again.code).toBe(2);
    expect(again.errorJson().error.code).toBe('CONFLICT');
  });

  it('usage errors exit 2', async () => {
    expect((await cli(['rotate'])).code).toBe(2);
    expect((await cli(['rotate', '--rollback'])).code).toBe(2);
    expect((await cli(['rotate', 'x', '--resume', '--rollback'])).code).toBe(2);
  });
});

describe('keyward params', { timeout: 90_000 }, () => {
  it('sets typed values, keeps secrets write-only, binds to a credential that a rotation then updates', async () => {
    const { userName, cred } = await userWithCredential(aws, dir);
    expect((await cli(['params', 'template', '--group', 'Synergist S3', '--json'])).code).toBe(0);
    expect((await cli(['params', 'set', 'S3_BUCKET', 'synergist-attachments', '--json'])).json()).toMatchObject({ value: 'synergist-attachments', group: 'Synergist S3' });
    const bad = await cli(['params', 'set', 'RETRIES', 'many', '--type', 'number', '--json']);
    expect(bad.code).toBe(2);
    expect((await cli(['params', 'set', 'SECRET_IAM_KEY', 'on-the-command-line'])).code).toBe(2);
    const s = await cli(['params', 'set', 'OTHER_SECRET', '--secret', '--group', 'Misc', '--json'], 'hunter2-but-longer\n');
    expect(s.json()).toMatchObject({ type: 'secret', value: null, hasValue: true });
    expect(s.stdout).not.toContain('hunter2');

    expect((await cli(['params', 'bind', 'IAM_ACCESS_KEY', cred.name, 'accessKeyId', '--json'])).code).toBe(0);
    expect((await cli(['params', 'bind', 'SECRET_IAM_KEY', cred.name, 'secretAccessKey', '--json'])).code).toBe(0);
    expect((await cli(['params', 'bind', 'AWS_REGION', cred.name, 'region', '--json'])).code).toBe(0);
    const test = await cli(['params', 'test', 'Synergist S3', '--json']);
    expect(test.code, test.stderr).toBe(0);
    expect(test.json()).toMatchObject({ status: 'VALID', identity: { arn: expect.stringContaining(userName) } });

    const rot = (await cli(['rotate', cred.id, '--yes', '--json'])).json() as { newAccessKeyId: string };
    const got = (await cli(['params', 'get', 'IAM_ACCESS_KEY', '--json'])).json();
    expect(got).toMatchObject({ value: rot.newAccessKeyId, boundTo: { credentialId: cred.id, field: 'accessKeyId' } });
    expect((await cli(['params', 'test', 'Synergist S3', '--json'])).json()).toMatchObject({ status: 'VALID' });

    const list = (await cli(['params', 'list', '--group', 'Synergist S3', '--json'])).json() as Array<{ key: string }>;
    expect(list.map((p) => p.key)).toEqual(['AWS_REGION', 'IAM_ACCESS_KEY', 'S3_BUCKET', 'SECRET_IAM_KEY']);
    const secret = aws.state.getAccessKey(rot.newAccessKeyId)!.secretAccessKey;
    expect(outputs.join('')).not.toContain(secret);
  });

  it('Perform test with hand-typed values reports INVALID with the diagnosis', async () => {
    await cli(['params', 'set', 'K', 'AKIAIOSFODNN7EXAMPLE', '--group', 'Typed', '--aws-field', 'accessKeyId']);
    await cli(['params', 'set', 'S', '--secret', '--group', 'Typed', '--aws-field', 'secretAccessKey'], 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n');
    await cli(['params', 'set', 'E', aws.url, '--group', 'Typed', '--aws-field', 'endpointUrl']);
    const r = await cli(['params', 'test', 'Typed', '--json']);
    expect(r.code).toBe(1);
    expect(r.json()).toMatchObject({ status: 'INVALID', error: { code: 'InvalidClientTokenId' }, diagnosis: { cause: expect.any(String) } });
  });

  it('exports a group without secrets (JSON and .env) and imports it back', async () => {
    await cli(['params', 'template', '--group', 'Export me', '--prefix', 'EX_']);
    await cli(['params', 'set', 'EX_S3_BUCKET', 'bucket-1']);
    await cli(['params', 'set', 'EX_SECRET_IAM_KEY', '--secret'], 'a-secret-value-123\n');
    const json = await cli(['params', 'export', 'Export me']);
    expect(json.stdout).not.toContain('a-secret-value-123');
    const env2 = await cli(['params', 'export', 'Export me', '--format', 'env']);
    expect(env2.stdout).toContain('EX_S3_BUCKET=bucket-1');
    expect(env2.stdout).toContain('# EX_SECRET_IAM_KEY=');
    const data = JSON.parse(json.stdout) as { group: string; parameters: Array<{ key: string }> };
    data.group = 'Imported';
    for (const p of data.parameters) p.key = p.key.replace('EX_', 'IM_');
    const file = join(tempDir(), 'export.json');
    writeFileSync(file, JSON.stringify(data));
    const imp = await cli(['params', 'import', file, '--json']);
    expect(imp.code, imp.stderr).toBe(0);
    expect(imp.json()).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'IM_S3_BUCKET', value: 'bucket-1', group: 'Imported' })]));
  });
});
