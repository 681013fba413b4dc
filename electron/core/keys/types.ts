// Where the key-encryption key (KEK) comes from. The vault stores which kind made it,
// so a vault opened the wrong way says so instead of guessing.
export type KeyProviderKind = 'keychain' | 'passphrase';

export interface KdfParams {
  algorithm: 'scrypt';
  N: number;
  r: number;
  p: number;
  salt: string; // base64
}

export interface KeyProvider {
  readonly kind: KeyProviderKind;
  /** Makes a new KEK for a new vault and stores it where this provider keeps keys. */
  create(vaultId: string): Promise<{ kek: Buffer; kdf: KdfParams | null }>;
  /** Finds the KEK of an existing vault; throws KeywardError VAULT_LOCKED when it cannot. */
  load(vaultId: string, kdf: KdfParams | null): Promise<Buffer>;
  /** Removes a KEK this provider stored (used when init fails half-way). */
  discard(vaultId: string): Promise<void>;
  /** Whether this provider can keep a key on this machine now; the reason (in words for people) when not. */
  probe?(): Promise<string | null>;
}
