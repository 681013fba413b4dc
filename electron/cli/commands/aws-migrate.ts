import type { MigrationReportView } from '../../../shared/channels/aws-profiles';
import type { CliContext } from '../context';
import { table } from '../format';
import { EXIT } from '../io';

// `keyward import aws-credentials [FILE] --migrate [--dry-run]`: the profiles move into
// the vault and the AWS files point at `keyward credential-process` (core does the work).

function human(r: MigrationReportView): string {
  const label = { import: 'import', 'in-vault': 'in the vault', skip: 'left alone' } as const;
  let out = `Profiles of ${r.credentialsFile}:\n`;
  out += table([['PROFILE', 'ACTION', 'KEY', 'WHY'], ...r.profiles.map((p) => [p.profile, label[p.action], p.accessKeyId ?? '', p.reason ?? ''])]);
  if (!r.changes.length) return `${out}Nothing to change in the files.\n`;
  out += r.dryRun ? '\nWould change (dry run: nothing was written):\n' : '\nChanged:\n';
  let where = '';
  for (const c of r.changes) {
    const at = `${c.file} [${c.section}]`;
    if (at !== where) out += `  ${(where = at)}\n`;
    if (c.before !== undefined) out += `    - ${c.before}\n`;
    if (c.after !== undefined) out += `    + ${c.after}\n`;
  }
  if (r.backups.length) out += `\nBackups (0600): ${r.backups.join(', ')}\n`;
  if (!r.dryRun) out += 'Each migrated profile now reads its key from the vault: `aws sts get-caller-identity --profile NAME` to try one.\n';
  return out;
}

export async function migrateCommand(ctx: CliContext, files: { credentialsFile: string; configFile: string }, f: { 'dry-run'?: boolean; 'no-verify'?: boolean }): Promise<number> {
  await ctx.openCore();
  const report = await ctx.call('awsProfiles.migrateFiles', {
    ...files,
    dryRun: !!f['dry-run'],
    verify: !f['no-verify'],
    ...(ctx.flags.vaultDir ? { vaultDir: ctx.vaultDir } : {}),
  });
  ctx.print(report, human(report));
  return EXIT.OK;
}
