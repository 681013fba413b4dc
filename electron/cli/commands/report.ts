import type { CliContext } from '../context';
import { EXIT, usageError } from '../io';

/** `keyward show CRED --report`: the support report the desktop's Copy report gives (no secret, key ids masked). */
export async function reportCommand(ctx: CliContext, cred: string | undefined): Promise<number> {
  if (!cred) throw usageError('Usage: keyward show CRED --report  (a credential id or exact name)');
  await ctx.openCore();
  const { text } = await ctx.call('credentials.report', { id: cred });
  ctx.print({ report: text }, text);
  return EXIT.OK;
}
