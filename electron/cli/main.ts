import { run } from './index';
import { createSecretReader } from './stdin';

// The process entry of `keyward`: wires the real stdin/stdout into the CLI.
const reader = createSecretReader(process.stdin, process.stderr);
const code = await run(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  readSecret: reader.readSecret,
  readRest: reader.readRest,
  confirm: reader.confirm,
  isTTY: !!process.stdout.isTTY,
  env: process.env,
});
// Keep-alive sockets would hold the process open: exit once output is flushed.
process.stdout.write('', () => process.exit(code));
