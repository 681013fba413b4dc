/**
 * Standalone AWS test server, for tests that run Keyward in another process:
 *
 *   tsx test/support/aws-server/main.ts [--port N] [--latency-ms N] [--propagation-delay-ms N] [--seed FILE.json]
 *
 * Prints one JSON line, {"url":"http://127.0.0.1:PORT","keys":[…seeded credentials…]}, once it is
 * listening, then serves until SIGTERM or SIGINT. Drive it through the /__admin/ API.
 */
import { readFileSync } from 'node:fs';
import { applySeed, parseSeed } from './seed';
import { startAwsTestServer } from './server';

interface Args {
  port: number;
  latencyMs: number;
  propagationDelayMs: number;
  seedFile?: string;
}

function usage(message: string): never {
  process.stderr.write(`${message}\nusage: main.ts [--port N] [--latency-ms N] [--propagation-delay-ms N] [--seed FILE.json]\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): Args {
  const args: Args = { port: 0, latencyMs: 0, propagationDelayMs: 0 };
  const number = (flag: string, value: string | undefined): number => {
    const n = Number(value);
    if (value === undefined || !Number.isInteger(n) || n < 0) usage(`${flag} needs a non-negative integer`);
    return n;
  };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = argv[i + 1];
    switch (flag) {
      case '--port':
        args.port = number(flag, value);
        break;
      case '--latency-ms':
        args.latencyMs = number(flag, value);
        break;
      case '--propagation-delay-ms':
        args.propagationDelayMs = number(flag, value);
        break;
      case '--seed':
        if (!value) usage('--seed needs a file');
        args.seedFile = value;
        break;
      default:
        usage(`unknown argument '${flag}'`);
    }
    i += 1;
  }
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const server = await startAwsTestServer({ port: args.port, latencyMs: args.latencyMs, propagationDelayMs: args.propagationDelayMs });
  let keys: ReturnType<typeof applySeed> = [];
  if (args.seedFile) {
    try {
      keys = applySeed(server.state, parseSeed(JSON.parse(readFileSync(args.seedFile, 'utf8'))));
    } catch (error) {
      await server.close();
      usage(`cannot apply seed ${args.seedFile}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  // The seeded secrets go to the parent process that asked for them, nowhere else.
  process.stdout.write(`${JSON.stringify({ url: server.url, keys })}\n`);

  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

void main();
