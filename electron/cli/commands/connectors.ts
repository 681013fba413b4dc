import { readFileSync } from 'node:fs';
import { PROVIDERS } from '../../../shared/providers';
import type { CliContext } from '../context';
import { usageError } from '../io';
import { addAndReport } from './credentials';

// `keyward add ldap|postgres|redis`: public fields as flags named after the fields, the
// secret (bind password / password) on stdin, like `add apisix`. --ca-file reads the
// optional CA certificate (PEM) from a file: a certificate is public, so a path is fine.

/** The flags `keyward add` takes for the connectors (merged into the add options in index.ts). */
export const ADD_CONNECTOR_OPTIONS = {
  name: { type: 'string' },
  url: { type: 'string' },
  'bind-dn': { type: 'string' },
  'base-dn': { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
  database: { type: 'string' },
  user: { type: 'string' },
  username: { type: 'string' },
  tls: { type: 'string' },
  'ca-file': { type: 'string' },
  'no-verify': { type: 'boolean' },
} as const;

type Flags = Record<string, string | boolean | undefined>;

interface ConnectorCli {
  provider: 'LDAP' | 'POSTGRES' | 'REDIS';
  type: 'BIND_PASSWORD' | 'PASSWORD';
  usage: string;
  /** flag → field key (--ca-file: the field gets the file's text) */
  flags: Record<string, string>;
  required: readonly string[];
  secretKey: string;
  secretLabel: string;
}

export const CONNECTOR_CLI: Record<'ldap' | 'postgres' | 'redis', ConnectorCli> = {
  ldap: {
    provider: 'LDAP',
    type: 'BIND_PASSWORD',
    usage: 'keyward add ldap --name NAME --url ldaps://HOST[:PORT] --bind-dn DN [--base-dn DN] [--ca-file CA.pem] [--no-verify]  (bind password on stdin)',
    flags: { url: 'url', 'bind-dn': 'bindDn', 'base-dn': 'baseDn', 'ca-file': 'caCert' },
    required: ['url', 'bind-dn'],
    secretKey: 'bindPassword',
    secretLabel: 'Bind password',
  },
  postgres: {
    provider: 'POSTGRES',
    type: 'PASSWORD',
    usage: 'keyward add postgres --name NAME --host HOST [--port 5432] --database DB --user USER [--tls require|disable] [--ca-file CA.pem] [--no-verify]  (password on stdin)',
    flags: { host: 'host', port: 'port', database: 'database', user: 'user', tls: 'tls', 'ca-file': 'caCert' },
    required: ['host', 'database', 'user'],
    secretKey: 'password',
    secretLabel: 'Password',
  },
  redis: {
    provider: 'REDIS',
    type: 'PASSWORD',
    usage: 'keyward add redis --name NAME --host HOST [--port 6379] [--username ACL_USER] [--tls on|off] [--ca-file CA.pem] [--no-verify]  (password on stdin)',
    flags: { host: 'host', port: 'port', username: 'username', tls: 'tls', 'ca-file': 'caCert' },
    required: ['host'],
    secretKey: 'password',
    secretLabel: 'Password',
  },
};

const OWN = new Set(['name', 'no-verify', 'json', 'vault-dir', 'passphrase-stdin', 'help', 'version']);

/** The CA certificate (PEM) from --ca-file; shared/ and core check its content when the credential is added. */
function readCaFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : String(code ?? 'unreadable');
    throw usageError(`Cannot read --ca-file ${path} (${why}): give the path of the CA certificate file (PEM) that issued the server's certificate.`);
  }
}

/** --ca-file is for TLS: without it the CA would be stored and never used, which would only mislead. */
function caNeedsTls(kind: keyof typeof CONNECTOR_CLI, fields: Record<string, string>): string | null {
  if (kind === 'ldap' && !/^ldaps:/i.test(fields.url ?? '')) return '--ca-file is for LDAP over TLS: use an ldaps:// --url (port 636 by default).';
  if (kind === 'postgres' && fields.tls === 'disable') return '--ca-file is for TLS: use --tls require (the default), not disable.';
  if (kind === 'redis' && fields.tls !== 'on') return '--ca-file is for TLS: add --tls on.';
  return null;
}

export function isConnectorCli(kind: string | undefined): kind is keyof typeof CONNECTOR_CLI {
  return kind === 'ldap' || kind === 'postgres' || kind === 'redis';
}

export async function addConnectorCommand(ctx: CliContext, kind: keyof typeof CONNECTOR_CLI, v: Flags): Promise<number> {
  const spec = CONNECTOR_CLI[kind];
  const stray = Object.keys(v).filter((k) => v[k] !== undefined && !OWN.has(k) && !(k in spec.flags));
  if (stray.length) {
    const takes = ['--name', ...Object.keys(spec.flags).map((f) => `--${f}`)].join(', ');
    throw usageError(`${kind} does not take ${stray.map((s) => `--${s}`).join(', ')}; it takes ${takes}, and the ${spec.secretLabel.toLowerCase()} on stdin. Usage: ${spec.usage}`);
  }
  const name = v.name;
  if (typeof name !== 'string' || !name) throw usageError(`--name is required. Usage: ${spec.usage}`);
  for (const flag of spec.required) {
    if (typeof v[flag] !== 'string' || !v[flag]) throw usageError(`--${flag} is required. Usage: ${spec.usage}`);
  }
  const fields: Record<string, string> = {};
  for (const [flag, key] of Object.entries(spec.flags)) {
    const value = v[flag];
    if (typeof value === 'string' && value !== '') fields[key] = flag === 'ca-file' ? readCaFile(value) : value;
  }
  // Defaults as the form has them (port 5432/6379, TLS require/off).
  for (const f of PROVIDERS[spec.provider].fields) if (f.defaultValue !== undefined && fields[f.key] === undefined) fields[f.key] = f.defaultValue;
  if (fields.caCert !== undefined) {
    const misuse = caNeedsTls(kind, fields);
    if (misuse) throw usageError(`${misuse} Usage: ${spec.usage}`);
  }
  await ctx.getPassphrase(); // the passphrase line, when given on stdin, comes first
  const secret = await ctx.io.readSecret(spec.secretLabel);
  if (!secret) throw usageError(`The ${spec.secretLabel.toLowerCase()} is read from standard input: pipe it in, e.g. \`keyward add ${kind} ... < password.txt\`.`);
  fields[spec.secretKey] = secret;
  return addAndReport(ctx, async () => ({ name, provider: spec.provider, type: spec.type, fields, verify: !v['no-verify'] }));
}
