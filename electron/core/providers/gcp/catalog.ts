import type { CatalogEntry } from '../../diagnosis/entry';

// GCP's rows of the diagnosis catalog: the connector runbook's GCP rows and the
// neighbours an admin meets next. `{test}` becomes the credential's own test command,
// which never holds a secret.

const GCP_ERRORS = 'https://developers.google.com/identity/protocols/oauth2/service-account#error-codes';
const GCP_KEYS = 'https://cloud.google.com/iam/docs/keys-create-delete';
const GCP_DISABLE = 'https://cloud.google.com/iam/docs/service-accounts-disable-enable';

export const GCP_CATALOG: readonly CatalogEntry[] = [
  {
    id: 'gcp.invalid-signature',
    provider: 'GCP',
    codes: ['InvalidJwtSignature'],
    cause: 'Google did not accept the key’s signature: this key was deleted or disabled on the service account, or the JSON holds a private key of another account.',
    remedy: [
      'In the GCP console open IAM & Admin → Service Accounts, find the account by its email (client_email) and open its Keys tab.',
      'Check that the Key ID shown here (private_key_id) is listed there and enabled; {test} lists them with an admin’s gcloud login.',
      'If it is gone, create a new JSON key (Keys → Add key → Create new key) and Edit this credential with it.',
    ],
    link: GCP_KEYS,
  },
  {
    id: 'gcp.account-not-found',
    provider: 'GCP',
    codes: ['AccountNotFound'],
    cause: 'The service account named in the key file no longer exists: it was deleted (its keys went with it), or the key belongs to another project.',
    remedy: [
      'In IAM & Admin → Service Accounts of the project, look for the email in client_email; {test} does it with an admin’s gcloud login.',
      'A service account deleted within the last 30 days can be undeleted (gcloud beta iam service-accounts undelete ACCOUNT_UNIQUE_ID); after that, create a new key.',
      'Otherwise create a new service account with the roles it needs, create a JSON key, and Edit this credential with it.',
    ],
    link: 'https://cloud.google.com/iam/docs/service-accounts-delete-undelete',
  },
  {
    id: 'gcp.disabled',
    provider: 'GCP',
    codes: ['ServiceAccountDisabled'],
    cause: 'Google refused the key because the service account, or this key, is disabled.',
    remedy: [
      'Run {test} with an admin’s gcloud login: "disabled: true" means the account itself is disabled.',
      'Enable it in IAM & Admin → Service Accounts (or gcloud iam service-accounts enable EMAIL), or enable the key in its Keys tab, if it was disabled by mistake.',
      'If it was disabled on purpose (a leaked or retired key), create a new key for an active account and Edit this credential.',
    ],
    link: GCP_DISABLE,
  },
  {
    id: 'gcp.clock',
    provider: 'GCP',
    codes: ['InvalidJwtTime'],
    cause: 'Google rejected the signed request as outside its time window: this machine’s clock is off, so the token’s issue and expiry times look wrong to Google.',
    remedy: ['Turn on automatic time synchronisation (NTP) on this machine and check its time zone.', 'Then Retry; the key itself may be fine.'],
    link: GCP_ERRORS,
  },
  {
    id: 'gcp.invalid-grant',
    provider: 'GCP',
    codes: ['invalid_grant', 'invalid_client', 'unauthorized_client', 'invalid_scope', 'access_denied'],
    cause: 'Google’s token endpoint refused the service account key (invalid_grant): the key JSON is invalid or no longer accepted, or the service account was deleted.',
    remedy: [
      'Check in IAM & Admin → Service Accounts that the account (client_email) exists and is enabled.',
      'Check that its Keys tab lists the Key ID (private_key_id) shown here.',
      'If the key or the account is gone, create a new JSON key and Edit this credential with it.',
      'Run {test} with the key file to see Google’s answer.',
    ],
    link: GCP_ERRORS,
  },
  {
    id: 'gcp.malformed-key',
    provider: 'GCP',
    codes: ['MalformedKey'],
    cause: 'The stored service account key JSON cannot be used: it is not a complete key file of type service_account.',
    remedy: ['Download a new JSON key (IAM & Admin → Service Accounts → Keys → Add key → JSON).', 'Edit this credential and paste the whole file.'],
    link: GCP_KEYS,
  },
  {
    id: 'gcp.transport',
    provider: 'GCP',
    // Connection refused keeps the shared network.refused entry, as for every provider without its own port story.
    codes: ['ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EPIPE', 'ECONNABORTED', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET', 'NetworkError'],
    cause: 'The connection to Google’s token endpoint failed before an answer (client libraries report this as google.auth.exceptions.TransportError): no network, DNS, a proxy or firewall. This says nothing about the key.',
    remedy: [
      'Check that this machine reaches https://oauth2.googleapis.com (proxy: HTTPS_PROXY / NO_PROXY).',
      'If a Token endpoint is set on this credential, check it.',
      'Retry; the credential was not marked invalid. Run {test} from this machine.',
    ],
  },
];
