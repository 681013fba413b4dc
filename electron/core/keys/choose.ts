import type { KeyProviders } from '../ports/keys';
import { KEYCHAIN_SERVICE, KeychainKeyProvider } from './keychain';
import { MissingPassphraseProvider, PassphraseKeyProvider } from './passphrase';

/**
 * The OS's key providers, chosen explicitly, never guessed silently: a passphrase when
 * one is given (KEYWARD_PASSPHRASE or --passphrase-stdin), else the OS keychain under
 * `keychainService` (tests use their own service name).
 */
export function osKeyProviders(opts: { keychainService?: string } = {}): KeyProviders {
  const service = opts.keychainService ?? KEYCHAIN_SERVICE;
  return {
    choose({ kind, passphrase }) {
      if (kind === 'passphrase' || (kind === undefined && passphrase)) {
        return passphrase ? new PassphraseKeyProvider(passphrase) : new MissingPassphraseProvider();
      }
      return new KeychainKeyProvider(service);
    },
  };
}
