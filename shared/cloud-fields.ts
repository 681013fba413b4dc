import type { FieldDef } from './providers';

// The cloud providers' fields (GCP service account keys, Azure app client secrets,
// HashiCorp Vault tokens): what shared/providers.ts lists for them. Pure, like the rest
// of shared/: the form and main validate with the same rules.

function validateHttpUrl(label: string, value: string): string | null {
  let url: URL;
  try {
    if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || /^[^:]*\./.test(value.split('://')[0])) throw new Error('no scheme');
    url = new URL(value);
  } catch {
    return `${label} is a full URL such as https://host:8200 (scheme and host).`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `${label} must start with http:// or https://, not ${url.protocol}//.`;
  if (url.username || url.password) return `Do not put a user name or password in the ${label}.`;
  return null;
}

// ---- GCP -------------------------------------------------------------------------------

/** The parts of a service account key file Keyward uses. */
export interface ServiceAccountKey {
  clientEmail: string;
  projectId: string;
  privateKeyId: string;
  privateKey: string;
  tokenUri: string;
}

const PEM_PRIVATE_KEY = /^-----BEGIN (RSA )?PRIVATE KEY-----\r?\n[A-Za-z0-9+/=\r\n]+-----END (RSA )?PRIVATE KEY-----\s*$/;

/**
 * Parses the JSON key file Google hands out for a service account (IAM → Service
 * accounts → Keys → Add key → JSON). Returns the key, or a message that says what is wrong
 * (never quoting the private key).
 */
// Google's other credential files, named by their "type"; any other value is not quoted back (it may be anything pasted).
const KNOWN_OTHER_KEY_TYPES = ['authorized_user', 'external_account', 'impersonated_service_account', 'external_account_authorized_user'] as const;

export function parseServiceAccountKey(text: string): { key: ServiceAccountKey } | { error: string } {
  if (!text.trim()) return { error: 'Paste the service account key JSON (the whole file Google downloaded).' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { error: 'The service account key is not valid JSON: paste the whole key file, from { to }.' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { error: 'The service account key must be a JSON object, as in the key file Google downloaded.' };
  const o = parsed as Record<string, unknown>;
  const str = (k: string) => (typeof o[k] === 'string' ? (o[k] as string) : '');
  if (o.type !== 'service_account') {
    return { error: o.type === undefined ? 'The key JSON has no "type": it should be "service_account".' : `The key JSON is not a service account key (${KNOWN_OTHER_KEY_TYPES.find((t) => t === o.type) ?? 'its "type" is not "service_account"'}): Keyward needs a service account key, not user or external-account credentials.` };
  }
  const missing = ['client_email', 'private_key', 'private_key_id', 'token_uri'].filter((k) => !str(k));
  if (missing.length) return { error: `The service account key JSON is missing ${missing.map((k) => `"${k}"`).join(', ')}: download a new JSON key from IAM → Service accounts → Keys.` };
  const clientEmail = str('client_email');
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(clientEmail)) return { error: '"client_email" is not an email address.' };
  if (!/^[0-9a-f]{8,64}$/i.test(str('private_key_id'))) return { error: '"private_key_id" should be the key\'s hexadecimal id (as shown in the service account\'s Keys tab).' };
  if (!PEM_PRIVATE_KEY.test(str('private_key'))) {
    return { error: '"private_key" is not a PEM private key (-----BEGIN PRIVATE KEY----- … -----END PRIVATE KEY-----): the file may have been edited or truncated.' };
  }
  const uriError = validateHttpUrl('"token_uri"', str('token_uri'));
  if (uriError) return { error: uriError };
  return { key: { clientEmail, projectId: str('project_id'), privateKeyId: str('private_key_id'), privateKey: str('private_key'), tokenUri: str('token_uri') } };
}

/** The public parts of the key (email, project, key id), stored in clear so lists can show them. */
export function deriveGcpPublicFields(fields: Record<string, string | undefined>): Record<string, string> {
  const text = fields.serviceAccountKey;
  if (!text) return {};
  const r = parseServiceAccountKey(text);
  if (!('key' in r)) return {};
  const out: Record<string, string> = { clientEmail: r.key.clientEmail, keyId: r.key.privateKeyId };
  if (r.key.projectId) out.projectId = r.key.projectId;
  return out;
}

function derivedField(key: string, label: string): FieldDef {
  return { key, label, kind: 'text', required: false, secret: false, derived: true, validate: () => null };
}

export const gcpFields: FieldDef[] = [
  {
    key: 'serviceAccountKey',
    label: 'Service account key (JSON)',
    kind: 'textarea',
    required: true,
    secret: true,
    placeholder: '{ "type": "service_account", "project_id": …, "private_key_id": …, "private_key": …, "client_email": …, "token_uri": … }',
    help: 'Paste the whole JSON key file. Keyward keeps it encrypted and shows only the email, project and key id.',
    validate: (v) => {
      const r = parseServiceAccountKey(v);
      return 'error' in r ? r.error : null;
    },
  },
  {
    key: 'endpointUrl',
    label: 'Token endpoint',
    kind: 'url',
    required: false,
    secret: false,
    placeholder: 'optional; default: the key file\'s token_uri',
    help: 'Only to test against a stand-in token server; leave empty for Google.',
    validate: (v) => (v ? validateHttpUrl('Token endpoint', v) : null),
  },
  derivedField('clientEmail', 'Service account'),
  derivedField('projectId', 'Project'),
  derivedField('keyId', 'Key ID'),
];

// ---- Azure -----------------------------------------------------------------------------

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/i;
export const AZURE_DEFAULT_AUTHORITY = 'https://login.microsoftonline.com';

/** A calendar date YYYY-MM-DD that exists. */
export function validateDate(label: string, value: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return `${label} is a date written YYYY-MM-DD, e.g. 2027-03-31.`;
  const d = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.getUTCMonth() + 1 !== Number(m[2])) return `${label} "${value}" is not a real date.`;
  return null;
}

export const azureFields: FieldDef[] = [
  {
    key: 'tenantId',
    label: 'Tenant ID',
    kind: 'text',
    required: true,
    secret: false,
    placeholder: '00000000-0000-0000-0000-000000000000 or contoso.onmicrosoft.com',
    validate: (v) => {
      if (!v) return 'Tenant ID is required (Microsoft Entra ID → Overview → Tenant ID).';
      if (/\s/.test(v)) return 'Tenant ID must not contain spaces.';
      if (['common', 'organizations', 'consumers'].includes(v.toLowerCase())) return `"${v}" is not a tenant: the client credentials grant needs the tenant's ID or domain.`;
      return GUID.test(v) || DOMAIN.test(v) ? null : 'Tenant ID is a GUID (e.g. 72f988bf-86f1-41af-91ab-2d7cd011db47) or a domain such as contoso.onmicrosoft.com.';
    },
  },
  {
    key: 'clientId',
    label: 'Client (application) ID',
    kind: 'text',
    required: true,
    secret: false,
    placeholder: '00000000-0000-0000-0000-000000000000',
    validate: (v) => (!v ? 'Client (application) ID is required (App registrations → your app → Overview).' : GUID.test(v) ? null : 'Client (application) ID is a GUID such as 11111111-2222-3333-4444-555555555555.'),
  },
  {
    key: 'clientSecret',
    label: 'Client secret',
    kind: 'secret',
    required: true,
    secret: true,
    help: 'The secret\'s Value (shown once when created), not its Secret ID.',
    validate: (v) => {
      if (!v) return 'Client secret is required.';
      if (/[\r\n]/.test(v)) return 'Client secret must not contain line breaks.';
      if (v !== v.trim()) return 'Client secret must not start or end with spaces.';
      if (GUID.test(v)) return 'This looks like the Secret ID (a GUID). Paste the secret\'s Value instead.';
      return null;
    },
  },
  {
    key: 'expiresAt',
    label: 'Secret expiry date',
    kind: 'text',
    required: false,
    secret: false,
    placeholder: 'optional, YYYY-MM-DD (Certificates & secrets → Expires)',
    help: 'The date Azure shows under Certificates & secrets; Keyward warns when it has passed.',
    validate: (v) => (v ? validateDate('Secret expiry date', v) : null),
  },
  {
    key: 'authorityHost',
    label: 'Authority host',
    kind: 'url',
    required: false,
    secret: false,
    placeholder: `optional; default ${AZURE_DEFAULT_AUTHORITY}`,
    help: 'Only for national clouds (e.g. https://login.microsoftonline.us) or a stand-in test server.',
    validate: (v) => (v ? validateHttpUrl('Authority host', v) : null),
  },
];

// ---- HashiCorp Vault -------------------------------------------------------------------

export const vaultFields: FieldDef[] = [
  {
    key: 'address',
    label: 'Address',
    kind: 'url',
    required: true,
    secret: false,
    placeholder: 'https://vault.example.com:8200',
    validate: (v) => (v ? validateHttpUrl('Address', v) : 'Address is required (what VAULT_ADDR holds).'),
  },
  {
    key: 'token',
    label: 'Token',
    kind: 'secret',
    required: true,
    secret: true,
    validate: (v) => {
      if (!v) return 'Token is required.';
      if (/\s/.test(v)) return 'Token must not contain spaces or line breaks.';
      return null;
    },
  },
  {
    key: 'namespace',
    label: 'Namespace',
    kind: 'text',
    required: false,
    secret: false,
    placeholder: 'optional (Vault Enterprise / HCP), e.g. admin/team-a',
    validate: (v) => (/\s/.test(v) ? 'Namespace must not contain spaces.' : /^\/|\/\/|^\.\.?$/.test(v) ? 'Namespace is a path such as admin/team-a, without a leading slash.' : null),
  },
];
