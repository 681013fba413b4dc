import type { Credential } from '../../../shared/contract';
import type { CliContext } from '../context';
import type { VerifyProgress } from '../../../shared/contract';
import type { KeywardCore } from '../../core/app/core';
import { credentialDetails, credentialJson, credentialTable, escapeForTerminal } from '../format';
import { EXIT, usageError } from '../io';

export async function listCommand(ctx: CliContext): Promise<number> {
  await ctx.openCore();
  const list = await ctx.call('credentials.list', {});
  // One of the two forms is printed: only that one is made (a vault may hold thousands).
  if (ctx.flags.json) ctx.print(list.map(credentialJson), '');
  else ctx.print(null, credentialTable(list));
  return EXIT.OK;
}

export async function showCommand(ctx: CliContext, cred: string | undefined): Promise<number> {
  if (!cred) throw usageError('Usage: keyward show CRED  (a credential id or exact name)');
  await ctx.openCore();
  const c = await ctx.call('credentials.get', { id: cred });
  ctx.print(credentialJson(c), credentialDetails(c));
  return EXIT.OK;
}

/** Resolves when the verify run `runId` has finished; listening starts before the run does, so no end is missed. */
function runEnds(ctx: CliContext, core: KeywardCore): (runId: string) => Promise<void> {
  const finished = new Set<string>();
  const waiting = new Map<string, () => void>();
  const tty = !ctx.flags.json && ctx.io.isTTY;
  core.events.onAny((event, payload) => {
    if (event !== 'verify.progress') return;
    const p = payload as VerifyProgress;
    if (tty) ctx.io.stderr(`\rverified ${p.done}/${p.total}${p.finished ? '\n' : ''}`);
    if (!p.finished) return;
    finished.add(p.runId);
    waiting.get(p.runId)?.();
  });
  return (runId) => (finished.has(runId) ? Promise.resolve() : new Promise<void>((resolve) => waiting.set(runId, resolve)));
}

export async function verifyCommand(ctx: CliContext, creds: string[], f: { all?: boolean; concurrency?: string }): Promise<number> {
  if (!f.all && creds.length === 0) throw usageError('Usage: keyward verify CRED... | --all [--concurrency N]');
  if (f.all && creds.length) throw usageError('Give credentials or --all, not both.');
  const concurrency = f.concurrency === undefined ? undefined : Number(f.concurrency);
  if (concurrency !== undefined && !Number.isInteger(concurrency)) throw usageError('--concurrency is a whole number from 1 to 64.');
  const core = await ctx.openCore();
  // Names become ids first: an unknown one stops here (exit 2) before anything is checked.
  const ids = f.all ? undefined : await Promise.all(creds.map(async (c) => (await ctx.call('credentials.get', { id: c })).id));
  const ended = runEnds(ctx, core);
  const run = await ctx.call('credentials.verifyAll', { concurrency, ids });
  await ended(run.runId);
  const checked: Credential[] = ids ? await Promise.all(ids.map((id) => ctx.call('credentials.get', { id }))) : await ctx.call('credentials.list', {});
  ctx.print(checked.map(credentialJson), checked.map(credentialDetails).join('\n'));
  return checked.every((c) => c.status === 'VALID') ? EXIT.OK : EXIT.FAILED;
}

export async function deleteCommand(ctx: CliContext, cred: string | undefined, f: { yes?: boolean }): Promise<number> {
  if (!cred) throw usageError('Usage: keyward delete CRED [--yes]');
  await ctx.openCore();
  const c = await ctx.call('credentials.get', { id: cred });
  const resources = await ctx.call('resources.list', { credentialId: c.id });
  const listed = resources.length ? ` Its ${resources.length} resource(s) are deleted with it: ${resources.map((r) => `${r.groupId} (${r.region})`).join(', ')}.` : ' It has no resources.';
  if (!f.yes) {
    const ok = ctx.io.isTTY && (await ctx.io.confirm(escapeForTerminal(`Delete credential "${c.name}" (${c.provider})?${listed}`)));
    if (!ok) {
      throw usageError(ctx.io.isTTY ? 'Not deleted.' : `Deleting "${c.name}" needs --yes to confirm.${listed}`);
    }
  }
  const result = await ctx.call('credentials.delete', { id: c.id });
  const gone = result.resources ?? [];
  ctx.print(result, `Deleted "${c.name}".${gone.length ? ` Deleted its resources: ${gone.map((r) => `${r.groupId} (${r.region})`).join(', ')}.` : ''}\n`);
  return EXIT.OK;
}
