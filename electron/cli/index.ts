import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliContext, type CliPorts } from './context';
import { deleteCommand, listCommand, showCommand, verifyCommand } from './commands/credentials';
import { ADD_OPTIONS, addCommand, addHelp } from './commands/add';
import { auditCommand } from './commands/audit';
import { paramsCommand } from './commands/params';
import { rotateCommand } from './commands/rotate';
import { policyCommand } from './commands/policy';
import { resourceCommand } from './commands/resources';
import { resourceMoveCommand } from './commands/resource-move';
import { DELIVERY_OPTIONS, DELIVERY_USAGE, deliveryCommand } from './commands/delivery';
import { reportCommand } from './commands/report';
import { importCommand } from './commands/import';
import { backupCommand, doctorCommand, exportCommand, importReportCommand, restoreCommand } from './commands/inventory';
import { initCommand } from './commands/vault';
import { keyProviderCommand, passphraseCommand, watchCommand } from './commands/watch';
import { EXIT, reportError, usageError, type CliIO } from './io';
import { GLOBAL_OPTIONS } from './global-options';
import { AWS_USE_COMMANDS, runAwsUse } from './commands/credential-process';

const HELP = `keyward — the Keyward credential vault from a shell

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
    if (AWS_USE_COMMANDS.includes(command as (typeof AWS_USE_COMMANDS)[number])) return await runAwsUse(argv, io);
    const optionsFor: Record<string, Options> = {
      add: ADD_OPTIONS,
      verify: VERIFY,
      delete: DELETE,
      import: IMPORT,
      audit: AUDIT,
      rotate: ROTATE,
      params: PARAMS,
      resource: RESOURCE,
      show: SHOW,
      policy: POLICY,
      export: EXPORT,
      restore: RESTORE,
      watch: WATCH,
      delivery: DELIVERY_OPTIONS,
    };
    const { values, positionals } = parse(argv, optionsFor[command ?? ''] ?? {});
    if (values.version) {
      io.stdout('keyward 0.1.0\n');
      return EXIT.OK;
    }
    if (values.help || !command) {
      (command || values.help ? io.stdout : io.stderr)(HELP);
      return values.help ? EXIT.OK : EXIT.USAGE;
    }
    ctx = new CliContext(io, { json: !!values.json, vaultDir: values['vault-dir'] as string | undefined, passphraseStdin: !!values['passphrase-stdin'] }, ports);
    const [, ...rest] = positionals;
    const v = values as Record<string, string | boolean | undefined>;
    switch (command) {
      case 'init':
        return await initCommand(ctx);
      case 'add':
        return await addCommand(ctx, rest[0], v);
      case 'list':
        return await listCommand(ctx);
      case 'show':
        if (v.report) return await reportCommand(ctx, rest[0]);
        return await showCommand(ctx, rest[0]);
      case 'verify':
        return await verifyCommand(ctx, rest, v);
      case 'delete':
        return await deleteCommand(ctx, rest[0], v);
      case 'import':
        if (rest[0] === 'credential-report') return await importReportCommand(ctx, rest[1], v);
        return await importCommand(ctx, rest[0], rest[1], v);
      case 'resource':
        if (rest[0] === 'move') return await resourceMoveCommand(ctx, rest.slice(1), v);
        return await resourceCommand(ctx, rest[0], rest[1], v);
      case 'policy':
        return await policyCommand(ctx, rest[0], v);
      case 'audit':
        return await auditCommand(ctx, rest[0], v);
      case 'rotate':
        return await rotateCommand(ctx, rest[0], v);
      case 'params':
        return await paramsCommand(ctx, rest, v);
      case 'delivery':
        return await deliveryCommand(ctx, rest[0], rest[1], v);
      case 'export':
        return await exportCommand(ctx, rest[0], v);
      case 'backup':
        return await backupCommand(ctx, rest[0]);
      case 'restore':
        return await restoreCommand(ctx, rest[0], v);
      case 'doctor':
        return await doctorCommand(ctx);
      case 'watch':
        return await watchCommand(ctx, v);
      case 'passphrase':
        return await passphraseCommand(ctx, rest[0]);
      case 'key-provider':
        return await keyProviderCommand(ctx, rest[0], rest[1]);
      default:
        throw usageError(`Unknown command "${command}". See \`keyward --help\`.`);
    }
  } catch (e) {
    return reportError(io, e, json);
  } finally {
    await ctx?.close();
  }
}
