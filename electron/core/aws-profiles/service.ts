import type { AuditLog } from '../audit/log';
import type { CredentialService } from '../credentials/service';
import { defaultConfigFile, defaultCredentialsFile } from '../import/aws-credentials';
import { migrateAwsProfiles, type MigrationFiles, type MigrationReport } from './migrate';
import { profilesUsing } from './profiles-using';

// The AWS profile use cases behind the channels: the desktop and the CLI both go through here.

interface AwsFiles {
  credentialsFile: string;
  configFile: string;
}

/** Where the AWS CLI looks: AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE, else ~/.aws. */
export function awsFilesOf(env: NodeJS.ProcessEnv = process.env): AwsFiles {
  return { credentialsFile: defaultCredentialsFile(env), configFile: defaultConfigFile(env) };
}

export function profilesUsingCredential(credentials: CredentialService, idOrName: string, files: AwsFiles = awsFilesOf()) {
  const rec = credentials.find(idOrName);
  if (rec.provider !== 'AWS') return [];
  return profilesUsing({ id: rec.id, name: rec.name, accessKeyId: rec.fields.accessKeyId }, files);
}

/** Imports each key profile into the vault and points the files at it (or, dryRun, says what would change). */
export function migrateProfiles(
  credentials: CredentialService,
  audit: AuditLog,
  req: AwsFiles & { dryRun: boolean; verify: boolean; vaultDir?: string; rewriteFiles?: boolean },
  ports: { files?: MigrationFiles } = {},
): MigrationReport {
  const report = migrateAwsProfiles(
    req,
    {
      existing(name) {
        const rec = credentials.repo.getByName(name);
        return rec ? { id: rec.id, accessKeyId: rec.fields.accessKeyId ?? '' } : null;
      },
      importProfiles(profiles) {
        const { imported, skipped } = credentials.importAwsProfiles(profiles, { verify: req.verify });
        return [...imported.map((c) => ({ profile: c.name, id: c.id })), ...skipped.map((s) => ({ profile: s.profile, error: s.reason }))];
      },
    },
    ports,
  );
  if (!report.dryRun && report.backups.length) {
    audit.append('aws-profiles.migrated', {
      details: {
        configFile: report.configFile,
        credentialsFile: report.credentialsFile,
        profiles: report.profiles.filter((p) => p.action !== 'skip').map((p) => p.profile),
        skipped: report.profiles.filter((p) => p.action === 'skip').map((p) => ({ profile: p.profile, reason: p.reason })),
        backups: report.backups,
      },
    });
  }
  return report;
}
