import { KeywardError } from '../errors';
import type { KeyProviders } from '../ports/keys';
import { inspectVault, Vault } from './vault';

/**
 * Opens a vault with the provider it was made with (a passphrase when one is given,
 * else the OS keychain); throws VAULT_LOCKED saying why it cannot. Light on purpose:
 * `keyward credential-process` opens the vault through this alone, on every AWS call.
 */
export async function openVaultWithKey(dir: string, passphrase: string | null | undefined, keys: KeyProviders): Promise<Vault> {
  const inspection = inspectVault(dir);
  const { meta } = inspection;
  if (meta.keyProvider === 'passphrase' && !passphrase) {
    throw new KeywardError(
      'VAULT_LOCKED',
      'Vault is locked: it is protected by a passphrase. Enter it to unlock (CLI: set KEYWARD_PASSPHRASE or pass --passphrase-stdin). The vault file was not changed.',
      { reason: 'passphrase-missing' },
    );
  }
  return Vault.open(dir, keys.choose({ passphrase, kind: passphrase ? 'passphrase' : 'keychain' }), { inspection });
}
