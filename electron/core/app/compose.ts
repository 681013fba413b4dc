import { osKeyProviders } from '../keys/choose';
import { systemClock } from '../ports/clock';
import { fileLogger, logFilePath } from '../ports/file-logger';
import { KeywardCore, type CoreOptions } from './core';

/** What a front-end knows when it builds its core: everything but the ports. */
export type FrontEndOptions = Omit<CoreOptions, 'keys' | 'clock' | 'log'> & {
  /** The keychain service the vault key is stored under (tests keep theirs apart). */
  keychainService?: string;
};

/**
 * The composition root, the one place the real ports are chosen: the OS's key
 * providers, the system clock, and the rotating log in the data folder
 * (`<vault folder>/logs/keyward.log`). The desktop (electron/main) and the CLI both
 * build their core here.
 */
export function createKeywardCore({ keychainService, ...opts }: FrontEndOptions): KeywardCore {
  const clock = systemClock;
  return new KeywardCore({
    ...opts,
    keys: osKeyProviders({ keychainService }),
    clock,
    log: fileLogger(logFilePath(opts.vaultDir), { clock }),
  });
}
