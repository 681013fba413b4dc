import type { CliIO } from './io';
import { createSecretReader } from './stdin';

/** The CLI's IO on the real stdin/stdout/stderr. */
export function processIO(): CliIO {
  // stdin is opened when a command first reads it (touching process.stdin sets up a stream).
  let reader: ReturnType<typeof createSecretReader> | null = null;
  const stdin = () => (reader ??= createSecretReader(process.stdin, process.stderr));
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    readSecret: (label) => stdin().readSecret(label),
    readRest: (label) => stdin().readRest(label),
    confirm: (question) => stdin().confirm(question),
    isTTY: !!process.stdout.isTTY,
    env: process.env,
  };
}

/** Exits with `code` once stdout is flushed (keep-alive sockets would hold the process open). */
export function exitWhenFlushed(code: number): Promise<never> {
  process.stdout.write('', () => process.exit(code));
  return new Promise<never>(() => undefined);
}
