import type { CliContext } from '../context';
import { table } from '../format';
import { EXIT, usageError } from '../io';
import { resourceJson } from './resources';

const USAGE = 'keyward resource move RESOURCE_ID... --to CRED | resource move --from CRED --to CRED';

/**
 * `keyward resource move`: reassigns resources to another credential of the same provider
 * and verifies each under it. Exit 1 when any is not VALID afterwards.
 */
export async function resourceMoveCommand(ctx: CliContext, ids: string[], f: { to?: string; from?: string }): Promise<number> {
  if (!f.to || ids.length > 0 === (f.from !== undefined)) throw usageError(`Usage: ${USAGE}`);
  await ctx.openCore();
  const moved = await ctx.call('resources.move', { ids: ids.length ? ids : undefined, fromCredentialId: f.from, toCredentialId: f.to });
  const to = await ctx.call('credentials.get', { id: f.to });
  ctx.print(
    moved.map(resourceJson),
    `Moved ${moved.length} resource${moved.length === 1 ? '' : 's'} to "${to.name}" and verified ${moved.length === 1 ? 'it' : 'them'}:\n` +
      table([['ID', 'GROUP', 'REGION', 'STATUS'], ...moved.map((r) => [r.id.slice(0, 8), r.groupId, r.region, r.status])]),
  );
  return moved.every((r) => r.status === 'VALID') ? EXIT.OK : EXIT.FAILED;
}
