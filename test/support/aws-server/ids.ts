import { randomBytes, randomInt, randomUUID } from 'node:crypto';

// AWS identifiers use the RFC 4648 base32 alphabet after their four-letter prefix.
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function pick(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** Long-term IAM access key id: AKIA + 16 base32 characters (20 in all, as AWS issues them). */
export const newAccessKeyId = (): string => `AKIA${pick(BASE32, 16)}`;

/** Temporary (STS) access key id: ASIA + 16 base32 characters. */
export const newSessionKeyId = (): string => `ASIA${pick(BASE32, 16)}`;

/** IAM user unique id: AIDA + 17 base32 characters. */
export const newUserId = (): string => `AIDA${pick(BASE32, 17)}`;

/** 40-character secret drawn from the base64 alphabet, like AWS secret access keys. */
export const newSecretAccessKey = (): string => pick(BASE64, 40);

/** Opaque session token; real ones are long base64 blobs. */
export const newSessionToken = (): string => `IQoJb3JpZ2luX2Vj${randomBytes(96).toString('base64')}`;

export const newAccountId = (): string => String(randomInt(100_000_000_000, 1_000_000_000_000));

export const newRequestId = (): string => randomUUID();

export const newSecurityGroupRuleId = (): string => `sgr-${randomBytes(9).toString('hex').slice(0, 17)}`;
