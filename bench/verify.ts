import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeywardCore } from '../electron/core/app/core';
import { startAwsServerProcess } from '../test/support/aws-server-process';
import { figure, time, type Figure } from './report';

/** Verify 1,000 AWS credentials at concurrency 16 against 50 ms of injected latency. */
export async function benchVerify(): Promise<Figure[]> {
  const N = 1000;
  const C = 16;
  const LATENCY = 50;
  // The server runs in its own process: AWS's CPU is not Keyward's.
  const aws = await startAwsServerProcess({
    latencyMs: LATENCY,
    seed: { users: Array.from({ length: N }, (_, i) => ({ userName: `bench-${i}`, keys: [{}] })) },
  });
  const dir = mkdtempSync(join(tmpdir(), 'keyward-bench-verify-'));
  const core = new KeywardCore({ vaultDir: dir, passphrase: 'bench passphrase 123' });
  await core.init('passphrase', 'bench passphrase 123');
  for (const [i, k] of aws.keys.entries()) {
    core.credentials.add({ name: `bench-${i}`, provider: 'AWS', type: 'ACCESS_KEY', fields: { accessKeyId: k.accessKeyId, secretAccessKey: k.secretAccessKey, endpointUrl: aws.url }, verify: false });
  }
  let valid = 0;
  const ms = await time(async () => {
    const run = core.credentials.verifyMany('all', C);
    valid = (await run.done).filter((c) => c.status === 'VALID').length;
  });
  await core.close();
  await aws.close();
  if (valid !== N) throw new Error(`only ${valid} of ${N} verified VALID`);
  const ideal = (N / C) * LATENCY;
  return [figure(`verify ${N} AWS credentials, concurrency ${C}, ${LATENCY} ms latency (ideal ${ideal.toFixed(0)} ms)`, ms, ideal * 1.25, 'ms')];
}
