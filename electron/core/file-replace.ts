import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readdirSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { KeywardError } from './errors';
import type { Clock } from './ports/clock';

// Files Keyward rewrites in place of the admin (~/.aws/config and credentials, a delivery's
// .env): a timestamped 0600 backup first, then the new text written to a temporary file in
// the same folder, fsynced and renamed over the old one. A kill at any moment leaves the
// file whole, old or new.

/** How the files are written: the real disk, or (in tests only) one that fails or dies half-way. */
export interface FileWriter {
  /** Creates `file` (never replaces one) holding `text`, mode 0600, synced to disk. */
  writeBackup(file: string, text: string): void;
  /** Replaces `file` with `text` atomically, with `mode`, else keeping its mode (0600 for a new file). */
  writeAtomic(file: string, text: string, mode?: number): void;
}

function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Not every file system lets a folder be opened for fsync; the rename is still atomic.
  }
}

function writeAll(fd: number, text: string): void {
  const buf = Buffer.from(text, 'utf8');
  for (let off = 0; off < buf.length;) off += writeSync(fd, buf, off);
  fsyncSync(fd);
}

/** A dotfile manager's symlink stays a symlink: the file it points at is the one replaced. */
export function realTarget(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

/** The real disk; temporary files are named `${tmpPrefix}${name}-RANDOM` beside the file. */
export function diskWriter(tmpPrefix: string): FileWriter {
  return {
    writeBackup(file, text) {
      const fd = openSync(file, 'wx', 0o600);
      try {
        writeAll(fd, text);
      } finally {
        closeSync(fd);
      }
      syncDir(dirname(file));
    },
    writeAtomic(file, text, wanted) {
      const real = realTarget(file);
      let mode = wanted ?? 0o600;
      try {
        if (wanted === undefined) mode = statSync(real).mode & 0o777;
      } catch {
        // a new file
      }
      const tmp = join(dirname(real), `${tmpPrefix}${basename(real)}-${randomBytes(6).toString('hex')}`);
      const fd = openSync(tmp, 'wx', mode);
      try {
        writeAll(fd, text);
      } catch (e) {
        closeSync(fd);
        rmSync(tmp, { force: true });
        throw e;
      }
      closeSync(fd);
      renameSync(tmp, real);
      syncDir(dirname(real));
    },
  };
}

/** Temporary files a killed write left beside `file` (never the file itself). */
export function removeLeftovers(file: string, tmpPrefix: string): void {
  const dir = dirname(realTarget(file));
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const n of names) if (n.startsWith(`${tmpPrefix}${basename(realTarget(file))}-`)) rmSync(join(dir, n), { force: true });
}

/** The timestamp in backup names: 20261201T094512Z. */
function stamp(clock: Clock): string {
  return new Date(clock.now())
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Copies `text` (the file's current content) to `FILE.keyward-backup-YYYYMMDDTHHMMSSZ`, mode
 * 0600; a second backup within the same second gets the next free name. Returns its path.
 */
export function backUp(files: FileWriter, file: string, text: string, clock: Clock): string {
  const at = stamp(clock);
  for (let n = 0; ; n++) {
    const backup = `${realTarget(file)}.keyward-backup-${at}${n ? `-${n}` : ''}`;
    try {
      files.writeBackup(backup, text);
      return backup;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && n < 100) continue;
      throw e;
    }
  }
}

/** Can Keyward replace `file`? Not when the admin made it read-only (a rename would replace it anyway, even as root). */
export function refuseReadOnly(file: string, mode: number | null): void {
  if (mode !== null && (mode & 0o200) === 0) {
    throw new KeywardError(
      'CONFLICT',
      `${file} is read-only (mode ${(mode & 0o777).toString(8).padStart(4, '0')}): Keyward does not replace a file that was made read-only. Make it writable (chmod u+w ${file}), then try again. Nothing was changed.`,
    );
  }
}

/** A failed read or write of `file`, told as what it was, with what to do. */
export function fileError(e: unknown, file: string, doing: 'read' | 'write'): KeywardError {
  if (e instanceof KeywardError) return e;
  const code = (e as NodeJS.ErrnoException | null)?.code ?? '';
  const nothing = doing === 'write' ? ' Nothing was changed.' : '';
  switch (code) {
    case 'ENOENT':
      return new KeywardError('INVALID_INPUT', `The folder ${dirname(file)} does not exist: create it (mkdir -p ${dirname(file)}) or give another path.${nothing}`, { fs: code });
    case 'ENOTDIR':
      return new KeywardError('INVALID_INPUT', `A part of ${file} is a file, not a folder: give another path.${nothing}`, { fs: code });
    case 'EISDIR':
      return new KeywardError('INVALID_INPUT', `${file} is a folder, not a file: give the file's path.${nothing}`, { fs: code });
    case 'EACCES':
    case 'EPERM':
      return new KeywardError(
        'INVALID_INPUT',
        `Permission denied ${doing === 'write' ? 'writing' : 'reading'} ${file}: this user may not ${doing} it or its folder (${dirname(file)}). Fix the permissions, or give another path.${nothing}`,
        { fs: code },
      );
    case 'EROFS':
      return new KeywardError('READ_ONLY_FOLDER', `${dirname(file)} is on a read-only file system: ${file} cannot be written. Remount it read-write, or give another path.${nothing}`, { fs: code });
    case 'ENOSPC':
    case 'EDQUOT':
      return new KeywardError('DISK_FULL', `The disk holding ${file} is full: free some space, then try again.${nothing}`, { fs: code });
    default:
      return new KeywardError('INVALID_INPUT', `Could not ${doing} ${file} (${code || 'unknown error'}).${nothing}`, { fs: code });
  }
}
