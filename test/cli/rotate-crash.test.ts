// The rotation's promise, tested the hard way: the CLI is killed (SIGKILL) at every step
// boundary and in the middle of AWS calls, then resumed or rolled back by a new process.
// Whatever the moment, the IAM user ends with exactly one active key, and the vault holds
// that key with its working secret.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsTestServer } from '../support/aws-server';
import { tempDir, waitFor } from '../support/fixtures';
import { runCli } from './run-cli';
import type { FaultPoint } from '../../electron/core/rotation/faults';
import { expectOneWorkingKey, openRotations, spawnCli, startCliWorld, stopCliWorld, userWithCredential, type PauseAt } from './rotate-support';

let aws: AwsTestServer;
let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => ({ aws, dir, env } = await startCliWorld()));
afterAll(() => stopCliWorld(aws));

/** Starts `rotate CRED --yes` and SIGKILLs it once `reached()` holds. */
async function rotateAndKill(credentialId: string, pause: PauseAt | undefined, reached: () => boolean, what: string): Promise<void> {
  const { child, done } = spawnCli(['rotate', credentialId, '--yes', '--json'], env, pause);
  let exited = false;
  void done.then(() => (exited = true));
  await waitFor(() => reached() || exited, what, 20_000);
  child.kill('SIGKILL');
  const r = await done;
  expect(r.signal, `the CLI finished before it was killed at ${what}: ${r.stderr}`).toBe('SIGKILL');
}

/**
 * Resumes (or rolls back) what the killed run left, with that one command: a key the killed
 * run created but never recorded is the rotation's own, and it deletes it by itself.
 */
async function finish(mode: 'resume' | 'rollback'): Promise<string> {
  const [open] = await openRotations(dir);
  if (!open) return 'nothing open';
  let r = await runCli(['rotate', `--${mode}`, open.id, '--json'], { env });
  if (mode === 'rollback' && r.code === 2 && r.stderr.includes('already deleted')) {
    // Killed after the old key was deleted: rollback is refused, finishing is the way.
    r = await runCli(['rotate', '--resume', open.id, '--json'], { env });
  }
  expect(r.code, r.stderr).toBe(0);
  expect(await openRotations(dir)).toHaveLength(0);
  return (r.json() as { state: string }).state;
}

const BOUNDARIES: FaultPoint[] = [
  'before:delete-chosen-key',
  'before:create-key',
  'after:create-key', // AWS created the key; the journal has not recorded it
  'before:wait-for-key',
  'after:wait-for-key',
  'before:apply',
  'before:deactivate-old',
  'after:deactivate-old',
  'before:delete-old',
  'after:delete-old',
];

// Killed while the server holds the answer: AWS acted, the CLI never heard back.
const MID_CALL: Array<{ service: 'iam' | 'sts'; action: string }> = [
  { service: 'iam', action: 'CreateAccessKey' },
  { service: 'iam', action: 'UpdateAccessKey' },
  { service: 'iam', action: 'DeleteAccessKey' },
  { service: 'sts', action: 'GetCallerIdentity' },
];

describe('killed at a step boundary', { timeout: 60_000 }, () => {
  for (const mode of ['resume', 'rollback'] as const) {
    for (const point of BOUNDARIES) {
      it(`${point}, then --${mode}: one active key, and the vault holds it`, async () => {
        const { userName, key, cred } = await userWithCredential(aws, dir, 'crash');
        const signal = join(tempDir(), 'paused');
        await rotateAndKill(cred.id, { point, file: signal }, () => existsSync(signal), point);
        const state = await finish(mode);
        if (point === 'after:delete-old' || mode === 'resume') expect(['DONE', 'nothing open']).toContain(state);
        else expect(state).toBe('ROLLED_BACK');
        await expectOneWorkingKey(aws, dir, userName, cred.id);
        if (mode === 'rollback' && point !== 'after:delete-old') expect(aws.state.listAccessKeys(userName).map((k) => k.accessKeyId)).toEqual([key.accessKeyId]);
      });
    }
  }
});

describe('killed in the middle of an AWS call', { timeout: 60_000 }, () => {
  for (const mode of ['resume', 'rollback'] as const) {
    for (const { service, action } of MID_CALL) {
      it(`${action}, then --${mode}`, async () => {
        const { userName, cred } = await userWithCredential(aws, dir, 'midcall');
        const before = aws.requests.length;
        const fault = aws.faults.add({ service, action, kind: 'latency', latencyMs: 30_000, times: 1 });
        try {
          await rotateAndKill(cred.id, undefined, () => aws.requests.slice(before).some((r) => r.action === action && r.fault === 'latency'), action);
        } finally {
          aws.faults.remove(fault);
        }
        await finish(mode);
        await expectOneWorkingKey(aws, dir, userName, cred.id);
      });
    }
  }
});

describe('killed during a rollback', { timeout: 60_000 }, () => {
  for (const point of ['rollback:reactivated', 'rollback:restored'] as const) {
    it(`${point}, then --rollback again`, async () => {
      const { userName, key, cred } = await userWithCredential(aws, dir, 'rbcrash');
      const first = join(tempDir(), 'paused');
      await rotateAndKill(cred.id, { point: 'before:delete-old', file: first }, () => existsSync(first), 'before:delete-old');
      const [open] = await openRotations(dir);
      const second = join(tempDir(), 'paused');
      const { child, done } = spawnCli(['rotate', '--rollback', open.id, '--json'], env, { point, file: second });
      await waitFor(() => existsSync(second), point, 20_000);
      child.kill('SIGKILL');
      await done;
      // A resume now continues the rollback: it never deletes the old key.
      expect(await finish('resume')).toBe('ROLLED_BACK');
      expect(aws.state.listAccessKeys(userName).map((k) => k.accessKeyId)).toEqual([key.accessKeyId]);
      await expectOneWorkingKey(aws, dir, userName, cred.id);
    });
  }
});

describe('killed between CreateAccessKey and the journal write', { timeout: 60_000 }, () => {
  it('`rotate --resume` alone ends with exactly one Active key, held by the vault; the lost key is deleted and audited', async () => {
    const { userName, key, cred } = await userWithCredential(aws, dir, 'lostkey');
    const signal = join(tempDir(), 'paused');
    await rotateAndKill(cred.id, { point: 'after:create-key', file: signal }, () => existsSync(signal), 'after:create-key');
    const lost = aws.state.listAccessKeys(userName).find((k) => k.accessKeyId !== key.accessKeyId)!;
    expect(aws.state.listAccessKeys(userName).map((k) => k.status)).toEqual(['Active', 'Active']);
    const r = await runCli(['rotate', '--resume', '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    const done = r.json() as { state: string; newAccessKeyId: string; steps: Array<{ name: string; details: { accessKeyId?: string } }> };
    expect(done.state).toBe('DONE');
    expect(done.steps.find((s) => s.name === 'orphan-deleted')?.details.accessKeyId).toBe(lost.accessKeyId);
    expect(aws.state.getAccessKey(lost.accessKeyId)).toBeUndefined();
    await expectOneWorkingKey(aws, dir, userName, cred.id);
    const audit = await runCli(['audit', '--action', 'rotation.orphan-deleted', '--credential', cred.id, '--json'], { env });
    expect((audit.json() as Array<{ details: { accessKeyId: string } }>).map((e) => e.details.accessKeyId)).toEqual([lost.accessKeyId]);
  });
});
