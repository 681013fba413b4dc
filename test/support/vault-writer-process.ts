// Starts test/support/vault-writer.ts as a child process (the vault's second writer) and
// follows it: its output so far, its exit, "ready" before it is released with "go".
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';
import { PASSPHRASE } from './fixtures';

export interface VaultWriter {
  child: ChildProcessWithoutNullStreams;
  exited: Promise<number | null>;
  out(): string;
  err(): string;
  /** Resolves once the writer has the vault open; fails if it exits first. */
  ready(pollMs: number): Promise<void>;
}

export function spawnVaultWriter(dir: string, prefix: string, count: number): VaultWriter {
  const root = resolve(import.meta.dirname, '../..');
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(root, 'test/support/vault-writer.ts'), dir, prefix, String(count)], {
    cwd: root,
    env: { ...process.env, KEYWARD_TEST_PASSPHRASE: PASSPHRASE },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const ready = (pollMs: number) =>
    new Promise<void>((ok, fail) => {
      const t = setInterval(() => {
        if (stdout.includes('ready\n')) {
          clearInterval(t);
          ok();
        } else if (child.exitCode !== null) {
          clearInterval(t);
          fail(new Error(`writer died: ${stderr}`));
        }
      }, pollMs);
    });
  return { child, exited, out: () => stdout, err: () => stderr, ready };
}
