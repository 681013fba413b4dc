import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Vault } from '../../electron/core/vault/vault';
import { PassphraseKeyProvider } from '../../electron/core/keys/passphrase';
import { startAwsTestServer, type AwsTestServer } from '../support/aws-server';
import { runCli } from './run-cli';

// `keyward watch`, `passphrase change` and `key-provider set` as processes, as a
// scheduler or an admin's shell would run them.

const PASSPHRASE = 'watch test passphrase 1';
const homes: string[] = [];
let aws: AwsTestServer;

function vaultEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const home = mkdtempSync(join(tmpdir(), 'keyward-cli-home-'));
  homes.push(home);
  return { KEYWARD_HOME: join(home, 'vault'), HOME: home, KEYWARD_PASSPHRASE: PASSPHRASE, ...extra };
}

beforeAll(async () => {
  aws = await startAwsTestServer({ latencyMs: 0, propagationDelayMs: 0 });
});
afterAll(async () => {
  await aws?.close();
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});

describe('keyward watch --once', () => {
  it('exits 0 when nothing needs attention and 1, with the item, once a key went invalid', async () => {
    const env = vaultEnv();
    expect((await runCli(['init'], { env })).code).toBe(0);
    aws.state.createUser('watch-cli');
    const key = aws.state.createAccessKey('watch-cli');
    const add = await runCli(['add', 'aws', '--name', 'prod', '--access-key-id', key.accessKeyId, '--endpoint-url', aws.url, '--no-verify'], { env, stdin: `${key.secretAccessKey}\n` });
    expect(add.code, add.stderr).toBe(0);

    const first = await runCli(['watch', '--once', '--verify', '--json'], { env });
    expect(first.code, first.stderr).toBe(0);
    expect(first.json()).toMatchObject({ run: { checked: 1, counts: { VALID: 1 } }, attention: { items: [] } });

    // Between two runs the key is deleted in IAM: the next run says so, and exits 1.
    aws.state.deleteAccessKey(key.accessKeyId);
    const second = await runCli(['watch', '--once', '--verify', '--json'], { env });
    expect(second.code).toBe(1);
    const doc = second.json() as { attention: { items: Array<{ kind: string; name: string; maskedKeyId: string }> } };
    expect(doc.attention.items).toMatchObject([{ kind: 'turned-invalid', name: 'prod', maskedKeyId: `${key.accessKeyId.slice(0, 4)}************${key.accessKeyId.slice(-4)}` }]);
    expect(second.stdout).not.toContain(key.secretAccessKey);

    // Without --verify it only reads the vault: the same list, no network, no new run.
    const plain = await runCli(['watch', '--once'], { env });
    expect(plain.code).toBe(1);
    expect(plain.stdout).toContain('prod turned Invalid');
    const audit = (await runCli(['audit', '--action', 'watch.run', '--json'], { env })).json() as unknown[];
    expect(audit).toHaveLength(2);
  });

  it('refuses a bad --every and an empty call with exit 2', async () => {
    const env = vaultEnv();
    expect((await runCli(['watch', '--every', '10s'], { env })).code).toBe(2);
    expect((await runCli(['watch'], { env })).code).toBe(2);
  });

  it('runs every interval until stopped, one JSON document per run', async () => {
    const env = vaultEnv();
    expect((await runCli(['init'], { env })).code).toBe(0);
    const child = spawn(process.execPath, [resolve(import.meta.dirname, '../../bin/keyward.cjs'), 'watch', '--every', '1m', '--json'], {
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    await new Promise<void>((r, j) => {
      const t = setTimeout(() => j(new Error(`no run reported: ${out}`)), 30_000);
      child.stdout.on('data', () => out.includes('\n') && (clearTimeout(t), r()));
    });
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(code).toBe(0);
    expect(JSON.parse(out.split('\n')[0])).toMatchObject({ run: { trigger: 'cli', checked: 0 }, attention: { items: [] } });
  });
});

describe('keyward passphrase change', () => {
  it('changes it: the new passphrase opens the vault, the old one is refused (exit 3)', async () => {
    const env = vaultEnv();
    expect((await runCli(['init'], { env })).code).toBe(0);
    const r = await runCli(['passphrase', 'change'], { env, stdin: 'the new long passphrase\n' });
    expect(r.code, r.stderr).toBe(0);
    expect((await runCli(['list'], { env })).code).toBe(3);
    expect((await runCli(['list'], { env: { ...env, KEYWARD_PASSPHRASE: 'the new long passphrase' } })).code).toBe(0);
    const short = await runCli(['passphrase', 'change'], { env: { ...env, KEYWARD_PASSPHRASE: 'the new long passphrase' }, stdin: 'short\n' });
    expect(short.code).toBe(2);
  });

  it('killed at any moment, leaves a vault that opens with the old or the new passphrase, never neither', async () => {
    const env = vaultEnv();
    expect((await runCli(['init'], { env })).code).toBe(0);
    const NEXT = 'the next long passphrase';
    const bin = resolve(import.meta.dirname, '../../bin/keyward.cjs');
    const outcomes = { old: 0, new: 0 };
    let current = PASSPHRASE;
    const change = (from: string, to: string) => {
      const child = spawn(process.execPath, [bin, 'passphrase', 'change'], { env: { PATH: process.env.PATH, ...env, KEYWARD_PASSPHRASE: from }, stdio: ['pipe', 'ignore', 'ignore'] });
      child.stdin.end(`${to}\n`);
      return child;
    };
    // How long a whole change takes on this machine now (the CLI starts, scrypt three times, the commit).
    const started = Date.now();
    const full = change(current, NEXT);
    expect(await new Promise((r) => full.on('close', r))).toBe(0);
    const total = Date.now() - started;
    current = NEXT;
    // Kill points spread over the run and past its end: before the vault opens, during scrypt, around the commit.
    for (const fraction of [0.1, 0.3, 0.5, 0.65, 0.75, 0.82, 0.88, 0.92, 0.96, 1, 1.05, 1.5]) {
      const delayMs = Math.round(total * fraction);
      const next = current === PASSPHRASE ? NEXT : PASSPHRASE;
      const child = change(current, next);
      const timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
      await new Promise((r) => child.on('close', r));
      clearTimeout(timer);
      const dir = env.KEYWARD_HOME!;
      const opensWith = async (p: string) => {
        try {
          (await Vault.open(dir, new PassphraseKeyProvider(p))).close();
          return true;
        } catch {
          return false;
        }
      };
      const [withOld, withNew] = [await opensWith(current), await opensWith(next)];
      expect(withOld !== withNew, `after a kill at ${delayMs} ms exactly one passphrase opens the vault`).toBe(true);
      if (withNew) {
        outcomes.new++;
        current = next;
      } else outcomes.old++;
    }
    // Both sides of the commit were hit.
    expect(outcomes.old).toBeGreaterThan(0);
    expect(outcomes.new).toBeGreaterThan(0);
  }, 300_000);
});

describe('keyward key-provider set', () => {
  it('moves a passphrase vault to the OS keychain: it then opens with no passphrase', async () => {
    const env = vaultEnv();
    expect((await runCli(['init'], { env })).code).toBe(0);
    const r = await runCli(['key-provider', 'set', 'keychain', '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ keyProvider: 'keychain' });
    const { KEYWARD_PASSPHRASE: _, ...noPass } = env;
    expect((await runCli(['list'], { env: noPass })).code).toBe(0);
    const back = await runCli(['key-provider', 'set', 'passphrase'], { env: noPass, stdin: 'back to a passphrase\n' });
    expect(back.code, back.stderr).toBe(0);
    expect((await runCli(['list'], { env: { ...noPass, KEYWARD_PASSPHRASE: 'back to a passphrase' } })).code).toBe(0);
    expect((await runCli(['key-provider', 'set', 'bogus'], { env })).code).toBe(2);
  });
});
