import type { ProviderId } from '../../../shared/providers';
import { CA_FILE, UNTRUSTED_CERT_CODES } from '../providers/shell';

// One row of the diagnosis catalog: (provider, error code or message pattern) → cause,
// remedy and the command that tests the same thing outside Keyward. Each provider keeps
// its rows in its own folder (providers/<id>/catalog.ts); diagnosis/catalog.ts joins them.
// `{test}` in a remedy step is replaced by the test command.

export interface CatalogEntry {
  id: string;
  provider: ProviderId | '*';
  codes: readonly string[];
  /** Narrows an entry to messages that match (e.g. clock skew vs wrong secret). */
  message?: RegExp;
  cause: string;
  remedy: readonly string[];
  /** Overrides the provider's test command. */
  test?: string;
  link?: string;
}

/** A provider's rows, written without the provider each repeats; a row built by a helper keeps its own. */
export function catalogOf(provider: ProviderId, rows: ReadonlyArray<Omit<CatalogEntry, 'provider'> | CatalogEntry>): CatalogEntry[] {
  return rows.map((row) => ({ provider, ...row }));
}

/** A connector's TLS certificate was not trusted (self-signed, a private CA, or another host's name): the remedy is the CA field. */
export function untrustedCertificate(provider: ProviderId, server: string, hostField: string): CatalogEntry {
  return {
    id: `${provider.toLowerCase()}.tls-untrusted`,
    provider,
    codes: UNTRUSTED_CERT_CODES,
    cause: `The ${server}’s TLS certificate is not trusted, so the password was not sent: it is self-signed or issued by a private CA this machine does not trust, or it does not name the host in the ${hostField}.`,
    remedy: [
      `If the ${server} uses a private CA or a self-signed certificate, add the CA certificate (PEM) to the credential: Edit → CA certificate (PEM), paste the CA’s certificate (its admin has it), then Retry.`,
      `Use the host name written in the server’s certificate (its subject alternative names) in the ${hostField}: the name is checked even with your own CA.`,
      `Save the CA certificate as ${CA_FILE} and run {test}: it checks the certificate the same way.`,
      'Never disable certificate checks to make this pass.',
    ],
  };
}
