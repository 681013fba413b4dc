// The rotation engine against the AWS test server: the whole story, the two-key rule,
// orphans, rollback from every step, resume after a stop, bound parameters following.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RotationStepError } from '../../electron/core/rotation/errors';
import { IamCalls } from '../../electron/core/rotation/iam';
import { RotationService, type RotationOptions } from '../../electron/core/rotation/rotations';
import { startAwsTestServer, type AwsTestServer } from '../support/aws-server';
import { awsKeyInput, closeAndRemoveTemp, rawVaultBytes } from '../support/fixtures';
import { rotationEngine, rotationWorld, type RotationWorld } from '../support/rotation-world';

let aws: AwsTestServer;
let { vault, credentials, events, audit, params } = {} as RotationWorld;
let users = 0;

beforeAll(async () => void (aws = await startAwsTestServer()));
afterAll(() => closeAndRemoveTemp(aws));
beforeEach(async () => {
  aws.faults.clear();
  aws.state.propagationDelayMs = 0;
  ({ vault, credentials, events, audit, params } = await rotationWorld(2000));
});

function engine(opts: RotationOptions = {}): RotationService {
  const call = { timeoutMs: 3000, maxAttempts: 1 };
  return rotationEngine({ vault, credentials, events, audit, params }, { call, propagation: { timeoutMs: 3000, firstDelayMs: 20, maxDelayMs: 100 }, ...opts });
}

/** An IAM user with one active key, held by a credential in the vault. */
function userWithCredential(opts: { allow?: string[] } = {}) {
  const userName = `SynergistExpress-${++users}`;
  aws.state.createUser(userName, { allow: opts.allow ?? ['*'] });
  const key = aws.state.createAccessKey(userName);
  const cred = credentials.add(awsKeyInput(`cred ${userName}`, key, aws.url));
  return { userName, key, cred };
}

/** The invariant: exactly one active key, and the vault holds that key and its working secret. */
function expectOneWorkingKey(userName: string, credentialId: string) {
  const active = aws.state.listAccessKeys(userName).filter((k) => k.status === 'Active');
  expect(active).toHaveLength(1);
  const cred = credentials.repo.get(credentialId)!;
  expect(cred.fields.accessKeyId).toBe(active[0].accessKeyId);
  expect(credentials.repo.secretsOf(credentialId).secretAccessKey).toBe(aws.state.getAccessKey(active[0].accessKeyId)!.secretAccessKey);
}

describe('a rotation, step by step', () => {
  it('rotates a key by itself: new key active and in the vault, old key deleted, journal DONE', async () => {
    const { userName, key, cred } = userWithCredential();
    const rotations = engine();
    const plan = await rotations.plan(cred.id);
    expect(plan).toMatchObject({ userName, oldAccessKeyId: key.accessKeyId, needsDeleteChoice: false, actingCredentialId: null });
    expect(plan.keys[0]).toMatchObject({ accessKeyId: key.accessKeyId, status: 'Active', isCredentialKey: true, tooOld: false });
    const rot = await rotations.start(plan);
    expect(rot.state).toBe('DONE');
    expect(rot.steps.map((s) => s.name)).toEqual(['find-user', 'check-keys', 'delete-chosen-key', 'create-key', 'wait-for-key', 'apply', 'deactivate-old', 'delete-old']);
    expect(aws.state.getAccessKey(key.accessKeyId)).toBeUndefined();
    expect(rot.newAccessKeyId).not.toBe(key.accessKeyId);
    expectOneWorkingKey(userName, cred.id);
    expect(credentials.repo.get(cred.id)!.status).toBe('VALID');
    expect(audit.list({ action: 'rotation.completed' })).toHaveLength(1);
    expect(rotations.journal.newSecret(rot.id)).toBeNull(); // a finished journal keeps no secret
    expect(rotations.lastRotated()[cred.id]).toBe(rot.updatedAt); // the row and the panel say when
  });

  it('flags keys older than the maximum age, read from the setting at each plan', async () => {
    const userName = `SynergistExpress-${++users}`;
    aws.state.createUser(userName, { allow: ['*'] });
    const key = aws.state.createAccessKey(userName, { createDate: new Date(Date.now() - 40 * 86_400_000) });
    const cred = credentials.add({
      name: `cred ${userName}`,
      provider: 'AWS',
      type: 'ACCESS_KEY',
      fields: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey, region: 'us-east-1', endpointUrl: aws.url },
      verify: false,
    });
    let maxAge = 90;
    const rotations = engine({ maxKeyAgeDays: () => maxAge });
    expect((await rotations.plan(cred.id)).keys[0]).toMatchObject({ ageDays: 40, tooOld: false });
    maxAge = 30;
    expect((await rotations.plan(cred.id)).keys[0]).toMatchObject({ ageDays: 40, tooOld: true });
  });

  it('with holdBeforeDelete, waits after deactivating the old key, reports its last use, then deletes it on resume', async () => {
    const { userName, key, cred } = userWithCredential();
    const rotations = engine();
    const started = Date.now() - 1000;
    const held = await rotations.start(await rotations.plan(cred.id), {}, { holdBeforeDelete: true });
    expect(held.state).toBe('IN_PROGRESS');
    expect(held.steps.map((s) => s.name).at(-1)).toBe('deactivate-old');
    expect(aws.state.getAccessKey(key.accessKeyId)?.status).toBe('Inactive');
    // The old key's last use is the rotation's own IAM calls, made with it before the apply.
    const first = await rotations.oldKeyUsage(held.id);
    expect(first).toMatchObject({ accessKeyId: key.accessKeyId, status: 'Inactive', lastUsed: { service: 'iam', region: 'us-east-1' } });
    expect(Date.parse(first!.lastUsed!.at!)).toBeGreaterThanOrEqual(started);
    // A later use (recorded by the server's admin API) shows on the next look.
    aws.state.recordKeyUse(key.accessKeyId, { service: 's3', region: 'eu-west-1', at: new Date(Date.now() + 60_000) });
    expect((await rotations.oldKeyUsage(held.id))?.lastUsed).toMatchObject({ service: 's3', region: 'eu-west-1' });
    expectOneWorkingKey(userName, cred.id);
    const done = await rotations.resume(held.id);
    expect(done.state).toBe('DONE');
    expect(aws.state.getAccessKey(key.accessKeyId)).toBeUndefined();
    expect(await rotations.oldKeyUsage(held.id)).toBeNull();
  });

  it('a held rotation rolls back: the old key active and in the vault again', async () => {
    const { userName, key, cred } = userWithCredential();
    const rotations = engine();
    const held = await rotations.start(await rotations.plan(cred.id), {}, { holdBeforeDelete: true });
    const back = await rotations.rollback(held.id);
    expect(back.state).toBe('ROLLED_BACK');
    expect(aws.state.getAccessKey(key.accessKeyId)?.status).toBe('Active');
    expect(credentials.repo.get(cred.id)!.fields.accessKeyId).toBe(key.accessKeyId);
    expectOneWorkingKey(userName, cred.id);
  });

  it('never writes the new secret in clear to the vault file, the journal JSON or the audit log', async () => {
    const { userName, cred } = userWithCredential();
    const rot = await engine().start(await engine().plan(cred.id));
    const secret = aws.state.getAccessKey(rot.newAccessKeyId!)!.secretAccessKey;
    expect(rawVaultBytes(vault.path).includes(Buffer.from(secret))).toBe(false);
    expect(JSON.stringify(rot)).not.toContain(secret);
    expect(JSON.stringify(audit.list({}))).not.toContain(secret);
    expectOneWorkingKey(userName, cred.id);
  });

  it('acts on a named user with an admin credential (--as, --user)', async () => {
    const { userName, key, cred } = userWithCredential();
    const admin = userWithCredential();
    const rotations = engine();
    const found = await rotations.listUsers(admin.cred.id, 'synergist');
    expect(found.map((u) => u.userName)).toContain(userName);
    const rot = await rotations.start(await rotations.plan(cred.id, { user: userName, as: admin.cred.id }));
    expect(rot).toMatchObject({ state: 'DONE', actingCredentialId: admin.cred.id, oldAccessKeyId: key.accessKeyId });
    expectOneWorkingKey(userName, cred.id);
  });

  it('waits for the new key to propagate, then applies it', async () => {
    const { userName, cred } = userWithCredential();
    aws.state.propagationDelayMs = 300;
    const ticks: number[] = [];
    const rot = await engine({ onProgress: (p) => p.secondsLeft !== undefined && ticks.push(p.secondsLeft) }).start(await engine().plan(cred.id));
    expect(rot.state).toBe('DONE');
    expect(ticks.length).toBeGreaterThan(0);
    expect(rot.steps.find((s) => s.name === 'wait-for-key')!.details.attempts).toBeGreaterThan(1);
    expectOneWorkingKey(userName, cred.id);
  });

  it('stops at wait-for-key when the key never works in time, keeps the new secret, and resumes later', async () => {
    const { userName, cred } = userWithCredential();
    aws.state.propagationDelayMs = 60_000;
    const rotations = engine({ propagation: { timeoutMs: 200, firstDelayMs: 20, maxDelayMs: 50 } });
    const err = await rotations.start(await rotations.plan(cred.id)).catch((e) => e);
    expect(err).toBeInstanceOf(RotationStepError);
    const open = rotations.listOpen();
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ phase: 'create-key', error: { step: 'wait-for-key' } });
    aws.state.propagationDelayMs = 0;
    const done = await rotations.resume(open[0].id);
    expect(done.state).toBe('DONE');
    expectOneWorkingKey(userName, cred.id);
  });

  it('refuses a second rotation of the same credential while one is open', async () => {
    const { cred } = userWithCredential();
    aws.state.propagationDelayMs = 60_000;
    const rotations = engine({ propagation: { timeoutMs: 50, firstDelayMs: 10, maxDelayMs: 10 } });
    await rotations.start(await rotations.plan(cred.id)).catch(() => undefined);
    await expect(rotations.plan(cred.id)).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});

describe('two keys', () => {
  it('refuses to start until the admin names the key to delete first, and changes nothing', async () => {
    const { userName, cred } = userWithCredential();
    const other = aws.state.createAccessKey(userName);
    const rotations = engine();
    const plan = await rotations.plan(cred.id);
    expect(plan.needsDeleteChoice).toBe(true);
    expect(plan.deletable).toEqual([other.accessKeyId]);
    await expect(rotations.start(plan)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(rotations.start(plan, { deleteFirstKeyId: other.accessKeyId })).rejects.toThrow(/never deletes an active key/);
    await expect(rotations.start(plan, { deleteFirstKeyId: plan.oldAccessKeyId! })).rejects.toThrow(/key being rotated/);
    expect(aws.state.listAccessKeys(userName)).toHaveLength(2);
    expect(rotations.journal.list()).toHaveLength(0);
  });

  it('deletes a chosen inactive key first, then rotates', async () => {
    const { userName, cred } = userWithCredential();
    const other = aws.state.createAccessKey(userName, { status: 'Inactive' });
    const rotations = engine();
    const rot = await rotations.start(await rotations.plan(cred.id), { deleteFirstKeyId: other.accessKeyId });
    expect(rot.state).toBe('DONE');
    expect(aws.state.getAccessKey(other.accessKeyId)).toBeUndefined();
    expectOneWorkingKey(userName, cred.id);
  });

  it('deletes a chosen active key only with explicit confirmation', async () => {
    const { userName, cred } = userWithCredential();
    const other = aws.state.createAccessKey(userName);
    const rot = await engine().start(await engine().plan(cred.id), { deleteFirstKeyId: other.accessKeyId, confirmActive: true });
    expect(rot.state).toBe('DONE');
    expectOneWorkingKey(userName, cred.id);
  });
});

describe('errors are diagnosed', () => {
  it('AccessDenied names the missing iam: permission', async () => {
    const { cred } = userWithCredential({ allow: ['sts:*', 'iam:ListAccessKeys', 'iam:GetAccessKeyLastUsed'] });
    const rotations = engine();
    const err = (await rotations.start(await rotations.plan(cred.id)).catch((e) => e)) as RotationStepError;
    expect(err).toBeInstanceOf(RotationStepError);
    expect(err.failure).toMatchObject({ step: 'create-key', operation: 'CreateAccessKey', error: { code: expect.stringMatching(/AccessDenied/) } });
    expect(err.failure.diagnosis.cause).toContain('iam:CreateAccessKey');
  });

  it('NoSuchEntity says the user is gone', async () => {
    const { cred } = userWithCredential();
    const admin = userWithCredential();
    const err = (await engine()
      .plan(cred.id, { user: 'nobody-here', as: admin.cred.id })
      .catch((e) => e)) as RotationStepError;
    expect(err.failure.error.code).toMatch(/NoSuchEntity/);
    expect(err.failure.diagnosis.cause).toMatch(/does not exist/);
  });

  it('LimitExceeded explains the two-key rule', async () => {
    const { userName, key } = userWithCredential();
    aws.state.createAccessKey(userName, { status: 'Inactive' });
    const iam = new IamCalls({ ...key, region: 'us-east-1', endpointUrl: aws.url }, 'create-key', userName, { timeoutMs: 3000, maxAttempts: 1 });
    const err = (await iam.createKey().catch((e) => e)) as RotationStepError;
    expect(err.failure.error.code).toMatch(/^LimitExceeded/);
    expect(err.failure.diagnosis.cause).toContain('at most two access keys');
  });

  it('a key that appears after the plan is an orphan: no third key is attempted', async () => {
    const { userName, cred } = userWithCredential();
    const rotations = engine();
    const plan = await rotations.plan(cred.id);
    aws.state.createAccessKey(userName, { status: 'Inactive' });
    aws.requests.length = 0;
    const err = (await rotations.start(plan).catch((e) => e)) as RotationStepError;
    expect(err.failure.error.code).toBe('OrphanKey');
    expect(aws.requests.some((r) => r.action === 'CreateAccessKey')).toBe(false);
  });
});

describe('orphans, rollback and resume', () => {
  it('a key the rotation created but never recorded (stopped after CreateAccessKey) is deleted on resume, audited, and the rotation finishes', async () => {
    const { userName, cred } = userWithCredential();
    const rotations = engine({
      faults: {
        at: async (p) => {
          if (p === 'after:create-key') throw new Error('killed');
        },
      },
    });
    await expect(rotations.start(await rotations.plan(cred.id))).rejects.toThrow('killed');
    const [open] = rotations.listOpen();
    expect(open.keyRequestedAt).not.toBeNull();
    const [lost] = await engine().orphans(open.id);
    expect(aws.state.listAccessKeys(userName)).toHaveLength(2);
    const done = await engine().resume(open.id);
    expect(done.state).toBe('DONE');
    expect(done.steps.find((s) => s.name === 'orphan-deleted')?.details).toMatchObject({ accessKeyId: lost });
    expect(aws.state.getAccessKey(lost)).toBeUndefined();
    expect(audit.list({ action: 'rotation.orphan-deleted' }).map((e) => e.details.accessKeyId)).toEqual([lost]);
    expectOneWorkingKey(userName, cred.id);
  });

  it('the same lost key is deleted by a rollback too, which then restores the old key', async () => {
    const { userName, key, cred } = userWithCredential();
    const rotations = engine({
      faults: {
        at: async (p) => {
          if (p === 'after:create-key') throw new Error('killed');
        },
      },
    });
    await expect(rotations.start(await rotations.plan(cred.id))).rejects.toThrow('killed');
    const back = await engine().rollback(rotations.listOpen()[0].id);
    expect(back.state).toBe('ROLLED_BACK');
    expect(aws.state.listAccessKeys(userName).map((k) => k.accessKeyId)).toEqual([key.accessKeyId]);
    expectOneWorkingKey(userName, cred.id);
  });

  it('a key it cannot tell as its own is refused with a true message (no "failed"), and the admin may delete it', async () => {
    const { userName, cred } = userWithCredential();
    const rotations = engine({
      faults: {
        at: async (p) => {
          if (p === 'before:create-key') throw new Error('stopped');
        },
      },
    });
    await expect(rotations.start(await rotations.plan(cred.id))).rejects.toThrow('stopped');
    const [open] = rotations.listOpen();
    const stranger = aws.state.createAccessKey(userName, { status: 'Inactive' });
    const calm = engine();
    const err = (await calm.resume(open.id).catch((e) => e)) as RotationStepError;
    expect(err.failure.error.code).toBe('OrphanKey');
    expect(err.message).not.toMatch(/ListAccessKeys failed/);
    expect(err.message).toContain(stranger.accessKeyId);
    expect(err.failure.diagnosis.cause).toMatch(/had not asked AWS for a key yet/);
    expect(aws.state.getAccessKey(stranger.accessKeyId)).toBeDefined();
    expect(await calm.orphans(open.id)).toEqual([stranger.accessKeyId]);
    await calm.deleteOrphan(open.id, stranger.accessKeyId);
    expect((await calm.resume(open.id)).state).toBe('DONE');
    expectOneWorkingKey(userName, cred.id);
  });

  it('an unknown key created before the rotation asked for its own is not deleted', async () => {
    const { userName, cred } = userWithCredential();
    const rotations = engine({
      faults: {
        at: async (p) => {
          if (p === 'after:create-key') throw new Error('killed');
        },
      },
    });
    await expect(rotations.start(await rotations.plan(cred.id))).rejects.toThrow('killed');
    const [open] = rotations.listOpen();
    // Someone removed the lost key and made one of their own, dated before the intent.
    const [lost] = await engine().orphans(open.id);
    aws.state.deleteAccessKey(lost);
    const older = aws.state.createAccessKey(userName, { createDate: new Date(Date.parse(open.keyRequestedAt!) - 60_000) });
    const err = (await engine()
      .resume(open.id)
      .catch((e) => e)) as RotationStepError;
    expect(err.failure.error.code).toBe('OrphanKey');
    expect(err.failure.diagnosis.cause).toMatch(/before this rotation asked AWS for its key/);
    expect(aws.state.getAccessKey(older.accessKeyId)?.status).toBe('Active');
  });

  for (const stopAt of ['before:delete-chosen-key', 'before:create-key', 'before:wait-for-key', 'before:apply', 'before:deactivate-old', 'after:deactivate-old', 'before:delete-old']) {
    it(`rolls back from ${stopAt}: old key active and in the vault, new key gone`, async () => {
      const { userName, key, cred } = userWithCredential();
      const rotations = engine({
        faults: {
          at: async (p) => {
            if (p === stopAt) throw new Error('stopped');
          },
        },
      });
      await expect(rotations.start(await rotations.plan(cred.id))).rejects.toThrow('stopped');
      const [open] = rotations.listOpen();
      const back = await engine().rollback(open.id);
      expect(back.state).toBe('ROLLED_BACK');
      expect(aws.state.listAccessKeys(userName).map((k) => k.accessKeyId)).toEqual([key.accessKeyId]);
      expectOneWorkingKey(userName, cred.id);
    });
  }

  it('refuses to roll back a finished rotation', async () => {
    const { cred } = userWithCredential();
    const rot = await engine().start(await engine().plan(cred.id));
    await expect(engine().rollback(rot.id)).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});

describe('bound System Parameters follow the rotation', () => {
  it('updates the bound access key and secret at apply, and restores them on rollback', async () => {
    const { userName, key, cred } = userWithCredential();
    params.bind('IAM_ACCESS_KEY', cred.id, 'accessKeyId');
    params.bind('SECRET_IAM_KEY', cred.id, 'secretAccessKey');
    const rot = await engine().start(await engine().plan(cred.id));
    expect(params.get('IAM_ACCESS_KEY').value).toBe(rot.newAccessKeyId);
    expect(params.get('SECRET_IAM_KEY')).toMatchObject({ value: null, hasValue: true });
    expect(rot.steps.find((s) => s.name === 'apply')!.details.parameters).toEqual(['IAM_ACCESS_KEY', 'SECRET_IAM_KEY']);
    expect(
      audit
        .list({ action: 'parameter.changed' })
        .map((e) => e.details.key)
        .sort(),
    ).toEqual(['IAM_ACCESS_KEY', 'SECRET_IAM_KEY']);
    expectOneWorkingKey(userName, cred.id);

    const stopper = engine({
      faults: {
        at: async (p) => {
          if (p === 'before:delete-old') throw new Error('stop');
        },
      },
    });
    await expect(stopper.start(await stopper.plan(cred.id))).rejects.toThrow('stop');
    const moved = params.get('IAM_ACCESS_KEY').value;
    expect(moved).not.toBe(rot.newAccessKeyId);
    await engine().rollback(stopper.listOpen()[0].id);
    expect(params.get('IAM_ACCESS_KEY').value).toBe(rot.newAccessKeyId);
    expect(key.accessKeyId).not.toBe(rot.newAccessKeyId);
    expectOneWorkingKey(userName, cred.id);
  });
});
