import type { ProviderId } from '../../../shared/providers';

// The diagnosis catalog: (provider, error code or message pattern) → cause, remedy and
// the command that tests the same thing outside Keyward. Table-driven so a new error is
// one entry. `{test}` in a remedy step is replaced by the test command.

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

const IAM_KEYS_DOC = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html';
const STS_TROUBLESHOOT = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot.html';

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

const AWS: CatalogEntry[] = [
  {
    id: 'aws.invalid-key-id',
    provider: 'AWS',
    codes: ['InvalidClientTokenId', 'UnrecognizedClientException', 'InvalidAccessKeyId'],
    cause: 'AWS does not recognise this access key ID: the key was rotated or deleted, it is inactive, its IAM user was deleted, or it belongs to another partition (GovCloud, China).',
    remedy: [
      'In the AWS IAM console open the user’s Security credentials tab and check that this access key exists and is Active.',
      'If it was rotated or deleted, create a new access key and Edit this credential with it (or use Rotate key).',
      'If the IAM user was deleted, create a new user with the required permissions and a new key.',
      'Check that the region belongs to the key’s partition (aws, aws-us-gov, aws-cn).',
    ],
    link: IAM_KEYS_DOC,
  },
  {
    id: 'aws.clock-skew',
    provider: 'AWS',
    codes: ['SignatureDoesNotMatch', 'RequestTimeTooSkewed', 'RequestExpired', 'InvalidSignatureException'],
    message: /expired|not yet current|skew|time/i,
    cause: 'This machine’s clock is too far from AWS’s time (more than 5 minutes), so AWS rejects the request signature.',
    remedy: ['Turn on automatic time synchronisation (NTP) on this machine and check its time zone.', 'Then Retry.'],
    link: STS_TROUBLESHOOT,
  },
  {
    id: 'aws.wrong-secret',
    provider: 'AWS',
    codes: ['SignatureDoesNotMatch', 'IncompleteSignature', 'InvalidSignatureException'],
    cause: 'The secret access key does not belong to this access key ID (a typo, a truncated paste, or the secret of another key).',
    remedy: [
      'Edit the credential and paste the secret access key again: it is 40 characters, with no spaces.',
      'AWS shows a secret only once: if it is lost, create a new access key and replace this one.',
    ],
    link: IAM_KEYS_DOC,
  },
  {
    id: 'aws.auth-failure',
    provider: 'AWS',
    codes: ['AuthFailure', 'MissingAuthenticationToken'],
    cause: 'AWS could not validate the credentials: the key is unknown, inactive, or the secret does not match.',
    remedy: [
      'Check that the access key is Active in the IAM console (user → Security credentials).',
      'Edit the credential and re-enter the secret access key.',
      'Console sign-in uses a password, not an access key: make sure this is an access key pair.',
    ],
    link: IAM_KEYS_DOC,
  },
  {
    id: 'aws.access-denied',
    provider: 'AWS',
    codes: ['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnauthorizedAccess'],
    cause: 'The key is valid but its IAM policy does not allow this call (a policy too restrictive, an SCP, or a permissions boundary).',
    remedy: [
      'Open IAM Policy in Keyward and copy the generated policy.',
      'Attach it to the IAM user in the AWS IAM console, wait a minute for IAM to propagate, then Retry.',
      'If an organisation SCP or permissions boundary denies it, ask your AWS administrator.',
    ],
    link: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html',
  },
  {
    id: 'aws.expired-token',
    provider: 'AWS',
    codes: ['ExpiredToken', 'ExpiredTokenException', 'TokenRefreshRequired'],
    cause: 'These are temporary (session) credentials and they have expired.',
    remedy: ['Store a long-term IAM user access key (AKIA…) instead of session credentials.', 'Or fetch new session credentials and Edit this credential.'],
    link: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp.html',
  },
  {
    id: 'aws.opt-in-region',
    provider: 'AWS',
    codes: ['OptInRequired', 'InvalidClientTokenId'],
    message: /opt.?in|not enabled/i,
    cause: 'The region is an opt-in region that is not enabled for this account.',
    remedy: ['Enable the region in the AWS account settings, or pick another region for this credential.'],
  },
  {
    id: 'aws.throttled',
    provider: 'AWS',
    codes: ['Throttling', 'ThrottlingException', 'RequestLimitExceeded', 'TooManyRequestsException', 'RequestThrottled', 'SlowDown'],
    cause: 'AWS throttled the requests (too many calls for this account and region), even after retries. This says nothing about the key.',
    remedy: ['Retry in a minute.', 'Lower the concurrency of Verify all (keyward verify --all --concurrency 4).'],
  },
  {
    id: 'aws.server-error',
    provider: 'AWS',
    codes: ['InternalFailure', 'InternalError', 'ServiceUnavailable', 'ServiceUnavailableException', 'InternalServerError'],
    cause: 'AWS answered with a server error, even after retries. This says nothing about the key.',
    remedy: ['Retry in a few minutes.', 'Check the AWS Health Dashboard for the region.'],
    link: 'https://health.aws.amazon.com/health/status',
  },
];

const APISIX: CatalogEntry[] = [
  {
    id: 'apisix.unauthorized',
    provider: 'APISIX',
    codes: ['Unauthorized', 'Forbidden'],
    cause: 'The APISIX Admin API rejected the Admin API key (wrong key, or the key was changed in APISIX’s config.yaml).',
    remedy: [
      'Check deployment.admin.admin_key in APISIX’s conf/config.yaml for the current key.',
      'Check deployment.admin.allow_admin: this machine’s IP must be allowed.',
      'Edit the credential with the right key, then Retry.',
    ],
    link: 'https://apisix.apache.org/docs/apisix/admin-api/',
  },
  {
    id: 'apisix.not-found',
    provider: 'APISIX',
    codes: ['NotFound'],
    cause: 'The endpoint answered, but not as the APISIX Admin API: the URL or port is likely the gateway’s data port, not the admin port (9180 by default).',
    remedy: ['Point the Endpoint URL at the Admin API, e.g. http://host:9180.', 'Then Retry.'],
    link: 'https://apisix.apache.org/docs/apisix/admin-api/',
  },
];

export const CATALOG: readonly CatalogEntry[] = [...AWS, ...APISIX, ...NETWORK];

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
