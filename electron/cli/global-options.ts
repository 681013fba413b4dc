import type { ParseArgsConfig } from 'node:util';

/** Flags every command takes, before or after the command word. */
export const GLOBAL_OPTIONS = {
  json: { type: 'boolean' },
  'vault-dir': { type: 'string' },
  'passphrase-stdin': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

/** The command word: the first argument that is neither a flag nor a global flag's value. */
export function commandWord(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--') return undefined;
    if (argv[i] === '--vault-dir') i++;
    else if (!argv[i].startsWith('-')) return argv[i];
  }
  return undefined;
}
