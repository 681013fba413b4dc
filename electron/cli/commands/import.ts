import { parseAccessKeyCsv } from '../../../shared/access-key-csv';
import { maskKeyId } from '../../../shared/mask';
import { KeywardError } from '../../core/errors';
import { defaultConfigFile, defaultCredentialsFile, readOptional } from '../../core/import/aws-credentials';
import type { CliContext } from '../context';
import { readTextFile } from '../files';
import { credentialJson, table } from '../format';
import { migrateCommand } from './aws-migrate';
import { EXIT, usageError } from '../io';

export async function importCommand(
  ctx: CliContext,
  what: string | undefined,
  file: string | undefined,
  f: { 'no-verify'?: boolean; config?: string; name?: string; region?: string; migrate?: boolean; 'dry-run'?: boolean },
): Promise<number> {
  if (what === 'access-key-csv') return importAccessKeyCsv(ctx, file, f);
  if (what !== 'aws-credentials')
    throw usageError('Usage: keyward import aws-credentials [FILE] [--config FILE] [--no-verify] [--migrate [--dry-run]] | import access-key-csv FILE --name NAME [--region R]');
  const credentialsFile = file ?? defaultCredentialsFile(ctx.io.env);
  const configFile = f.config ?? defaultConfigFile(ctx.io.env);
  if (f.migrate) return migrateCommand(ctx, { credentialsFile, configFile }, f);
  if (f['dry-run']) throw usageError('--dry-run goes with --migrate: keyward import aws-credentials [FILE] --migrate --dry-run');
  const credentials = readOptional(credentialsFile);
  if (credentials === null) throw new KeywardError('INVALID_INPUT', `No AWS credentials file at ${credentialsFile}. Give the file's path: keyward import aws-credentials FILE.`);
  const config = readOptional(configFile) ?? '';
  await ctx.openCore();
  const verify = !f['no-verify'];
  const { imported, skipped } = await ctx.call('credentials.importAws', { credentials, config, fileName: credentialsFile, verify });
  const checked = verify ? await Promise.all(imported.map((c) => ctx.call('credentials.verify', { id: c.id }))) : imported;
  const human =
    `Imported ${checked.length} profile(s) from ${credentialsFile}.\n` +
    (checked.length ? table([['NAME', 'STATUS', 'REGION'], ...checked.map((c) => [c.name, c.status, c.fields.region ?? ''])]) : '') +
    (skipped.length ? `Skipped ${skipped.length}:\n${skipped.map((s) => `  ${s.profile}: ${s.reason}`).join('\n')}\n` : '');
  ctx.print({ file: credentialsFile, imported: checked.map(credentialJson), skipped }, human);
  return EXIT.OK;
}

/** The CSV the AWS console downloads for a new access key: one AWS credential from it, as the window's "Fill from .csv". */
async function importAccessKeyCsv(ctx: CliContext, file: string | undefined, f: { 'no-verify'?: boolean; name?: string; region?: string }): Promise<number> {
  const usage = 'Usage: keyward import access-key-csv FILE --name NAME [--region R] [--no-verify]';
  if (!file) throw usageError(`${usage} (FILE: the .csv the AWS console offers when it creates the key)`);
  if (!f.name) throw usageError(`${usage} (--name is required)`);
  const text = readTextFile(file, 'accessKeyCsv', (code) => usageError(`Cannot read ${file} (${code}). Give the path of the downloaded access key .csv.`));
  let key: ReturnType<typeof parseAccessKeyCsv>;
  try {
    key = parseAccessKeyCsv(text);
  } catch (e) {
    throw new KeywardError('INVALID_INPUT', `${file}: ${(e as Error).message}`);
  }
  await ctx.openCore();
  const fields: Record<string, string> = { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey, ...(f.region ? { region: f.region } : {}) };
  const created = await ctx.call('credentials.add', { name: f.name, provider: 'AWS', type: 'ACCESS_KEY', fields, verify: false });
  const result = f['no-verify'] ? created : await ctx.call('credentials.verify', { id: created.id });
  ctx.print(
    credentialJson(result),
    `Imported ${maskKeyId(key.accessKeyId)}${key.userName ? ` (IAM user ${key.userName})` : ''} as "${result.name}": ${result.status}.\n` +
      'The file still holds the secret in clear: delete it once the key works.\n',
  );
  return EXIT.OK;
}
