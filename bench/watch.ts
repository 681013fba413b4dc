import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeywardCore } from '../electron/core/app/core';
import { startAwsServerProcess } from '../test/support/aws-server-process';
import { figure, time, type Figure } from './report';

const PASS = 'bench passphrase 123';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** What needs attention over 10,000 credentials, from the vault alone. */
async function benchAttention(): Promise<Figure> {
  const N = 10_000;
  const core = new KeywardCore({ vaultDir: mkdtempSync(join(tmpdir(), 'keyward-bench-watch-')), passphrase: PASS });
  await core.init('passphrase', PASS);
  const db = core.openVault.db;
  core.openVault.tx(() => {
    for (let i = 0; i < N; i++) {
      const c = core.credentials.add({
        name: `cred-${i}`,
        provider: 'AWS',
        type: 'ACCESS_KEY',
        fields: { accessKeyId: `AKIA${String(i).padStart(16, '0')}`, secretAccessKey: 'x'.repeat(40) },
        verify: false,
      });
      // A realistic mix: most valid, some invalid after being valid, some unreachable for days.
      const status = i % 10 === 0 ? 'INVALID' : i % 17 === 0 ? 'UNREACHABLE' : 'VALID';
      db.prepare('UPDATE credentials SET status = ?, last_verified_at = ? WHERE id = ?').run('VALID', new Date(Date.now() - 5 * 86_400_000).toISOString(), c.id);
      if (status !== 'VALID') db.prepare('UPDATE credentials SET status = ?, last_verified_at = ? WHERE id = ?').run(status, new Date(Date.now() - 2 * 86_400_000).toISOString(), c.id);
    }
  });
  core.watch.attention();
  const runs: number[] = [];
  let items = 0;
  for (let i = 0; i < 7; i++) runs.push(await time(() => void (items = core.watch.attention().items.length)));
  await core.close();
  if (items < N / 10) throw new Error(`only ${items} items`);
  return figure(`attention list over ${N} credentials (${items} items), median of 7`, median(runs), 100, 'ms');
}

/** A scheduled check run over 1,000 AWS credentials at 50 ms latency, beside Verify all in the same run. */
async function benchScheduledRun(): Promise<Figure> {
  const N = 1000;
  const LATENCY = 50;
  const aws = await startAwsServerProcess({ latencyMs: LATENCY, seed: { users: Array.from({ length: N }, (_, i) => ({ userName: `bench-${i}`, keys: [{}] })) } });
  const core = new KeywardCore({ vaultDir: mkdtempSync(join(tmpdir(), 'keyward-bench-watch-')), passphrase: PASS, watch: { notifier: { notify: () => undefined } } });
  await core.init('passphrase', PASS);
  core.openVault.tx(() => {
    for (const [i, k] of aws.keys.entries()) {
      core.credentials.add({
        name: `bench-${i}`,
        provider: 'AWS',
        type: 'ACCESS_KEY',
        fields: { accessKeyId: k.accessKeyId, secretAccessKey: k.secretAccessKey, endpointUrl: aws.url },
        verify: false,
      });
    }
  });
  // A first sweep warms the SDK and the connections for both: the two timed runs then compare like with like.
  await core.credentials.verifyMany('all').done;
  const bulk = await time(() => core.credentials.verifyMany('all').done);
  let checked = 0;
  const scheduled = await time(async () => void (checked = (await core.watch.run('schedule', { verify: true })).run?.checked ?? 0));
  await core.close();
  await aws.close();
  if (checked !== N) throw new Error(`the run checked ${checked} of ${N}`);
  return figure(`scheduled check run over ${N} credentials, 50 ms latency, vs Verify all in the same run (${bulk.toFixed(0)} ms)`, scheduled / bulk, 1.25, 'x');
}

export async function benchWatch(): Promise<Figure[]> {
  return [await benchAttention(), await benchScheduledRun()];
}
