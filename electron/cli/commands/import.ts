import { defaultConfigFile, defaultCredentialsFile, readAwsProfiles } from '../../core/import/aws-credentials';
import type { CliContext } from '../context';
import { credentialJson, table } from '../format';
import { EXIT, usageError } from '../io';

export async function importCommand(ctx: CliContext, what: string | undefined, file: string | undefined, f: { 'no-verify'?: boolean; config?: string }): Promise<number> {
  if (what !== 'aws-credentials') throw usageError('Usage: keyward import aws-credentials [FILE] [--config FILE] [--no-verify]');
  const credentialsFile = file ?? defaultCredentialsFile(ctx.io.env);
  const configFile = f.config ?? defaultConfigFile(ctx.io.env);
  const { profiles, problems } = readAwsProfiles(credentialsFile, configFile);
  const core = await ctx.openCore();
  const verify = !f['no-verify'];
  const { imported, skipped } = core.credentials.importAwsProfiles(profiles, { verify });
  const checked = verify ? await Promise.all(imported.map((c) => core.credentials.verify(c.id))) : imported;
  const allSkipped = [...problems, ...skipped];
  const human =
    `Imported ${checked.length} profile(s) from ${credentialsFile}.\n` +
    (checked.length ? table([['NAME', 'STATUS', 'REGION'], ...checked.map((c) => [c.name, c.status, c.fields.region ?? ''])]) : '') +
    (allSkipped.length ? `Skipped ${allSkipped.length}:\n${allSkipped.map((s) => `  ${s.profile}: ${s.reason}`).join('\n')}\n` : '');
  ctx.print({ file: credentialsFile, imported: checked.map(credentialJson), skipped: allSkipped }, human);
  return EXIT.OK;
}
