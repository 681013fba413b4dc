import type { ParameterView as Parameter } from '../../../shared/channels/parameters';
import type { Request } from '../../../shared/contract';
import { PARAMETER_TYPES } from '../../../shared/parameters';
import type { CliContext } from '../context';
import { readTextFile } from '../files';
import { table } from '../format';
import { EXIT, usageError } from '../io';

export interface ParamsFlags {
  group?: string;
  search?: string;
  secret?: boolean;
  label?: string;
  type?: string;
  choices?: string;
  'aws-field'?: string;
  format?: string;
  prefix?: string;
}

const USAGE = `keyward params list [--group G] [--search TEXT]
  keyward params get KEY
  keyward params set KEY [VALUE] [--secret] [--group G] [--label L] [--type T] [--choices a,b] [--aws-field F]
                                            a secret value is read from stdin
  keyward params bind KEY CRED FIELD        FIELD: accessKeyId | secretAccessKey | region
  keyward params unbind KEY | delete KEY
  keyward params test GROUP                 Perform test: verify the AWS credential the group forms
  keyward params export GROUP [--format json|env]    without secrets
  keyward params import FILE
  keyward params template --group G [--prefix P]     IAM Access Key, Secret IAM Key, bucket, region`;

function shown(p: Parameter): string {
  if (p.type === 'secret') return p.hasValue ? '********' : '(not set)';
  return p.value ?? '(not set)';
}

function paramTable(list: Parameter[]): string {
  if (list.length === 0) return 'No parameters. Start from the AWS template: keyward params template --group "AWS S3".\n';
  return table([
    ['GROUP', 'KEY', 'LABEL', 'TYPE', 'VALUE', 'BOUND TO', 'CHANGED'],
    ...list.map((p) => [p.group, p.key, p.label, p.type, shown(p), p.boundTo ? `${p.boundTo.credentialName}.${p.boundTo.field}` : '', p.updatedAt]),
  ]);
}

/** Each subcommand's usage, for the words it needs after it (`need` of them). */
const SUBCOMMANDS: Record<string, { need: number; usage: string }> = {
  list: { need: 0, usage: 'keyward params list [--group G] [--search TEXT]' },
  get: { need: 1, usage: 'keyward params get KEY' },
  set: { need: 1, usage: 'keyward params set KEY [VALUE] [--secret]  (a secret value on stdin)' },
  bind: { need: 3, usage: 'keyward params bind KEY CRED FIELD  (FIELD: accessKeyId | secretAccessKey | region)' },
  unbind: { need: 1, usage: 'keyward params unbind KEY' },
  delete: { need: 1, usage: 'keyward params delete KEY' },
  test: { need: 1, usage: 'keyward params test GROUP' },
  export: { need: 1, usage: 'keyward params export GROUP [--format json|env]' },
  import: { need: 1, usage: 'keyward params import FILE' },
  template: { need: 0, usage: 'keyward params template --group G [--prefix P]' },
};

export async function paramsCommand(ctx: CliContext, args: string[], f: ParamsFlags): Promise<number> {
  const [sub, ...rest] = args;
  if (f.type !== undefined && !(PARAMETER_TYPES as readonly string[]).includes(f.type)) throw usageError(`--type is one of ${PARAMETER_TYPES.join(', ')}.`);
  if (f.secret && f.type && f.type !== 'secret') throw usageError('--secret means --type secret.');
  const spec = Object.hasOwn(SUBCOMMANDS, sub ?? '') ? SUBCOMMANDS[sub] : undefined;
  if (!spec) throw usageError(`Usage:\n  ${USAGE}`);
  if (rest.length < spec.need || !rest.slice(0, spec.need).every(Boolean)) throw usageError(`Usage: ${spec.usage}`);
  // What needs no vault is checked before it opens (the passphrase line, when on stdin, comes first).
  const format = f.format ?? 'json';
  if (sub === 'export' && format !== 'json' && format !== 'env') throw usageError('--format is json or env.');
  if (sub === 'template' && !f.group) throw usageError(`Usage: ${spec.usage}`);
  const content =
    sub === 'import' ? readTextFile(rest[0], 'paramsImport', (code) => usageError(`Cannot read ${rest[0]} (${code}). Give the path of a group exported by \`keyward params export GROUP\`.`)) : '';
  await ctx.openCore();
  const many = (list: Parameter[]) => ctx.print(list, paramTable(list));
  const one = (p: Parameter) => ctx.print(p, paramTable([p]));
  switch (sub) {
    case 'list':
      many(await ctx.call('parameters.list', { group: f.group, search: f.search }));
      return EXIT.OK;
    case 'get':
      one(await ctx.call('parameters.get', { key: rest[0] }));
      return EXIT.OK;
    case 'set': {
      const [key, given] = rest;
      const existing = (await ctx.call('parameters.list', {})).find((p) => p.key === key);
      const secret = f.secret || f.type === 'secret' || (existing?.type === 'secret' && f.type === undefined);
      if (secret && given !== undefined) throw usageError(`${key} is a secret: its value is read from stdin, never from the command line (shell history).`);
      const value = secret ? await ctx.io.readSecret(`Value of ${key}`) : given;
      if (value === undefined) throw usageError(`Usage: keyward params set KEY VALUE  (or --secret with the value on stdin)`);
      const definition = {
        group: f.group,
        label: f.label,
        type: secret ? 'secret' : f.type,
        choices: f.choices?.split(',').map((c) => c.trim()),
        awsField: f['aws-field'],
      } as Omit<Request<'parameters.set'>, 'key' | 'value'>;
      one(await ctx.call('parameters.set', { key, value, ...definition }));
      return EXIT.OK;
    }
    case 'bind': {
      const [key, credential, field] = rest;
      one(await ctx.call('parameters.bind', { key, credentialId: credential, field: field as Request<'parameters.bind'>['field'] }));
      return EXIT.OK;
    }
    case 'unbind':
      one(await ctx.call('parameters.unbind', { key: rest[0] }));
      return EXIT.OK;
    case 'delete': {
      const r = await ctx.call('parameters.delete', { key: rest[0] });
      ctx.print(r, `Deleted parameter ${r.key}.\n`);
      return EXIT.OK;
    }
    case 'test': {
      const r = await ctx.call('parameters.test', { group: rest[0] });
      const human = [
        `${r.group}: ${r.status}`,
        r.identity ? `  arn: ${r.identity.arn}` : '',
        r.error ? `  error: ${r.error.code}: ${r.error.message}` : '',
        r.diagnosis ? `  cause: ${r.diagnosis.cause}\n${r.diagnosis.remedy.map((s, i) => `    ${i + 1}. ${s}`).join('\n')}\n  test it: ${r.diagnosis.test}` : '',
      ]
        .filter(Boolean)
        .join('\n');
      ctx.print(r, `${human}\n`);
      return r.status === 'VALID' ? EXIT.OK : EXIT.FAILED;
    }
    case 'export':
      ctx.printRaw((await ctx.call('parameters.export', { group: rest[0], format: format as 'json' | 'env' })).content);
      return EXIT.OK;
    case 'import':
      many(await ctx.call('parameters.import', { content }));
      return EXIT.OK;
    default:
      many(await ctx.call('parameters.template', { group: f.group!, prefix: f.prefix }));
      return EXIT.OK;
  }
}
