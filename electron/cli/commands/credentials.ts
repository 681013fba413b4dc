import type { Credential } from '../../../shared/contract';
import { DEFAULT_CONCURRENCY } from '../../core/credentials/service';
import type { CliContext } from '../context';
import { credentialDetails, credentialJson, credentialTable } from '../format';
import { EXIT, usageError } from '../io';

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
