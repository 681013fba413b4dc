import type { ParseArgsConfig } from 'node:util';

/** Flags every command takes, before or after the command word. */
export const GLOBAL_OPTIONS = {
  json: { type: 'boolean' },
  'vault-dir': { type: 'string' },
  'passphrase-stdin': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];
