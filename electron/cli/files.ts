import type { FileKind } from '../../shared/limits';
import { KeywardError } from '../core/errors';
import { readLimited } from '../core/read-limited';

/** The errno code of a failed read ("ENOENT"), or the message. */
export function readFailure(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
}

/** A file the CLI reads, within its kind's limit; a read error becomes `onError(code)`, a KeywardError saying what to do. */
export function readInput(path: string, kind: FileKind, onError: (code: string) => KeywardError): Buffer {
  try {
    return readLimited(path, kind);
  } catch (e) {
    if (e instanceof KeywardError) throw e;
    throw onError(readFailure(e));
  }
}

export function readTextFile(path: string, kind: FileKind, onError: (code: string) => KeywardError): string {
  return readInput(path, kind, onError).toString('utf8');
}
