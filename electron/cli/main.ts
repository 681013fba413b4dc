import { commandWord } from './global-options';

// The process entry of `keyward`: the real stdin/stdout, and no test port.
// credential-process and exec load their own small module only (the AWS CLI runs
// credential-process on every call): the rest of the CLI is never evaluated for them.
const argv = process.argv.slice(2);
const word = commandWord(argv);
if (word === 'credential-process' || word === 'exec') await (await import('./commands/credential-process')).runAwsUseProcess(argv);
else await (await import('./process')).runProcess(argv);
