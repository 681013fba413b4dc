import type { CliPorts } from './context';
import { run } from './index';
import { exitWhenFlushed, processIO } from './process-io';

/** Runs `keyward` on the real stdin/stdout and exits with its code. `ports`: only a test entry passes them. */
export async function runProcess(argv: string[], ports: CliPorts = {}): Promise<never> {
  return exitWhenFlushed(await run(argv, processIO(), ports));
}
