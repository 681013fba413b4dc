import type { z } from 'zod';
import type { MigrationReportSchema } from '../../../shared/channels/aws-profiles';
import { maskKeyId } from '../../../shared/mask';
import { KeywardError } from '../errors';
import { backUp, diskWriter, removeLeftovers, type FileWriter } from '../file-replace';
import { profilesFromText, readOptional, type ProfileCandidate } from '../import/aws-credentials';
import { systemClock, type Clock } from '../ports/clock';
import { configSectionOf, IniFile } from './ini-file';

// Moves plaintext AWS profiles into the vault: each profile of ~/.aws/credentials is
// imported, then ~/.aws/config points it at `keyward credential-process "NAME"` and its
// keys leave ~/.aws/credentials. Every other line stays as it was. Both files are
// backed up first (timestamped, 0600), and each is replaced atomically (a temporary file
// in the same folder, fsynced, renamed over it): a kill at any moment leaves each file
// whole, old or new, and a second run finishes the job.

/** What a migration does or would do: each profile's action (its key id masked) and each file's changes. */
export type MigrationReport = z.output<typeof MigrationReportSchema>;
type MigrationProfile = MigrationReport['profiles'][number];

/** How the files are written: the real disk, or (in tests only) one that fails or dies half-way. */
export type MigrationFiles = FileWriter;

/** The vault's side: what it holds under a name, and the import. */
interface MigrationVault {
  existing(name: string): { id: string; accessKeyId: string } | null;
  importProfiles(profiles: ProfileCandidate[]): Array<{ profile: string; id: string } | { profile: string; error: string }>;
}

const TMP_PREFIX = '.keyward-migrate-';

export const diskFiles: MigrationFiles = diskWriter(TMP_PREFIX);

/** Quoted so that both the AWS CLI (shlex) and the SDKs (a shell) read one word. */
export function shellWord(s: string): string {
  return /^[^"\\$`!]*$/.test(s) ? `"${s}"` : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The credential_process value for a vault credential. */
export function credentialProcessCommand(name: string, vaultDir?: string): string {
  return `keyward ${vaultDir ? `--vault-dir ${shellWord(vaultDir)} ` : ''}credential-process ${shellWord(name)}`;
}

/** What a profile signs in with besides its keys: such profiles are left as they are. */
const NOT_KEYS = ['role_arn', 'source_profile', 'credential_source', 'sso_start_url', 'sso_session', 'web_identity_token_file'];
const KEY_NAMES = ['aws_access_key_id', 'aws_secret_access_key'];

const masked = (line: string | undefined): string | undefined => {
  if (line === undefined) return undefined;
  const m = /^(\s*)([^=]+?)(\s*=\s*)(.*)$/.exec(line);
  if (!m) return line;
  const key = m[2].trim().toLowerCase();
  if (key === 'aws_access_key_id') return `${m[1]}${m[2]}${m[3]}${maskKeyId(m[4].trim())}`;
  if (/secret|token|password/.test(key)) return `${m[1]}${m[2]}${m[3]}****`;
  return line;
};

/**
 * Plans (dryRun) or performs the migration of every key profile of `credentialsFile`.
 * Profiles already migrated, holding session tokens, assuming roles or using SSO are
 * reported and left alone; so is a profile whose name belongs to another key in the vault.
 */
export function migrateAwsProfiles(
  opts: { credentialsFile: string; configFile: string; dryRun: boolean; vaultDir?: string; rewriteFiles?: boolean },
  vault: MigrationVault,
  ports: { files?: MigrationFiles; clock?: Clock } = {},
): MigrationReport {
  const files = ports.files ?? diskFiles;
  const clock = ports.clock ?? systemClock;
  const credText = readOptional(opts.credentialsFile);
  if (credText === null) throw new KeywardError('INVALID_INPUT', `No AWS credentials file at ${opts.credentialsFile}. Give its path: keyward import aws-credentials FILE --migrate.`);
  const configText = readOptional(opts.configFile);
  const config = IniFile.parse(configText ?? '');
  const { profiles: candidates, problems } = profilesFromText(credText, configText ?? '');

  const report: MigrationProfile[] = problems.map((p) => ({ profile: p.profile, action: 'skip', reason: p.reason }));
  const toImport: ProfileCandidate[] = [];
  const ready: Array<{ profile: string; credentialId?: string }> = [];
  for (const c of candidates) {
    const section = configSectionOf(config, c.profile);
    const keys = section ? config.keys(section) : new Map<string, { line: number; value: string }>();
    const other = NOT_KEYS.find((k) => keys.has(k));
    if (other) {
      report.push({ profile: c.profile, action: 'skip', reason: `its config uses ${other}: left as it is` });
      continue;
    }
    const process = keys.get('credential_process')?.value;
    if (process !== undefined && process !== credentialProcessCommand(c.profile, opts.vaultDir)) {
      report.push({ profile: c.profile, action: 'skip', reason: 'its config already has a credential_process: left as it is' });
      continue;
    }
    const held = vault.existing(c.profile);
    if (held && held.accessKeyId !== c.accessKeyId) {
      report.push({ profile: c.profile, action: 'skip', reason: `the vault's credential "${c.profile}" holds another key (${maskKeyId(held.accessKeyId)}): rename one of them, then run again` });
      continue;
    }
    const entry: MigrationProfile = { profile: c.profile, action: held ? 'in-vault' : 'import', accessKeyId: maskKeyId(c.accessKeyId), ...(held ? { credentialId: held.id } : {}) };
    report.push(entry);
    if (held) ready.push({ profile: c.profile, credentialId: held.id });
    else toImport.push(c);
  }

  if (!opts.dryRun && toImport.length) {
    for (const r of vault.importProfiles(toImport)) {
      const entry = report.find((p) => p.profile === r.profile)!;
      if ('error' in r) Object.assign(entry, { action: 'skip', reason: `not imported: ${r.error}` });
      else {
        entry.credentialId = r.id;
        ready.push({ profile: r.profile, credentialId: r.id });
      }
    }
  }
  // Import only (the desktop's plain import): the files are left exactly as they are.
  const migrating = opts.rewriteFiles === false ? [] : opts.dryRun ? report.filter((p) => p.action !== 'skip').map((p) => p.profile) : ready.map((r) => r.profile);

  // The edits, on the text read above.
  const creds = IniFile.parse(credText);
  for (const profile of migrating) {
    const line = credentialProcessCommand(profile, opts.vaultDir);
    const section = configSectionOf(config, profile);
    if (section) {
      config.set(section, 'credential_process', line);
      config.remove(configSectionOf(config, profile)!, KEY_NAMES);
    } else {
      config.append(profile === 'default' ? 'default' : `profile ${profile}`, [['credential_process', line]]);
    }
    const credSection = creds.find(profile);
    if (credSection) {
      creds.remove(credSection, KEY_NAMES);
      creds.dropIfEmpty(profile);
    }
  }
  const changes = [...config.changes.map((c) => ({ ...c, file: opts.configFile })), ...creds.changes.map((c) => ({ ...c, file: opts.credentialsFile }))].map((c) => ({
    ...c,
    before: masked(c.before),
    after: masked(c.after),
  }));
  const result: MigrationReport = { dryRun: opts.dryRun, credentialsFile: opts.credentialsFile, configFile: opts.configFile, profiles: report, changes, backups: [] };
  if (opts.dryRun || changes.length === 0) return result;

  // Backups of both files first, then config (the profile then reads the vault; keys still
  // in the credentials file would win, so a kill here leaves every profile working), then
  // the credentials file.
  removeLeftovers(opts.configFile, TMP_PREFIX);
  removeLeftovers(opts.credentialsFile, TMP_PREFIX);
  for (const [file, text] of [
    [opts.credentialsFile, credText],
    [opts.configFile, configText],
  ] as const) {
    if (text !== null) result.backups.push(backUp(files, file, text, clock));
  }
  if (config.changes.length) files.writeAtomic(opts.configFile, config.toString());
  if (creds.changes.length) files.writeAtomic(opts.credentialsFile, creds.toString());
  return result;
}
