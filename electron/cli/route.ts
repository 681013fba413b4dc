import { commandWord } from './global-options';

// Which built file runs a command line (bin/keyward.cjs asks before loading either).
// credential-process and exec have a small file of their own: the AWS CLI and SDKs run
// credential-process on every call, so it must not load the rest of the CLI.

export { commandWord };

export const AWS_USE_COMMANDS = ['credential-process', 'exec'] as const;

export function builtEntryFor(argv: string[]): 'aws-use' | 'keyward' {
  return (AWS_USE_COMMANDS as readonly (string | undefined)[]).includes(commandWord(argv)) ? 'aws-use' : 'keyward';
}
