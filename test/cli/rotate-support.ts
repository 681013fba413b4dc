// Shared by the rotate CLI tests: a fast-KDF vault the CLI opens, credentials added
// in-process, and the invariant checked against the AWS test server's state.
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';
import { CredentialService } from '../../electron/core/credentials/service';
import { EventBus } from '../../electron/core/events';
import type { FaultPoint } from '../../electron/core/rotation/faults';
import { RotationJournal, type Rotation } from '../../electron/core/rotation/journal';
import { Vault } from '../../electron/core/vault/vault';
import { startAwsTestServer, type AwsTestServer } from '../support/aws-server';
import { awsKeyInput, closeAndRemoveTemp, fastProvider, PASSPHRASE, tempDir } from '../support/fixtures';

export { PASSPHRASE };
/** The CLI's entry with a fault port (test-only): the shipped bin reads no test switch. */
const FAULTY_BIN = resolve(import.meta.dirname, '../support/keyward-with-faults.mjs');

export async function newCliVault(): Promise<{ dir: string; env: NodeJS.ProcessEnv }> {
  const dir = join(tempDir('keyward-rotate-'), 'vault');
  (await Vault.init(dir, fastProvider())).close();
  return { dir, env: { KEYWARD_HOME: dir, KEYWARD_PASSPHRASE: PASSPHRASE } };
}

/** The AWS test server and a CLI vault for a test file; `stopCliWorld` closes and removes them. */
export async function startCliWorld(opts?: Parameters<typeof startAwsTestServer>[0]): Promise<{ aws: AwsTestServer; dir: string; env: NodeJS.ProcessEnv }> {
  return { aws: await startAwsTestServer(opts), ...(await newCliVault()) };
}
export const stopCliWorld = (aws: AwsTestServer) => closeAndRemoveTemp(aws);

/** Opens the vault in this process for a moment (the CLI may have it open too: WAL). */
export async function withVault<T>(dir: string, fn: (v: { vault: Vault; credentials: CredentialService; journal: RotationJournal }) => T): Promise<T> {
  const vault = await Vault.open(dir, fastProvider());
  try {
    return fn({ vault, credentials: new CredentialService(vault, new EventBus()), journal: new RotationJournal(vault) });
  } finally {
    vault.close();
  }
}

let users = 0;
/** An IAM user with one active key, and a credential named after the user holding it. */
export async function userWithCredential(aws: AwsTestServer, dir: string, prefix = 'SynergistExpress') {
  const userName = `${prefix}-${++users}-${process.pid}`;
  aws.state.createUser(userName);
  const key = aws.state.createAccessKey(userName);
  const cred = await withVault(dir, ({ credentials }) => credentials.add(awsKeyInput(userName, key, aws.url)));
  return { userName, key, cred };
}

/** Exactly one active key for the user, and the vault's credential holds it with its working secret. */
export async function expectOneWorkingKey(aws: AwsTestServer, dir: string, userName: string, credentialId: string): Promise<void> {
  const active = aws.state.listAccessKeys(userName).filter((k) => k.status === 'Active');
  expect(active.map((k) => k.accessKeyId)).toHaveLength(1);
  const { id, secret } = await withVault(dir, ({ credentials }) => ({
    id: credentials.repo.get(credentialId)!.fields.accessKeyId,
    secret: credentials.repo.secretsOf(credentialId).secretAccessKey,
  }));
  expect(id).toBe(active[0].accessKeyId);
  expect(secret).toBe(aws.state.getAccessKey(active[0].accessKeyId)!.secretAccessKey);
}

export function openRotations(dir: string): Promise<Rotation[]> {
  return withVault(dir, ({ journal }) => journal.listOpen());
}

/** A point where the CLI's rotation writes `file` and waits, for a test to kill it there. */
export interface PauseAt {
  point: FaultPoint;
  file: string;
}

/** The real CLI entry as a process, for tests that kill it; with `pause`, it stops at that fault point. */
export function spawnCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  pause?: PauseAt,
): { child: ChildProcess; done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> } {
  const ports = pause ? ['--pause-at', pause.point, '--pause-file', pause.file] : [];
  const child = spawn(process.execPath, [FAULTY_BIN, ...ports, '--', ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  child.stdin!.end('');
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((res) => child.on('close', (code, signal) => res({ code, signal, stdout, stderr })));
  return { child, done };
}
