import { createSecretReader } from './stdin';

// The process entry of `keyward`: wires the real stdin/stdout into the CLI.
// credential-process and exec load their own small module only: the AWS CLI runs
// credential-process on every call, and the rest of the CLI is not needed for it.
const argv = process.argv.slice(2);
const awsUse = (['credential-process', 'exec'] as const).some((c) => argv.find((a) => !a.startsWith('-')) === c);
const { run } = awsUse ? { run: (await import('./commands/credential-process')).runAwsUse } : await import('./index');
const reader = createSecretReader(process.stdin, process.stderr);
const code = await run(argv, {
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
