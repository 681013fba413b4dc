// Shared by the credential-process / exec / --migrate tests: a throwaway HOME whose PATH
// has `keyward` (the package's bin), and the real AWS CLI (Debian's /usr/bin/aws) run
// against the AWS test server through AWS_ENDPOINT_URL, never against AWS.
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tempDir } from '../support/fixtures';

export const BIN = resolve(import.meta.dirname, '../../bin/keyward.cjs');
export const REPO = resolve(import.meta.dirname, '../..');
export const AWS_CLI = '/usr/bin/aws';

export interface AwsHome {
  home: string;
  config: string;
  credentials: string;
  /** The environment a user's shell would have: HOME, PATH with keyward, the AWS files, the test server. */
  env: NodeJS.ProcessEnv;
}

/** A HOME with ~/.aws/{config,credentials} and a `keyward` command on PATH. */
export function awsHome(opts: { endpointUrl: string; vaultEnv: NodeJS.ProcessEnv; config?: string; credentials?: string }): AwsHome {
  const home = tempDir('keyward-aws-home-');
  const bin = join(home, 'bin');
  mkdirSync(join(home, '.aws'), { recursive: true });
  mkdirSync(bin);
  const shim = join(bin, 'keyward');
  writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  chmodSync(shim, 0o755);
  const config = join(home, '.aws', 'config');
  const credentials = join(home, '.aws', 'credentials');
  if (opts.config !== undefined) writeFileSync(config, opts.config, { mode: 0o600 });
  if (opts.credentials !== undefined) writeFileSync(credentials, opts.credentials, { mode: 0o600 });
  return {
    home,
    config,
    credentials,
    env: {
      HOME: home,
      PATH: `${bin}:/usr/bin:/bin`,
      AWS_CONFIG_FILE: config,
      AWS_SHARED_CREDENTIALS_FILE: credentials,
      AWS_ENDPOINT_URL: opts.endpointUrl,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_PAGER: '',
      // The DBus session of the keychain tests, when there is one.
      ...(process.env.DBUS_SESSION_BUS_ADDRESS ? { DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS } : {}),
      ...opts.vaultEnv,
    },
  };
}

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a program with exactly `env` (nothing inherited), stdin closed unless given. */
export function runProgram(file: string, args: string[], env: NodeJS.ProcessEnv, opts: { stdin?: string; cwd?: string } = {}): Promise<Run> {
  return new Promise((res, rej) => {
    const child = spawn(file, args, { env, cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', rej);
    child.on('close', (code, signal) => res({ code, signal, stdout, stderr }));
    child.stdin.end(opts.stdin ?? '');
  });
}

/** `keyward ARGS` as the user's shell would run it. */
export function keyward(h: AwsHome, args: string[], opts: { stdin?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  return runProgram(process.execPath, [BIN, ...args], { ...h.env, ...opts.env }, opts);
}

/** `aws sts get-caller-identity --profile NAME`: the real AWS CLI, credentials from its config. */
export function awsCallerIdentity(h: AwsHome, profile: string): Promise<Run> {
  // Debian's AWS CLI (2.9) predates AWS_ENDPOINT_URL: the endpoint is given as a flag, so
  // that no call can leave for the real AWS.
  return runProgram(AWS_CLI, ['sts', 'get-caller-identity', '--profile', profile, '--output', 'json', '--endpoint-url', h.env.AWS_ENDPOINT_URL!], h.env);
}

/** The AWS SDK for JavaScript in its own process, default credential chain (AWS_PROFILE): credential_process included. */
export function sdkCallerIdentity(h: AwsHome, profile: string): Promise<Run> {
  const script = `
    import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
    const out = await new STSClient({ region: 'us-east-1', endpoint: process.env.AWS_ENDPOINT_URL }).send(new GetCallerIdentityCommand({}));
    console.log(JSON.stringify({ Arn: out.Arn, Account: out.Account }));`;
  return runProgram(process.execPath, ['--input-type=module', '-e', script], { ...h.env, AWS_PROFILE: profile, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }, { cwd: REPO });
}
