import { randomBytes, scrypt as scryptCb, type ScryptOptions } from 'node:crypto';
import { KeywardError } from '../errors';
import type { KdfParams, KeyProvider } from './types';
import { MIN_PASSPHRASE } from '../../../shared/passphrase';

// A KEK derived from a passphrase with scrypt, for machines without a keychain.
// N=2^17, r=8, p=1 (128 MiB, about 0.3 s here): the OWASP-recommended minimum for scrypt.
// The parameters are stored with the vault, so they can be raised later.
export const DEFAULT_SCRYPT = { N: 2 ** 17, r: 8, p: 1 } as const;

function scrypt(passphrase: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  const opts: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r + 16 * 1024 * 1024 };
  return new Promise((resolve, reject) => scryptCb(passphrase.normalize('NFC'), salt, 32, opts, (err, key) => (err ? reject(err) : resolve(key))));
}

export class PassphraseKeyProvider implements KeyProvider {
  readonly kind = 'passphrase' as const;
  constructor(
    private readonly passphrase: string,
    private readonly params: { N: number; r: number; p: number } = DEFAULT_SCRYPT,
  ) {}

  async create() {
    if (this.passphrase.length < MIN_PASSPHRASE) {
      throw new KeywardError('INVALID_INPUT', `The vault passphrase must be at least ${MIN_PASSPHRASE} characters.`);
    }
    const salt = randomBytes(16);
    const kek = await scrypt(this.passphrase, salt, this.params);
    const kdf: KdfParams = { algorithm: 'scrypt', ...this.params, salt: salt.toString('base64') };
    return { kek, kdf };
  }

  async load(_vaultId: string, kdf: KdfParams | null): Promise<Buffer> {
    if (!kdf || kdf.algorithm !== 'scrypt') {
      throw new KeywardError('VAULT_LOCKED', 'Vault is locked: its key-derivation settings are missing or unknown. Restore from a backup. The vault file was not changed.', {
        reason: 'kdf-missing',
      });
    }
    return scrypt(this.passphrase, Buffer.from(kdf.salt, 'base64'), kdf);
  }

  async discard(): Promise<void> {}
}

/** A stand-in for "no passphrase was given": fails with what to do. */
export class MissingPassphraseProvider implements KeyProvider {
  readonly kind = 'passphrase' as const;
  async create(): Promise<never> {
    throw new KeywardError('INVALID_INPUT', 'A passphrase is required: set KEYWARD_PASSPHRASE or pass --passphrase-stdin.');
  }
  async load(): Promise<never> {
    throw new KeywardError(
      'VAULT_LOCKED',
      'Vault is locked: it was created with a passphrase and none was given. Set KEYWARD_PASSPHRASE, pass --passphrase-stdin, or unlock it in the app. The vault file was not changed.',
      { reason: 'passphrase-missing' },
    );
  }
  async discard(): Promise<void> {}
}
