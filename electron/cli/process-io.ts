import type { CliIO } from './io';
import { createSecretReader } from './stdin';

/** The CLI's IO on the real stdin/stdout/stderr. */
export function processIO(): CliIO {
  const reader = createSecretReader(process.stdin, process.stderr);
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    readSecret: reader.readSecret,
    readRest: reader.readRest,
    confirm: reader.confirm,
    isTTY: !!process.stdout.isTTY,
    env: process.env,
  };
}

/** Exits with `code` once stdout is flushed (keep-alive sockets would hold the process open). */
export function exitWhenFlushed(code: number): Promise<never> {
  process.stdout.write('', () => process.exit(code));
  return new Promise<never>(() => undefined);
}
