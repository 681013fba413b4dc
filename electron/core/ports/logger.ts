// The logger port: what went wrong inside Keyward, for whoever investigates later. A
// message is a constant written in code; an error is reduced to what is safe to keep
// (see describeForLog), since an internal error's text may quote input or a secret.

/** What a caller that knows the secrets at hand adds: their redaction (verification/redact.ts's Redactor). */
export interface LogRedaction {
  /** With it the log also keeps the error's own message, passed through it. */
  redact?: (text: string) => string;
}

export interface Logger {
  error(message: string, err?: unknown, opts?: LogRedaction): void;
  warn(message: string, err?: unknown, opts?: LogRedaction): void;
  info(message: string): void;
  /** The file the log is written to, for messages that send the reader there; null when none. */
  readonly location: string | null;
}

export const silentLogger: Logger = {
  error: () => undefined,
  warn: () => undefined,
  info: () => undefined,
  location: null,
};
