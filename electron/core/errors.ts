import { dirname } from 'node:path';
import type { ErrorCode, ErrorPayload } from '../../shared/errors';

/**
 * The one error type of the core. `message` is for a person and says what to do;
 * `context` is for logs and tests. Neither may ever hold a secret value.
 */
export class KeywardError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly context: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'KeywardError';
  }

  toPayload(): ErrorPayload {
    return { code: this.code, message: this.message };
  }
}

export function isKeywardError(e: unknown): e is KeywardError {
  return e instanceof KeywardError;
}

const BUSY = /^SQLITE_(BUSY|LOCKED)/;
const FULL = new Set(['SQLITE_FULL', 'ENOSPC', 'EDQUOT']);
// SQLITE_READONLY alone is a write to a connection opened read-only (a damaged vault); these say the folder is.
const READ_ONLY_FOLDER = new Set(['EROFS', 'SQLITE_READONLY_DIRECTORY', 'SQLITE_READONLY_CANTINIT', 'SQLITE_READONLY_CANTLOCK', 'SQLITE_READONLY_RECOVERY', 'SQLITE_READONLY_ROLLBACK']);

export function isBusy(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && BUSY.test(code);
}

/**
 * What a failure of the vault's storage really was, told as such: busy (another Keyward
 * is writing), disk full, a read-only folder; damage only when SQLite reports corruption.
 * null when `e` is none of these. `file` names the vault (or temporary file) involved.
 */
export function storageError(e: unknown, file?: string): KeywardError | null {
  if (isKeywardError(e)) return e;
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  const where = file ? ` (${dirname(file)})` : '';
  if (BUSY.test(code)) {
    return new KeywardError('VAULT_BUSY', 'Another Keyward (the app or another keyward command) is writing to the vault and did not finish in time; nothing was written. Try again in a moment.', {
      sqlite: code,
    });
  }
  if (FULL.has(code)) {
    return new KeywardError('DISK_FULL', `The disk is full${where}: nothing was written, and the vault is as it was. Free some space and try again.`, { sqlite: code });
  }
  if (READ_ONLY_FOLDER.has(code)) {
    return new KeywardError(
      'READ_ONLY_FOLDER',
      `The folder${where} is read-only: nothing was written, and the vault is as it was. Make it writable (or remount it read-write), or copy the vault somewhere writable.`,
      { sqlite: code },
    );
  }
  if (code === 'SQLITE_READONLY') {
    return new KeywardError('VAULT_READ_ONLY', 'The vault is open read-only because its file is damaged; nothing was written. Run `keyward doctor`, then restore from a backup.', { sqlite: code });
  }
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new KeywardError(
      'VAULT_READ_ONLY',
      `The vault file${file ? ` ${file}` : ''} is damaged (SQLite reports corruption); nothing was written. Run \`keyward doctor\`, then restore from a backup.`,
      { sqlite: code },
    );
  }
  return null;
}

/**
 * Any thrown value as a payload that is safe to show: unknown errors lose their text.
 * `logFile` names the log the caller wrote the error to, if it did.
 */
export function toErrorPayload(e: unknown, logFile: string | null = null): ErrorPayload {
  const known = storageError(e);
  if (known) return known.toPayload();
  // No claim about the vault: the error may come after a write was committed.
  return { code: 'INTERNAL', message: `Keyward hit an unexpected error, and what it was doing may not have finished.${logFile ? ` Details are in the log: ${logFile}` : ''}` };
}
