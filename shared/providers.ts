import { z } from 'zod';
import { AWS_REGION_CODES, AWS_REGIONS, DEFAULT_AWS_REGION } from './regions';
import { ldapFields, postgresFields, redisFields } from './connector-fields';
import { azureFields, deriveGcpPublicFields, gcpFields, vaultFields } from './cloud-fields';

// What each provider's credential looks like: its fields (public and secret), their
// labels and validation. Pure, so the form validates as the admin types and main
// validates the same rules again. The provider's verification lives in core.

export const PROVIDER_IDS = ['AWS', 'APISIX', 'LDAP', 'POSTGRES', 'REDIS', 'GCP', 'AZURE', 'VAULT'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];
export const CREDENTIAL_TYPES = ['ACCESS_KEY', 'ADMIN_API_KEY', 'BIND_PASSWORD', 'PASSWORD', 'SERVICE_ACCOUNT_KEY', 'CLIENT_SECRET', 'TOKEN'] as const;
export type CredentialType = (typeof CREDENTIAL_TYPES)[number];

export interface FieldDef {
  key: string;
  label: string;
  /** 'textarea': a multi-line value (a key file's JSON); secret when `secret` is set. */
  kind: 'text' | 'secret' | 'select' | 'url' | 'textarea';
  required: boolean;
  secret: boolean;
  placeholder?: string;
  help?: string;
  options?: ReadonlyArray<{ value: string; label: string }>;
  defaultValue?: string;
  /** Read from another field when saved (GCP: the email in the key JSON): shown, never typed. */
  derived?: boolean;
  /** Validates one value; returns an error message or null. */
  validate: (value: string) => string | null;
}

export interface ProviderDef {
  id: ProviderId;
  label: string;
  types: readonly CredentialType[];
  fields: readonly FieldDef[];
  /** The command an admin can run to test the credential outside Keyward. */
  testCommand: string;
  /** Computes the `derived` public fields from the fields given (secret ones included). */
  derive?: (fields: Record<string, string | undefined>) => Record<string, string>;
}

export const AWS_ACCESS_KEY_ID = /^AKIA[A-Z0-9]{16}$/;

export function validateUrl(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'Enter a full URL such as https://host:9180 (scheme and host).';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `The URL must start with http:// or https://, not ${url.protocol}//.`;
  }
  if (url.username || url.password) return 'Do not put a user name or password in the URL.';
  return null;
}

const awsFields: FieldDef[] = [
  {
    key: 'accessKeyId',
    label: 'Access Key ID',
    kind: 'text',
    required: true,
    secret: false,
    placeholder: 'AKIA…',
    validate: (v) => {
      if (!v) return 'Access Key ID is required.';
      if (/\s/.test(v)) return 'Access Key ID must not contain spaces.';
      if (v !== v.toUpperCase()) return 'Access Key ID is upper-case letters and digits only.';
      if (!v.startsWith('AKIA'))
        return v.startsWith('ASIA')
          ? 'ASIA… keys are temporary session keys; Keyward stores long-term IAM user keys (AKIA…).'
          : 'An IAM user access key ID starts with AKIA.';
      if (v.length !== 20) return `Access Key ID is 20 characters; this one has ${v.length}.`;
      if (!AWS_ACCESS_KEY_ID.test(v)) return 'Access Key ID is upper-case letters and digits only.';
      return null;
    },
  },
  {
    key: 'secretAccessKey',
    label: 'Secret Access Key',
    kind: 'secret',
    required: true,
    secret: true,
    validate: (v) => {
      if (!v) return 'Secret Access Key is required.';
      if (/\s/.test(v)) return 'Secret Access Key must not contain spaces or line breaks.';
      if (v.length !== 40) return `Secret Access Key is 40 characters; this one has ${v.length}.`;
      if (!/^[A-Za-z0-9/+=]{40}$/.test(v)) return 'Secret Access Key holds only letters, digits, / + and =.';
      return null;
    },
  },
  {
    key: 'region',
    label: 'Region',
    kind: 'select',
    required: true,
    secret: false,
    defaultValue: DEFAULT_AWS_REGION,
    options: AWS_REGIONS.map((r) => ({ value: r.code, label: `${r.code} — ${r.name}` })),
    validate: (v) =>
      AWS_REGION_CODES.includes(v) ? null : `Unknown AWS region "${v}". Pick one such as us-east-1.`,
  },
  {
    key: 'endpointUrl',
    label: 'Endpoint URL',
    kind: 'url',
    required: false,
    secret: false,
    placeholder: 'optional, e.g. https://sts.us-gov-west-1.amazonaws.com',
    help: 'Only for GovCloud, China, VPC endpoints or an AWS-compatible test server.',
    validate: (v) => (v ? validateUrl(v) : null),
  },
];

const apisixFields: FieldDef[] = [
  {
    key: 'endpoint',
    label: 'Endpoint URL',
    kind: 'url',
    required: true,
    secret: false,
    placeholder: 'http://apisix-admin:9180',
    validate: (v) => (v ? validateUrl(v) : 'Endpoint URL is required.'),
  },
  {
    key: 'adminApiKey',
    label: 'Admin API Key',
    kind: 'secret',
    required: true,
    secret: true,
    validate: (v) => {
      if (!v) return 'Admin API Key is required.';
      if (/\s/.test(v)) return 'Admin API Key must not contain spaces or line breaks.';
      return null;
    },
  },
];

export const PROVIDERS: Record<ProviderId, ProviderDef> = {
  AWS: {
    id: 'AWS',
    label: 'AWS',
    types: ['ACCESS_KEY'],
    fields: awsFields,
    testCommand: 'aws sts get-caller-identity',
  },
  APISIX: {
    id: 'APISIX',
    label: 'APISIX',
    types: ['ADMIN_API_KEY'],
    fields: apisixFields,
    testCommand: "curl -H 'X-API-KEY: <admin key>' <endpoint>/apisix/admin/routes",
  },
  LDAP: {
    id: 'LDAP',
    label: 'LDAP',
    types: ['BIND_PASSWORD'],
    fields: ldapFields,
    testCommand: "ldapwhoami -x -H <server URL> -D '<bind DN>' -W",
  },
  POSTGRES: {
    id: 'POSTGRES',
    label: 'PostgreSQL',
    types: ['PASSWORD'],
    fields: postgresFields,
    testCommand: "psql 'host=<host> port=<port> dbname=<database> user=<user>' -c 'SELECT 1'",
  },
  REDIS: {
    id: 'REDIS',
    label: 'Redis',
    types: ['PASSWORD'],
    fields: redisFields,
    testCommand: 'redis-cli -h <host> -p <port> --askpass PING',
  },
  GCP: {
    id: 'GCP',
    label: 'GCP',
    types: ['SERVICE_ACCOUNT_KEY'],
    fields: gcpFields,
    testCommand: 'gcloud auth activate-service-account --key-file=KEY.json && gcloud auth print-access-token',
    derive: deriveGcpPublicFields,
  },
  AZURE: {
    id: 'AZURE',
    label: 'Azure',
    types: ['CLIENT_SECRET'],
    fields: azureFields,
    testCommand: "az login --service-principal -u <client id> -p '<client secret>' --tenant <tenant id>",
  },
  VAULT: {
    id: 'VAULT',
    label: 'HashiCorp Vault',
    types: ['TOKEN'],
    fields: vaultFields,
    testCommand: 'VAULT_ADDR=<address> vault token lookup',
  },
};

export type FieldErrors = Record<string, string>;

/**
 * Validates a credential's fields for a provider. `partial` is for edits: an empty
 * secret field there means "keep the stored one".
 */
export function validateFields(
  provider: ProviderId,
  fields: Record<string, string | undefined>,
  opts: { partial?: boolean } = {},
): FieldErrors {
  const def = PROVIDERS[provider];
  const errors: FieldErrors = {};
  for (const f of def.fields) {
    const raw = fields[f.key];
    const value = raw ?? '';
    if (f.derived) {
      if (value !== '') errors[f.key] = `${f.label} is read from the other fields when saved; it cannot be set.`;
      continue;
    }
    if (opts.partial && (raw === undefined || (f.secret && value === ''))) continue;
    if (!f.required && value === '') continue;
    const msg = f.validate(value);
    if (msg) errors[f.key] = msg;
  }
  for (const key of Object.keys(fields)) {
    if (!def.fields.some((f) => f.key === key)) errors[key] = `${def.label} credentials have no field "${key}".`;
  }
  return errors;
}

export function validateName(name: string): string | null {
  const n = name.trim();
  if (!n) return 'Name is required.';
  if (n.length > 120) return 'Name is at most 120 characters.';
  if (/[\u0000-\u001f]/.test(n)) return 'Name must not contain control characters.';
  return null;
}

export const ProviderIdSchema = z.enum(PROVIDER_IDS);
export const CredentialTypeSchema = z.enum(CREDENTIAL_TYPES);

export function publicFieldKeys(provider: ProviderId): string[] {
  return PROVIDERS[provider].fields.filter((f) => !f.secret).map((f) => f.key);
}
export function secretFieldKeys(provider: ProviderId): string[] {
  return PROVIDERS[provider].fields.filter((f) => f.secret).map((f) => f.key);
}
