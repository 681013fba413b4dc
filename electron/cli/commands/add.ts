import type { Credential } from '../../../shared/contract';
import { cliNameOf, flagOf, PROVIDER_DEFS, type FieldDef, type ProviderDef } from '../../../shared/providers';
import { KeywardError } from '../../core/errors';
import { PROVIDER_MODULES } from '../../core/providers';
import { readLimited } from '../../core/read-limited';
import type { CliContext } from '../context';
import { credentialDetails, credentialJson } from '../format';
import { EXIT, usageError } from '../io';

// `keyward add <provider>`: one command for every provider, driven by its field
// definitions (shared/providers/<id>.ts). Each public field is a flag named after it
// (bindDn → --bind-dn, unless the field names its own); a field with `fromFile` takes a
// path and stores the file's text (--ca-file). Secrets are never flags: they are read from
// stdin in field order, one per line (a multi-line secret such as a key file takes the
// rest of stdin). The request goes through the same dispatcher and zod schemas as the
// window's, so the same limits, defaults, audit events and messages apply.

type Flags = Record<string, string | boolean | undefined>;

const GLOBAL = new Set(['json', 'vault-dir', 'passphrase-stdin', 'help', 'version']);

/** The fields that are flags: public, typed by the admin (not derived from another field). */
function flagFields(def: ProviderDef): FieldDef[] {
  return def.fields.filter((f) => !f.secret && !f.derived);
}

function secretFields(def: ProviderDef): FieldDef[] {
  return def.fields.filter((f) => f.secret && !f.derived);
}

/** Every flag any provider's `add` takes, for the argument parser (strict: a secret's name is no flag). */
export const ADD_OPTIONS = Object.fromEntries([
  ['name', { type: 'string' }],
  ['no-verify', { type: 'boolean' }],
  ...PROVIDER_DEFS.flatMap((d) => flagFields(d).map((f) => [flagOf(f), { type: 'string' }] as const)),
]) as Record<string, { type: 'string' | 'boolean' }>;

/** "secret access key", "admin API key", "service account key (JSON)": a label inside a sentence. */
function inSentence(label: string): string {
  return label
    .split(' ')
    .map((w) => (/^[A-Z][A-Z0-9]+\)?$/.test(w.replace(/^\(/, '')) ? w : w.toLowerCase()))
    .join(' ');
}

function metavarOf(f: FieldDef): string {
  return f.metavar ?? (f.options ? f.options.map((o) => o.value).join('|') : (f.defaultValue ?? f.key.toUpperCase()));
}

/** What comes on stdin, in words: "bind password on stdin", "service account key (JSON): all of stdin". */
function stdinNote(def: ProviderDef): string {
  const secrets = secretFields(def);
  if (secrets.some((f) => f.kind === 'textarea')) return `${secrets.map((f) => inSentence(f.label)).join(', then ')}: all of stdin`;
  return `${secrets.map((f) => inSentence(f.label)).join(', then ')} on stdin${secrets.length > 1 ? ', one per line' : ''}`;
}

/** The usage line of `keyward add <provider>`, from its fields. */
export function addUsage(def: ProviderDef): string {
  const flags = flagFields(def).map((f) => {
    const flag = `--${flagOf(f)} ${metavarOf(f)}`;
    return f.required && f.defaultValue === undefined ? flag : `[${flag}]`;
  });
  return `keyward add ${cliNameOf(def)} --name NAME ${[...flags, '[--no-verify]'].join(' ')}`;
}

/** The `add` part of `keyward --help`: one usage per provider, with what comes on stdin. */
export function addHelp(): string {
  const lines = PROVIDER_DEFS.map((d) => `  ${addUsage(d)}\n${' '.repeat(44)}${stdinNote(d)}`);
  lines.push(
    "                   --ca-file: the CA certificate (PEM) that issued the server's TLS",
    '                   certificate (a private CA or self-signed), trusted instead of the',
    "                   system's CAs; the host name is still checked",
  );
  return lines.join('\n');
}

/** A field's value from a file (--ca-file): a certificate is public, so a path is fine. */
function readFlagFile(flag: string, path: string): string {
  try {
    return readLimited(path, 'caCert').toString('utf8');
  } catch (e) {
    if (e instanceof KeywardError) throw e;
    const code = (e as { code?: unknown }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : String(code ?? 'unreadable');
    throw usageError(`Cannot read --${flag} ${path} (${why}): give the path of the CA certificate file (PEM) that issued the server's certificate.`);
  }
}

export async function addCommand(ctx: CliContext, providerName: string | undefined, v: Flags): Promise<number> {
  const names = PROVIDER_DEFS.map(cliNameOf);
  const def = PROVIDER_DEFS.find((d) => cliNameOf(d) === providerName);
  if (!def) throw usageError(`Usage: keyward add ${names.join('|')} … (see keyward --help)`);
  const usage = `${addUsage(def)}  (${stdinNote(def)})`;
  const cmd = cliNameOf(def);
  const own = flagFields(def);
  const stray = Object.keys(v).filter((k) => v[k] !== undefined && !GLOBAL.has(k) && k !== 'name' && k !== 'no-verify' && !own.some((f) => flagOf(f) === k));
  if (stray.length) {
    const list = stray.map((s) => `--${s}`).join(', ');
    const takes = ['--name', ...own.map((f) => `--${flagOf(f)}`), '--no-verify'].join(', ');
    throw usageError(`${cmd} does not take ${list} (${cmd} takes ${takes} only, not ${list}; the ${stdinNote(def)}). Usage: ${usage}`);
  }
  const name = v.name;
  if (typeof name !== 'string' || !name) throw usageError(`--name is required. Usage: ${usage}`);
  const fields: Record<string, string> = {};
  for (const f of own) {
    const flag = flagOf(f);
    const value = v[flag];
    if (typeof value === 'string' && value !== '') fields[f.key] = f.fromFile ? readFlagFile(flag, value) : value;
    else if (f.required && f.defaultValue === undefined) throw usageError(`--${flag} is required. Usage: ${usage}`);
    // A flag left out takes core's default, as the form does: the provider's (port 5432,
    // TLS require) or the vault's (Settings → default AWS region).
  }
  const misuse = PROVIDER_MODULES[def.id].cliCheck?.(fields);
  if (misuse) throw usageError(`${misuse} Usage: ${usage}`);
  await ctx.getPassphrase(); // the passphrase line, when given on stdin, comes first
  for (const f of secretFields(def)) {
    const multiLine = f.kind === 'textarea';
    const value = multiLine ? ((await ctx.io.readRest?.(f.label)) ?? '') : await ctx.io.readSecret(f.label);
    if (value) fields[f.key] = value;
    else if (f.required) {
      throw usageError(
        multiLine
          ? `The ${inSentence(f.label)} is read from all of standard input: pipe the key file in, e.g. \`keyward add ${cmd} --name NAME < key.json\`.`
          : `The ${inSentence(f.label)} is read from standard input: pipe it in, e.g. \`keyward add ${cmd} ... < secret.txt\`.`,
      );
    }
  }
  await ctx.openCore();
  const verify = !v['no-verify'];
  const created = await ctx.call('credentials.add', { name, provider: def.id, type: def.types[0]!, fields, verify });
  // The check started in the background: wait for its verdict before printing.
  const final: Credential = verify ? await ctx.call('credentials.verify', { id: created.id }) : created;
  ctx.print(credentialJson(final), credentialDetails(final));
  return EXIT.OK;
}
