// `keyward rotate --due` as a process: the plan changes nothing, --yes runs the queue and
// prints the summary, and a run killed at three moments is finished by `rotate --resume`.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultPoint } from '../../electron/core/rotation/faults';
import type { AwsTestServer } from '../support/aws-server';
import { awsKeyInput, tempDir, waitFor } from '../support/fixtures';
import { runCli } from './run-cli';
import { expectOneWorkingKey, openRotations, spawnCli, startCliWorld, stopCliWorld, withVault } from './rotate-support';

let aws: AwsTestServer;
let dir: string;
let env: NodeJS.ProcessEnv;
let batches = 0;

beforeAll(async () => ({ aws, dir, env } = await startCliWorld({ latencyMs: 2 })));
afterAll(() => stopCliWorld(aws));

/** `n` IAM users under one fresh prefix, each with one key `ageDays` old held by a credential. */
async function dueKeys(n: number, ageDays = 120) {
  const prefix = `Fleet${++batches}x${process.pid}`;
  const keys = [];
  for (let i = 0; i < n; i++) {
    const userName = `${prefix}-${i}`;
    aws.state.createUser(userName);
    const key = aws.state.createAccessKey(userName, { createDate: new Date(Date.now() - ageDays * 86_400_000) });
    const cred = await withVault(dir, ({ credentials }) => credentials.add(awsKeyInput(userName, key, aws.url)));
    keys.push({ userName, key, cred });
  }
  return { match: `${prefix}-*`, keys };
}

describe('keyward rotate --due', { timeout: 120_000 }, () => {
  it('without --yes prints the plan and changes nothing', async () => {
    const { match, keys } = await dueKeys(3);
    const fresh = await dueKeys(1, 5);
    const r = await runCli(['rotate', '--due', '--match', match, '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    const plan = r.json() as { maxAgeDays: number; due: Array<{ credentialId: string; ageDays: number }>; skipped: Array<{ credentialId: string; reason: string }> };
    expect(plan.due.map((d) => d.credentialId).sort()).toEqual(keys.map((k) => k.cred.id).sort());
    expect(plan.due.every((d) => d.ageDays === 120)).toBe(true);
    expect(plan.skipped.find((s) => s.credentialId === fresh.keys[0].cred.id)!.reason).toMatch(/does not match/);
    for (const k of keys) expect(aws.state.listAccessKeys(k.userName).map((x) => x.accessKeyId)).toEqual([k.key.accessKeyId]);
    expect(await openRotations(dir)).toHaveLength(0);
    const human = await runCli(['rotate', '--due', '--match', match], { env });
    expect(human.stdout).toContain('3 key(s) due');
    expect(human.stdout).toContain('Nothing was changed. Pass --yes');
  });

  it('with --yes rotates each due key and prints the run summary', async () => {
    const { match, keys } = await dueKeys(6);
    const r = await runCli(['rotate', '--due', '--match', match, '--concurrency', '3', '--yes', '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ total: 6, rotated: 6, held: 0, failed: 0 });
    for (const k of keys) await expectOneWorkingKey(aws, dir, k.userName, k.cred.id);
  });

  it('usage errors exit 2', async () => {
    expect((await runCli(['rotate', '--due', 'some-cred'], { env })).code).toBe(2);
    expect((await runCli(['rotate', '--due', '--concurrency', '0'], { env })).code).toBe(2);
    expect((await runCli(['rotate', 'x', '--max-age', '3'], { env })).code).toBe(2);
  });

  for (const point of ['before:create-key', 'after:create-key', 'after:deactivate-old'] as FaultPoint[]) {
    it(`killed at ${point}: \`rotate --resume\` alone finishes every key of the run`, async () => {
      const { match, keys } = await dueKeys(7);
      const signal = join(tempDir(), 'paused');
      const { child, done } = spawnCli(['rotate', '--due', '--match', match, '--yes', '--json'], env, { point, file: signal });
      await waitFor(() => existsSync(signal), point, 30_000);
      child.kill('SIGKILL');
      expect((await done).signal).toBe('SIGKILL');
      expect((await openRotations(dir)).length).toBeGreaterThan(0);
      const r = await runCli(['rotate', '--resume', '--json'], { env });
      expect(r.code, r.stderr).toBe(0);
      expect(r.json()).toMatchObject({ total: 7, rotated: 7, failed: 0 });
      expect(await openRotations(dir)).toHaveLength(0);
      for (const k of keys) await expectOneWorkingKey(aws, dir, k.userName, k.cred.id);
      expect((await runCli(['rotate', '--resume', '--json'], { env })).json()).toEqual([]);
    });
  }
});
