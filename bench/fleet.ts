import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeywardCore } from '../electron/core/app/core';
import { IamCalls } from '../electron/core/rotation/iam';
import { startAwsServerProcess } from '../test/support/aws-server-process';
import { figure, time, type Figure } from './report';

/**
 * A fleet run: 100 due keys, 4 at a time, against the test server in its own process
 * answering each call after 20 ms. The plan and the run, against the sum of their AWS
 * round trips divided by the 4 lanes: what the queue, the journal and the SDK add.
 */
export async function benchFleet(): Promise<Figure[]> {
  const N = 100;
  const LANES = 4;
  const LATENCY = 20;
  const old = new Date(Date.now() - 120 * 86_400_000).toISOString();
  const aws = await startAwsServerProcess({ latencyMs: LATENCY, seed: { users: Array.from({ length: N + 1 }, (_, i) => ({ userName: `fleet-${i}`, keys: [{ createDate: old }] })) } });
  const dir = mkdtempSync(join(tmpdir(), 'keyward-bench-fleet-'));
  const core = new KeywardCore({ vaultDir: dir, passphrase: 'bench passphrase 123' });
  await core.init('passphrase', 'bench passphrase 123');
  const parts = (i: number) => ({ accessKeyId: aws.keys[i].accessKeyId, secretAccessKey: aws.keys[i].secretAccessKey, region: 'us-east-1', endpointUrl: aws.url });

  // One AWS round trip, as the SDK makes it: the median of single ListAccessKeys calls.
  const probe = new IamCalls(parts(N), 'bench', `fleet-${N}`, { timeoutMs: 5000, maxAttempts: 1 });
  await probe.listKeys();
  const trips: number[] = [];
  for (let i = 0; i < 20; i++) trips.push(await time(() => probe.listKeys()));
  const rtt = trips.sort((a, b) => a - b)[10];

  for (let i = 0; i < N; i++) core.credentials.add({ name: `fleet-${i}`, provider: 'AWS', type: 'ACCESS_KEY', fields: parts(i), verify: false });
  const admin = async (path: string, method = 'GET') => (await fetch(`${aws.url}/__admin/${path}`, { method })).json() as Promise<unknown[]>;
  await admin('requests', 'DELETE');
  let rotated = 0;
  const ms = await time(async () => {
    const fleet = core.rotations.fleet;
    const planned = await fleet.plan({ concurrency: LANES });
    const summary = await fleet.start(planned, { concurrency: LANES }).done;
    rotated = summary.rotated;
  });
  if (rotated !== N) throw new Error(`the fleet run rotated ${rotated} of ${N} keys`);
  const calls = (await admin('requests')).length;
  const ideal = (calls * rtt) / LANES;

  await core.close();
  await aws.close();
  return [
    figure(`fleet run: ${N} due keys, ${LANES} at a time, plan + run vs (${calls} round trips × ${rtt.toFixed(1)} ms ÷ ${LANES}) at ${LATENCY} ms latency`, ms / ideal, 1.3, 'x'),
    figure(`fleet run: ${N} due keys, wall time`, ms / 1000, 30, 's'),
  ];
}
