import { readFileSync } from 'node:fs';
import { PARAMETER_TYPES, type AwsField, type ParameterType } from '../../../shared/parameters';
import type { GroupExport, Parameter } from '../../core/parameters/service';
import type { CliContext } from '../context';
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

export async function paramsCommand(ctx: CliContext, args: string[], f: ParamsFlags): Promise<number> {
  const [sub, ...rest] = args;
  const need = (n: number, usage: string) => {
    if (rest.length < n || !rest.slice(0, n).every(Boolean)) throw usageError(`Usage: ${usage}`);
  };
  if (f.type !== undefined && !(PARAMETER_TYPES as readonly string[]).includes(f.type)) throw usageError(`--type is one of ${PARAMETER_TYPES.join(', ')}.`);
  if (f.secret && f.type && f.type !== 'secret') throw usageError('--secret means --type secret.');
  switch (sub) {
    case 'list': {
      const core = await ctx.openCore();
      const list = core.parameters.list({ group: f.group, search: f.search });
      ctx.print(list, paramTable(list));
      return EXIT.OK;
    }
    case 'get': {
      need(1, 'keyward params get KEY');
      const p = (await ctx.openCore()).parameters.get(rest[0]);
      ctx.print(p, paramTable([p]));
      return EXIT.OK;
    }
    case 'set': {
      need(1, 'keyward params set KEY [VALUE] [--secret]  (a secret value on stdin)');
      const [key, given] = rest;
      await ctx.getPassphrase(); // the passphrase line, when on stdin, comes first
      const core = await ctx.openCore();
      const existing = core.parameters.list().find((p) => p.key === key);
      const secret = f.secret || f.type === 'secret' || (existing?.type === 'secret' && f.type === undefined);
      if (secret && given !== undefined) throw usageError(`${key} is a secret: its value is read from stdin, never from the command line (shell history).`);
      const value = secret ? await ctx.io.readSecret(`Value of ${key}`) : given;
      if (value === undefined) throw usageError(`Usage: keyward params set KEY VALUE  (or --secret with the value on stdin)`);
      const p = core.parameters.set(key, value, {
        group: f.group,
        label: f.label,
        type: (secret ? 'secret' : f.type) as ParameterType | undefined,
        choices: f.choices?.split(',').map((c) => c.trim()),
        awsField: f['aws-field'] as AwsField | undefined,
      });
      ctx.print(p, paramTable([p]));
      return EXIT.OK;
    }
    case 'bind': {
      need(3, 'keyward params bind KEY CRED FIELD  (FIELD: accessKeyId | secretAccessKey | region)');
      const p = (await ctx.openCore()).parameters.bind(rest[0], rest[1], rest[2]);
      ctx.print(p, paramTable([p]));
      return EXIT.OK;
    }
    case 'unbind': {
      need(1, 'keyward params unbind KEY');
      const p = (await ctx.openCore()).parameters.unbind(rest[0]);
      ctx.print(p, paramTable([p]));
      return EXIT.OK;
    }
    case 'delete': {
      need(1, 'keyward params delete KEY');
      const r = (await ctx.openCore()).parameters.delete(rest[0]);
      ctx.print(r, `Deleted parameter ${r.key}.\n`);
      return EXIT.OK;
    }
    case 'test': {
      need(1, 'keyward params test GROUP');
      const r = await (await ctx.openCore()).parameters.performTest(rest[0]);
      const human = [`${r.group}: ${r.status}`, r.identity ? `  arn: ${r.identity.arn}` : '', r.error ? `  error: ${r.error.code}: ${r.error.message}` : '', r.diagnosis ? `  cause: ${r.diagnosis.cause}\n${r.diagnosis.remedy.map((s, i) => `    ${i + 1}. ${s}`).join('\n')}\n  test it: ${r.diagnosis.test}` : '']
        .filter(Boolean)
        .join('\n');
      ctx.print(r, `${human}\n`);
      return r.status === 'VALID' ? EXIT.OK : EXIT.FAILED;
    }
    case 'export': {
      need(1, 'keyward params export GROUP [--format json|env]');
      const format = f.format ?? 'json';
      if (format !== 'json' && format !== 'env') throw usageError('--format is json or env.');
      const core = await ctx.openCore();
      if (format === 'env') ctx.io.stdout(core.parameters.exportEnv(rest[0]));
      else ctx.io.stdout(`${JSON.stringify(core.parameters.exportGroup(rest[0]), null, 2)}\n`);
      return EXIT.OK;
    }
    case 'import': {
      need(1, 'keyward params import FILE');
      let data: GroupExport;
      try {
        data = JSON.parse(readFileSync(rest[0], 'utf8')) as GroupExport;
      } catch (e) {
        // JSON.parse's message quotes the file's text, which may hold a secret value: name only what went wrong.
        const why = e instanceof SyntaxError ? 'it is not JSON' : ((e as NodeJS.ErrnoException).code ?? 'it could not be read');
        throw usageError(`Could not read ${rest[0]} as a parameters export (${why}): import a group exported as JSON by Keyward.`);
      }
      const list = (await ctx.openCore()).parameters.importGroup(data);
      ctx.print(list, paramTable(list));
      return EXIT.OK;
    }
    case 'template': {
      if (!f.group) throw usageError('Usage: keyward params template --group G [--prefix P]');
      const list = (await ctx.openCore()).parameters.addTemplate(f.group, f.prefix ?? '');
      ctx.print(list, paramTable(list));
      return EXIT.OK;
    }
    default:
      throw usageError(`Usage:\n  ${USAGE}`);
  }
}
