import type { DuePlanView } from '../../../shared/channels/rotation';
import type { Response } from '../../../shared/contract';
import { maskKeyId } from '../../../shared/mask';
import type { KeywardCore } from '../../core/app/core';
import type { CliContext } from '../context';
import { table } from '../format';
import { EXIT, usageError } from '../io';

// keyward rotate --due: every due key planned first (nothing changes without --yes), then
// each rotated as its own journaled rotation from a queue; a summary with the next action.

export interface DueFlags {
  'max-age'?: string;
  as?: string;
  match?: string;
  concurrency?: string;
  hold?: boolean;
  yes?: boolean;
}

function whole(flag: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw usageError(`--${flag} takes a whole number from ${min} to ${max} (got "${value}").`);
  return n;
}

function planText(p: DuePlanView): string {
  const lines = [`${p.due.length} key(s) due (older than ${p.maxAgeDays} days):`];
  if (p.due.length) {
    lines.push(
      table([
        ['CREDENTIAL', 'IAM USER', 'KEY', 'AGE', 'ACTING', 'DELETED FIRST', 'DELIVERED TO'],
        ...p.due.map((d) => [
          d.credentialName,
          d.userName,
          maskKeyId(d.accessKeyId),
          `${d.ageDays} d`,
          d.actingCredentialId ? 'admin credential' : 'itself',
          maskKeyId(d.deleteFirstKeyId) || '-',
          d.deliveries.join(', ') || 'the credential only',
        ]),
      ]).trimEnd(),
    );
  }
  if (p.skipped.length) lines.push(`${p.skipped.length} skipped:`, table([['CREDENTIAL', 'WHY'], ...p.skipped.map((s) => [s.credentialName, s.reason])]).trimEnd());
  return `${lines.join('\n')}\n`;
}

export function summaryText(s: Response<'rotation.startDue'>): string {
  const lines = [`Run ${s.runId}: ${s.rotated} rotated, ${s.held} held, ${s.skipped} skipped, ${s.failed} failed (of ${s.total} due).`];
  for (const k of s.keys ?? []) {
    lines.push(`  ${k.outcome.toUpperCase().padEnd(11)} ${k.credentialName}${k.newAccessKeyId ? `  new key ${maskKeyId(k.newAccessKeyId)}` : ''}`);
    if (k.error) lines.push(`              ${k.error.code}: ${k.error.message}`);
    if (k.next) lines.push(`              next: ${k.next}`);
  }
  return `${lines.join('\n')}\n`;
}

/** On a terminal, the overall progress as each key ends. */
export function followRun(ctx: CliContext, core: KeywardCore): void {
  if (ctx.flags.json || !ctx.io.isTTY) return;
  core.events.onAny((event, payload) => {
    if (event !== 'rotation.run') return;
    const p = payload as { done: number; total: number; credentialId: string; outcome: string };
    ctx.io.stderr(`[${p.done}/${p.total}] ${p.credentialId}: ${p.outcome}\n`);
  });
}

export async function rotateDueCommand(ctx: CliContext, f: DueFlags): Promise<number> {
  const request = {
    maxAgeDays: whole('max-age', f['max-age'], 0, 36_500),
    as: f.as,
    match: f.match,
    concurrency: whole('concurrency', f.concurrency, 1, 32),
  };
  const plan = await ctx.call('rotation.planDue', request);
  if (!f.yes) {
    ctx.print(plan, `${planText(plan)}Nothing was changed. Pass --yes to rotate the ${plan.due.length} due key(s).\n`);
    return EXIT.OK;
  }
  if (!ctx.flags.json) ctx.io.stderr(planText(plan));
  if (plan.due.length === 0) {
    ctx.print({ runId: null, total: 0, rotated: 0, held: 0, failed: 0, skipped: plan.skipped.length, keys: [], skippedKeys: plan.skipped }, 'No key is due: nothing to rotate.\n');
    return EXIT.OK;
  }
  const summary = await ctx.call('rotation.startDue', { ...request, hold: !!f.hold, wait: true });
  ctx.print(summary, summaryText(summary));
  return summary.failed > 0 ? EXIT.FAILED : EXIT.OK;
}
