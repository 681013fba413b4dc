import type { CatalogEntry } from '../../diagnosis/entry';

// Azure's rows of the diagnosis catalog: the connector runbook's Azure rows and the
// neighbours an admin meets next. `{test}` becomes the credential's own test command,
// which never holds a secret.

const AZURE_CODES = 'https://learn.microsoft.com/entra/identity-platform/reference-error-codes';
const AZURE_SECRETS = 'https://learn.microsoft.com/entra/identity-platform/how-to-add-credentials';

export const AZURE_CATALOG: readonly CatalogEntry[] = [
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
