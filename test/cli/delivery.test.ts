// `keyward delivery` as a process over a real vault and the AWS test server, and a rotation
// with deliveries killed (SIGKILL) between a place's write and its record, then finished or
// rolled back by one command.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Delivery } from '../../shared/channels/deliveries';
import type { AwsTestServer } from '../support/aws-server';
import { awsKeyInput, tempDir, waitFor } from '../support/fixtures';
import { runCli } from './run-cli';
import { expectOneWorkingKey, openRotations, spawnCli, startCliWorld, stopCliWorld, userWithCredential, withVault } from './rotate-support';

let aws: AwsTestServer;
let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => ({ aws, dir, env } = await startCliWorld()));
afterAll(() => stopCliWorld(aws));

describe('keyward delivery', { timeout: 60_000 }, () => {
  it('adds (and writes) a profile and a .env, lists them, tests them (exit 1 on a mismatch) and removes one', async () => {
    const { cred, key } = await userWithCredential(aws, dir, 'DeliveryUser');
    const files = tempDir();
    const profile = join(files, 'credentials');
    writeFileSync(profile, '[default]\nregion = us-east-1\n');
    const added = await runCli(['delivery', 'add', cred.name, '--kind', 'aws-profile', '--file', profile, '--profile', 'app', '--write', '--json'], { env });
    expect(added.code, added.stderr).toBe(0);
    const d = added.json() as Delivery;
    expect(d).toMatchObject({ kind: 'aws-profile', description: `[app] in ${profile}`, lastWrite: { ok: true } });
    expect(readFileSync(profile, 'utf8')).toBe(`[default]\nregion = us-east-1\n\n[app]\naws_access_key_id = ${key.accessKeyId}\naws_secret_access_key = ${key.secretAccessKey}\n`);
    expect(added.stdout).not.toContain(key.secretAccessKey);

    const envFile = join(files, 'app.env');
    writeFileSync(envFile, 'S3_KEY=AKIAOTHEROTHEROTHER0\nS3_SECRET=other\n');
    const env2 = await runCli(['delivery', 'add', cred.id, '--kind', 'dotenv', '--file', envFile, '--id-var', 'S3_KEY', '--secret-var', 'S3_SECRET'], { env });
    expect(env2.code, env2.stderr).toBe(0);
    expect(env2.stdout).toMatch(/Added delivery [0-9a-f]{8}: \.env file, S3_KEY and S3_SECRET in .*app\.env\. The next rotation writes it/);

    const list = await runCli(['delivery', 'list', cred.name], { env });
    expect(list.stdout).toMatch(/ID +CREDENTIAL +KIND +PLACE +LAST WRITE +LAST CHECK/);
    expect(list.stdout).toContain('aws-profile');
    expect(list.stdout).toContain('dotenv');

    const tested = await runCli(['delivery', 'test', cred.name], { env });
    expect(tested.code).toBe(1);
    expect(tested.stdout).toMatch(/ok +AWS credentials profile: \[app\]/);
    expect(tested.stdout).toMatch(/FAILED +\.env file: S3_KEY and S3_SECRET/);
    expect(tested.stdout).toContain(`test it: grep -E '^(export )?S3_KEY=' ${envFile}`);
    expect(tested.stdout).not.toContain(key.secretAccessKey);

    const one = await runCli(['delivery', 'test', d.id.slice(0, 8), '--json'], { env });
    expect(one.code, one.stderr).toBe(0);
    expect((one.json() as Delivery[])[0].lastCheck).toMatchObject({ ok: true, detail: expect.stringMatching(/AWS accepts it as arn:aws:iam::/) });

    const dotenvId = (list.stdout.match(/^([0-9a-f]{8}) .*dotenv/m) ?? [])[1];
    expect((await runCli(['delivery', 'remove', dotenvId], { env })).code).toBe(0);
    expect((await runCli(['delivery', 'test', cred.name], { env })).code).toBe(0);
  });

  it('binds System Parameters as a delivery, and refuses what is wrong with exit 2', async () => {
    const { cred } = await userWithCredential(aws, dir, 'ParamUser');
    const bound = await runCli(['delivery', 'add', cred.name, '--kind', 'system-parameters', '--access-key-param', 'APP_KEY', '--secret-param', 'APP_SECRET', '--json'], { env });
    expect(bound.code, bound.stderr).toBe(0);
    expect(bound.json()).toMatchObject({ kind: 'system-parameters', description: 'APP_KEY, APP_SECRET' });
    for (const bad of [
      ['delivery', 'add', cred.name, '--kind', 'ftp'],
      ['delivery', 'add', cred.name, '--kind', 'dotenv', '--profile', 'x', '--file', 'a.env'],
      ['delivery', 'add', cred.name, '--kind', 'aws-profile', '--profile', 'has]bracket'],
      ['delivery', 'remove'],
    ]) {
      const r = await runCli(bad, { env });
      expect(r.code, `${bad.join(' ')}: ${r.stderr}`).toBe(2);
    }
    const noSuch = await runCli(['delivery', 'remove', 'ffffffff', '--json'], { env });
    expect(noSuch.errorJson().error.code).toBe('NOT_FOUND');
  });

  it('a rotation killed between a place write and its record is finished, or rolled back, by one command', async () => {
    for (const mode of ['resume', 'rollback'] as const) {
      const { cred, key, userName } = await userWithCredential(aws, dir, `Killed-${mode}`);
      const files = tempDir();
      const profile = join(files, 'credentials');
      const before = `[app]\naws_access_key_id = ${key.accessKeyId}\naws_secret_access_key = ${key.secretAccessKey}\n`;
      writeFileSync(profile, before, { mode: 0o600 });
      expect((await runCli(['delivery', 'add', cred.id, '--kind', 'aws-profile', '--file', profile, '--profile', 'app'], { env })).code).toBe(0);

      const pauseFile = join(tempDir(), 'paused');
      const { child, done } = spawnCli(['rotate', cred.id, '--yes', '--json'], env, { point: 'apply:written', file: pauseFile });
      await waitFor(
        () => {
          try {
            return readFileSync(pauseFile, 'utf8') === 'apply:written';
          } catch {
            return false;
          }
        },
        'the rotation to write the profile',
        20_000,
      );
      child.kill('SIGKILL');
      expect((await done).signal).toBe('SIGKILL');
      // Killed after the write: the file holds the new key, the journal has not recorded it.
      expect(readFileSync(profile, 'utf8')).not.toBe(before);

      const [open] = await openRotations(dir);
      const r = await runCli(['rotate', `--${mode}`, ...(mode === 'rollback' ? [open.id] : []), '--json'], { env });
      expect(r.code, r.stderr).toBe(0);
      expect(await openRotations(dir)).toHaveLength(0);
      await expectOneWorkingKey(aws, dir, userName, cred.id);
      const active = aws.state.listAccessKeys(userName).find((k) => k.status === 'Active')!;
      if (mode === 'rollback') expect(readFileSync(profile, 'utf8')).toBe(before);
      else expect(readFileSync(profile, 'utf8')).toContain(`aws_access_key_id = ${active.accessKeyId}`);
    }
  });

  it('a --due run killed mid-delivery is finished by `rotate --resume` alone: every place holds its new key', async () => {
    const prefix = `DueDeliver${process.pid}`;
    const keys = [];
    for (let i = 0; i < 4; i++) {
      const userName = `${prefix}-${i}`;
      aws.state.createUser(userName);
      const key = aws.state.createAccessKey(userName, { createDate: new Date(Date.now() - 120 * 86_400_000) });
      const cred = await withVault(dir, ({ credentials }) => credentials.add(awsKeyInput(userName, key, aws.url)));
      const file = join(tempDir(), '.env');
      writeFileSync(file, `APP=${i}\n`);
      expect((await runCli(['delivery', 'add', cred.id, '--kind', 'dotenv', '--file', file], { env })).code).toBe(0);
      keys.push({ userName, cred, file });
    }
    const pauseFile = join(tempDir(), 'paused');
    const { child, done } = spawnCli(['rotate', '--due', '--match', `${prefix}-*`, '--yes', '--json'], env, { point: 'apply:written', file: pauseFile });
    await waitFor(() => existsSync(pauseFile), 'a delivery written', 30_000);
    child.kill('SIGKILL');
    expect((await done).signal).toBe('SIGKILL');
    const r = await runCli(['rotate', '--resume', '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ total: 4, rotated: 4, failed: 0 });
    for (const k of keys) {
      await expectOneWorkingKey(aws, dir, k.userName, k.cred.id);
      const active = aws.state.listAccessKeys(k.userName).find((x) => x.status === 'Active')!;
      expect(readFileSync(k.file, 'utf8')).toMatch(new RegExp(`^APP=\\d\nAWS_ACCESS_KEY_ID=${active.accessKeyId}\nAWS_SECRET_ACCESS_KEY=`));
    }
    const tested = await runCli(['delivery', 'test', keys[0].cred.id], { env });
    expect(tested.code, tested.stdout).toBe(0);
  });
});
