import type { Credential, ParsedRequest } from '../../../shared/contract';
import { DEFAULT_CONCURRENCY } from '../../core/credentials/service';
import type { CliContext } from '../context';
import { credentialDetails, credentialJson, credentialTable } from '../format';
import { EXIT, usageError } from '../io';

export interface AddAwsFlags {
  name?: string;
  'access-key-id'?: string;
  region?: string;
  'endpoint-url'?: string;
  'no-verify'?: boolean;
}

export function required<T>(value: T | undefined, flag: string, usage: string): T {
  if (value === undefined || value === '') throw usageError(`${flag} is required. Usage: ${usage}`);
  return value;
}

export async function addAndReport(ctx: CliContext, build: () => Promise<ParsedRequest<'credentials.add'>>): Promise<number> {
  const req = await build();
  const core = await ctx.openCore();
  const created = core.credentials.add(req);
  // The check started in the background: wait for its verdict before printing.
  const final = req.verify ? await core.credentials.verify(created.id) : created;
  ctx.print(credentialJson(final), credentialDetails(final));
  return EXIT.OK;
}

export function addAwsCommand(ctx: CliContext, f: AddAwsFlags): Promise<number> {
  const usage = 'keyward add aws --name NAME --access-key-id ID [--region R] [--endpoint-url URL] [--no-verify]  (secret access key on stdin)';
  return addAndReport(ctx, async () => {
    const name = required(f.name, '--name', usage);
    const accessKeyId = required(f['access-key-id'], '--access-key-id', usage);
    await ctx.getPassphrase(); // the passphrase line, when given on stdin, comes first
    const secretAccessKey = await ctx.io.readSecret('Secret access key');
    if (!secretAccessKey) throw usageError('The secret access key is read from standard input: pipe it in, e.g. `keyward add aws ... < secret.txt`.');
    const fields: Record<string, string> = { accessKeyId, secretAccessKey };
    if (f.region) fields.region = f.region;
    if (f['endpoint-url']) fields.endpointUrl = f['endpoint-url'];
    return { name, provider: 'AWS' as const, type: 'ACCESS_KEY' as const, fields, verify: !f['no-verify'] };
  });
}

export function addApisixCommand(ctx: CliContext, f: { name?: string; endpoint?: string; 'no-verify'?: boolean }): Promise<number> {
  const usage = 'keyward add apisix --name NAME --endpoint URL [--no-verify]  (admin API key on stdin)';
  return addAndReport(ctx, async () => {
    const name = required(f.name, '--name', usage);
    const endpoint = required(f.endpoint, '--endpoint', usage);
    await ctx.getPassphrase();
    const adminApiKey = await ctx.io.readSecret('Admin API key');
    if (!adminApiKey) throw usageError('The admin API key is read from standard input: pipe it in.');
    return { name, provider: 'APISIX' as const, type: 'ADMIN_API_KEY' as const, fields: { endpoint, adminApiKey }, verify: !f['no-verify'] };
  });
}

export async function listCommand(ctx: CliContext): Promise<number> {
  const core = await ctx.openCore();
  const list = core.credentials.list();
  ctx.print(list.map(credentialJson), credentialTable(list));
  return EXIT.OK;
}

export async function showCommand(ctx: CliContext, cred: string | undefined): Promise<number> {
  if (!cred) throw usageError('Usage: keyward show CRED  (a credential id or exact name)');
  const core = await ctx.openCore();
  const c = core.credentials.get(cred);
  ctx.print(credentialJson(c), credentialDetails(c));
  return EXIT.OK;
}

export async function verifyCommand(ctx: CliContext, creds: string[], f: { all?: boolean; concurrency?: string }): Promise<number> {
  if (!f.all && creds.length === 0) throw usageError('Usage: keyward verify CRED... | --all [--concurrency N]');
  if (f.all && creds.length) throw usageError('Give credentials or --all, not both.');
  const concurrency = f.concurrency === undefined ? DEFAULT_CONCURRENCY : Number(f.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw usageError('--concurrency is a whole number from 1 to 64.');
  const core = await ctx.openCore();
  const ids = f.all ? 'all' : creds.map((c) => core.credentials.find(c).id);
  if (!ctx.flags.json && ctx.io.isTTY) {
    core.events.onAny((event, payload) => {
      if (event !== 'verify.progress') return;
      const p = payload as { done: number; total: number };
      ctx.io.stderr(`\rverified ${p.done}/${p.total}`);
    });
  }
  const run = core.credentials.verifyMany(ids, concurrency);
  await run.done;
  if (!ctx.flags.json && ctx.io.isTTY) ctx.io.stderr('\n');
  const order = new Map((ids === 'all' ? core.credentials.list().map((c) => c.id) : ids).map((id, i) => [id, i]));
  const checked: Credential[] = [...order.keys()].map((id) => core.credentials.get(id));
  ctx.print(checked.map(credentialJson), checked.map(credentialDetails).join('\n'));
  return checked.every((c) => c.status === 'VALID') ? EXIT.OK : EXIT.FAILED;
}

export async function deleteCommand(ctx: CliContext, cred: string | undefined, f: { yes?: boolean }): Promise<number> {
  if (!cred) throw usageError('Usage: keyward delete CRED [--yes]');
  const core = await ctx.openCore();
  const c = core.credentials.get(cred);
  const resources = core.credentials.resourcesOf(c.id);
  const listed = resources.length
    ? ` Its ${resources.length} resource(s) are deleted with it: ${resources.map((r) => `${r.groupId} (${r.region})`).join(', ')}.`
    : ' It has no resources.';
  if (!f.yes) {
    const ok = ctx.io.isTTY && (await ctx.io.confirm(`Delete credential "${c.name}" (${c.provider})?${listed}`));
    if (!ok) {
      throw usageError(ctx.io.isTTY ? 'Not deleted.' : `Deleting "${c.name}" needs --yes to confirm.${listed}`);
    }
  }
  const result = core.credentials.delete(c.id);
  ctx.print(result, `Deleted "${c.name}".${resources.length ? ` Deleted its resources: ${resources.map((r) => `${r.groupId} (${r.region})`).join(', ')}.` : ''}\n`);
  return EXIT.OK;
}
