import type { ParsedRequest } from '../../../shared/contract';
import { PROVIDERS } from '../../../shared/providers';
import type { CliContext } from '../context';
import { credentialDetails, credentialJson } from '../format';
import { EXIT, usageError } from '../io';

// `keyward add ldap|postgres|redis`: public fields as flags named after the fields, the
// secret (bind password / password) on stdin, like `add apisix`.

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
  'no-verify': { type: 'boolean' },
} as const;

type Flags = Record<string, string | boolean | undefined>;

interface ConnectorCli {
  provider: 'LDAP' | 'POSTGRES' | 'REDIS';
  type: 'BIND_PASSWORD' | 'PASSWORD';
  usage: string;
  /** flag → field key */
  flags: Record<string, string>;
  required: readonly string[];
  secretKey: string;
  secretLabel: string;
}

export const CONNECTOR_CLI: Record<'ldap' | 'postgres' | 'redis', ConnectorCli> = {
  ldap: {
    provider: 'LDAP',
    type: 'BIND_PASSWORD',
    usage: 'keyward add ldap --name NAME --url ldaps://HOST[:PORT] --bind-dn DN [--base-dn DN] [--no-verify]  (bind password on stdin)',
    flags: { url: 'url', 'bind-dn': 'bindDn', 'base-dn': 'baseDn' },
    required: ['url', 'bind-dn'],
    secretKey: 'bindPassword',
    secretLabel: 'Bind password',
  },
  postgres: {
    provider: 'POSTGRES',
    type: 'PASSWORD',
    usage: 'keyward add postgres --name NAME --host HOST [--port 5432] --database DB --user USER [--tls require|disable] [--no-verify]  (password on stdin)',
    flags: { host: 'host', port: 'port', database: 'database', user: 'user', tls: 'tls' },
    required: ['host', 'database', 'user'],
    secretKey: 'password',
    secretLabel: 'Password',
  },
  redis: {
    provider: 'REDIS',
    type: 'PASSWORD',
    usage: 'keyward add redis --name NAME --host HOST [--port 6379] [--username ACL_USER] [--tls on|off] [--no-verify]  (password on stdin)',
    flags: { host: 'host', port: 'port', username: 'username', tls: 'tls' },
    required: ['host'],
    secretKey: 'password',
    secretLabel: 'Password',
  },
};

const OWN = new Set(['name', 'no-verify', 'json', 'vault-dir', 'passphrase-stdin', 'help', 'version']);

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
    if (typeof value === 'string' && value !== '') fields[key] = value;
  }
  // Defaults as the form has them (port 5432/6379, TLS require/off).
  for (const f of PROVIDERS[spec.provider].fields) if (f.defaultValue !== undefined && fields[f.key] === undefined) fields[f.key] = f.defaultValue;
  await ctx.getPassphrase(); // the passphrase line, when given on stdin, comes first
  const secret = await ctx.io.readSecret(spec.secretLabel);
  if (!secret) throw usageError(`The ${spec.secretLabel.toLowerCase()} is read from standard input: pipe it in, e.g. \`keyward add ${kind} ... < password.txt\`.`);
  fields[spec.secretKey] = secret;
  const req: ParsedRequest<'credentials.add'> = { name, provider: spec.provider, type: spec.type, fields, verify: !v['no-verify'] };
  const core = await ctx.openCore();
  const created = core.credentials.add(req);
  // The check started in the background: wait for its verdict before printing.
  const final = req.verify ? await core.credentials.verify(created.id) : created;
  ctx.print(credentialJson(final), credentialDetails(final));
  return EXIT.OK;
}
