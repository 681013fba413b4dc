import { commandWord } from './global-options';

// The process entry of `keyward`: the real stdin/stdout, and no test port.
// credential-process and exec load their own small module only (the AWS CLI runs
// credential-process on every call): the rest of the CLI is never evaluated for them.
// No top-level await: the build is one CommonJS file (bin/keyward.mjs gives it a code cache).
const argv = process.argv.slice(2);
const word = commandWord(argv);
if (word === 'credential-process' || word === 'exec') void import('./commands/credential-process').then((m) => m.runAwsUseProcess(argv));
else void import('./process').then((m) => m.runProcess(argv));
