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

/**
 * Any thrown value as a payload that is safe to show: unknown errors lose their text.
 * `logFile` names the log the caller wrote the error to, if it did.
 */
export function toErrorPayload(e: unknown, logFile: string | null = null): ErrorPayload {
  if (isKeywardError(e)) return e.toPayload();
  // A write to a vault opened read-only (its file is damaged) reaches SQLite as SQLITE_READONLY.
  if ((e as { code?: string } | null)?.code === 'SQLITE_READONLY') {
    return { code: 'VAULT_READ_ONLY', message: 'The vault is open read-only because its file is damaged; nothing was written. Run `keyward doctor`, then restore from a backup.' };
  }
  // No claim about the vault: the error may come after a write was committed.
  return { code: 'INTERNAL', message: `Keyward hit an unexpected error, and what it was doing may not have finished.${logFile ? ` Details are in the log: ${logFile}` : ''}` };
}
