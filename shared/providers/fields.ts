import type { FieldDef } from './types';

// Validators and field builders more than one provider uses (URLs, hosts, ports, DNs,
// CA certificates, secrets). Pure, like the rest of shared/.

/**
 * `value` as a URL of one of `schemes` ('https:'), or the message that says what is wrong:
 * `notUrl` when it does not parse, `wrongScheme(protocol)` for another scheme.
 */
export function urlOf(value: string, schemes: readonly string[], notUrl: string, wrongScheme: (protocol: string) => string): URL | string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return notUrl;
  }
  return schemes.includes(url.protocol) ? url : wrongScheme(url.protocol);
}

export function validateUrl(value: string): string | null {
  const url = urlOf(value, ['http:', 'https:'], 'Enter a full URL such as https://host:9180 (scheme and host).', (p) => `The URL must start with http:// or https://, not ${p}//.`);
  if (typeof url === 'string') return url;
  if (url.username || url.password) return 'Do not put a user name or password in the URL.';
  return null;
}

/** An http(s) URL named by its field's label in the message ("Address is a full URL…"). */
export function validateHttpUrl(label: string, value: string): string | null {
  const notUrl = `${label} is a full URL such as https://host:8200 (scheme and host).`;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || /^[^:]*\./.test(value.split('://')[0])) return notUrl;
  const url = urlOf(value, ['http:', 'https:'], notUrl, (p) => `${label} must start with http:// or https://, not ${p}//.`);
  if (typeof url === 'string') return url;
  if (url.username || url.password) return `Do not put a user name or password in the ${label}.`;
  return null;
}

function validateHost(value: string): string | null {
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

function validatePort(value: string): string | null {
  if (!value) return 'Port is required.';
  if (!/^\d+$/.test(value)) return `Port is a whole number from 1 to 65535; "${value}" is not.`;
  const n = Number(value);
  if (n < 1 || n > 65535) return `Port is from 1 to 65535; ${n} is out of range.`;
  return null;
}

/** A database or user name: required, no spaces, at most `max` characters. */
export function validateName63(label: string, value: string, max = 63): string | null {
  if (!value) return `${label} is required.`;
  if (/\s/.test(value)) return `${label} must not contain spaces.`;
  if (value.length > max) return `${label} is at most ${max} characters.`;
  return null;
}

/** The most a CA certificate field may hold (the IPC schema's limit for any field value). */
const MAX_CA_PEM_CHARS = 16_384;

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

function validateCaCertificate(value: string): string | null {
  const r = splitPemCertificates(value);
  return 'error' in r ? r.error : null;
}

/** Optional: the CA (or self-signed certificate) to trust instead of the system's CAs, for a private PKI. Public, never secret. */
export function caCertField(usedWith: string): FieldDef {
  return {
    key: 'caCert',
    label: 'CA certificate (PEM)',
    kind: 'textarea',
    required: false,
    secret: false,
    placeholder: '-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----',
    help: `Optional, ${usedWith}: the CA certificate that issued the server's certificate (or the server's self-signed certificate), trusted instead of the system's CAs. The host name is still checked.`,
    flag: 'ca-file',
    metavar: 'CA.pem',
    fromFile: true,
    validate: validateCaCertificate,
  };
}

/**
 * A secret field: required; a password may hold spaces but no line break, a token
 * (`token: true`: an API key, a Vault token) neither; `more` adds the provider's own rules.
 */
export function secretField(key: string, label: string, opts: { token?: boolean; more?: (value: string) => string | null } = {}): FieldDef {
  return {
    key,
    label,
    kind: 'secret',
    required: true,
    secret: true,
    validate: (v) => {
      if (!v) return `${label} is required.`;
      if (opts.token ? /\s/.test(v) : /[\r\n]/.test(v)) return `${label} must not contain ${opts.token ? 'spaces or line breaks' : 'line breaks'}.`;
      return opts.more?.(v) ?? null;
    },
  };
}

/** TLS on or off, the default listed first; "on" verifies the server's certificate. */
export function tlsOnOffField(defaultValue: 'on' | 'off'): FieldDef {
  const on = { value: 'on', label: 'on — TLS, certificate verified' };
  const off = { value: 'off', label: 'off — plain TCP' };
  return tlsField(defaultValue, defaultValue === 'on' ? [on, off] : [off, on], ['on', 'off']);
}

export function hostField(placeholder: string): FieldDef {
  return { key: 'host', label: 'Host', kind: 'text', required: true, secret: false, placeholder, metavar: 'HOST', validate: validateHost };
}

export function portField(defaultValue: string): FieldDef {
  return { key: 'port', label: 'Port', kind: 'text', required: true, secret: false, defaultValue, placeholder: defaultValue, validate: validatePort };
}

/** A TLS choice; `values` in the order the message names them (TLS is "on" or "off"). */
export function tlsField(defaultValue: string, options: ReadonlyArray<{ value: string; label: string }>, values = options.map((o) => o.value)): FieldDef {
  return {
    key: 'tls',
    label: 'TLS',
    kind: 'select',
    required: true,
    secret: false,
    defaultValue,
    options,
    metavar: values.join('|'),
    validate: (v) => (values.includes(v) ? null : `TLS is ${values.map((x) => `"${x}"`).join(' or ')}, not "${v}".`),
  };
}

/** A public field read from a secret one when saved (GCP's email and key id): shown, never typed. */
export function derivedField(key: string, label: string): FieldDef {
  return { key, label, kind: 'text', required: false, secret: false, derived: true, validate: () => null };
}

/** A field shown as typed (never secret), required unless `rest` says `required: false`. */
export function publicField(key: string, label: string, kind: FieldDef['kind'], rest: Omit<FieldDef, 'key' | 'label' | 'kind' | 'required' | 'secret'> & { required?: boolean }): FieldDef {
  return { key, label, kind, required: true, secret: false, ...rest };
}
