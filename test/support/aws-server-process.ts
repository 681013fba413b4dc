import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Seed, SeededKey } from './aws-server';

/**
 * The AWS test server in its own process, as AWS is outside Keyward's: for benchmarks
 * (so the server's CPU is not counted as Keyward's) and for tests that kill processes.
 */
export async function startAwsServerProcess(opts: { seed?: Seed; latencyMs?: number } = {}): Promise<{ url: string; keys: SeededKey[]; child: ChildProcess; close: () => Promise<void> }> {
  const args = [resolve(import.meta.dirname, 'aws-server/main.ts'), '--latency-ms', String(opts.latencyMs ?? 0)];
  if (opts.seed) {
    const file = join(mkdtempSync(join(tmpdir(), 'keyward-aws-seed-')), 'seed.json');
    writeFileSync(file, JSON.stringify(opts.seed));
    args.push('--seed', file);
  }
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((res, rej) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', (l) => (rl.close(), res(l)));
    child.once('exit', (code) => rej(new Error(`AWS test server exited with ${code}`)));
  });
  const { url, keys } = JSON.parse(line) as { url: string; keys: SeededKey[] };
  return {
    url,
    keys,
    child,
    close: () =>
      new Promise<void>((res) => {
        if (child.exitCode !== null) return res();
        child.once('exit', () => res());
        child.kill('SIGTERM');
      }),
  };
}
