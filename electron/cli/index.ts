import { parseArgs, type ParseArgsConfig } from 'node:util';
import { KeywardError } from '../core/errors';
import { CliContext } from './context';
import { addApisixCommand, addAwsCommand, deleteCommand, listCommand, showCommand, verifyCommand } from './commands/credentials';
import { auditCommand } from './commands/audit';
import { importCommand } from './commands/import';
import { initCommand } from './commands/vault';
import { EXIT, reportError, usageError, type CliIO } from './io';

const GLOBAL_OPTIONS = {
  json: { type: 'boolean' },
  'vault-dir': { type: 'string' },
  'passphrase-stdin': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

const HELP = `keyward — the Keyward credential vault from a shell

Usage:
  keyward init
  keyward add aws --name NAME --access-key-id ID [--region R] [--endpoint-url URL] [--no-verify]
                                            secret access key on stdin
  keyward add apisix --name NAME --endpoint URL [--no-verify]
                                            admin API key on stdin
  keyward list
  keyward show CRED
  keyward verify CRED... | --all [--concurrency N]
  keyward delete CRED [--yes]
  keyward import aws-credentials [FILE] [--config FILE] [--no-verify]
                                            default ~/.aws/credentials (+ regions from ~/.aws/config)
  keyward audit [--credential CRED] [--action A] [--since ISO] [--limit N]
  keyward audit verify                      check the hash chain; exit 1 and name the first broken event

CRED is a credential's id or its exact name.

Global options:
  --json              exactly one JSON document on stdout; errors as JSON on stderr
  --vault-dir DIR     the vault folder (else $KEYWARD_HOME, else the app's data folder)
  --passphrase-stdin  read the vault passphrase from the first stdin line
                      (or set KEYWARD_PASSPHRASE); otherwise the OS keychain holds the key

Secrets are never taken as flags: they are read from stdin, one per line.
Exit codes: 0 ok; 1 ran, something failed (e.g. not VALID); 2 bad usage or input; 3 vault locked.
`;

type Options = ParseArgsConfig['options'];

function parse(args: string[], options: Options) {
  try {
    return parseArgs({ args, options: { ...GLOBAL_OPTIONS, ...options }, allowPositionals: true, strict: true });
  } catch (e) {
    throw usageError(`${(e as Error).message}. See \`keyward --help\`.`);
  }
}

const ADD_AWS = { name: { type: 'string' }, 'access-key-id': { type: 'string' }, region: { type: 'string' }, 'endpoint-url': { type: 'string' }, 'no-verify': { type: 'boolean' } } as const;
const ADD_APISIX = { name: { type: 'string' }, endpoint: { type: 'string' }, 'no-verify': { type: 'boolean' } } as const;
const VERIFY = { all: { type: 'boolean' }, concurrency: { type: 'string' } } as const;
const DELETE = { yes: { type: 'boolean', short: 'y' } } as const;
const IMPORT = { 'no-verify': { type: 'boolean' }, config: { type: 'string' } } as const;
const AUDIT = { credential: { type: 'string' }, action: { type: 'string' }, since: { type: 'string' }, limit: { type: 'string' } } as const;

/** Runs one CLI invocation; returns the exit code. Never throws. */
export async function run(argv: string[], io: CliIO): Promise<number> {
  const json = argv.includes('--json');
  let ctx: CliContext | null = null;
  try {
    const command = argv.find((a) => !a.startsWith('-'));
    const optionsFor: Record<string, Options> = { add: { ...ADD_AWS, ...ADD_APISIX }, verify: VERIFY, delete: DELETE, import: IMPORT, audit: AUDIT };
    const { values, positionals } = parse(argv, optionsFor[command ?? ''] ?? {});
    if (values.version) {
      io.stdout('keyward 0.1.0\n');
      return EXIT.OK;
    }
    if (values.help || !command) {
      (command || values.help ? io.stdout : io.stderr)(HELP);
      return values.help ? EXIT.OK : EXIT.USAGE;
    }
    ctx = new CliContext(io, { json: !!values.json, vaultDir: values['vault-dir'] as string | undefined, passphraseStdin: !!values['passphrase-stdin'] });
    const [, ...rest] = positionals;
    const v = values as Record<string, string | boolean | undefined>;
    switch (command) {
      case 'init':
        return await initCommand(ctx);
      case 'add':
        if (rest[0] === 'aws') {
          if (v.endpoint !== undefined) throw usageError('--endpoint is for apisix; AWS takes --endpoint-url.');
          return await addAwsCommand(ctx, v);
        }
        if (rest[0] === 'apisix') {
          if (v['access-key-id'] !== undefined || v.region !== undefined || v['endpoint-url'] !== undefined) {
            throw usageError('APISIX takes --name and --endpoint only; the admin API key comes on stdin.');
          }
          return await addApisixCommand(ctx, v);
        }
        throw usageError('Usage: keyward add aws|apisix … (see keyward --help)');
      case 'list':
        return await listCommand(ctx);
      case 'show':
        return await showCommand(ctx, rest[0]);
      case 'verify':
        return await verifyCommand(ctx, rest, v);
      case 'delete':
        return await deleteCommand(ctx, rest[0], v);
      case 'import':
        return await importCommand(ctx, rest[0], rest[1], v);
      case 'audit':
        return await auditCommand(ctx, rest[0], v);
      default:
        throw usageError(`Unknown command "${command}". See \`keyward --help\`.`);
    }
  } catch (e) {
    if (!(e instanceof KeywardError)) io.stderr(`keyward: internal error: ${(e as Error)?.stack ?? e}\n`);
    return reportError(io, e, json);
  } finally {
    await ctx?.close();
  }
}
