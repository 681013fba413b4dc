import { parseArgs } from 'node:util';
import { AuditLog } from '../../core/audit/log';
import { awsCredentialsFor, SESSION_DURATION, type AwsUseRequest, type AwsUseResult } from '../../core/aws-profiles/credential-process';
import { createKeywardCore } from '../../core/app/compose';
import { resolveVaultDir } from '../../core/paths';
import { GLOBAL_OPTIONS } from '../global-options';
import { EXIT, reportError, usageError, type CliIO } from '../io';
import { exitWhenFlushed, processIO } from '../process-io';
import { askOnTerminal } from '../tty';
import { AWS_USE_COMMANDS } from '../route';
import { execCommand } from './exec';

// `keyward credential-process` and `keyward exec`: a vault's AWS key for a local tool.
// Kept apart from the other commands (the CLI's entry loads this file alone for them):
// the AWS CLI runs credential-process on every call, so it opens the vault and nothing
// else (through the composition root's core, whose services load only with a session),
// and loads the AWS SDK only when a session must be fetched.

export { AWS_USE_COMMANDS };

const OPTIONS = {
  ...GLOBAL_OPTIONS,
  session: { type: 'boolean' },
  duration: { type: 'string' },
  'mfa-serial': { type: 'string' },
} as const;

const USAGE = {
  'credential-process': 'Usage: keyward credential-process CRED [--session [--duration 1h]] [--mfa-serial ARN]',
  exec: 'Usage: keyward exec CRED [--session [--duration 1h]] [--mfa-serial ARN] -- COMMAND [ARGS...]',
} as const;

/** "1h", "90m", "3600s" or "3600" → seconds. */
export function parseDuration(text: string): number {
  const m = /^(\d{1,6})([smh]?)$/.exec(text.trim());
  if (!m) throw usageError('--duration is a number with s, m or h (e.g. 1h, 45m, 3600s).');
  return Number(m[1]) * ({ '': 1, s: 1, m: 60, h: 3600 } as const)[m[2] as '' | 's' | 'm' | 'h'];
}

function requestOf(command: (typeof AWS_USE_COMMANDS)[number], positionals: string[], v: { session?: boolean; duration?: string; 'mfa-serial'?: string }): AwsUseRequest {
  const [, credential, ...extra] = positionals;
  if (!credential || extra.length) throw usageError(USAGE[command]);
  if (!v.session && (v.duration !== undefined || v['mfa-serial'] !== undefined)) throw usageError(`--duration and --mfa-serial go with --session. ${USAGE[command]}`);
  return {
    credential,
    tool: command,
    ...(v.session ? { session: { durationSeconds: v.duration ? parseDuration(v.duration) : SESSION_DURATION.default, ...(v['mfa-serial'] ? { mfaSerial: v['mfa-serial'] } : {}) } } : {}),
  };
}

const NO_TERMINAL =
  '--mfa-serial asks for the MFA code on the terminal (/dev/tty), and this process has none. Run the same command once in a terminal: the session it caches serves the next calls until shortly before it expires.';

/** The vault's credentials for one request; the vault is open only while it runs. */
async function credentialsFor(io: CliIO, flags: { vaultDir?: string; passphraseStdin: boolean }, req: AwsUseRequest): Promise<AwsUseResult> {
  const passphrase = flags.passphraseStdin ? (await io.readSecret('Vault passphrase')) || null : io.env.KEYWARD_PASSPHRASE || null;
  // The core from the composition root, as every command gets it; only its vault is opened
  // (no services, no dispatcher: this runs on every AWS call).
  const core = createKeywardCore({ vaultDir: resolveVaultDir(flags.vaultDir, io.env), passphrase, actor: 'cli' });
  const vault = await core.openVaultAlone();
  try {
    return await awsCredentialsFor(vault, new AuditLog(vault, 'cli', core.clock), req, {
      readMfaCode: (serial) => askOnTerminal(`MFA code for ${serial}: `, NO_TERMINAL),
    });
  } finally {
    vault.close();
  }
}

/**
 * Runs `credential-process` or `exec`; returns the exit code, never throws. stdout gets
 * exactly AWS's credential_process JSON (or nothing, for exec: the child owns the
 * terminal); every error is one line on stderr.
 */
export async function runAwsUse(argv: string[], io: CliIO): Promise<number> {
  const split = argv.indexOf('--');
  const own = split < 0 ? argv : argv.slice(0, split);
  const json = own.includes('--json');
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: own, options: OPTIONS, allowPositionals: true, strict: true });
    } catch (e) {
      throw usageError(`${(e as Error).message}. See \`keyward --help\`.`);
    }
    const { values: v, positionals } = parsed;
    const command = positionals[0] as (typeof AWS_USE_COMMANDS)[number];
    if (!AWS_USE_COMMANDS.includes(command)) throw usageError(`Unknown command "${positionals[0]}".`);
    if (v.help) {
      io.stdout(`${USAGE[command]}\n`);
      return EXIT.OK;
    }
    const req = requestOf(command, positionals, v);
    const flags = { vaultDir: v['vault-dir'], passphraseStdin: !!v['passphrase-stdin'] };
    if (command === 'exec') {
      const child = split < 0 ? [] : argv.slice(split + 1);
      if (!child.length) throw usageError(`${USAGE.exec} (the command to run goes after --)`);
      return await execCommand(io, await credentialsFor(io, flags, req), child);
    }
    if (split >= 0) throw usageError(USAGE['credential-process']);
    const { credentials } = await credentialsFor(io, flags, req);
    io.stdout(`${JSON.stringify(credentials)}\n`);
    return EXIT.OK;
  } catch (e) {
    return reportError(io, e, json);
  }
}

/** The process entry for these two commands (electron/cli/main.ts picks it). */
export async function runAwsUseProcess(argv: string[]): Promise<never> {
  return exitWhenFlushed(await runAwsUse(argv, processIO()));
}
