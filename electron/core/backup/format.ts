import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { KeywardError } from '../errors';
import { isoNow, systemClock, type Clock } from '../ports/clock';
import { MIN_PASSPHRASE } from '../../../shared/passphrase';

// The backup file: a versioned header, then the payload in chunks, each sealed with
// AES-256-GCM under a key derived from the backup passphrase with scrypt.
//
//   "KWBACKUP" | version (1 byte) | header length (u32 BE) | header (JSON) | chunk…
//   chunk i = ciphertext (≤ chunkSize bytes) | tag (16)
//   nonce_i = noncePrefix (8 bytes) | i (u32 BE)
//   AAD_i   = sha256(magic | version | header) | i | final?
//
// The header is in every chunk's AAD, so its parameters cannot be changed; the last
// chunk is marked final, so a file cut at a chunk boundary is caught, as is any flipped bit.

const BACKUP_MAGIC = Buffer.from('KWBACKUP', 'ascii');
const BACKUP_VERSION = 1;
/** scrypt N=2^17, r=8, p=1 (128 MiB): the OWASP minimum; stored in the header. */
export const BACKUP_SCRYPT = { N: 2 ** 17, r: 8, p: 1 } as const;
const CHUNK_SIZE = 1024 * 1024;
const TAG = 16;

interface BackupHeader {
  format: 'keyward-backup';
  version: number;
  kdf: { algorithm: 'scrypt'; N: number; r: number; p: number; salt: string };
  cipher: 'aes-256-gcm';
  chunkSize: number;
  noncePrefix: string;
  /** HMAC of a fixed label under the key: tells a wrong passphrase from a damaged file. */
  keyCheck: string;
  createdAt: string;
}

function deriveKey(passphrase: string, salt: Buffer, p: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCb(passphrase.normalize('NFC'), salt, 32, { ...p, maxmem: 256 * p.N * p.r + 16 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key))));
}

function keyCheckOf(key: Buffer): Buffer {
  return createHmac('sha256', key).update('keyward-backup/v1/key-check').digest().subarray(0, 16);
}

function chunkAad(headerHash: Buffer, i: number, final: boolean): Buffer {
  const b = Buffer.alloc(5);
  b.writeUInt32BE(i, 0);
  b[4] = final ? 1 : 0;
  return Buffer.concat([headerHash, b]);
}

function nonceOf(prefix: Buffer, i: number): Buffer {
  const n = Buffer.alloc(12);
  prefix.copy(n, 0, 0, 8);
  n.writeUInt32BE(i, 8);
  return n;
}

export async function sealBackup(payload: Buffer, passphrase: string, params: { N: number; r: number; p: number } = BACKUP_SCRYPT, clock: Clock = systemClock): Promise<Buffer> {
  if (passphrase.length < MIN_PASSPHRASE) {
    throw new KeywardError('INVALID_INPUT', `Choose a backup passphrase of at least ${MIN_PASSPHRASE} characters; you will need it to restore.`);
  }
  const salt = randomBytes(16);
  const key = await deriveKey(passphrase, salt, params);
  try {
    const prefix = randomBytes(8);
    const header: BackupHeader = {
      format: 'keyward-backup',
      version: BACKUP_VERSION,
      kdf: { algorithm: 'scrypt', ...params, salt: salt.toString('base64') },
      cipher: 'aes-256-gcm',
      chunkSize: CHUNK_SIZE,
      noncePrefix: prefix.toString('base64'),
      keyCheck: keyCheckOf(key).toString('base64'),
      createdAt: isoNow(clock),
    };
    const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
    const len = Buffer.alloc(4);
    len.writeUInt32BE(headerBytes.length);
    const head = Buffer.concat([BACKUP_MAGIC, Buffer.from([BACKUP_VERSION]), len, headerBytes]);
    const headerHash = createHash('sha256').update(head).digest();
    const parts: Buffer[] = [head];
    const count = Math.max(1, Math.ceil(payload.length / CHUNK_SIZE));
    for (let i = 0; i < count; i++) {
      const cipher = createCipheriv('aes-256-gcm', key, nonceOf(prefix, i));
      cipher.setAAD(chunkAad(headerHash, i, i === count - 1));
      parts.push(cipher.update(payload.subarray(i * CHUNK_SIZE, (i + 1) * CHUNK_SIZE)), cipher.final(), cipher.getAuthTag());
    }
    return Buffer.concat(parts);
  } finally {
    key.fill(0);
  }
}

function damaged(what: string): KeywardError {
  return new KeywardError('INVALID_INPUT', `The backup file is damaged (${what}): it was cut short or altered. Nothing was changed; use another copy of the backup.`);
}

/** Opens a backup file; throws INVALID_INPUT naming a wrong passphrase or a damaged file. */
export async function openBackup(file: Buffer, passphrase: string): Promise<{ header: BackupHeader; payload: Buffer }> {
  if (file.length < BACKUP_MAGIC.length + 5 || !file.subarray(0, BACKUP_MAGIC.length).equals(BACKUP_MAGIC)) {
    throw new KeywardError('INVALID_INPUT', 'This is not a Keyward backup file (its first bytes are not "KWBACKUP"). Nothing was changed.');
  }
  const version = file[BACKUP_MAGIC.length];
  if (version !== BACKUP_VERSION) {
    throw new KeywardError('INVALID_INPUT', `This backup was written in format ${version}; this Keyward reads format ${BACKUP_VERSION}. Update Keyward to restore it. Nothing was changed.`);
  }
  const headerLen = file.readUInt32BE(BACKUP_MAGIC.length + 1);
  const headerStart = BACKUP_MAGIC.length + 5;
  if (headerStart + headerLen > file.length) throw damaged('its header is incomplete');
  let header: BackupHeader;
  try {
    header = JSON.parse(file.subarray(headerStart, headerStart + headerLen).toString('utf8')) as BackupHeader;
  } catch {
    throw damaged('its header is unreadable');
  }
  const kdf = header.kdf;
  if (
    header.format !== 'keyward-backup' ||
    kdf?.algorithm !== 'scrypt' ||
    ![kdf.N, kdf.r, kdf.p, header.chunkSize].every((n) => Number.isInteger(n) && n > 0) ||
    kdf.N > 2 ** 22 ||
    kdf.r > 32 ||
    kdf.p > 16 ||
    header.chunkSize > 64 * 1024 * 1024
  ) {
    throw damaged('its header has unknown or unsafe parameters');
  }
  const key = await deriveKey(passphrase, Buffer.from(kdf.salt, 'base64'), kdf);
  try {
    const check = Buffer.from(header.keyCheck ?? '', 'base64');
    const mine = keyCheckOf(key);
    if (check.length !== mine.length || !timingSafeEqual(check, mine)) {
      throw new KeywardError('INVALID_INPUT', 'The backup passphrase is wrong. Try again with the passphrase chosen when the backup was made. Nothing was changed.', {
        reason: 'wrong-passphrase',
      });
    }
    const headerHash = createHash('sha256')
      .update(file.subarray(0, headerStart + headerLen))
      .digest();
    const prefix = Buffer.from(header.noncePrefix, 'base64');
    const body = file.subarray(headerStart + headerLen);
    const sealedChunk = header.chunkSize + TAG;
    const count = Math.max(1, Math.ceil(body.length / sealedChunk));
    const out: Buffer[] = [];
    for (let i = 0; i < count; i++) {
      const chunk = body.subarray(i * sealedChunk, (i + 1) * sealedChunk);
      if (chunk.length < TAG) throw damaged('it ends in the middle of a block');
      const decipher = createDecipheriv('aes-256-gcm', key, nonceOf(prefix, i));
      decipher.setAAD(chunkAad(headerHash, i, i === count - 1));
      decipher.setAuthTag(chunk.subarray(chunk.length - TAG));
      try {
        out.push(decipher.update(chunk.subarray(0, chunk.length - TAG)), decipher.final());
      } catch {
        throw damaged(i === count - 1 ? 'its last block does not check out; the file may be cut short' : `block ${i + 1} of ${count} does not check out`);
      }
    }
    return { header, payload: Buffer.concat(out) };
  } finally {
    key.fill(0);
  }
}
