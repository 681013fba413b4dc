import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { FILE_LIMITS, tooLargeMessage, type FileKind } from '../../shared/limits';
import { KeywardError } from './errors';

// Files read whole, with their kind's limit: the CLI's inputs and the AWS files core reads.

const CHUNK = 64 * 1024;

/**
 * A file read whole, but never past its kind's limit (shared/limits.ts): a regular file
 * is refused by its size before a byte is read, anything else (a pipe, /dev/zero) once
 * the limit is passed. Read errors (ENOENT, EACCES, EISDIR) are thrown as they are, for
 * the command to say what to do.
 */
export function readLimited(path: string, kind: FileKind): Buffer {
  const limit = FILE_LIMITS[kind].bytes;
  const fd = openSync(path, 'r');
  try {
    const stat = fstatSync(fd);
    if (stat.isFile() && stat.size > limit) throw new KeywardError('INVALID_INPUT', tooLargeMessage(path, kind));
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(CHUNK);
      const n = readSync(fd, chunk, 0, CHUNK, null);
      if (n === 0) break;
      total += n;
      if (total > limit) throw new KeywardError('INVALID_INPUT', tooLargeMessage(path, kind));
      chunks.push(chunk.subarray(0, n));
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}
