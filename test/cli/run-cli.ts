import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';

const BIN = resolve(import.meta.dirname, '../../bin/keyward.cjs');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  json: () => unknown;
  errorJson: () => { error: { code: string; message: string } };
}

/** Runs the real `keyward` binary as a process, stdin piped, like a shell script would. */
export function runCli(args: string[], opts: { env: NodeJS.ProcessEnv; stdin?: string; wrap?: string[] }): Promise<CliResult> {
  // `wrap`: a command the node process runs under, e.g. /usr/bin/time to measure its memory.
  const [command, ...prefix] = [...(opts.wrap ?? []), process.execPath];
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, [...prefix, BIN, ...args], {
      // A clean environment (no stray KEYWARD_* or AWS_*), but the session's keychain.
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS,
        XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR,
        XDG_DATA_HOME: process.env.XDG_DATA_HOME,
        ...opts.env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) =>
      resolvePromise({
        code: code ?? -1,
        stdout,
        stderr,
        json: () => JSON.parse(stdout),
        errorJson: () => JSON.parse(stderr),
      }),
    );
    child.stdin.end(opts.stdin ?? '');
  });
}

/** A fresh HOME holding a vault that `keyward init` made with `passphrase`. */
export async function initCliHome(prefix: string, passphrase: string): Promise<{ home: string; env: NodeJS.ProcessEnv }> {
  const home = mkdtempSync(join(tmpdir(), prefix));
  const env = { KEYWARD_HOME: join(home, 'vault'), HOME: home, KEYWARD_PASSPHRASE: passphrase };
  const init = await runCli(['init', '--json'], { env });
  expect(init.code).toBe(0);
  return { home, env };
}

/** The bytes of every file below `dir`, as latin1 text (to look for a secret in them). */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [readFileSync(join(dir, e.name)).toString('latin1')]));
}
