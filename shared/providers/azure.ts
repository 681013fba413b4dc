import { publicField, validateHttpUrl } from './fields';
import { defineProvider } from './types';

// An Azure app registration's client secret: tenant, client id, the secret's Value and
// optionally its expiry date and a national cloud's authority host.

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/i;
export const AZURE_DEFAULT_AUTHORITY = 'https://login.microsoftonline.com';

/** A calendar date YYYY-MM-DD that exists. */
function validateDate(label: string, value: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return `${label} is a date written YYYY-MM-DD, e.g. 2027-03-31.`;
  const d = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.getUTCMonth() + 1 !== Number(m[2])) return `${label} "${value}" is not a real date.`;
  return null;
}

export const azure = defineProvider({
  id: 'AZURE',
  label: 'Azure',
  types: ['CLIENT_SECRET'],
  testCommand: "az login --service-principal -u <client id> -p '<client secret>' --tenant <tenant id>",
  fields: [
    publicField('tenantId', 'Tenant ID', 'text', {
      placeholder: '00000000-0000-0000-0000-000000000000 or contoso.onmicrosoft.com',
      flag: 'tenant',
      metavar: 'TENANT',
      validate: (v) => {
        if (!v) return 'Tenant ID is required (Microsoft Entra ID → Overview → Tenant ID).';
        if (/\s/.test(v)) return 'Tenant ID must not contain spaces.';
        if (['common', 'organizations', 'consumers'].includes(v.toLowerCase())) return `"${v}" is not a tenant: the client credentials grant needs the tenant's ID or domain.`;
        return GUID.test(v) || DOMAIN.test(v) ? null : 'Tenant ID is a GUID (e.g. 72f988bf-86f1-41af-91ab-2d7cd011db47) or a domain such as contoso.onmicrosoft.com.';
      },
    }),
    publicField('clientId', 'Client (application) ID', 'text', {
      placeholder: '00000000-0000-0000-0000-000000000000',
      metavar: 'APP_ID',
      validate: (v) =>
        !v ? 'Client (application) ID is required (App registrations → your app → Overview).' : GUID.test(v) ? null : 'Client (application) ID is a GUID such as 11111111-2222-3333-4444-555555555555.',
    }),
    {
      key: 'clientSecret',
      label: 'Client secret',
      kind: 'secret',
      required: true,
      secret: true,
      help: "The secret's Value (shown once when created), not its Secret ID.",
      validate: (v) => {
        if (!v) return 'Client secret is required.';
        if (/[\r\n]/.test(v)) return 'Client secret must not contain line breaks.';
        if (v !== v.trim()) return 'Client secret must not start or end with spaces.';
        if (GUID.test(v)) return "This looks like the Secret ID (a GUID). Paste the secret's Value instead.";
        return null;
      },
    },
    publicField('expiresAt', 'Secret expiry date', 'text', {
      required: false,
      placeholder: 'optional, YYYY-MM-DD (Certificates & secrets → Expires)',
      help: 'The date Azure shows under Certificates & secrets; Keyward warns when it has passed.',
      flag: 'expires',
      metavar: 'YYYY-MM-DD',
      validate: (v) => (v ? validateDate('Secret expiry date', v) : null),
    }),
    publicField('authorityHost', 'Authority host', 'url', {
      required: false,
      placeholder: `optional; default ${AZURE_DEFAULT_AUTHORITY}`,
      help: 'Only for national clouds (e.g. https://login.microsoftonline.us) or a stand-in test server.',
      flag: 'authority',
      metavar: 'URL',
      validate: (v) => (v ? validateHttpUrl('Authority host', v) : null),
    }),
  ],
});
