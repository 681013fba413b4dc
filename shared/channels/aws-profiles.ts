import { z } from 'zod';

// Local tools using the vault's AWS keys: which ~/.aws profiles read a credential, and
// moving plaintext profiles into the vault (the desktop's import offers it). Main reads
// and writes the AWS files at their usual places (AWS_CONFIG_FILE /
// AWS_SHARED_CREDENTIALS_FILE, else ~/.aws): the window never names a path.

const PATH = z.string().min(1).max(4096);

const AwsProfileUseSchema = z.object({
  profile: z.string(),
  file: z.string(),
  /** credential_process: the profile reads the vault; plaintext: the file still holds this key in clear. */
  via: z.enum(['credential_process', 'plaintext']),
});

export const MigrationReportSchema = z.object({
  dryRun: z.boolean(),
  credentialsFile: z.string(),
  configFile: z.string(),
  profiles: z.array(
    z.object({
      profile: z.string(),
      action: z.enum(['import', 'in-vault', 'skip']),
      reason: z.string().optional(),
      credentialId: z.string().optional(),
      /** Masked (AKIA************MPLE). */
      accessKeyId: z.string().optional(),
    }),
  ),
  /** Line by line, secrets masked. */
  changes: z.array(z.object({ file: z.string(), section: z.string(), op: z.enum(['add', 'remove', 'replace']), before: z.string().optional(), after: z.string().optional() })),
  backups: z.array(z.string()),
});

const MigrateRequest = z.object({
  /** Only show what would change. */
  dryRun: z.boolean().default(false),
  /** Check each imported credential with STS afterwards. */
  verify: z.boolean().default(true),
  /** Point the profiles at credential-process and take their keys out of the files; false: import only. */
  rewriteFiles: z.boolean().default(true),
});

export const awsProfileChannels = {
  'awsProfiles.using': { request: z.object({ credentialId: z.string().min(1).max(200) }), response: z.array(AwsProfileUseSchema) },
  'awsProfiles.migrate': { request: MigrateRequest, response: MigrationReportSchema },
} as const;

/** The credential_process answer (Version 1): it holds the secret, by design. */
export const ProcessCredentialsSchema = z.object({
  Version: z.literal(1),
  AccessKeyId: z.string(),
  SecretAccessKey: z.string(),
  SessionToken: z.string().optional(),
  Expiration: z.string().optional(),
});

/**
 * Channels for the CLI only. They are not in `channels`, so preload never builds them
 * into `window.keyward` and Electron's ipcMain refuses them (it accepts CHANNEL_NAMES
 * only): `awsProfiles.credentials` answers with a secret, which no response to the window
 * may carry; `awsProfiles.migrateFiles` names files, which the window never does.
 */
export const awsProfileCliChannels = {
  'awsProfiles.credentials': {
    request: z.object({
      credential: z.string().min(1).max(200),
      session: z.object({ durationSeconds: z.number().int(), mfaSerial: z.string().max(256).optional() }).optional(),
      tool: z.enum(['credential-process', 'exec']),
    }),
    response: ProcessCredentialsSchema,
  },
  'awsProfiles.migrateFiles': {
    request: MigrateRequest.extend({ credentialsFile: PATH, configFile: PATH, vaultDir: PATH.optional() }),
    response: MigrationReportSchema,
  },
} as const;

export type AwsProfileUse = z.output<typeof AwsProfileUseSchema>;
export type MigrationReportView = z.output<typeof MigrationReportSchema>;
