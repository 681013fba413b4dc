import type { ErrorCode } from '../../shared/errors';
import { KeywardError, toErrorPayload } from '../core/errors';
import { escapeForTerminal } from './format';

/** Where a command reads and writes: the process in production, buffers in tests. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Reads the next secret line from stdin (or prompts, hidden, on a terminal). */
  readSecret: (label: string) => Promise<string>;
  /** Reads the rest of stdin as one multi-line secret (a key file); '' on a terminal. */
  readRest?: (label: string) => Promise<string>;
  confirm: (question: string) => Promise<boolean>;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
}

export const EXIT = { OK: 0, FAILED: 1, USAGE: 2, LOCKED: 3 } as const;

export function exitCodeFor(code: ErrorCode): number {
  switch (code) {
    case 'VAULT_LOCKED':
    case 'VAULT_NOT_INITIALIZED':
    case 'KEY_PROVIDER_FAILED':
      return EXIT.LOCKED;
    case 'INVALID_INPUT':
    case 'NOT_FOUND':
    case 'CONFLICT':
    case 'VAULT_EXISTS':
      return EXIT.USAGE;
    default:
      return EXIT.FAILED;
  }
}

export function usageError(message: string): KeywardError {
  return new KeywardError('INVALID_INPUT', message);
}

/**
 * Prints an error in the shape --json promises, or as a line for people. An unexpected
 * (non-Keyward) error keeps stderr parseable: its stack is printed only with KEYWARD_DEBUG=1,
 * since an internal message may quote input it should not repeat.
 */
export function reportError(io: CliIO, e: unknown, json: boolean): number {
  const payload = toErrorPayload(e);
  const internal = payload.code === 'INTERNAL';
  const debug = !!io.env.KEYWARD_DEBUG && io.env.KEYWARD_DEBUG !== '0';
  if (internal && debug) io.stderr(`keyward: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
  const message = internal && !debug ? `${payload.message} Run again with KEYWARD_DEBUG=1 to print the internal error.` : payload.message;
  if (json) io.stderr(`${JSON.stringify({ error: { ...payload, message } })}\n`);
  else io.stderr(`keyward: ${escapeForTerminal(message)}\n`);
  return exitCodeFor(payload.code);
}
