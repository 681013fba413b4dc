// Every due key in one journaled run, against the AWS test server with latency and IAM
// throttling: the plan (due, skipped and why), the queue, one key failing alone, --hold,
// an admin acting on many users, and a run finished by resume.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RotationService } from '../../electron/core/rotation/rotations';
import { startAwsTestServer, type AwsTestServer } from '../support/aws-server';
import { awsKeyInput, closeAndRemoveTemp } from '../support/fixtures';
import { rotationEngine, rotationWorld, type RotationWorld } from '../support/rotation-world';

let aws: AwsTestServer;
let { vault, credentials, events, audit, params } = {} as RotationWorld;
let users = 0;
const DAY = 86_400_000;

beforeAll(async () => void (aws = await startAwsTestServer()));
afterAll(() => closeAndRemoveTemp(aws));
beforeEach(async () => {
  aws.faults.clear();
  aws.config.latencyMs = 0;
  ({ vault, credentials, events, audit, params } = await rotationWorld(5000));
});

function engine(): RotationService {
  const propagation = { timeoutMs: 5000, firstDelayMs: 20, maxDelayMs: 100 };
  return rotationEngine({ vault, credentials, events, audit, params }, { call: { timeoutMs: 5000, maxAttempts: 6 }, propagation, maxKeyAgeDays: 90 });
}

/** An IAM user whose one key is `ageDays` old, held by a credential. */
function keyOf(ageDays: number, prefix = 'SynergistExpress') {
  const userName = `${prefix}-${++users}`;
  aws.state.createUser(userName, { allow: ['*'] });
  const key = aws.state.createAccessKey(userName, { createDate: new Date(Date.now() - ageDays * DAY) });
  const cred = credentials.add(awsKeyInput(`cred ${userName}`, key, aws.url));
  return { userName, key, cred };
}

function expectOneWorkingKey(userName: string, credentialId: string) {
  const active = aws.state.listAccessKeys(userName).filter((k) => k.status === 'Active');
  expect(active).toHaveLength(1);
  expect(credentials.repo.get(credentialId)!.fields.accessKeyId).toBe(active[0].accessKeyId);
  expect(credentials.repo.secretsOf(credentialId).secretAccessKey).toBe(aws.state.getAccessKey(active[0].accessKeyId)!.secretAccessKey);
}

describe('rotate every due key', { timeout: 120_000 }, () => {
  it('plans first (due, skipped and why, the inactive key that goes first), then rotates 50 due keys under latency and throttling', async () => {
    const due = Array.from({ length: 50 }, () => keyOf(120));
    const fresh = keyOf(10);
    const twoActive = keyOf(200);
    aws.state.createAccessKey(twoActive.userName);
    const withInactive = keyOf(150);
    const inactive = aws.state.createAccessKey(withInactive.userName, { status: 'Inactive' });
    params.bind(`KEY_${due[0].userName}`, due[0].cred.id, 'accessKeyId');
    const rotations = engine();

    const before = aws.requests.length;
    const planned = await rotations.fleet.plan();
    expect(aws.requests.slice(before).some((r) => ['CreateAccessKey', 'UpdateAccessKey', 'DeleteAccessKey'].includes(r.action))).toBe(false);
    expect(planned.view.due.map((d) => d.credentialId).sort()).toEqual([...due, withInactive].map((d) => d.cred.id).sort());
    expect(planned.view.due.find((d) => d.credentialId === withInactive.cred.id)).toMatchObject({ deleteFirstKeyId: inactive.accessKeyId, ageDays: 150 });
    expect(planned.view.due.find((d) => d.credentialId === due[0].cred.id)!.deliveries).toEqual([`System Parameters: KEY_${due[0].userName}`]);
    expect(planned.view.skipped.find((s) => s.credentialId === fresh.cred.id)!.reason).toMatch(/Not due: 10 days old/);
    expect(planned.view.skipped.find((s) => s.credentialId === twoActive.cred.id)!.reason).toMatch(/two active keys/);

    aws.config.latencyMs = 5;
    aws.faults.add({ service: 'iam', kind: 'throttle', times: 12 });
    const progress: number[] = [];
    const off = events.onAny((e, p) => e === 'rotation.run' && progress.push((p as { done: number }).done));
    const { runId, done } = rotations.fleet.start(planned);
    const summary = await done;
    off();
    expect(summary).toMatchObject({ runId, total: 51, rotated: 51, held: 0, failed: 0, skipped: 2 });
    expect(progress.sort((a, b) => a - b)).toEqual(Array.from({ length: 51 }, (_, i) => i + 1));
    expect(aws.requests.filter((r) => r.fault === 'throttle')).toHaveLength(12);
    for (const d of [...due, withInactive]) expectOneWorkingKey(d.userName, d.cred.id);
    expect(aws.state.getAccessKey(inactive.accessKeyId)).toBeUndefined();
    expect(params.get(`KEY_${due[0].userName}`).value).toBe(credentials.repo.get(due[0].cred.id)!.fields.accessKeyId);
    // Skipped keys were left alone.
    expect(aws.state.listAccessKeys(fresh.userName).map((k) => k.accessKeyId)).toEqual([fresh.key.accessKeyId]);
    expect(rotations.journal.ofRun(runId)).toHaveLength(51);
    expect(rotations.fleet.runs.get(runId)!.state).toBe('DONE');
  });

  it('one key failing stops only that key, says why and what next; resume then finishes the run', async () => {
    const keys = Array.from({ length: 5 }, () => keyOf(100));
    aws.state.setUserPolicy(keys[2].userName, { allow: ['sts:*', 'iam:ListAccessKeys', 'iam:GetAccessKeyLastUsed', 'iam:CreateAccessKey', 'iam:DeleteAccessKey'] });
    const rotations = engine();
    const { runId, done } = rotations.fleet.start(await rotations.fleet.plan());
    const summary = await done;
    expect(summary).toMatchObject({ rotated: 4, failed: 1 });
    const failed = summary.keys.find((k) => k.outcome === 'failed')!;
    expect(failed).toMatchObject({ credentialId: keys[2].cred.id, error: { code: expect.stringMatching(/AccessDenied/) } });
    expect(failed.error!.message).toContain('iam:UpdateAccessKey');
    expect(failed.next).toContain(`keyward rotate --resume ${runId}`);
    expect(rotations.fleet.runs.get(runId)!.state).toBe('IN_PROGRESS');
    // Stopped before the deactivation: the vault holds the new key, and it is Active.
    expect(aws.state.getAccessKey(credentials.repo.get(keys[2].cred.id)!.fields.accessKeyId)?.status).toBe('Active');

    aws.state.setUserPolicy(keys[2].userName, { allow: ['*'] });
    const again = await engine().fleet.resume(runId);
    expect(again).toMatchObject({ rotated: 5, failed: 0 });
    for (const k of keys) expectOneWorkingKey(k.userName, k.cred.id);
    expect(rotations.fleet.runs.get(runId)!.state).toBe('DONE');
  });

  it('--hold stops each key after deactivating the old one; resume deletes them', async () => {
    const keys = Array.from({ length: 3 }, () => keyOf(100));
    const rotations = engine();
    const { runId, done } = rotations.fleet.start(await rotations.fleet.plan(), { hold: true });
    const held = await done;
    expect(held).toMatchObject({ held: 3, rotated: 0 });
    for (const k of keys) expect(aws.state.getAccessKey(k.key.accessKeyId)?.status).toBe('Inactive');
    expect((await rotations.fleet.resume(runId)).rotated).toBe(3);
    for (const k of keys) expect(aws.state.getAccessKey(k.key.accessKeyId)).toBeUndefined();
  });

  it('an admin credential acts on the users that match a pattern', async () => {
    const matching = [keyOf(100, 'SynergistExpress'), keyOf(100, 'SynergistExpress')];
    const other = keyOf(100, 'platform');
    const admin = keyOf(5, 'admin');
    const rotations = engine();
    const planned = await rotations.fleet.plan({ as: admin.cred.id, match: 'synergistexpress-*' });
    expect(planned.view.due.map((d) => d.credentialId).sort()).toEqual(matching.map((m) => m.cred.id).sort());
    expect(planned.view.due.every((d) => d.actingCredentialId === admin.cred.id)).toBe(true);
    expect(planned.view.skipped.find((s) => s.credentialId === other.cred.id)!.reason).toMatch(/does not match/);
    expect(planned.view.skipped.some((s) => s.credentialId === admin.cred.id)).toBe(false); // the acting credential is not rotated
    const summary = await rotations.fleet.start(planned, { as: admin.cred.id }).done;
    expect(summary.rotated).toBe(2);
    for (const m of matching) expectOneWorkingKey(m.userName, m.cred.id);
    expect(aws.state.listAccessKeys(admin.userName).map((k) => k.accessKeyId)).toEqual([admin.key.accessKeyId]);
  });
});
