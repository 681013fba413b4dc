import { runProcess } from './process';

// The process entry of `keyward`: the real stdin/stdout, and no test port.
await runProcess(process.argv.slice(2));
