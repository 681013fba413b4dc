import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { KeywardCore } from '../electron/core/app/core';
import { buildCli } from '../scripts/build-cli.mjs';
import { startAwsServerProcess } from '../test/support/aws-server-process';
import { figure, type Figure } from './report';

// The shipped CLI (bin/keyward.cjs → out/cli/keyward.cjs, built here first) as a user runs
// it, each figure a ratio to `node -e 0` measured in the same run on the same machine.

const ROOT = resolve(import.meta.dirname, '..');
export const BIN = join(ROOT, 'bin/keyward.cjs');
const RUNS = 15;

export function baseEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { PATH, HOME, DBUS_SESSION_BUS_ADDRESS, XDG_RUNTIME_DIR, XDG_DATA_HOME } = process.env;
  return { PATH, HOME, DBUS_SESSION_BUS_ADDRESS, XDG_RUNTIME_DIR, XDG_DATA_HOME, ...extra };
}

/** Wall time of one process, spawn to exit; throws unless it exits 0. */
export function once(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((res, rej) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('error', rej);
    child.on('close', (code) => (code === 0 ? res(performance.now() - t0) : rej(new Error(`node ${args.join(' ')} exited ${code}: ${err}`))));
  });
}

/** The median of RUNS, the runs of each command interleaved so load spikes hit all alike. */
export async function medians(commands: Record<string, string[]>, env: NodeJS.ProcessEnv): Promise<Record<string, number>> {
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  for (const args of Object.values(commands)) await once(args, env); // warm the file cache
  for (let i = 0; i < RUNS; i++) for (const [k, args] of Object.entries(commands)) samples[k].push(await once(args, env));
  return Object.fromEntries(Object.entries(samples).map(([k, xs]) => [k, [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]]));
}

/** Peak resident set of one process, in MB (GNU time's maximum RSS). */
function peakRssMb(args: string[], env: NodeJS.ProcessEnv): number {
  if (!existsSync('/usr/bin/time')) throw new Error('peak RSS needs GNU time (/usr/bin/time; Debian package "time")');
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return Number(r.stderr.trim().split('\n').pop()) / 1024;
}

export async function benchCli(): Promise<Figure[]> {
  await buildCli();
  const figures: Figure[] = [];
  const tmp = mkdtempSync(join(tmpdir(), 'keyward-bench-cli-'));
  try {
    // A keychain vault (the Secret Service of this session) with 1,000 credentials.
    const N = 1000;
    const vaultDir = join(tmp, 'keychain-vault');
    const core = new KeywardCore({ vaultDir });
    await core.init('keychain');
    for (let i = 0; i < N; i++) {
      core.credentials.add({
        name: `bench-${i}`,
        provider: 'AWS',
        type: 'ACCESS_KEY',
        fields: { accessKeyId: `AKIA${String(i).padStart(16, '0')}`, secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', region: 'us-east-1' },
        verify: false,
      });
    }
    await core.close();
    const env = baseEnv({ KEYWARD_HOME: vaultDir });
    const m = await medians({ node: ['-e', '0'], version: [BIN, '--version'], list: [BIN, 'list'], show: [BIN, 'show', 'bench-500'] }, env);
    const ratio = (k: string) => m[k] / m.node;
    figures.push(
      figure(`keyward --version (${m.version.toFixed(0)} ms; node -e 0: ${m.node.toFixed(0)} ms), × node -e 0`, ratio('version'), 1.5, 'x'),
      figure(`keyward list, ${N} credentials, keychain vault (${m.list.toFixed(0)} ms), × node -e 0`, ratio('list'), 3, 'x'),
      figure(`keyward show, ${N} credentials, keychain vault (${m.show.toFixed(0)} ms), × node -e 0`, ratio('show'), 3, 'x'),
      figure(`keyward list, ${N} credentials: peak RSS`, peakRssMb([BIN, 'list'], env), 120, 'MB'),
    );
    figures.push(await benchSweep(tmp));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return figures;
}

/**
 * `keyward verify --all` over 200 AWS credentials in a passphrase vault (scrypt included)
 * against the same 200 GetCallerIdentity calls made by the bare SDK at the same
 * concurrency, each as one process, against one AWS test server with 50 ms latency.
 */
async function benchSweep(tmp: string): Promise<Figure> {
  const N = 200;
  const C = 16;
  const aws = await startAwsServerProcess({ latencyMs: 50, seed: { users: Array.from({ length: N }, (_, i) => ({ userName: `sweep-${i}`, keys: [{}] })) } });
  try {
    const vaultDir = join(tmp, 'sweep-vault');
    const passphrase = 'bench passphrase 123';
    const core = new KeywardCore({ vaultDir, passphrase });
    await core.init('passphrase', passphrase);
    for (const [i, k] of aws.keys.entries()) {
      core.credentials.add({
        name: `sweep-${i}`,
        provider: 'AWS',
        type: 'ACCESS_KEY',
        fields: { accessKeyId: k.accessKeyId, secretAccessKey: k.secretAccessKey, endpointUrl: aws.url },
        verify: false,
      });
    }
    await core.close();
    const keysFile = join(tmp, 'keys.json');
    writeFileSync(keysFile, JSON.stringify({ url: aws.url, keys: aws.keys, concurrency: C }));
    const bare = join(tmp, 'bare-sdk.mjs');
    // The bare SDK: one client per key (each key is its own credential), C calls at a time.
    writeFileSync(
      bare,
      `import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
const { STSClient, GetCallerIdentityCommand } = createRequire(${JSON.stringify(join(ROOT, 'package.json'))})('@aws-sdk/client-sts');
const { url, keys, concurrency } = JSON.parse(readFileSync(${JSON.stringify(keysFile)}, 'utf8'));
let next = 0, ok = 0;
await Promise.all(Array.from({ length: concurrency }, async () => {
  while (next < keys.length) {
    const k = keys[next++];
    const sts = new STSClient({ region: 'us-east-1', endpoint: url, credentials: { accessKeyId: k.accessKeyId, secretAccessKey: k.secretAccessKey } });
    if ((await sts.send(new GetCallerIdentityCommand({}))).Account) ok++;
  }
}));
if (ok !== keys.length) { console.error('only', ok, 'valid'); process.exit(1); }
process.exit(0);
`,
    );
    const env = baseEnv({ KEYWARD_HOME: vaultDir, KEYWARD_PASSPHRASE: passphrase, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });
    const samples = { sdk: [] as number[], keyward: [] as number[] };
    for (let i = 0; i < 5; i++) {
      samples.sdk.push(await once([bare], env));
      samples.keyward.push(await once([BIN, 'verify', '--all', '--concurrency', String(C)], env));
    }
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const [k, s] = [med(samples.keyward), med(samples.sdk)];
    return figure(`keyward verify --all, ${N} AWS credentials, concurrency ${C}, 50 ms latency (${k.toFixed(0)} ms; bare SDK ${s.toFixed(0)} ms), × bare SDK`, k / s, 1.5, 'x');
  } finally {
    await aws.close();
  }
}
