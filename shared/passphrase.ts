// The shortest passphrase Keyward accepts, for a vault key and for a backup file: the
// window, the contract, the CLI and the key providers all read this one number.
export const MIN_PASSPHRASE = 12;
/** The longest, so a pasted file cannot be fed to scrypt as a passphrase. */
export const MAX_PASSPHRASE = 1024;
