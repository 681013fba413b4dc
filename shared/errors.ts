import type { z } from 'zod';
import type { ErrorPayloadSchema } from './schemas';

// Error codes that cross the IPC boundary and the CLI's --json output. Pure data:
// the core's KeywardError carries one of these, the renderer shows the message.
export const ERROR_CODES = [
  'INVALID_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'VAULT_LOCKED',
  'VAULT_NOT_INITIALIZED',
  'VAULT_EXISTS',
  'VAULT_READ_ONLY',
  /** Another Keyward (the app, another CLI) held the vault's write lock for longer than the wait: nothing was written; try again. */
  'VAULT_BUSY',
  /** The disk (or quota) is full: nothing was written. */
  'DISK_FULL',
  /** The vault's folder or file system is read-only: nothing was written. */
  'READ_ONLY_FOLDER',
  'KEY_PROVIDER_FAILED',
  'CANCELLED',
  /** AWS refused or failed a step (e.g. of a key rotation); the message carries the diagnosis. */
  'AWS_ERROR',
  'FORBIDDEN_SENDER',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** An error as it crosses IPC and the CLI's --json output. */
export type ErrorPayload = z.output<typeof ErrorPayloadSchema>;
