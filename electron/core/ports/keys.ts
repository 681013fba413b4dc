import type { KeyProvider, KeyProviderKind } from '../keys/types';

// The key-provider port: where a vault's key-encryption key comes from. The composition
// root passes the OS's (keychain, passphrase); core asks it and never picks one itself.

export interface KeyProviderRequest {
  /** Stated explicitly; absent means "a passphrase when one is given, else the keychain". */
  kind?: KeyProviderKind;
  /** null or empty: none was given (a passphrase provider then fails with what to do). */
  passphrase?: string | null;
}

export interface KeyProviders {
  choose(req: KeyProviderRequest): KeyProvider;
}
