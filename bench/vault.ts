import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { KeywardCore } from '../electron/core/app/core';
import { createDispatcher } from '../electron/core/app/handlers';
import { parseResponse } from '../shared/response-parse';
import { CredentialSchema } from '../shared/schemas';
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
  // Before the measurements below, which hold lists of their own.
  const rssMb = process.memoryUsage().rss / 1024 / 1024;
  // What the window waits for: the same list through the dispatcher, its answer checked.
  const dispatch = createDispatcher(core);
  const dispatchRuns: number[] = [];
  for (let i = 0; i < 7; i++) dispatchRuns.push(await time(async () => (count = ((await dispatch('credentials.list', {})) as { data: unknown[] }).data.length)));
  // The answer check alone, in a warm process (the window's steady state): the plain checks
  // built from the schema against zod's own parse, alternated. A cold process, as every CLI
  // call is, gains from them (the `keyward list` figure); a warm one may pay a little.
  const answer = svc.list();
  const schema = z.array(CredentialSchema);
  const plainRuns: number[] = [];
  const zodRuns: number[] = [];
  for (let i = 0; i < 7; i++) {
    plainRuns.push(await time(() => parseResponse(schema, answer)));
    zodRuns.push(await time(() => schema.parse(answer)));
  }
  await core.close();
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  if (count !== N) throw new Error(`listed ${count}, expected ${N}`);
  return [
    figure(`create ${N} credentials (one transaction each)`, createMs, 2000, 'ms'),
    figure(`list ${N} credentials (metadata, no decryption), median of 7`, median(listRuns), 50, 'ms'),
    figure(`credentials.list through the dispatcher (query and answer check), ${N} credentials, median of 7`, median(dispatchRuns), 75, 'ms'),
    figure(`answer check of ${N} credentials in a warm process, plain checks × zod's parse, medians of 7`, median(plainRuns) / median(zodRuns), 1.5, 'x'),
    figure('open one secret, median of 200', median(openRuns), 1, 'ms'),
    figure(`process RSS with ${N} credentials`, rssMb, 200, 'MB'),
  ];
}
