import { KeywardError } from '../errors';
import type { KeyProviders } from '../ports/keys';
import type { Vault } from '../vault/vault';
import { readMeta } from '../vault/vault';
import { dataKeyAad, open } from '../crypto/envelope';

// Changing how the vault key is kept re-wraps the data key only: one transaction writes the
// new wrapped key, its provider and its KDF salt together, and nothing else is re-encrypted.
// A crash before that commit leaves the old wrapping (the old key opens the vault); after
// it, the new one. A new keychain entry is written before the commit (a leftover entry
// opens nothing), an old one is removed after it.

/** Throws unless `passphrase` opens this vault as it is on disk. */
async function assertPassphraseOpens(vault: Vault, passphrase: string, keys: KeyProviders): Promise<void> {
  const meta = readMeta(vault.dir);
  const kek = await keys.choose({ kind: 'passphrase', passphrase }).load(meta.vaultId, meta.kdf);
  try {
    open(kek, meta.wrappedDataKey, dataKeyAad(meta.vaultId));
  } catch {
    throw new KeywardError('INVALID_INPUT', 'The current passphrase is wrong. Nothing was changed.');
  } finally {
    kek.fill(0);
  }
}

function writable(vault: Vault): void {
  if (vault.readOnly) throw new KeywardError('INVALID_INPUT', 'The vault is open read-only (it is damaged), so its key cannot be changed. Restore it from a backup first.');
}

export async function changePassphrase(vault: Vault, current: string, next: string, keys: KeyProviders): Promise<void> {
  writable(vault);
  if (vault.keyProvider !== 'passphrase') {
    throw new KeywardError('INVALID_INPUT', "This vault's key is kept in the OS keychain, so it has no passphrase. To protect it with one, switch its key provider to a passphrase.");
  }
  await assertPassphraseOpens(vault, current, keys);
  if (current === next) throw new KeywardError('INVALID_INPUT', 'The new passphrase is the same as the current one. Nothing was changed.');
  const { kek, kdf } = await keys.choose({ kind: 'passphrase', passphrase: next }).create(vault.vaultId);
  try {
    vault.rewrap('passphrase', kek, kdf);
  } finally {
    kek.fill(0);
  }
}

/**
 * Moves the vault key between the OS keychain and a passphrase. To a passphrase: the new
 * one. From a passphrase: the current one, checked first.
 */
export async function setKeyProvider(vault: Vault, to: 'keychain' | 'passphrase', opts: { keys: KeyProviders; passphrase?: string; current?: string }): Promise<void> {
  const keychain = opts.keys.choose({ kind: 'keychain' });
  writable(vault);
  if (vault.keyProvider === to) {
    throw new KeywardError(
      'INVALID_INPUT',
      to === 'keychain' ? "The vault's key is already in the OS keychain." : 'The vault is already protected by a passphrase; to change it, use Change passphrase.',
    );
  }
  if (to === 'passphrase') {
    if (!opts.passphrase) throw new KeywardError('INVALID_INPUT', 'Choose the new passphrase.');
    const { kek, kdf } = await opts.keys.choose({ kind: 'passphrase', passphrase: opts.passphrase }).create(vault.vaultId);
    try {
      vault.rewrap('passphrase', kek, kdf);
    } finally {
      kek.fill(0);
    }
    await keychain.discard(vault.vaultId);
    return;
  }
  if (!opts.current) throw new KeywardError('INVALID_INPUT', 'Enter the current passphrase to move the key to the OS keychain.');
  await assertPassphraseOpens(vault, opts.current, opts.keys);
  const { kek } = await keychain.create(vault.vaultId);
  try {
    vault.rewrap('keychain', kek, null);
  } finally {
    kek.fill(0);
  }
}
