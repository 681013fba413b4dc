import { lstatSync, rmSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { FileKind } from '../../../shared/limits';
import { backUp, diskWriter, fileError, realTarget, refuseReadOnly, removeLeftovers, type FileWriter } from '../file-replace';
import { readLimited } from '../read-limited';
import type { DeliveredKey, DeliveryCheck, DeliveryContext } from './kind';

// What the file kinds (aws-profile, dotenv) share: where the file is, reading it within its
// limit, and replacing it as every file Keyward edits is replaced (file-replace.ts): a
// timestamped 0600 backup of the previous file, then an atomic 0600 write.

const TMP_PREFIX = '.keyward-delivery-';

/** The real disk, as the file kinds write it (a test passes its own writer in the context). */
export const deliveryFiles: FileWriter = diskWriter(TMP_PREFIX);

/** `~/x` and relative paths resolve against the context's root (the home folder). */
export function resolvePath(ctx: DeliveryContext, path: string): string {
  if (path === '~') return ctx.fsRoot;
  if (path.startsWith('~/')) return join(ctx.fsRoot, path.slice(2));
  return isAbsolute(path) ? path : resolve(ctx.fsRoot, path);
}

/** A file kind's file: its path resolved, its text (null: not there) and the editor parsed from it. */
export function loadFile<Doc>(ctx: DeliveryContext, path: string, kind: FileKind, parse: (text: string) => Doc): { file: string; text: string | null; doc: Doc } {
  const file = resolvePath(ctx, path);
  const text = readFileText(file, kind);
  return { file, text, doc: parse(text ?? '') };
}

/** A file kind's check: the key the file holds, tried with STS; `missing` says what a file without one lacks. */
export function checkHeldKey(ctx: DeliveryContext, held: Partial<DeliveredKey> | null, missing: { code: string; cause: string; test: string }): Promise<DeliveryCheck> {
  if (!held?.accessKeyId || !held.secretAccessKey) {
    return Promise.resolve({
      ok: false,
      error: { code: missing.code, message: missing.cause },
      diagnosis: { cause: missing.cause, remedy: ['Write the key again: keyward rotate, or remove the delivery and add it again with --write.'], test: missing.test, link: null },
    });
  }
  return ctx.checkKey({ accessKeyId: held.accessKeyId, secretAccessKey: held.secretAccessKey });
}

/** The file's text, or null when there is none; never past its kind's limit. */
export function readFileText(file: string, kind: FileKind): string | null {
  try {
    return readLimited(file, kind).toString('utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw fileError(e, file, 'read');
  }
}

/**
 * Replaces `file` (whose current text is `before`, null when it does not exist) with
 * `after`: refused when the admin made it read-only, backed up first, written 0600.
 * An empty `after` for a file Keyward created removes it. Returns the backup's path.
 */
export function replaceFile(ctx: DeliveryContext, file: string, before: string | null, after: string, opts: { removeIfEmpty?: boolean } = {}): string | null {
  if (before === after) return null;
  try {
    const real = realTarget(file);
    let mode: number | null = null;
    try {
      mode = statSync(real).mode;
    } catch {
      // a new file
    }
    refuseReadOnly(file, mode);
    removeLeftovers(file, TMP_PREFIX);
    const backup = before !== null ? backUp(ctx.files, file, before, ctx.clock) : null;
    if (after === '' && opts.removeIfEmpty && lstatSync(file, { throwIfNoEntry: false })) rmSync(real);
    else ctx.files.writeAtomic(file, after, 0o600);
    return backup;
  } catch (e) {
    throw fileError(e, file, 'write');
  }
}
