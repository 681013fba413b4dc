import { PROVIDER_LIST } from '../providers';
import { CA_INVALID_CODE } from '../providers/tls-ca';
import { CA_FILE } from '../providers/shell';
import type { CatalogEntry } from './entry';

// The diagnosis catalog: (provider, error code or message pattern) → cause, remedy and
// the command that tests the same thing outside Keyward. Table-driven so a new error is
// one entry. Each provider's rows live in its folder (providers/<id>/catalog.ts); the rows
// every provider shares (network, TLS, a missing password, an unreadable CA) follow them,
// so a provider's own row for a code wins. `{test}` in a remedy step is replaced by the
// test command.

export type { CatalogEntry } from './entry';

const NETWORK: CatalogEntry[] = [
  {
    id: 'network.refused',
    provider: '*',
    codes: ['ECONNREFUSED'],
    cause: 'Nothing accepted the connection at the endpoint: the service is down, the port is wrong, or a firewall rejects it.',
    remedy: ['Check the endpoint URL and port.', 'Check that the service is running and reachable from this machine.', 'Run {test} from this machine.'],
  },
  {
    id: 'network.dns',
    provider: '*',
    codes: ['ENOTFOUND', 'EAI_AGAIN'],
    cause: 'The endpoint’s host name could not be resolved: a typo, no network, or a DNS problem.',
    remedy: ['Check the spelling of the endpoint host.', 'Check this machine’s network and DNS (or VPN).', 'Run {test} from this machine.'],
  },
  {
    id: 'network.timeout',
    provider: '*',
    codes: ['TIMEOUT', 'ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT'],
    cause: 'The endpoint did not answer in time: the network is slow or down, or a firewall drops the traffic.',
    remedy: ['Check this machine’s network connection and proxy settings.', 'Retry in a minute; the credential was not marked invalid.', 'Run {test} from this machine.'],
  },
  {
    id: 'network.reset',
    provider: '*',
    codes: ['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'EHOSTUNREACH', 'ENETUNREACH', 'NetworkError'],
    cause: 'The connection to the endpoint failed before an answer arrived (network drop, proxy or firewall).',
    remedy: ['Check the network path and any proxy between this machine and the endpoint.', 'Retry; the credential was not marked invalid.', 'Run {test} from this machine.'],
  },
  {
    id: 'tls.expired',
    provider: '*',
    codes: ['CERT_HAS_EXPIRED'],
    cause: 'The endpoint’s TLS certificate has expired, so the connection was refused before the credential was sent.',
    remedy: ['Renew the server’s certificate (or ask its owner to).', 'Check this machine’s clock: a wrong date also makes valid certificates look expired.'],
  },
  {
    id: 'tls.untrusted',
    provider: '*',
    codes: ['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'ERR_TLS_CERT_ALTNAME_INVALID', 'EPROTO'],
    cause: 'The endpoint’s TLS certificate is not trusted (self-signed, an unknown CA such as a TLS-inspecting proxy, or a host-name mismatch).',
    remedy: [
      'Use the endpoint’s real host name, as written in its certificate.',
      'If a corporate proxy inspects TLS, add its CA to the system trust store (NODE_EXTRA_CA_CERTS for the CLI).',
      'Never disable certificate checks to make this pass.',
    ],
  },
  {
    id: 'proxy.bad-response',
    provider: '*',
    codes: ['BadResponse', 'HTTP502', 'HTTP504'],
    cause: 'Something other than the service answered: usually a proxy, captive portal or a wrong endpoint URL.',
    remedy: ['Check the Endpoint URL.', 'Check HTTPS_PROXY / NO_PROXY and the proxy’s logs.', 'Run {test} from this machine.'],
  },
];

/** Rows every database and directory check shares (LDAP, PostgreSQL, Redis, MongoDB). */
const CONNECTORS: CatalogEntry[] = [
  {
    id: 'connector.empty-password',
    provider: '*',
    codes: ['EmptyPassword'],
    cause: 'No password is stored for this credential, and a check without one proves nothing (an LDAP bind without a password is anonymous).',
    remedy: ['Edit the credential and enter the password, then Retry.'],
  },
  {
    id: 'connector.ca-invalid',
    provider: '*',
    codes: [CA_INVALID_CODE],
    cause: 'The CA certificate (PEM) stored with this credential is not a readable X.509 certificate, so Keyward did not connect; the credential itself was not judged.',
    remedy: [
      'Ask the server’s admin for the CA certificate file (PEM, -----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----).',
      'Check it with {test}: it prints the certificate’s subject and expiry when the file is readable.',
      'Edit the credential, paste the whole file into CA certificate (PEM) (or clear the field to use the system’s CAs), then Retry.',
    ],
    test: `openssl x509 -in ${CA_FILE} -noout -subject -issuer -enddate`,
  },
];

export const CATALOG: readonly CatalogEntry[] = [...PROVIDER_LIST.flatMap((p) => p.catalog), ...CONNECTORS, ...NETWORK];

export const FALLBACK: Record<'INVALID' | 'UNREACHABLE', Omit<CatalogEntry, 'id' | 'provider' | 'codes'>> = {
  INVALID: {
    cause: 'The provider rejected the credential with an error Keyward has no specific advice for.',
    remedy: ['Read the error code and message above.', 'Run {test} to see the provider’s own answer.'],
  },
  UNREACHABLE: {
    cause: 'Keyward could not reach a verdict: the provider did not answer normally.',
    remedy: ['Check the network and the endpoint.', 'Retry; the credential was not marked invalid.'],
  },
};
