import type { CliPorts } from './context';
import { run } from './index';
import { createSecretReader } from './stdin';

/** Runs `keyward` on the real stdin/stdout and exits with its code. `ports`: only a test entry passes them. */
export async function runProcess(argv: string[], ports: CliPorts = {}): Promise<never> {
  const reader = createSecretReader(process.stdin, process.stderr);
  const code = await run(
    argv,
    {
      stdout: (t) => process.stdout.write(t),
      stderr: (t) => process.stderr.write(t),
      readSecret: reader.readSecret,
      readRest: reader.readRest,
      confirm: reader.confirm,
      isTTY: !!process.stdout.isTTY,
      env: process.env,
    },
    ports,
  );
  // Keep-alive sockets would hold the process open: exit once output is flushed.
  process.stdout.write('', () => process.exit(code));
  return new Promise<never>(() => undefined);
}
