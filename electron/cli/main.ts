import { builtEntryFor } from './route';

// The process entry of `keyward` from the source (bin/keyward-dev.mjs) and of the build's
// out/cli/keyward.cjs: the real stdin/stdout, and no test port. credential-process and
// exec load their own small module only (in the build, bin/keyward.cjs runs
// out/cli/aws-use.cjs for them). No top-level await: the build is CommonJS.
const argv = process.argv.slice(2);
if (builtEntryFor(argv) === 'aws-use') void import('./commands/credential-process').then((m) => m.runAwsUseProcess(argv));
else void import('./process').then((m) => m.runProcess(argv));
