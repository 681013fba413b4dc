import { X509Certificate } from 'node:crypto';
import type { CheckError } from '../../../shared/contract';
import { splitPemCertificates } from '../../../shared/providers/fields';

// The connectors' optional "CA certificate (PEM)": shared/ checks its shape as the admin
// types; here each block is parsed as a real X.509 certificate before any connection, so
// a damaged paste ends as one clear message instead of a TLS library's puzzle. The
// certificates become the TLS client's `ca` (trusted instead of the system's CAs);
// certificate and host-name verification stay on.

export const CA_INVALID_CODE = 'CaCertificateInvalid';

/**
 * The trust to give a TLS client: `{ ca: undefined }` (the system's CAs) when no CA
 * certificate is stored, the parsed PEM blocks when one is, or an error when it does not parse.
 */
export function connectorTrust(pem: string | undefined): { ca: string[] | undefined } | { error: CheckError } {
  if (!pem || !pem.trim()) return { ca: undefined };
  const split = splitPemCertificates(pem);
  if ('error' in split) return { error: { code: CA_INVALID_CODE, message: split.error } };
  for (const [i, block] of split.certificates.entries()) {
    try {
      new X509Certificate(block);
    } catch {
      const which = split.certificates.length > 1 ? `Certificate ${i + 1} of ${split.certificates.length} in the CA certificate (PEM)` : 'The CA certificate (PEM)';
      return {
        error: {
          code: CA_INVALID_CODE,
          message: `${which} is not a readable X.509 certificate, so Keyward did not connect: edit the credential and paste the CA's certificate file again, whole and unedited.`,
        },
      };
    }
  }
  return { ca: split.certificates };
}
