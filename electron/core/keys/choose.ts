import type { KeyProvider } from './types';
import { KeychainKeyProvider } from './keychain';
import { MissingPassphraseProvider, PassphraseKeyProvider } from './passphrase';

/**
 * Which key provider to use, stated explicitly, never guessed silently: a passphrase
 * when one is given (KEYWARD_PASSPHRASE or --passphrase-stdin), else the OS keychain.
 */
export function chooseKeyProvider(opts: { passphrase?: string | null; kind?: 'keychain' | 'passphrase'; keychainService?: string }): KeyProvider {
  if (opts.kind === 'passphrase' || (opts.kind === undefined && opts.passphrase)) {
    return opts.passphrase ? new PassphraseKeyProvider(opts.passphrase) : new MissingPassphraseProvider();
  }
  return new KeychainKeyProvider(opts.keychainService);
}
