import type { CliContext } from '../context';
import { table } from '../format';
import { EXIT, usageError } from '../io';

export async function auditCommand(ctx: CliContext, sub: string | undefined, f: { credential?: string; action?: string; since?: string; limit?: string }): Promise<number> {
  await ctx.openCore();
  if (sub === 'verify') {
    const v = await ctx.call('audit.verify', {});
    const human = v.ok ? `Audit log intact: ${v.events} event(s), chain verified.\n` : `Audit log BROKEN at event ${v.brokenAt}: ${v.reason}.\n`;
    ctx.print(v.ok ? { ok: true, events: v.events } : { ok: false, brokenAt: v.brokenAt, reason: v.reason, events: v.events }, human);
    return v.ok ? EXIT.OK : EXIT.FAILED;
  }
  if (sub !== undefined) throw usageError('Usage: keyward audit [--credential CRED] [--action A] [--since ISO] | keyward audit verify');
  if (f.since && Number.isNaN(Date.parse(f.since))) throw usageError(`--since takes an ISO-8601 date or time, e.g. 2026-11-01 or 2026-11-01T09:00:00Z; "${f.since}" is not one.`);
  const limit = f.limit === undefined ? 1000 : Number(f.limit);
  if (!Number.isInteger(limit)) throw usageError('--limit is a whole number from 1 to 1000.');
  const events = await ctx.call('audit.list', { credential: f.credential, action: f.action, since: f.since ? new Date(f.since).toISOString() : undefined, limit });
  ctx.print(
    events,
    events.length === 0 ? 'No audit events match.\n' : table([['SEQ', 'AT', 'ACTOR', 'ACTION', 'DETAILS'], ...events.map((e) => [String(e.seq), e.at, e.actor, e.action, JSON.stringify(e.details)])]),
  );
  return EXIT.OK;
}
