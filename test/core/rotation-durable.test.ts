// A rotation acts at AWS on what its journal has just recorded: while it runs, the vault's
// commits are fsynced (synchronous=FULL), so a power cut cannot forget a key AWS has made
// or deactivated. Outside a rotation the vault runs NORMAL (crash- and kill-safe in WAL).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FaultPoint } from '../../electron/core/rotation/faults';
import { startAwsTestServer, type AwsTestServer } from '../support/aws-server';
import { awsKeyInput, closeAndRemoveTemp } from '../support/fixtures';
import { rotationEngine, rotationWorld, type RotationWorld } from '../support/rotation-world';

let aws: AwsTestServer;
let world = {} as RotationWorld;

beforeAll(async () => void (aws = await startAwsTestServer()));
afterAll(() => closeAndRemoveTemp(aws));
beforeEach(async () => {
  aws.faults.clear();
  aws.state.propagationDelayMs = 0;
  world = await rotationWorld(2000);
});

const synchronous = () => world.vault.db.pragma('synchronous', { simple: true });

describe('rotation durability', () => {
  it('every commit of a running rotation is synchronous=FULL; before and after it, NORMAL', async () => {
    const seen = new Map<FaultPoint, unknown>();
    const rotations = rotationEngine(world, {
      call: { timeoutMs: 3000, maxAttempts: 1 },
      propagation: { timeoutMs: 3000, firstDelayMs: 20, maxDelayMs: 100 },
      faults: { at: async (p) => void seen.set(p, synchronous()) },
    });
    aws.state.createUser('durable-1', { allow: ['*'] });
    const cred = world.credentials.add(awsKeyInput('durable-1', aws.state.createAccessKey('durable-1'), aws.url));
    expect(synchronous()).toBe(1); // NORMAL
    const rot = await rotations.start(await rotations.plan(cred.id));
    expect(rot.state).toBe('DONE');
    for (const p of ['before:create-key', 'after:create-key', 'before:deactivate-old', 'after:deactivate-old'] as const) expect(seen.get(p), p).toBe(2); // FULL
    expect(synchronous()).toBe(1);
  });

  it('two rotations at once: the vault stays FULL until the last one ends', async () => {
    // The second rotation to reach delete-old waits until the first has finished.
    let arrivals = 0;
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const rotations = rotationEngine(world, {
      call: { timeoutMs: 3000, maxAttempts: 1 },
      propagation: { timeoutMs: 3000, firstDelayMs: 20, maxDelayMs: 100 },
      faults: { at: async (p) => void (p === 'before:delete-old' && ++arrivals === 2 && (await gate)) },
    });
    const creds = ['durable-2', 'durable-3'].map((u) => {
      aws.state.createUser(u, { allow: ['*'] });
      return world.credentials.add(awsKeyInput(u, aws.state.createAccessKey(u), aws.url));
    });
    const plans = await Promise.all(creds.map((c) => rotations.plan(c.id)));
    const runs = plans.map((plan) => rotations.start(plan));
    expect(synchronous()).toBe(2);
    const first = await Promise.race(runs);
    expect(first.state).toBe('DONE');
    expect(synchronous()).toBe(2); // the other one is still running
    release();
    expect((await Promise.all(runs)).map((r) => r.state)).toEqual(['DONE', 'DONE']);
    expect(synchronous()).toBe(1);
  });
});
