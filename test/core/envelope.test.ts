import { describe, expect, it } from 'vitest';
import { dataKeyAad, KEY_BYTES, open, randomKey, seal, SealError, secretFieldAad } from '../../electron/core/crypto/envelope';

const AAD = secretFieldAad('vault-1', 'cred-1', 'secretAccessKey');
const HEADER = 1 + 12 + 16; // version | nonce | tag

describe('envelope encryption (AES-256-GCM)', () => {
  it('opens what it sealed, for text and for binary plaintext', () => {
    const key = randomKey();
    const text = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY ünïcödé';
    expect(open(key, seal(key, text, AAD), AAD).toString('utf8')).toBe(text);

    const binary = Buffer.from([0, 1, 2, 254, 255, 0, 7]);
    expect(open(key, seal(key, binary, AAD), AAD).equals(binary)).toBe(true);

    const empty = seal(key, '', AAD);
    expect(empty.length).toBe(HEADER);
    expect(open(key, empty, AAD).length).toBe(0);
  });

  it('lays out version 1, a 12-byte nonce, a 16-byte tag and a ciphertext as long as the plaintext', () => {
    const key = randomKey();
    const plaintext = 'x'.repeat(40);
    const sealed = seal(key, plaintext, AAD);
    expect(sealed[0]).toBe(1);
    expect(sealed.length).toBe(HEADER + 40);
    expect(sealed.subarray(HEADER).toString('utf8')).not.toBe(plaintext);
  });

  it('uses a fresh nonce on every seal, so sealing the same value twice gives different bytes', () => {
    const key = randomKey();
    const a = seal(key, 'same secret', AAD);
    const b = seal(key, 'same secret', AAD);
    expect(a.equals(b)).toBe(false);
    expect(a.subarray(1, 13).equals(b.subarray(1, 13))).toBe(false);
    const nonces = new Set(Array.from({ length: 200 }, () => seal(key, 'v', AAD).subarray(1, 13).toString('hex')));
    expect(nonces.size).toBe(200);
  });

  it('refuses to open when any single byte of nonce, tag or ciphertext is flipped', () => {
    const key = randomKey();
    const sealed = seal(key, 'a secret value of some length', AAD);
    const regions = { nonce: [1, 13], tag: [13, 29], ciphertext: [29, sealed.length] } as const;
    for (const [region, [from, to]] of Object.entries(regions)) {
      for (let i = from; i < to; i++) {
        const tampered = Buffer.from(sealed);
        tampered[i] ^= 0x01;
        expect(() => open(key, tampered, AAD), `${region} byte ${i}`).toThrow(SealError);
        expect(() => open(key, tampered, AAD), `${region} byte ${i}`).toThrow(/failed authentication/);
      }
    }
    // The untouched value still opens: the failures above are the tampering, not the setup.
    expect(open(key, sealed, AAD).toString()).toBe('a secret value of some length');
  });

  it('refuses a ciphertext that was truncated or extended', () => {
    const key = randomKey();
    const sealed = seal(key, 'secret', AAD);
    expect(() => open(key, sealed.subarray(0, sealed.length - 1), AAD)).toThrow(SealError);
    expect(() => open(key, Buffer.concat([sealed, Buffer.from([0])]), AAD)).toThrow(SealError);
    expect(() => open(key, sealed.subarray(0, HEADER - 1), AAD)).toThrow(/malformed/);
  });

  it('refuses to open under different associated data (another record, field or vault)', () => {
    const key = randomKey();
    const sealed = seal(key, 'secret', AAD);
    expect(() => open(key, sealed, secretFieldAad('vault-1', 'cred-2', 'secretAccessKey'))).toThrow(SealError);
    expect(() => open(key, sealed, secretFieldAad('vault-1', 'cred-1', 'adminApiKey'))).toThrow(SealError);
    expect(() => open(key, sealed, secretFieldAad('vault-2', 'cred-1', 'secretAccessKey'))).toThrow(SealError);
    expect(() => open(key, sealed, dataKeyAad('vault-1'))).toThrow(SealError);
    expect(() => open(key, sealed, '')).toThrow(SealError);
  });

  it('refuses to open with another key', () => {
    const sealed = seal(randomKey(), 'secret', AAD);
    expect(() => open(randomKey(), sealed, AAD)).toThrow(/failed authentication/);
  });

  it('checks the version byte before anything else', () => {
    const key = randomKey();
    const sealed = seal(key, 'secret', AAD);
    for (const version of [0, 2, 255]) {
      const other = Buffer.from(sealed);
      other[0] = version;
      expect(() => open(key, other, AAD)).toThrow(/unknown version/);
    }
    expect(() => open(key, Buffer.alloc(0), AAD)).toThrow(/malformed/);
  });

  it('only accepts 32-byte keys', () => {
    expect(KEY_BYTES).toBe(32);
    expect(randomKey().length).toBe(32);
    expect(() => seal(Buffer.alloc(16), 'x', AAD)).toThrow(/32 bytes/);
    expect(() => seal(Buffer.alloc(33), 'x', AAD)).toThrow(SealError);
  });

  it('binds secrets to vault, record and field in the associated data', () => {
    expect(secretFieldAad('v', 'c', 'f')).toBe('keyward/v1/v/credential/c/f');
    expect(dataKeyAad('v')).toBe('keyward/v1/v/data-key');
  });
});
