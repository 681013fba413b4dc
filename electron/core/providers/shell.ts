// Quoting for the test commands the diagnosis prints (ldapwhoami, psql, mongosh…): each is
// pasted into a POSIX shell, and none ever holds a secret.

/** Single-quotes a value for a POSIX shell, unless it needs no quotes. */
export function sh(value: string): string {
  return /^[A-Za-z0-9_./:@=,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The file the test commands read the CA certificate from: the credential's "CA certificate (PEM)", saved by the admin. */
export const CA_FILE = 'ca.pem';

/** TLS errors where the server's certificate was not trusted: the test command then shows how to pass the CA. */
export const UNTRUSTED_CERT_CODES = [
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
] as const;

/** Whether the test command should trust ca.pem as Keyward would: a CA is stored, or the certificate was not trusted. */
export function testWithCa(fields: Record<string, string>, errorCode?: string): boolean {
  return !!fields.caCert || (UNTRUSTED_CERT_CODES as readonly string[]).includes(errorCode ?? '');
}
