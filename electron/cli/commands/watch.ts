import type { Attention, WatchRun } from '../../../shared/channels/watch';
import type { ChannelName, Request, Response } from '../../../shared/contract';
import type { CliContext } from '../context';
import { EXIT, usageError } from '../io';

// `keyward watch`: what needs attention, for machines where the app is not running
// (servers, cron, systemd timers, Task Scheduler). Exit 0 when nothing does, 1 when
// something does, so a scheduler can alert. `passphrase change` and `key-provider set`
// re-wrap the vault key. Each goes through the contract, as the window does.

type Flags = Record<string, string | boolean | undefined>;

type Call = <C extends ChannelName>(channel: C, request: Request<C>) => Promise<Response<C>>;

/** Opens the vault once and returns a caller of the contract over it (the CLI's one dispatcher). */
async function connect(ctx: CliContext): Promise<Call> {
  await ctx.openCore();
  return (channel, request) => ctx.call(channel, request);
}

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const MIN_EVERY_MS = 60_000;

/** "6h", "30m", "1d" → milliseconds; at least a minute. */
export function parseEvery(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([smhd])$/.exec(text.trim());
  const ms = m ? Number(m[1]) * UNITS[m[2]] : NaN;
  if (!Number.isFinite(ms) || ms < MIN_EVERY_MS) throw usageError(`--every takes a duration of at least 1m, such as 30m, 6h or 1d (got "${text}").`);
  return ms;
}

function attentionText(a: Attention, run: WatchRun | null): string {
  const lines: string[] = [];
  if (run) lines.push(`Checked ${run.checked}: ${run.counts.VALID} valid, ${run.counts.INVALID} invalid, ${run.counts.UNREACHABLE} unreachable.`);
  if (a.items.length === 0) {
    lines.push('Nothing needs attention.');
    return `${lines.join('\n')}\n`;
  }
  lines.push(`${a.items.length} need${a.items.length === 1 ? 's' : ''} attention (${a.counts.critical} critical):`);
  for (const i of a.items) {
    lines.push(`  ${i.severity === 'critical' ? '!' : '-'} ${i.title}${i.maskedKeyId ? ` (${i.maskedKeyId})` : ''}`);
    lines.push(`      ${i.detail}`);
  }
  return `${lines.join('\n')}\n`;
}

export async function watchCommand(ctx: CliContext, v: Flags): Promise<number> {
  const concurrency = v.concurrency === undefined ? undefined : Number(v.concurrency);
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 64)) throw usageError('--concurrency takes a whole number from 1 to 64.');
  if (v.once && v.every !== undefined) throw usageError('Use --once or --every, not both.');
  if (v.every === undefined) {
    if (!v.once) throw usageError('Usage: keyward watch --once [--verify] [--json] | keyward watch --every 6h [--json]');
    const call = await connect(ctx);
    const r = await call('watch.check', { verify: !!v.verify, concurrency });
    ctx.print(r, attentionText(r.attention, r.run));
    return r.attention.items.length ? EXIT.FAILED : EXIT.OK;
  }
  const every = parseEvery(String(v.every));
  // Runs until stopped: a check each interval, one line (or one JSON document) per run.
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const onSignal = () => stop();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const call = await connect(ctx);
    let worst: number = EXIT.OK;
    for (;;) {
      const r = await call('watch.check', { verify: true, concurrency });
      const at = r.run?.at ?? r.attention.computedAt;
      if (ctx.flags.json) ctx.io.stdout(`${JSON.stringify(r)}\n`);
      else ctx.io.stdout(`[${at}] ${attentionText(r.attention, r.run)}`);
      worst = r.attention.items.length ? EXIT.FAILED : EXIT.OK;
      let timer: NodeJS.Timeout | undefined;
      const next = new Promise<'next'>((resolve) => (timer = setTimeout(() => resolve('next'), every)));
      const why = await Promise.race([next, stopped.then(() => 'stop' as const)]);
      clearTimeout(timer);
      if (why === 'stop') return worst;
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** `keyward passphrase change`: the current passphrase as for any command, the new one on the next stdin line. */
export async function passphraseCommand(ctx: CliContext, sub: string | undefined): Promise<number> {
  if (sub !== 'change') throw usageError('Usage: keyward passphrase change   (current passphrase as KEYWARD_PASSPHRASE or --passphrase-stdin; the new one on stdin)');
  const current = await ctx.getPassphrase();
  if (!current) throw usageError('Give the current passphrase: set KEYWARD_PASSPHRASE or pass --passphrase-stdin (first stdin line).');
  const call = await connect(ctx);
  const next = await ctx.io.readSecret('New vault passphrase');
  if (ctx.io.isTTY && (await ctx.io.readSecret('New vault passphrase again')) !== next) throw usageError('The two new passphrases differ. Nothing was changed.');
  const status = await call('vault.changePassphrase', { current, next });
  ctx.print({ path: status.path, keyProvider: status.keyProvider }, 'The vault passphrase was changed. Use the new one from now on.\n');
  return EXIT.OK;
}

/** `keyward key-provider set keychain|passphrase`: to a passphrase, the new one on stdin. */
export async function keyProviderCommand(ctx: CliContext, sub: string | undefined, to: string | undefined): Promise<number> {
  if (sub !== 'set' || (to !== 'keychain' && to !== 'passphrase')) throw usageError('Usage: keyward key-provider set keychain|passphrase');
  const current = await ctx.getPassphrase();
  const call = await connect(ctx);
  let status: Response<'vault.setKeyProvider'>;
  if (to === 'passphrase') {
    const passphrase = await ctx.io.readSecret('New vault passphrase');
    if (ctx.io.isTTY && (await ctx.io.readSecret('New vault passphrase again')) !== passphrase) throw usageError('The two passphrases differ. Nothing was changed.');
    status = await call('vault.setKeyProvider', { keyProvider: 'passphrase', passphrase });
  } else {
    status = await call('vault.setKeyProvider', { keyProvider: 'keychain', current: current ?? undefined });
  }
  ctx.print(
    { path: status.path, keyProvider: status.keyProvider },
    to === 'keychain'
      ? 'The vault key is now kept in the OS keychain; unset KEYWARD_PASSPHRASE to open it.\n'
      : 'The vault is now protected by your passphrase; set KEYWARD_PASSPHRASE or pass --passphrase-stdin to open it.\n',
  );
  return EXIT.OK;
}
