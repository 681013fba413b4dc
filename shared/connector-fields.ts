import type { FieldDef } from './providers';

// The connectors' fields (LDAP, PostgreSQL, Redis): what shared/providers.ts lists for
// them. Pure, like the rest of shared/: the form and main validate with the same rules.

export function validateLdapUrl(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'Enter a full LDAP URL such as ldaps://ldap.example.com:636 (scheme and host).';
  }
  if (url.protocol !== 'ldap:' && url.protocol !== 'ldaps:') {
    return `The server URL must start with ldap:// or ldaps://, not ${url.protocol}//.`;
  }
  if (!url.hostname) return 'The server URL needs a host, e.g. ldaps://ldap.example.com.';
  if (url.username || url.password) return 'Do not put a user name or password in the URL.';
  if ((url.pathname && url.pathname !== '/') || url.search) {
    return 'The server URL is scheme, host and port only; put the Base DN in its own field.';
  }
  return null;
}

/** A DN is comma-separated attribute=value pairs: uid=svc,ou=people,dc=example,dc=com. */
export function validateDn(label: string, value: string): string | null {
  if (!value.trim()) return `${label} is required.`;
  if (value !== value.trim()) return `${label} must not start or end with spaces.`;
  const parts = value.split(/(?<!\\),/);
  const bad = parts.find((p) => !/^\s*[A-Za-z][A-Za-z0-9-]*\s*=\s*\S/.test(p) && !/^\s*\d+(\.\d+)+\s*=\s*\S/.test(p));
  if (bad !== undefined) return `${label} is attribute=value pairs separated by commas, e.g. cn=keyward,ou=services,dc=example,dc=com; "${bad.trim()}" is not.`;
  return null;
}

export function validateHost(value: string): string | null {
  if (!value) return 'Host is required.';
  if (/\s/.test(value)) return 'Host must not contain spaces.';
  if (value.includes('://')) return 'Enter the host name only (e.g. db.example.com), without a scheme such as postgres://.';
  if (value.includes('/')) return 'Enter the host name only, without a path.';
  if (/^[^[]*:/.test(value)) return 'Enter the port in the Port field, not after the host.';
  if (!/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\.?)$/.test(value)) {
    return 'Host is a host name or an IP address, e.g. db.example.com or 10.0.0.5.';
  }
  return null;
}

export function validatePort(value: string): string | null {
  if (!value) return 'Port is required.';
  if (!/^\d+$/.test(value)) return `Port is a whole number from 1 to 65535; "${value}" is not.`;
  const n = Number(value);
  if (n < 1 || n > 65535) return `Port is from 1 to 65535; ${n} is out of range.`;
  return null;
}

/** The most a CA certificate field may hold (the IPC schema's limit for any field value). */
export const MAX_CA_PEM_CHARS = 16_384;

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END ([A-Z0-9 ]+)-----/g;

/**
 * Splits a PEM bundle into its certificate blocks (each normalised to 64-column base64),
 * or says what is wrong. Structural only (shared/ is pure): core parses each block as an
 * X.509 certificate before it connects. Never quotes the value (a pasted private key
 * must not come back in a message).
 */
export function splitPemCertificates(value: string): { certificates: string[] } | { error: string } {
  const label = 'CA certificate (PEM)';
  if (value.length > MAX_CA_PEM_CHARS) return { error: `${label} is at most 16 KiB; paste only the CA certificate(s) that issued the server's certificate.` };
  if (/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(value)) {
    return { error: `${label} holds a private key: paste only the CA's certificate (-----BEGIN CERTIFICATE-----), never a key.` };
  }
  const certificates: string[] = [];
  let rest = value;
  for (const m of value.matchAll(PEM_BLOCK)) {
    const [whole, begin, body, end] = m as unknown as [string, string, string, string];
    if (begin !== 'CERTIFICATE' || end !== 'CERTIFICATE') {
      return { error: `${label} holds a "${begin.slice(0, 40)}" block; it takes only -----BEGIN CERTIFICATE----- blocks (the CA's certificate in PEM).` };
    }
    const b64 = body.replace(/\s+/g, '');
    if (!b64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || b64.length % 4 !== 0) {
      return { error: `Certificate ${certificates.length + 1} in ${label} is not valid base64 between its BEGIN and END lines: paste the file again, whole and unedited.` };
    }
    certificates.push(`-----BEGIN CERTIFICATE-----\n${b64.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`);
    rest = rest.replace(whole, '');
  }
  if (!certificates.length) return { error: `${label} is the CA's certificate in PEM: one or more blocks from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----.` };
  if (rest.trim()) return { error: `${label} has text outside its -----BEGIN CERTIFICATE----- … -----END CERTIFICATE----- blocks: paste only the certificate block(s).` };
  return { certificates };
}

export function validateCaCertificate(value: string): string | null {
  const r = splitPemCertificates(value);
  return 'error' in r ? r.error : null;
}

/** Optional: the CA (or self-signed certificate) to trust instead of the system's CAs, for a private PKI. Public, never secret. */
function caCertField(usedWith: string): FieldDef {
  return {
    key: 'caCert',
    label: 'CA certificate (PEM)',
    kind: 'textarea',
    required: false,
    secret: false,
    placeholder: '-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----',
    help: `Optional, ${usedWith}: the CA certificate that issued the server's certificate (or the server's self-signed certificate), trusted instead of the system's CAs. The host name is still checked.`,
    validate: validateCaCertificate,
  };
}

function secretField(key: string, label: string): FieldDef {
  return {
    key,
    label,
    kind: 'secret',
    required: true,
    secret: true,
    validate: (v) => {
      if (!v) return `${label} is required.`;
      if (/[\r\n]/.test(v)) return `${label} must not contain line breaks.`;
      return null;
    },
  };
}

function hostField(placeholder: string): FieldDef {
  return { key: 'host', label: 'Host', kind: 'text', required: true, secret: false, placeholder, validate: validateHost };
}

function portField(defaultValue: string): FieldDef {
  return { key: 'port', label: 'Port', kind: 'text', required: true, secret: false, defaultValue, placeholder: defaultValue, validate: validatePort };
}

export const ldapFields: FieldDef[] = [
  {
    key: 'url',
    label: 'Server URL',
    kind: 'url',
    required: true,
    secret: false,
    placeholder: 'ldaps://ldap.example.com:636',
    validate: (v) => (v ? validateLdapUrl(v) : 'Server URL is required.'),
  },
  {
    key: 'bindDn',
    label: 'Bind DN',
    kind: 'text',
    required: true,
    secret: false,
    placeholder: 'cn=keyward,ou=services,dc=example,dc=com',
    validate: (v) => validateDn('Bind DN', v),
  },
  {
    key: 'baseDn',
    label: 'Base DN',
    kind: 'text',
    required: false,
    secret: false,
    placeholder: 'optional, e.g. dc=example,dc=com',
    help: 'When set, Test connection also reads this entry after the bind.',
    validate: (v) => (v ? validateDn('Base DN', v) : null),
  },
  secretField('bindPassword', 'Bind password'),
  caCertField('for ldaps://'),
];

export const postgresFields: FieldDef[] = [
  hostField('db.example.com'),
  portField('5432'),
  {
    key: 'database',
    label: 'Database',
    kind: 'text',
    required: true,
    secret: false,
    placeholder: 'app',
    validate: (v) => (!v ? 'Database is required.' : /\s/.test(v) ? 'Database must not contain spaces.' : v.length > 63 ? 'Database is at most 63 characters.' : null),
  },
  {
    key: 'user',
    label: 'User',
    kind: 'text',
    required: true,
    secret: false,
    placeholder: 'app_user',
    validate: (v) => (!v ? 'User is required.' : /\s/.test(v) ? 'User must not contain spaces.' : v.length > 63 ? 'User is at most 63 characters.' : null),
  },
  secretField('password', 'Password'),
  {
    key: 'tls',
    label: 'TLS',
    kind: 'select',
    required: true,
    secret: false,
    defaultValue: 'require',
    options: [
      { value: 'require', label: 'require — TLS, certificate verified' },
      { value: 'disable', label: 'disable — no TLS' },
    ],
    validate: (v) => (v === 'require' || v === 'disable' ? null : `TLS is "require" or "disable", not "${v}".`),
  },
  caCertField('with TLS require'),
];

export const redisFields: FieldDef[] = [
  hostField('redis.example.com'),
  portField('6379'),
  {
    key: 'username',
    label: 'Username',
    kind: 'text',
    required: false,
    secret: false,
    placeholder: 'optional (Redis 6+ ACL user); empty for the default user',
    validate: (v) => (/\s/.test(v) ? 'Username must not contain spaces.' : null),
  },
  secretField('password', 'Password'),
  {
    key: 'tls',
    label: 'TLS',
    kind: 'select',
    required: true,
    secret: false,
    defaultValue: 'off',
    options: [
      { value: 'off', label: 'off — plain TCP' },
      { value: 'on', label: 'on — TLS, certificate verified' },
    ],
    validate: (v) => (v === 'on' || v === 'off' ? null : `TLS is "on" or "off", not "${v}".`),
  },
  caCertField('with TLS on'),
];
