import type { ChannelName, Request, Response } from '../../shared/contract';
import { createDispatcher } from '../core/app/handlers';
import { KeywardError } from '../core/errors';
import type { CliContext } from './context';

/** One request through the contract, validated and handled exactly as the window's are. */
export async function callContract<C extends ChannelName>(ctx: CliContext, channel: C, request: Request<C>): Promise<Response<C>> {
  const envelope = await createDispatcher(await ctx.openCore())(channel, request);
  if (!envelope.ok) throw new KeywardError(envelope.error.code, envelope.error.message);
  return envelope.data as Response<C>;
}
