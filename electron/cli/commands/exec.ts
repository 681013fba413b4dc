import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { AwsUseResult } from '../../core/aws-profiles/credential-process';
import type { CliIO } from '../io';

// `keyward exec CRED -- COMMAND …`: the command runs with the credential's key in its
// environment, and only there (this process's environment is not changed). Its exit code
// is ours; signals sent to us reach it.

// Ctrl-C and Ctrl-\ on a terminal already reach the child (the terminal signals the whole
// foreground process group): forwarding those too would deliver them twice, and a second
// interrupt makes tools like Terraform stop without cleaning up.
const FORWARDED: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH', 'SIGINT', 'SIGQUIT'];
const FROM_TERMINAL = new Set<NodeJS.Signals>(['SIGINT', 'SIGQUIT']);

/** The child's environment: ours, with the key set and nothing stale or vault-related left. */
export function childEnv(env: NodeJS.ProcessEnv, r: AwsUseResult): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env };
  // The vault's passphrase is ours, never the child's; an old token would pair with the wrong key.
  for (const k of ['KEYWARD_PASSPHRASE', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN', 'AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_CREDENTIAL_EXPIRATION']) delete out[k];
  out.AWS_ACCESS_KEY_ID = r.credentials.AccessKeyId;
  out.AWS_SECRET_ACCESS_KEY = r.credentials.SecretAccessKey;
  if (r.credentials.SessionToken) out.AWS_SESSION_TOKEN = r.credentials.SessionToken;
  if (r.credentials.Expiration) out.AWS_CREDENTIAL_EXPIRATION = r.credentials.Expiration;
  out.AWS_REGION = r.region;
  out.AWS_DEFAULT_REGION = r.region;
  // A credential kept for another endpoint (LocalStack, GovCloud, a test server) brings it along.
  if (r.endpointUrl && !out.AWS_ENDPOINT_URL) out.AWS_ENDPOINT_URL = r.endpointUrl;
  return out;
}

export function execCommand(io: CliIO, r: AwsUseResult, command: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command[0], command.slice(1), { stdio: 'inherit', env: childEnv(io.env, r) });
    const forward = (sig: NodeJS.Signals) => {
      if (FROM_TERMINAL.has(sig) && process.stdin.isTTY) return;
      child.kill(sig);
    };
    for (const sig of FORWARDED) process.on(sig, forward);
    const done = (code: number) => {
      for (const sig of FORWARDED) process.off(sig, forward);
      resolve(code);
    };
    child.once('error', (e: NodeJS.ErrnoException) => {
      const notFound = e.code === 'ENOENT';
      io.stderr(`keyward: ${notFound ? 'command not found' : 'cannot run'}: ${command[0]} (${e.code ?? 'error'})\n`);
      done(notFound ? 127 : 126);
    });
    // As a shell reports it: the exit code, or 128 + the signal's number.
    child.once('exit', (code, signal) => done(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0)));
  });
}
