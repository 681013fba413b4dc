import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliContext, type CliPorts } from './context';
import { EXIT, reportError, usageError, type CliIO } from './io';
import { GLOBAL_OPTIONS } from './global-options';
import { AWS_USE_COMMANDS } from './route';

/** `keyward --help`: the add and delivery lines come from their commands (each provider's fields, each kind's flags). */
async function helpText(): Promise<string> {
  const [{ addHelp }, { DELIVERY_USAGE }] = await Promise.all([import('./commands/add'), import('./commands/delivery')]);
  return `keyward — the Keyward credential vault from a shell

Usage:
  keyward init
${addHelp()}
  keyward list
  keyward show CRED [--report]             --report: name, provider, status, error, diagnosis and
                                            test command for support (no secret, key ids masked)
  keyward verify CRED... | --all [--concurrency N]
  keyward delete CRED [--yes]
  keyward import aws-credentials [FILE] [--config FILE] [--no-verify]
                                            default ~/.aws/credentials (+ regions from ~/.aws/config)
  keyward import access-key-csv FILE --name NAME [--region R] [--no-verify]
                                            the .csv the AWS console downloads for a new key
  keyward resource add CRED --security-group SG_ID [--region R]
  keyward resource list [CRED]
  keyward resource verify RESOURCE_ID       exit 1 when the group is not VALID
  keyward resource move RESOURCE_ID... --to CRED | --from CRED --to CRED
                                            reassign to another credential of the same provider,
                                            then verify; exit 1 when any is not VALID
  keyward policy [CRED] [--with-rotation]   the least-privilege IAM policy document
  keyward rotate CRED [--user IAM_USER] [--as ADMIN_CRED] [--delete-first KEY_ID] [--hold] [--yes]
                                            --hold: stop after deactivating the old key (delete it with --resume)
  keyward rotate --due [--max-age DAYS] [--as ADMIN_CRED] [--match PATTERN] [--concurrency N] [--hold] [--yes]
                                            every due key: the plan first; with --yes, a run (4 at a time)
  keyward rotate --resume [ID] | --rollback ID [--delete-orphan KEY_ID]
                                            --resume with no ID finishes every rotation of an unfinished run
  ${DELIVERY_USAGE}
                                            the places a key is copied to: rotation writes and checks
                                            each before the old key goes, and a rollback restores them
  keyward params list [--group G] | get KEY | set KEY [VALUE] [--secret] | bind KEY CRED FIELD
  keyward params unbind KEY | delete KEY | test GROUP | export GROUP [--format json|env] | import FILE
  keyward params template --group G [--prefix P]     an AWS S3 starting set (key, secret, bucket, region)
  keyward audit [--credential CRED] [--action A] [--since ISO] [--limit N]
  keyward audit verify                      check the hash chain; exit 1 and name the first broken event
  keyward import credential-report FILE     an IAM credential report (CSV): key age and last use
  keyward import credential-report --fetch ADMIN_CRED
                                            fetch it from AWS (iam:GenerateCredentialReport) instead
  keyward export inventory [--format csv|json] [--key-ids masked|full]
                                            every field but secrets; key ids masked unless --key-ids full
  keyward backup FILE                       the whole vault, encrypted; backup passphrase on stdin
  keyward restore FILE [--merge]            into an empty vault folder, or --merge into this one;
                                            backup passphrase on stdin (after the vault's, with --passphrase-stdin)
  keyward doctor                            check the vault file read-only; exit 1 and say what to do
  keyward watch --once [--verify] [--concurrency N]
                                            what needs attention (from the vault; --verify checks
                                            every credential first); exit 0 nothing, 1 something
  keyward watch --every 6h                  check and report every interval until stopped (30m, 6h, 1d)
  keyward passphrase change                 current passphrase as usual; the new one on stdin
  keyward key-provider set keychain|passphrase
                                            move the vault key; to a passphrase, the new one on stdin
  keyward credential-process CRED [--session [--duration 1h]] [--mfa-serial ARN]
                                            the key as AWS's credential_process setting reads it;
                                            --session: sts:GetSessionToken credentials, cached sealed
  keyward exec CRED [--session [--duration 1h]] -- COMMAND [ARGS...]
                                            run COMMAND with AWS_ACCESS_KEY_ID, … set for it alone
  keyward import aws-credentials [FILE] --migrate [--dry-run]
                                            import, then point each profile at credential-process and
                                            remove its keys from the files (backups first)

CRED is a credential's id or its exact name.

Global options:
  --json              exactly one JSON document on stdout; errors as JSON on stderr
  --vault-dir DIR     the vault folder (else $KEYWARD_HOME, else the app's data folder)
  --passphrase-stdin  read the vault passphrase from the first stdin line
                      (or set KEYWARD_PASSPHRASE); otherwise the OS keychain holds the key

Secrets are never taken as flags: they are read from stdin, one per line.
Exit codes: 0 ok; 1 ran, something failed (e.g. not VALID); 2 bad usage or input; 3 vault locked.
`;
}

type Options = ParseArgsConfig['options'];

function parse(args: string[], options: Options) {
  try {
    return parseArgs({ args, options: { ...GLOBAL_OPTIONS, ...options }, allowPositionals: true, strict: true });
  } catch (e) {
    throw usageError(`${(e as Error).message}. See \`keyward --help\`.`);
  }
}

const VERIFY = { all: { type: 'boolean' }, concurrency: { type: 'string' } } as const;
const DELETE = { yes: { type: 'boolean', short: 'y' } } as const;
const IMPORT = {
  'no-verify': { type: 'boolean' },
  config: { type: 'string' },
  fetch: { type: 'string' },
  name: { type: 'string' },
  region: { type: 'string' },
  migrate: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
} as const;
const RESOURCE = { 'security-group': { type: 'string' }, region: { type: 'string' }, to: { type: 'string' }, from: { type: 'string' } } as const;
const POLICY = { 'with-rotation': { type: 'boolean' } } as const;
const SHOW = { report: { type: 'boolean' } } as const;
const ROTATE = {
  user: { type: 'string' },
  as: { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
  resume: { type: 'boolean' },
  rollback: { type: 'boolean' },
  'delete-first': { type: 'string' },
  'delete-orphan': { type: 'string' },
  hold: { type: 'boolean' },
  due: { type: 'boolean' },
  'max-age': { type: 'string' },
  match: { type: 'string' },
  concurrency: { type: 'string' },
} as const;
const PARAMS = {
  group: { type: 'string' },
  search: { type: 'string' },
  secret: { type: 'boolean' },
  label: { type: 'string' },
  type: { type: 'string' },
  choices: { type: 'string' },
  'aws-field': { type: 'string' },
  format: { type: 'string' },
  prefix: { type: 'string' },
} as const;
const EXPORT = { format: { type: 'string' }, 'key-ids': { type: 'string' } } as const;
const RESTORE = { merge: { type: 'boolean' } } as const;
const WATCH = { once: { type: 'boolean' }, verify: { type: 'boolean' }, every: { type: 'string' }, concurrency: { type: 'string' } } as const;
const AUDIT = { credential: { type: 'string' }, action: { type: 'string' }, since: { type: 'string' }, limit: { type: 'string' } } as const;

type Flags = Record<string, string | boolean | undefined>;

/** A command: its own flags (beside the global ones) and what runs it. */
interface Command {
  options?: Options;
  run: (ctx: CliContext, rest: string[], flags: Flags) => Promise<number>;
}

/**
 * Every command, each loaded when it runs: `keyward list` evaluates no other command's
 * module, nor what that module imports (the AWS SDKs' wrappers, readline, zod schemas).
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  init: async () => {
    const { initCommand } = await import('./commands/vault');
    return { run: (ctx) => initCommand(ctx) };
  },
  add: async () => {
    const { ADD_OPTIONS, addCommand } = await import('./commands/add');
    return { options: ADD_OPTIONS, run: (ctx, rest, v) => addCommand(ctx, rest[0], v) };
  },
  list: async () => {
    const { listCommand } = await import('./commands/credentials');
    return { run: (ctx) => listCommand(ctx) };
  },
  show: async () => {
    const [{ showCommand }, { reportCommand }] = await Promise.all([import('./commands/credentials'), import('./commands/report')]);
    return { options: SHOW, run: (ctx, rest, v) => (v.report ? reportCommand(ctx, rest[0]) : showCommand(ctx, rest[0])) };
  },
  verify: async () => {
    const { verifyCommand } = await import('./commands/credentials');
    return { options: VERIFY, run: (ctx, rest, v) => verifyCommand(ctx, rest, v) };
  },
  delete: async () => {
    const { deleteCommand } = await import('./commands/credentials');
    return { options: DELETE, run: (ctx, rest, v) => deleteCommand(ctx, rest[0], v) };
  },
  import: async () => {
    const [{ importCommand }, { importReportCommand }] = await Promise.all([import('./commands/import'), import('./commands/inventory')]);
    return { options: IMPORT, run: (ctx, rest, v) => (rest[0] === 'credential-report' ? importReportCommand(ctx, rest[1], v) : importCommand(ctx, rest[0], rest[1], v)) };
  },
  resource: async () => {
    const [{ resourceCommand }, { resourceMoveCommand }] = await Promise.all([import('./commands/resources'), import('./commands/resource-move')]);
    return { options: RESOURCE, run: (ctx, rest, v) => (rest[0] === 'move' ? resourceMoveCommand(ctx, rest.slice(1), v) : resourceCommand(ctx, rest[0], rest[1], v)) };
  },
  policy: async () => {
    const { policyCommand } = await import('./commands/policy');
    return { options: POLICY, run: (ctx, rest, v) => policyCommand(ctx, rest[0], v) };
  },
  audit: async () => {
    const { auditCommand } = await import('./commands/audit');
    return { options: AUDIT, run: (ctx, rest, v) => auditCommand(ctx, rest[0], v) };
  },
  rotate: async () => {
    const { rotateCommand } = await import('./commands/rotate');
    return { options: ROTATE, run: (ctx, rest, v) => rotateCommand(ctx, rest[0], v) };
  },
  params: async () => {
    const { paramsCommand } = await import('./commands/params');
    return { options: PARAMS, run: (ctx, rest, v) => paramsCommand(ctx, rest, v) };
  },
  delivery: async () => {
    const { DELIVERY_OPTIONS, deliveryCommand } = await import('./commands/delivery');
    return { options: DELIVERY_OPTIONS, run: (ctx, rest, v) => deliveryCommand(ctx, rest[0], rest[1], v) };
  },
  export: async () => {
    const { exportCommand } = await import('./commands/inventory');
    return { options: EXPORT, run: (ctx, rest, v) => exportCommand(ctx, rest[0], v) };
  },
  backup: async () => {
    const { backupCommand } = await import('./commands/inventory');
    return { run: (ctx, rest) => backupCommand(ctx, rest[0]) };
  },
  restore: async () => {
    const { restoreCommand } = await import('./commands/inventory');
    return { options: RESTORE, run: (ctx, rest, v) => restoreCommand(ctx, rest[0], v) };
  },
  doctor: async () => {
    const { doctorCommand } = await import('./commands/inventory');
    return { run: (ctx) => doctorCommand(ctx) };
  },
  watch: async () => {
    const { watchCommand } = await import('./commands/watch');
    return { options: WATCH, run: (ctx, _rest, v) => watchCommand(ctx, v) };
  },
  passphrase: async () => {
    const { passphraseCommand } = await import('./commands/watch');
    return { run: (ctx, rest) => passphraseCommand(ctx, rest[0]) };
  },
  'key-provider': async () => {
    const { keyProviderCommand } = await import('./commands/watch');
    return { run: (ctx, rest) => keyProviderCommand(ctx, rest[0], rest[1]) };
  },
};

/**
 * The command: the first word that is neither a global flag nor the value of one, so
 * global flags stand before or after it (`keyward --vault-dir DIR restore FILE`).
 */
export function commandOf(argv: string[]): string | undefined {
  const takesValue = new Set(
    Object.entries(GLOBAL_OPTIONS)
      .filter(([, o]) => o.type === 'string')
      .map(([name]) => `--${name}`),
  );
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') return undefined;
    if (takesValue.has(a)) i++;
    else if (!a.startsWith('-')) return a;
  }
  return undefined;
}

/** Runs one CLI invocation; returns the exit code. Never throws. `ports`: only a test entry passes them. */
export async function run(argv: string[], io: CliIO, ports: CliPorts = {}): Promise<number> {
  const json = argv.includes('--json');
  let ctx: CliContext | null = null;
  try {
    const command = commandOf(argv);
    if (AWS_USE_COMMANDS.includes(command as (typeof AWS_USE_COMMANDS)[number])) {
      const { runAwsUse } = await import('./commands/credential-process');
      return await runAwsUse(argv, io);
    }
    const spec = command !== undefined && Object.hasOwn(COMMANDS, command) ? await COMMANDS[command]() : null;
    const { values, positionals } = parse(argv, spec?.options ?? {});
    if (values.version) {
      io.stdout('keyward 0.1.0\n');
      return EXIT.OK;
    }
    if (values.help || !command) {
      (command || values.help ? io.stdout : io.stderr)(await helpText());
      return values.help ? EXIT.OK : EXIT.USAGE;
    }
    if (!spec) throw usageError(`Unknown command "${command}". See \`keyward --help\`.`);
    ctx = new CliContext(io, { json: !!values.json, vaultDir: values['vault-dir'] as string | undefined, passphraseStdin: !!values['passphrase-stdin'] }, ports);
    const [, ...rest] = positionals;
    return await spec.run(ctx, rest, values as Flags);
  } catch (e) {
    return reportError(io, e, json);
  } finally {
    await ctx?.close();
  }
}
