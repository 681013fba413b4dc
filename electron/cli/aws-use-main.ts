import { runAwsUseProcess } from './commands/credential-process';

// The process entry of `keyward credential-process` and `keyward exec` in the build
// (out/cli/aws-use.cjs): this module and what it imports, nothing else of the CLI.
void runAwsUseProcess(process.argv.slice(2));
