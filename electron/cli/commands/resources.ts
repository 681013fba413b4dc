import type { Resource } from '../../../shared/channels/resources';
import type { CliContext } from '../context';
import { table } from '../format';
import { EXIT, usageError } from '../io';

const USAGE = 'keyward resource add CRED --security-group SG_ID [--region R] | resource list [CRED] | resource verify RESOURCE_ID';

/** A resource as the CLI contract prints it. */
export function resourceJson(r: Resource) {
  return {
    id: r.id,
    credentialId: r.credentialId,
    kind: r.kind,
    groupId: r.groupId,
    region: r.region,
    status: r.status,
    lastCheckedAt: r.lastCheckedAt,
    error: r.error,
    diagnosis: r.diagnosis,
    createdAt: r.createdAt,
  };
}

function resourceDetails(r: Resource, credentialName: string): string {
  const lines = [`${r.groupId}  (${r.region}, credential "${credentialName}")`, `  id:             ${r.id}`, `  status:         ${r.status}`, `  last checked:   ${r.lastCheckedAt ?? 'never'}`];
  if (r.error) lines.push(`  error:          ${r.error.code}: ${r.error.message}`);
  const d = r.diagnosis;
  if (d) {
    lines.push(`  cause:          ${d.cause}`, '  remedy:');
    d.remedy.forEach((step, i) => lines.push(`    ${i + 1}. ${step}`));
    lines.push(`  test it:        ${d.test}`);
    if (d.fix) lines.push(`  fix:            move the resource to ${d.fix.region} (desktop: Fix region)`);
    if (d.policy)
      lines.push(
        '  policy that would grant it:',
        ...JSON.stringify(d.policy, null, 2)
          .split('\n')
          .map((l) => `    ${l}`),
      );
    if (d.link) lines.push(`  see:            ${d.link}`);
  }
  return lines.join('\n') + '\n';
}

export async function resourceCommand(ctx: CliContext, sub: string | undefined, arg: string | undefined, f: { 'security-group'?: string; region?: string }): Promise<number> {
  const nameOf = async (credentialId: string) => (await ctx.call('credentials.get', { id: credentialId })).name;
  if (sub === 'add') {
    if (!arg || !f['security-group']) throw usageError(`Usage: ${USAGE}`);
    await ctx.openCore();
    const r = await ctx.call('resources.add', { credentialId: arg, groupId: f['security-group'], region: f.region });
    ctx.print(resourceJson(r), `Registered ${r.groupId} (${r.region}) under "${await nameOf(r.credentialId)}" as ${r.id}.\n`);
    return EXIT.OK;
  }
  if (sub === 'list') {
    await ctx.openCore();
    const list = await ctx.call('resources.list', { credentialId: arg });
    const names = new Map((await ctx.call('credentials.list', {})).map((c) => [c.id, c.name]));
    ctx.print(
      list.map(resourceJson),
      list.length === 0
        ? 'No resources yet. Register one with `keyward resource add CRED --security-group sg-…`.\n'
        : table([
            ['ID', 'CREDENTIAL', 'GROUP', 'REGION', 'STATUS', 'LAST CHECKED'],
            ...list.map((r) => [r.id.slice(0, 8), names.get(r.credentialId) ?? r.credentialId, r.groupId, r.region, r.status, r.lastCheckedAt ?? 'never']),
          ]),
    );
    return EXIT.OK;
  }
  if (sub === 'verify') {
    if (!arg) throw usageError(`Usage: ${USAGE}`);
    await ctx.openCore();
    const r = await ctx.call('resources.verify', { id: arg });
    ctx.print(resourceJson(r), resourceDetails(r, await nameOf(r.credentialId)));
    return r.status === 'VALID' ? EXIT.OK : EXIT.FAILED;
  }
  throw usageError(`Usage: ${USAGE}`);
}
