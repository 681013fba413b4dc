import type { ChannelName, Request, Response } from '../../shared/contract';
import type { CliContext } from './context';

/** One request through the contract, on the opened vault: ctx.call, the CLI's one dispatcher. */
export async function callContract<C extends ChannelName>(ctx: CliContext, channel: C, request: Request<C>): Promise<Response<C>> {
  await ctx.openCore();
  return ctx.call(channel, request);
}
