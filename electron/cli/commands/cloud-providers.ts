import type { Request } from '../../../shared/contract';
import type { CliContext } from '../context';
import { usageError } from '../io';
import { addAndReport, required } from './credentials';

// `keyward add gcp|azure|vault`: the cloud providers' credentials. As everywhere in the
// CLI, secrets come on stdin, never as flags: the Azure client secret and the Vault token
// on one line each, the GCP key file's JSON as the whole rest of stdin (it spans lines).

type Flags = Record<string, string | boolean | undefined>;

const GLOBAL = new Set(['json', 'vault-dir', 'passphrase-stdin', 'help', 'version']);

/** Refuses flags of other providers (e.g. --region on gcp) instead of ignoring them. */
function onlyFlags(provider: string, f: Flags, allowed: string[]): void {
  const extra = Object.keys(f).filter((k) => f[k] !== undefined && !GLOBAL.has(k) && !allowed.includes(k));
  if (extra.length) throw usageError(`${provider} takes ${allowed.map((a) => `--${a}`).join(', ')} only, not ${extra.map((k) => `--${k}`).join(', ')}. See \`keyward --help\`.`);
}

type AddRequest = Request<'credentials.add'>;

export const ADD_GCP_USAGE = 'keyward add gcp --name NAME [--token-endpoint URL] [--no-verify] < key.json  (the service account key JSON on stdin)';
export const ADD_AZURE_USAGE = 'keyward add azure --name NAME --tenant TENANT --client-id APP_ID [--expires YYYY-MM-DD] [--authority URL] [--no-verify]  (client secret on stdin)';
export const ADD_VAULT_USAGE = 'keyward add vault --name NAME --address URL [--namespace NS] [--no-verify]  (token on stdin)';

export function addGcpCommand(ctx: CliContext, f: Flags): Promise<number> {
  return addAndReport(ctx, async (): Promise<AddRequest> => {
    onlyFlags('gcp', f, ['name', 'token-endpoint', 'no-verify']);
    const name = required(f.name as string | undefined, '--name', ADD_GCP_USAGE);
    await ctx.getPassphrase(); // the passphrase line, when given on stdin, comes first
    const json = ctx.io.readRest ? await ctx.io.readRest('Service account key JSON') : '';
    if (!json) {
      throw usageError('The service account key JSON is read from standard input: pipe the key file in, e.g. `keyward add gcp --name NAME < key.json`.');
    }
    const fields: Record<string, string> = { serviceAccountKey: json };
    if (f['token-endpoint']) fields.endpointUrl = f['token-endpoint'] as string;
    return { name, provider: 'GCP', type: 'SERVICE_ACCOUNT_KEY', fields, verify: !f['no-verify'] };
  });
}

export function addAzureCommand(ctx: CliContext, f: Flags): Promise<number> {
  return addAndReport(ctx, async (): Promise<AddRequest> => {
    onlyFlags('azure', f, ['name', 'tenant', 'client-id', 'expires', 'authority', 'no-verify']);
    const name = required(f.name as string | undefined, '--name', ADD_AZURE_USAGE);
    const tenantId = required(f.tenant as string | undefined, '--tenant', ADD_AZURE_USAGE);
    const clientId = required(f['client-id'] as string | undefined, '--client-id', ADD_AZURE_USAGE);
    await ctx.getPassphrase();
    const clientSecret = await ctx.io.readSecret('Client secret');
    if (!clientSecret) throw usageError('The client secret is read from standard input: pipe it in, e.g. `keyward add azure ... < secret.txt`.');
    const fields: Record<string, string> = { tenantId, clientId, clientSecret };
    if (f.expires) fields.expiresAt = f.expires as string;
    if (f.authority) fields.authorityHost = f.authority as string;
    return { name, provider: 'AZURE', type: 'CLIENT_SECRET', fields, verify: !f['no-verify'] };
  });
}

export function addVaultCommand(ctx: CliContext, f: Flags): Promise<number> {
  return addAndReport(ctx, async (): Promise<AddRequest> => {
    onlyFlags('vault', f, ['name', 'address', 'namespace', 'no-verify']);
    const name = required(f.name as string | undefined, '--name', ADD_VAULT_USAGE);
    const address = required(f.address as string | undefined, '--address', ADD_VAULT_USAGE);
    await ctx.getPassphrase();
    const token = await ctx.io.readSecret('Vault token');
    if (!token) throw usageError('The Vault token is read from standard input: pipe it in, e.g. `keyward add vault ... < token.txt`.');
    const fields: Record<string, string> = { address, token };
    if (f.namespace) fields.namespace = f.namespace as string;
    return { name, provider: 'VAULT', type: 'TOKEN', fields, verify: !f['no-verify'] };
  });
}

/** The `add` flags of gcp, azure and vault, merged into the `add` command's options. */
export const ADD_CLOUD_OPTIONS = {
  name: { type: 'string' },
  'token-endpoint': { type: 'string' },
  tenant: { type: 'string' },
  'client-id': { type: 'string' },
  expires: { type: 'string' },
  authority: { type: 'string' },
  address: { type: 'string' },
  namespace: { type: 'string' },
  'no-verify': { type: 'boolean' },
} as const;

const CLOUD_ONLY = ['token-endpoint', 'tenant', 'client-id', 'expires', 'authority', 'address', 'namespace'];

/** Runs `keyward add gcp|azure|vault`; null for another provider (after refusing cloud flags on it). */
export function addCloudCommand(ctx: CliContext, provider: string | undefined, f: Flags): Promise<number> | null {
  if (provider === 'gcp') return addGcpCommand(ctx, f);
  if (provider === 'azure') return addAzureCommand(ctx, f);
  if (provider === 'vault') return addVaultCommand(ctx, f);
  const misplaced = CLOUD_ONLY.filter((k) => f[k] !== undefined);
  if (misplaced.length) throw usageError(`${misplaced.map((k) => `--${k}`).join(', ')} ${misplaced.length > 1 ? 'are' : 'is'} for gcp, azure or vault, not ${provider ?? 'this command'}.`);
  return null;
}
