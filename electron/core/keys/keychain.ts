import { createRequire } from 'node:module';
import type { AsyncEntry, EntryOptions } from '@napi-rs/keyring';
import { KeywardError } from '../errors';
import { randomKey, KEY_BYTES } from '../crypto/envelope';
import type { KeyProvider } from './types';

// The KEK lives in the OS keychain: macOS Keychain, Windows Credential Manager, Secret
// Service on Linux. On Linux we pin Secret Service: the library's silent fallback to the
// kernel keyring would lose the key at the next reboot, and with it every secret.
export const KEYCHAIN_SERVICE = 'Keyward';
const ENTRY_OPTIONS: EntryOptions = { linux: { store: 'secret-service' } };

type Keyring = typeof import('@napi-rs/keyring');

/** The platform packages of @napi-rs/keyring for the common platforms (its optionalDependencies). */
const PLATFORM_PACKAGES: Record<string, string> = {
  'linux-x64': '@napi-rs/keyring-linux-x64-gnu',
  'linux-arm64': '@napi-rs/keyring-linux-arm64-gnu',
  'darwin-x64': '@napi-rs/keyring-darwin-x64',
  'darwin-arm64': '@napi-rs/keyring-darwin-arm64',
  'win32-x64': '@napi-rs/keyring-win32-x64-msvc',
  'win32-arm64': '@napi-rs/keyring-win32-arm64-msvc',
};

/**
 * @napi-rs/keyring's native module, loaded at the first keychain call. Its package's loader
 * first tries a build beside itself and reads files to tell glibc from musl: ~1.4 ms of
 * every CLI call on a keychain vault. The platform package it would choose is required
 * directly; where that is not installed or does not load (musl, another platform), the
 * loader chooses. `req`: the require to use (a test passes one that fails).
 */
export function loadKeyring(req: (id: string) => unknown = createRequire(import.meta.url), platform = `${process.platform}-${process.arch}`): Keyring {
  const direct = PLATFORM_PACKAGES[platform];
  if (direct) {
    try {
      return req(direct) as Keyring;
    } catch {
      // Not this machine's package: the loader finds the one that is.
    }
  }
  return req('@napi-rs/keyring') as Keyring;
}

let keyring: Keyring | undefined;

function entryFor(service: string, vaultId: string): AsyncEntry {
  keyring ??= loadKeyring();
  return new keyring.AsyncEntry(service, `vault-${vaultId}`, ENTRY_OPTIONS);
}

function describe(e: unknown): string {
  // The keyring's messages name the store and its state, never a secret.
  return e instanceof Error ? e.message : String(e);
}

export class KeychainKeyProvider implements KeyProvider {
  readonly kind = 'keychain' as const;
  constructor(private readonly service = KEYCHAIN_SERVICE) {}

  async create(vaultId: string) {
    const kek = randomKey();
    try {
      await entryFor(this.service, vaultId).setSecret(kek);
    } catch (e) {
      throw new KeywardError(
        'KEY_PROVIDER_FAILED',
        `The OS keychain could not store the vault key (${describe(e)}). Unlock or start your keychain (on Linux: a Secret Service such as GNOME Keyring or KWallet), or use a passphrase instead (set KEYWARD_PASSPHRASE or choose "passphrase" at first run).`,
      );
    }
    return { kek, kdf: null };
  }

  async load(vaultId: string): Promise<Buffer> {
    let secret: number[] | null;
    try {
      secret = await entryFor(this.service, vaultId).getSecret();
    } catch (e) {
      throw new KeywardError(
        'VAULT_LOCKED',
        `Vault is locked: the OS keychain could not be read (${describe(e)}). Unlock your keychain (on Linux: start and unlock GNOME Keyring or KWallet) and try again. The vault file was not changed.`,
        { reason: 'keychain-unavailable' },
      );
    }
    if (!secret) {
      throw new KeywardError(
        'VAULT_LOCKED',
        `Vault is locked: its key is not in this OS keychain (entry "${this.service}" / "vault-${vaultId}"). The key does not travel with the vault file: on a new machine restore from an encrypted backup, or use the keychain where the vault was created. The vault file was not changed.`,
        { reason: 'keychain-entry-missing' },
      );
    }
    if (secret.length !== KEY_BYTES) {
      throw new KeywardError('VAULT_LOCKED', 'Vault is locked: the keychain entry for this vault is not a Keyward key. The vault file was not changed.', {
        reason: 'keychain-entry-malformed',
      });
    }
    return Buffer.from(secret);
  }

  /**
   * Reads an entry that never exists: a working keychain answers "none", a missing or
   * locked one throws. Nothing is written, so no keychain prompt appears.
   */
  async probe(): Promise<string | null> {
    try {
      await entryFor(this.service, 'probe').getSecret();
      return null;
    } catch {
      return process.platform === 'linux'
        ? 'No keychain is running on this computer (GNOME Keyring or KWallet must be running and unlocked).'
        : 'The system keychain is not available to Keyward right now.';
    }
  }

  async discard(vaultId: string): Promise<void> {
    // Best effort while cleaning up a failed init: never mask the error that caused it.
    try {
      await entryFor(this.service, vaultId).deleteCredential();
    } catch {
      /* the keychain is unreachable: nothing was stored there to remove */
    }
  }
}
