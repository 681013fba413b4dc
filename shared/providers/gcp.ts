import { derivedField, publicField, validateHttpUrl } from './fields';
import { defineProvider } from './types';

// A GCP service account key: the whole JSON key file, kept as one secret; its email,
// project and key id are read from it when saved, so lists can show them.

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
    return {
      error:
        o.type === undefined
          ? 'The key JSON has no "type": it should be "service_account".'
          : `The key JSON is not a service account key (${KNOWN_OTHER_KEY_TYPES.find((t) => t === o.type) ?? 'its "type" is not "service_account"'}): Keyward needs a service account key, not user or external-account credentials.`,
    };
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
function deriveGcpPublicFields(fields: Record<string, string | undefined>): Record<string, string> {
  const text = fields.serviceAccountKey;
  if (!text) return {};
  const r = parseServiceAccountKey(text);
  if (!('key' in r)) return {};
  const out: Record<string, string> = { clientEmail: r.key.clientEmail, keyId: r.key.privateKeyId };
  if (r.key.projectId) out.projectId = r.key.projectId;
  return out;
}

export const gcp = defineProvider({
  id: 'GCP',
  label: 'GCP',
  types: ['SERVICE_ACCOUNT_KEY'],
  testCommand: 'gcloud auth activate-service-account --key-file=KEY.json && gcloud auth print-access-token',
  derive: deriveGcpPublicFields,
  fields: [
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
    publicField('endpointUrl', 'Token endpoint', 'url', {
      required: false,
      placeholder: "optional; default: the key file's token_uri",
      help: 'Only to test against a stand-in token server; leave empty for Google.',
      flag: 'token-endpoint',
      metavar: 'URL',
      validate: (v) => (v ? validateHttpUrl('Token endpoint', v) : null),
    }),
    derivedField('clientEmail', 'Service account'),
    derivedField('projectId', 'Project'),
    derivedField('keyId', 'Key ID'),
  ],
});
