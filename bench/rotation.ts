import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { KeywardCore } from '../electron/core/app/core';
import { IamCalls } from '../electron/core/rotation/iam';
import { startAwsServerProcess } from '../test/support/aws-server-process';
import { figure, time, type Figure } from './report';

/**
 * A full rotation against the test server (own process, zero propagation delay, 20 ms
 * per answer) against the sum of its AWS round trips; and what the journal adds per step.
 */
export async function benchRotation(): Promise<Figure[]> {
  const R = 5;
  const LATENCY = 20;
  const aws = await startAwsServerProcess({ latencyMs: LATENCY, seed: { users: Array.from({ length: R + 1 }, (_, i) => ({ userName: `bench-rot-${i}`, keys: [{}] })) } });
  const dir = mkdtempSync(join(tmpdir(), 'keyward-bench-rotation-'));
  const core = new KeywardCore({ vaultDir: dir, passphrase: 'bench passphrase 123' });
  await core.init('passphrase', 'bench passphrase 123');
  const parts = (i: number) => ({ accessKeyId: aws.keys[i].accessKeyId, secretAccessKey: aws.keys[i].secretAccessKey, region: 'us-east-1', endpointUrl: aws.url });

  // One AWS round trip, as the SDK makes it: the median of single ListAccessKeys calls.
  const probe = new IamCalls(parts(R), 'bench', `bench-rot-${R}`, { timeoutMs: 5000, maxAttempts: 1 });
  await probe.listKeys();
  const trips: number[] = [];
  for (let i = 0; i < 20; i++) trips.push(await time(() => probe.listKeys()));
  const rtt = trips.sort((a, b) => a - b)[10];

  const admin = async (path: string, method = 'GET') => (await fetch(`${aws.url}/__admin/${path}`, { method })).json() as Promise<unknown[]>;
  let totalMs = 0;
  let totalTrips = 0;
  for (let i = 0; i < R; i++) {
    const cred = core.credentials.add({ name: `bench-rot-${i}`, provider: 'AWS', type: 'ACCESS_KEY', fields: parts(i), verify: false });
    await admin('requests', 'DELETE');
    totalMs += await time(async () => {
      const rot = await core.rotations.start(await core.rotations.plan(cred.id));
      if (rot.state !== 'DONE') throw new Error(`rotation ${rot.id} ended ${rot.state}`);
    });
    totalTrips += (await admin('requests')).length;
  }
  const ratio = totalMs / (totalTrips * rtt);

  // The journal's part of a step: the step row, the phase and its audit event, one transaction.
  const vault = core.openVault;
  const journal = core.rotations.journal;
  const id = randomUUID();
  journal.create({
    id,
    credentialId: randomUUID(),
    actingCredentialId: null,
    userName: 'bench',
    oldAccessKeyId: null,
    deleteFirstKeyId: null,
    confirmedActive: false,
    keysAtStart: [],
    at: new Date().toISOString(),
  });
  const STEPS = 300;
  const t0 = performance.now();
  for (let i = 0; i < STEPS; i++) {
    vault.db.transaction(() => {
      journal.recordStep(id, 'deactivate-old', { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', aws: ['iam:UpdateAccessKey'] }, new Date().toISOString());
      core.audit.append('rotation.started', { details: { rotationId: id, step: i } });
    })();
  }
  const perStep = (performance.now() - t0) / STEPS;

  await core.close();
  await aws.close();
  return [
    figure(`full rotation vs the sum of its AWS round trips (${(totalTrips / R).toFixed(0)} calls × ${rtt.toFixed(1)} ms, ${LATENCY} ms latency, zero propagation)`, ratio, 1.5, 'x'),
    figure('rotation journal write per step (step row + audit event, one transaction)', perStep, 5, 'ms'),
  ];
}
