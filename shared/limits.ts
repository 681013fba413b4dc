// One set of input limits: the contract's schemas and every file or stdin the CLI reads
// take them from here, so the window and the CLI refuse the same input. Pure constants.

const KiB = 1024;
const MiB = 1024 * KiB;

/** One credential field (a secret, a key file's JSON): room for a 4096-bit RSA service account key (about 3.5 KB). */
export const MAX_FIELD_CHARS = 16 * KiB;

/** The most each kind of file may weigh, read whole; `what` names it in the refusal. */
export const FILE_LIMITS = {
  awsCredentials: { bytes: 1 * MiB, what: 'an AWS credentials or config file' },
  credentialReport: { bytes: 16 * MiB, what: 'an IAM credential report' },
  accessKeyCsv: { bytes: 16 * KiB, what: 'an access key .csv' },
  paramsImport: { bytes: 1 * MiB, what: 'a parameters export' },
  backup: { bytes: 48 * MiB, what: 'a Keyward backup' },
  /** --ca-file: becomes one field, so a field's limit. */
  caCert: { bytes: MAX_FIELD_CHARS, what: 'a CA certificate (PEM) file' },
  /** A delivery's .env file, read whole before its keys are replaced. */
  dotenv: { bytes: 1 * MiB, what: 'a .env file' },
} as const;

/** A delivery's config (non-secret): a file path, a profile or variable name, a parameter name or ARN. */
export const DELIVERY_LIMITS = {
  /** A file path (PATH_MAX on Linux). */
  pathChars: 4096,
  /** A profile, variable, parameter or secret name, a KMS key id or ARN. */
  nameChars: 2048,
  /** Entries of one config object. */
  configEntries: 16,
} as const;

/** Standard input: the secrets a command reads, one per line, each a field of at most 16 KiB. */
export const MAX_STDIN_BYTES = 64 * KiB;

export type FileKind = keyof typeof FILE_LIMITS;

/** The base64 text of `bytes` bytes: a backup travels as base64 in the contract. */
export function base64Chars(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}

/** "16 KiB", "1 MiB": a limit as people read it. */
export function sizeLabel(bytes: number): string {
  return bytes >= MiB && bytes % MiB === 0 ? `${bytes / MiB} MiB` : `${Math.round(bytes / KiB)} KiB`;
}

/** The refusal of an input over its limit, the same words wherever it is read. */
export function tooLargeMessage(name: string, kind: FileKind): string {
  const { bytes, what } = FILE_LIMITS[kind];
  return `${name} is larger than ${sizeLabel(bytes)}, the most ${what} may be; it was not read. Check that it is the right file.`;
}
