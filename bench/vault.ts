import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeywardCore } from '../electron/core/app/core';
import { figure, time, type Figure } from './report';

/** Vault with 10,000 credentials: create, list, open one secret, RSS. */
export async function benchVault(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'keyward-bench-vault-'));
  const core = new KeywardCore({ vaultDir: dir, passphrase: 'bench passphrase 123' });
  await core.init('passphrase', 'bench passphrase 123');
  const svc = core.credentials;
  const N = 10_000;
  const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  const keyId = (i: number) => `AKIA${String(i).padStart(16, '0')}`;

  const createMs = await time(() => {
    for (let i = 0; i < N; i++) {
      svc.add({ name: `bench-${i}`, provider: 'AWS', type: 'ACCESS_KEY', fields: { accessKeyId: keyId(i), secretAccessKey: secret, region: 'us-east-1' }, verify: false });
    }
  });
  // Median of several runs: list and open are the hot paths the window hits.
  const listRuns: number[] = [];
  let count = 0;
  for (let i = 0; i < 7; i++) listRuns.push(await time(() => (count = svc.list().length)));
  const ids = svc.list().map((c) => c.id);
  const openRuns: number[] = [];
  for (let i = 0; i < 200; i++) {
    const id = ids[(i * 37) % ids.length];
    openRuns.push(await time(() => svc.repo.secretsOf(id)));
  }
  const rssMb = process.memoryUsage().rss / 1024 / 1024;
  await core.close();
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  if (count !== N) throw new Error(`listed ${count}, expected ${N}`);
  return [
    figure(`create ${N} credentials (one transaction each)`, createMs, 2000, 'ms'),
    figure(`list ${N} credentials (metadata, no decryption), median of 7`, median(listRuns), 50, 'ms'),
    figure('open one secret, median of 200', median(openRuns), 1, 'ms'),
    figure(`process RSS with ${N} credentials`, rssMb, 200, 'MB'),
  ];
}
