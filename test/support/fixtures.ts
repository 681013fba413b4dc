// Shared helpers for the core tests: temp folders, fast key providers, realistic fake
// credentials and file fingerprints. Nothing here talks to the network.
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassphraseKeyProvider } from '../../electron/core/keys/passphrase';
import { EventBus } from '../../electron/core/events';
import { Vault } from '../../electron/core/vault/vault';
import { CredentialService, type ServiceOptions } from '../../electron/core/credentials/service';

/** scrypt parameters that keep a test fast (the shipped default is N = 2^17). */
export const FAST_SCRYPT = { N: 2 ** 12, r: 8, p: 1 } as const;
export const PASSPHRASE = 'correct horse battery staple';

export function fastProvider(passphrase = PASSPHRASE): PassphraseKeyProvider {
  return new PassphraseKeyProvider(passphrase, FAST_SCRYPT);
}

const made: string[] = [];
/** A fresh private folder under the OS temp dir; removed by removeTempDirs(). */
export function tempDir(prefix = 'keyward-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
export function removeTempDirs(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const SECRET_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+';
/** A well-formed (fake) IAM user access key id: AKIA + 16 upper-case letters/digits. */
export function fakeAccessKeyId(): string {
  let s = 'AKIA';
  for (let i = 0; i < 16; i++) s += UPPER_DIGITS[randomInt(UPPER_DIGITS.length)];
  return s;
}
/** A well-formed (fake) 40-character secret access key. */
export function fakeSecretAccessKey(): string {
  let s = '';
  for (let i = 0; i < 40; i++) s += SECRET_CHARS[randomInt(SECRET_CHARS.length)];
  return s;
}
export function randomToken(bytes = 18): string {
  return randomBytes(bytes).toString('hex');
}

/** What a file is right now: content hash, size and mtime. */
export interface FileFingerprint {
  sha256: string;
  size: number;
  mtimeMs: number;
}
export function fingerprint(file: string): FileFingerprint {
  const bytes = readFileSync(file);
  return { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length, mtimeMs: statSync(file).mtimeMs };
}

/** The bytes of a SQLite file and its WAL (if any), concatenated, for "is X stored in clear" checks. */
export function rawVaultBytes(file: string): Buffer {
  const parts = [readFileSync(file)];
  if (existsSync(`${file}-wal`)) parts.push(readFileSync(`${file}-wal`));
  return Buffer.concat(parts);
}

export function awsFields(overrides: Record<string, string> = {}): Record<string, string> {
  return { accessKeyId: fakeAccessKeyId(), secretAccessKey: fakeSecretAccessKey(), region: 'us-east-1', ...overrides };
}

/** A new passphrase vault (fast KDF) in a new temp folder, with a service over it. */
export async function newVaultWithService(opts: ServiceOptions = {}): Promise<{ dir: string; vault: Vault; events: EventBus; service: CredentialService }> {
  const dir = tempDir();
  const vault = await Vault.init(dir, fastProvider());
  const events = new EventBus();
  const service = new CredentialService(vault, events, opts);
  return { dir, vault, events, service };
}

/** Resolves when `cond` holds, polling; fails after `timeoutMs` with `what`. */
export async function waitFor(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** What `credentials.add` takes for an AWS access key (a test server's key, say), stored unchecked. */
export function awsKeyInput(name: string, key: { accessKeyId: string; secretAccessKey: string }, endpointUrl: string) {
  const fields = { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey, region: 'us-east-1', endpointUrl };
  return { name, provider: 'AWS' as const, type: 'ACCESS_KEY' as const, fields, verify: false };
}

/** An AWS config's SSO profile and its session: a migration leaves both exactly as they are. */
export const SSO_PROFILE_INI = `[profile sso-dev]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = Dev
region = us-west-2

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
`;

/** For a file's afterAll: closes its servers, then removes its temp folders. */
export async function closeAndRemoveTemp(...servers: Array<{ close(): Promise<void> }>): Promise<void> {
  for (const s of servers) await s.close();
  removeTempDirs();
}
