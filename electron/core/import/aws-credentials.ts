import { homedir } from 'node:os';
import { join } from 'node:path';
import { PROVIDERS } from '../../../shared/providers';
import { AWS_REGION_CODES } from '../../../shared/regions';
import { KeywardError } from '../errors';
import { readLimited } from '../read-limited';

// AWS CLI profiles: ~/.aws/credentials (keys) and ~/.aws/config (regions), the files and
// the rules the AWS CLI uses, including AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE.
// Read with their size limit (shared/limits.ts); parsed from their text.

type IniSections = Map<string, Map<string, string>>;

/** A minimal INI reader as the AWS CLI reads these files: `[section]`, `key = value`, # and ; comments. */
function parseIni(text: string, duplicates: Set<string> = new Set()): IniSections {
  const sections: IniSections = new Map();
  let current: Map<string, string> | null = null;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
    if (header) {
      // The AWS CLI refuses a file that names a section twice (Python's configparser is strict): say which.
      if (sections.has(header[1])) duplicates.add(header[1]);
      current = sections.get(header[1]) ?? new Map();
      sections.set(header[1], current);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0 || !current) continue; // nested/continuation lines and keys before any section are ignored
    current.set(line.slice(0, eq).trim().toLowerCase(), line.slice(eq + 1).trim());
  }
  return sections;
}

export interface ProfileCandidate {
  profile: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Absent when neither file names one: the vault's default region applies (Settings). */
  region?: string;
  endpointUrl?: string;
}

export interface ProfileProblem {
  profile: string;
  reason: string;
}

export function defaultCredentialsFile(env: NodeJS.ProcessEnv = process.env): string {
  return env.AWS_SHARED_CREDENTIALS_FILE || join(homedir(), '.aws', 'credentials');
}

export function defaultConfigFile(env: NodeJS.ProcessEnv = process.env): string {
  return env.AWS_CONFIG_FILE || join(homedir(), '.aws', 'config');
}

/** A file's text, or null when it is not there; never past the AWS files' size limit (shared/limits.ts). */
export function readOptional(file: string): string | null {
  try {
    return readLimited(file, 'awsCredentials').toString('utf8');
  } catch (e) {
    if (e instanceof KeywardError) throw e;
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new KeywardError('INVALID_INPUT', `Could not read ${file}: ${(e as Error).message}`);
  }
}

/** An import's profiles: as profilesFromText, but a file with none at all (empty, binary, prose) is refused, naming it. */
export function importableProfiles(credText: string, configText: string, fileName: string): { profiles: ProfileCandidate[]; problems: ProfileProblem[] } {
  const found = profilesFromText(credText, configText);
  if (found.profiles.length === 0 && found.problems.length === 0) {
    throw new KeywardError(
      'INVALID_INPUT',
      `No profiles found in ${fileName}: an AWS credentials file has sections like [default] with aws_access_key_id and aws_secret_access_key. Nothing was imported.`,
    );
  }
  return found;
}

/** Profiles from the files' text (a migration reads each file once and edits that text), each checked. */
export function profilesFromText(credText: string, configText: string): { profiles: ProfileCandidate[]; problems: ProfileProblem[] } {
  const duplicates = new Set<string>();
  // A binary file (NUL bytes) is not an AWS credentials file, whatever brackets it happens to hold.
  const creds = credText.includes('\u0000') ? (new Map() as IniSections) : parseIni(credText, duplicates);
  const config = parseIni(configText);
  const profiles: ProfileCandidate[] = [];
  const problems: ProfileProblem[] = [];
  const keyIdField = PROVIDERS.AWS.fields.find((f) => f.key === 'accessKeyId')!;
  const secretField = PROVIDERS.AWS.fields.find((f) => f.key === 'secretAccessKey')!;
  for (const [profile, values] of creds) {
    // In the config file, profiles other than default are "[profile NAME]".
    if (duplicates.has(profile)) {
      problems.push({ profile, reason: `appears more than once in the credentials file (the AWS CLI refuses such a file); keep one [${profile}] section` });
      continue;
    }
    const cfg = config.get(profile === 'default' ? 'default' : `profile ${profile}`) ?? config.get(profile);
    const accessKeyId = values.get('aws_access_key_id') ?? '';
    const secretAccessKey = values.get('aws_secret_access_key') ?? '';
    const region = values.get('region') ?? cfg?.get('region');
    const endpointUrl = values.get('endpoint_url') ?? cfg?.get('endpoint_url');
    if (values.has('aws_session_token')) {
      problems.push({ profile, reason: 'holds temporary session credentials (aws_session_token); Keyward stores long-term IAM user keys' });
      continue;
    }
    if (!accessKeyId || !secretAccessKey) {
      const missing = [!accessKeyId && 'aws_access_key_id', !secretAccessKey && 'aws_secret_access_key'].filter(Boolean).join(' and ');
      problems.push({ profile, reason: `is missing ${missing}` });
      continue;
    }
    const keyError = keyIdField.validate(accessKeyId) ?? secretField.validate(secretAccessKey);
    if (keyError) {
      problems.push({ profile, reason: keyError });
      continue;
    }
    if (region !== undefined && !AWS_REGION_CODES.includes(region)) {
      problems.push({ profile, reason: `has unknown region "${region}"` });
      continue;
    }
    profiles.push({ profile, accessKeyId, secretAccessKey, ...(region ? { region } : {}), ...(endpointUrl ? { endpointUrl } : {}) });
  }
  return { profiles, problems };
}
