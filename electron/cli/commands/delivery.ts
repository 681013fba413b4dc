import { resolve } from 'node:path';
import { z } from 'zod';
import type { Delivery } from '../../../shared/channels/deliveries';
import { DELIVERY_KINDS } from '../../core/deliveries';
import type { CliContext } from '../context';
import { table } from '../format';
import { EXIT, usageError } from '../io';

// `keyward delivery add|list|remove|test`: the places a credential's key is copied to.
// Each kind's config flags come from its config schema (`idVar` → `--id-var`), so a kind
// added to the registry gets its flags here with no change to this file.

const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Every kind's config keys, as flags: flag → config key. */
const CONFIG_FLAGS: ReadonlyMap<string, string> = new Map(
  DELIVERY_KINDS.flatMap((k) => (k.configSchema instanceof z.ZodObject ? Object.keys(k.configSchema.shape).map((key) => [kebab(key), key] as const) : [])),
);

/** The parameters of system-parameters: bound with `keyward params bind`, named here for one command. */
const PARAM_FLAGS = { 'access-key-param': { type: 'string' }, 'secret-param': { type: 'string' } } as const;

export const DELIVERY_OPTIONS = {
  kind: { type: 'string' },
  as: { type: 'string' },
  write: { type: 'boolean' },
  ...PARAM_FLAGS,
  ...Object.fromEntries([...CONFIG_FLAGS.keys()].map((flag) => [flag, { type: 'string' as const }])),
} as const;

function kindUsage(): string {
  return DELIVERY_KINDS.filter((k) => k.id !== 'system-parameters')
    .map((k) => {
      const shape = k.configSchema instanceof z.ZodObject ? (k.configSchema.shape as Record<string, z.ZodType>) : {};
      const flags = Object.entries(shape).map(([key, s]) => (s.safeParse(undefined).success ? `[--${kebab(key)} X]` : `--${kebab(key)} X`));
      return `--kind ${k.id} ${flags.join(' ')}`;
    })
    .join('\n                          | ');
}

export const DELIVERY_USAGE = `keyward delivery add CRED ${kindUsage()}
                          | --kind system-parameters --access-key-param KEY [--secret-param KEY]
                          [--as WRITER_CRED] [--write]     --write: the current key, written there now
  keyward delivery list [CRED]
  keyward delivery remove DELIVERY_ID
  keyward delivery test DELIVERY_ID|CRED    read back and check; exit 1 unless every place holds the key`;

type Flags = Record<string, string | boolean | undefined>;

function outcome(o: Delivery['lastWrite']): string {
  if (!o) return 'never';
  return `${o.ok ? 'ok' : `FAILED ${o.error?.code ?? ''}`.trim()} ${o.at}`;
}

function deliveryTable(list: Delivery[], names: Map<string, string>): string {
  if (list.length === 0) return 'No deliveries. Add one with `keyward delivery add CRED --kind aws-profile --profile NAME`.\n';
  return table([
    ['ID', 'CREDENTIAL', 'KIND', 'PLACE', 'LAST WRITE', 'LAST CHECK'],
    ...list.map((d) => [d.id.slice(0, 8), names.get(d.credentialId) ?? d.credentialId, d.kind, d.description, outcome(d.lastWrite), outcome(d.lastCheck)]),
  ]);
}

function checkDetails(list: Delivery[]): string {
  const lines: string[] = [];
  for (const d of list) {
    const c = d.lastCheck;
    lines.push(`${c?.ok ? 'ok    ' : 'FAILED'}  ${d.title}: ${d.description}  (${d.id.slice(0, 8)})`, `        ${c?.detail ?? 'not checked'}`);
    if (c && !c.ok && c.diagnosis) {
      lines.push(`        cause:   ${c.diagnosis.cause}`, ...c.diagnosis.remedy.map((s, i) => `        ${i + 1}. ${s}`), `        test it: ${c.diagnosis.test}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** A kind's config from the flags: only the flags its schema knows; a path resolved against the working folder. */
function configFrom(kindId: string, f: Flags): Record<string, string> {
  const kind = DELIVERY_KINDS.find((k) => k.id === kindId);
  if (!kind) throw usageError(`--kind is one of ${DELIVERY_KINDS.map((k) => k.id).join(', ')}.`);
  const keys = kind.configSchema instanceof z.ZodObject ? new Set(Object.keys(kind.configSchema.shape)) : new Set<string>();
  const config: Record<string, string> = {};
  for (const [flag, key] of CONFIG_FLAGS) {
    const v = f[flag];
    if (typeof v !== 'string') continue;
    if (!keys.has(key)) throw usageError(`--${flag} is not a flag of --kind ${kindId}. Usage: ${DELIVERY_USAGE}`);
    config[key] = key === 'file' && !v.startsWith('~') ? resolve(v) : v;
  }
  return config;
}

export async function deliveryCommand(ctx: CliContext, sub: string | undefined, arg: string | undefined, f: Flags): Promise<number> {
  const names = async () => new Map((await ctx.call('credentials.list', {})).map((c) => [c.id, c.name]));
  switch (sub) {
    case 'add': {
      if (!arg || typeof f.kind !== 'string') throw usageError(`Usage: ${DELIVERY_USAGE}`);
      if (f.kind === 'system-parameters') return addSystemParameters(ctx, arg, f);
      const config = configFrom(f.kind, f);
      await ctx.openCore();
      const d = await ctx.call('delivery.add', { credentialId: arg, kind: f.kind, config, as: f.as as string | undefined, write: !!f.write });
      ctx.print(d, `Added delivery ${d.id.slice(0, 8)}: ${d.title}, ${d.description}.${f.write ? ` ${d.lastWrite?.detail ?? ''}` : ' The next rotation writes it (or add it with --write).'}\n`);
      return d.lastWrite && !d.lastWrite.ok ? EXIT.FAILED : EXIT.OK;
    }
    case 'list': {
      await ctx.openCore();
      const list = await ctx.call('delivery.list', { credentialId: arg });
      ctx.print(list, deliveryTable(list, await names()));
      return EXIT.OK;
    }
    case 'remove': {
      if (!arg) throw usageError(`Usage: ${DELIVERY_USAGE}`);
      await ctx.openCore();
      const r = await ctx.call('delivery.remove', { id: arg });
      ctx.print(r, `Removed delivery ${r.id.slice(0, 8)}; the place itself was left as it is.\n`);
      return EXIT.OK;
    }
    case 'test': {
      if (!arg) throw usageError(`Usage: ${DELIVERY_USAGE}`);
      await ctx.openCore();
      const list = await ctx.call('delivery.test', { ref: arg });
      ctx.print(list, list.length ? checkDetails(list) : `"${arg}" has no deliveries.\n`);
      return list.every((d) => d.lastCheck?.ok) ? EXIT.OK : EXIT.FAILED;
    }
    default:
      throw usageError(`Usage: ${DELIVERY_USAGE}`);
  }
}

/** System Parameters are delivered by binding them to the key: the same as `keyward params bind`, in one command. */
async function addSystemParameters(ctx: CliContext, cred: string, f: Flags): Promise<number> {
  const pairs = [
    [f['access-key-param'], 'accessKeyId'],
    [f['secret-param'], 'secretAccessKey'],
  ].filter((p): p is [string, string] => typeof p[0] === 'string');
  if (pairs.length === 0) throw usageError(`Name the parameters: --access-key-param KEY [--secret-param KEY]. Usage: ${DELIVERY_USAGE}`);
  await ctx.openCore();
  for (const [key, field] of pairs) await ctx.call('parameters.bind', { key, credentialId: cred, field: field as 'accessKeyId' | 'secretAccessKey' });
  const { id } = await ctx.call('credentials.get', { id: cred });
  const d = (await ctx.call('delivery.list', { credentialId: id })).find((x) => x.kind === 'system-parameters');
  if (!d) throw usageError('The parameters were bound, but no System Parameters delivery shows for the credential.');
  ctx.print(d, `Bound ${pairs.map(([k, field]) => `${k} to ${field}`).join(' and ')}: delivery ${d.id.slice(0, 8)}, ${d.description}. They follow the key from now on.\n`);
  return EXIT.OK;
}
