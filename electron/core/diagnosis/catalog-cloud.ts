import type { CatalogEntry } from './catalog';

// The cloud providers' part of the diagnosis catalog (GCP, Azure, HashiCorp Vault): every
// GCP, Azure and Vault row of the connector runbook, and the neighbours an admin meets
// next. `{test}` becomes the credential's own test command (cloud-commands.ts), which
// never holds a secret. Listed before the shared network entries, so a GCP credential
// that cannot reach Google gets the runbook's "TransportError" wording.

const GCP_ERRORS = 'https://developers.google.com/identity/protocols/oauth2/service-account#error-codes';
const GCP_KEYS = 'https://cloud.google.com/iam/docs/keys-create-delete';
const GCP_DISABLE = 'https://cloud.google.com/iam/docs/service-accounts-disable-enable';
const AZURE_CODES = 'https://learn.microsoft.com/entra/identity-platform/reference-error-codes';
const AZURE_SECRETS = 'https://learn.microsoft.com/entra/identity-platform/how-to-add-credentials';
const VAULT_TOKENS = 'https://developer.hashicorp.com/vault/docs/concepts/tokens';
const VAULT_POLICIES = 'https://developer.hashicorp.com/vault/docs/concepts/policies';

const GCP: CatalogEntry[] = [
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

const AZURE: CatalogEntry[] = [
  {
    id: 'azure.invalid-secret',
    provider: 'AZURE',
    codes: ['AADSTS7000215'],
    cause: 'Microsoft Entra ID rejected the client secret (AADSTS7000215, reported by Azure SDKs as ClientAuthenticationError): it is mistyped, it is the Secret ID instead of its Value, or it belongs to another app registration.',
    remedy: [
      'In the Azure portal open Microsoft Entra ID → App registrations → the app → Certificates & secrets.',
      'Check the secret is listed and not expired; a secret’s Value is shown only once, when it is created.',
      'If the Value is lost, create a new client secret, note its expiry date, and Edit this credential with the Value (not the Secret ID).',
      'Run {test}; it asks for the secret without echoing it.',
    ],
    link: AZURE_SECRETS,
  },
  {
    id: 'azure.expired-secret',
    provider: 'AZURE',
    codes: ['AADSTS7000222'],
    cause: 'The client secret has expired (AADSTS7000222): Azure client secrets stop working at the expiry date set when they were created.',
    remedy: [
      'In App registrations → the app → Certificates & secrets, check the secret’s Expires column ({test} lists them with an admin’s az login).',
      'Create a new client secret and note its expiry date.',
      'Edit this credential with the new Value and its Secret expiry date, so Keyward can warn before the next one expires.',
    ],
    link: AZURE_SECRETS,
  },
  {
    id: 'azure.app-not-found',
    provider: 'AZURE',
    codes: ['AADSTS700016'],
    cause: 'No application with this Client (application) ID exists in the tenant (AADSTS700016): the ID is mistyped, the app was deleted, or it is registered in another tenant.',
    remedy: [
      'Copy the Application (client) ID again from App registrations → the app → Overview, and check the Directory (tenant) ID there too.',
      'For an app from another tenant, an admin of this tenant must consent to it first.',
      'Run {test} with an admin’s az login to see whether the tenant knows the app.',
    ],
    link: AZURE_CODES,
  },
  {
    id: 'azure.tenant-not-found',
    provider: 'AZURE',
    codes: ['AADSTS90002'],
    cause: 'Microsoft Entra ID has no tenant with this Tenant ID or domain (AADSTS90002): it is mistyped, the tenant was deleted, or it lives in a national cloud with another authority host.',
    remedy: [
      'Copy the Tenant ID again from Microsoft Entra ID → Overview.',
      'For Azure Government or Azure China, set the Authority host (e.g. https://login.microsoftonline.us).',
      'Run {test}: a tenant that exists answers with its OpenID configuration.',
    ],
    link: AZURE_CODES,
  },
  {
    id: 'azure.client-authentication',
    provider: 'AZURE',
    codes: ['invalid_client', 'unauthorized_client', 'invalid_grant', 'invalid_request', 'invalid_scope'],
    cause: 'Microsoft Entra ID refused the client credentials (ClientAuthenticationError): the secret is wrong or expired, or the app may not use this grant; the AADSTS code in the message says which.',
    remedy: [
      'Look the AADSTS code in the message up in Microsoft’s error code reference (linked).',
      'Check the app’s Certificates & secrets and its expiry dates.',
      'Run {test}; it asks for the secret without echoing it.',
    ],
    link: AZURE_CODES,
  },
  {
    id: 'azure.unavailable',
    provider: 'AZURE',
    codes: ['temporarily_unavailable'],
    cause: 'Microsoft’s sign-in service said it is temporarily unavailable, even after retries. This says nothing about the secret.',
    remedy: ['Retry in a few minutes.', 'Check the Azure status page for Microsoft Entra ID.'],
    link: 'https://azure.status.microsoft/status',
  },
];

const VAULT: CatalogEntry[] = [
  {
    id: 'vault.invalid-token',
    provider: 'VAULT',
    codes: ['InvalidToken'],
    cause: 'Vault does not accept this token (permission denied, invalid token): it is mistyped, it was revoked, or its TTL ran out and Vault revoked it.',
    remedy: [
      'Export the token as VAULT_TOKEN (read -rs VAULT_TOKEN && export VAULT_TOKEN) and run {test}: if it fails too, the token is gone.',
      'If the token expired or was revoked, create a new one with the policies it needs (vault token create -policy=…) and Edit this credential.',
      'For a long-lived integration, use a periodic token or an auth method (AppRole) and renew it.',
    ],
    link: VAULT_TOKENS,
  },
  {
    id: 'vault.token-expired',
    provider: 'VAULT',
    codes: ['Context.TokenExpired'],
    cause: 'The Vault token expired: its TTL elapsed at {expiresAt}, and Vault revokes a token when its TTL runs out.',
    remedy: [
      'An expired token cannot be renewed: create a new token with the same policies (vault token create -policy=… -ttl=…) and Edit this credential with it.',
      'To avoid this, renew the token before it expires (vault token renew) or use a periodic token.',
    ],
    link: VAULT_TOKENS,
  },
  {
    id: 'vault.permission-denied',
    provider: 'VAULT',
    codes: ['PermissionDenied'],
    cause: 'Vault knows the token but its policies do not allow looking itself up (permission denied): the token lacks the required policy, e.g. it was created with -no-default-policy.',
    remedy: [
      'With VAULT_TOKEN set to the token, run {test} and compare the policies it lists with the ones the integration needs.',
      'Attach the needed policies (the default policy allows auth/token/lookup-self) by creating a new token with them, then Edit this credential.',
      'If a namespace is set, check that the token belongs to that namespace.',
    ],
    link: VAULT_POLICIES,
  },
  {
    id: 'vault.sealed',
    provider: 'VAULT',
    codes: ['VaultSealed'],
    cause: 'Vault is sealed: it answers every request with 503 until an operator unseals it. This says nothing about the token.',
    remedy: ['Run {test}: "Sealed true" confirms it.', 'Ask the Vault operators to unseal it (vault operator unseal, or check auto-unseal), then Retry.'],
    link: 'https://developer.hashicorp.com/vault/docs/concepts/seal',
  },
  {
    id: 'vault.server-error',
    provider: 'VAULT',
    codes: ['HTTP500', 'HTTP503', 'HTTP429', 'HTTP472', 'HTTP473'],
    cause: 'Vault answered with a server error, a rate limit or a standby status, even after retries. This says nothing about the token.',
    remedy: ['Run {test} to see the server’s state (sealed, standby, HA leader).', 'Retry in a minute; the credential was not marked invalid.'],
    link: 'https://developer.hashicorp.com/vault/api-docs#http-status-codes',
  },
  {
    id: 'vault.not-vault',
    provider: 'VAULT',
    codes: ['NotVault'],
    cause: 'Something answered at the address, but not Vault’s token API: the address or port is wrong, or a proxy is in between.',
    remedy: ['Set the Address to what VAULT_ADDR holds, e.g. https://vault.example.com:8200 (no /v1 path).', 'Run {test} against it.'],
    link: 'https://developer.hashicorp.com/vault/api-docs/auth/token#lookup-a-token-self',
  },
];

export const CLOUD_CATALOG: readonly CatalogEntry[] = [...GCP, ...AZURE, ...VAULT];
