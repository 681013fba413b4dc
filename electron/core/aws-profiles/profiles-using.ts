import type { AwsProfileUse } from '../../../shared/channels/aws-profiles';
import { readOptional } from '../import/aws-credentials';
import { IniFile } from './ini-file';

// Which AWS CLI profiles use a vault credential: those whose credential_process runs
// `keyward … credential-process CRED` (by name or id), and those that still hold its key
// in clear in either file (worth moving: see `import aws-credentials --migrate`).

/** Splits a command line as a POSIX shell (and the AWS CLI's shlex) would: quotes and backslashes. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote === "'") {
      if (ch === "'") quote = null;
      else cur += ch;
    } else if (quote === '"') {
      if (ch === '"') quote = null;
      else if (ch === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1])) cur += line[++i];
      else cur += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < line.length) {
      cur += line[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

/** The credential (id or name) a credential_process value asks keyward for, if it is keyward's. */
export function keywardCredentialOf(processLine: string): string | null {
  const words = shellWords(processLine);
  const exe = words.findIndex((w) => /(^|[/\\])keyward(\.mjs|\.cmd|\.exe)?$/.test(w));
  if (exe < 0) return null;
  const cmd = words.indexOf('credential-process', exe + 1);
  if (cmd < 0) return null;
  // The first word after the command that is not a flag (or a flag's value).
  for (let i = cmd + 1; i < words.length; i++) {
    if (words[i] === '--vault-dir' || words[i] === '--duration' || words[i] === '--mfa-serial') i++;
    else if (!words[i].startsWith('-')) return words[i];
  }
  return null;
}

function profileNameOf(section: string, inConfig: boolean): string | null {
  if (!inConfig) return section;
  if (section === 'default') return 'default';
  const m = /^profile (.+)$/.exec(section);
  return m ? m[1] : null;
}

export function profilesUsing(rec: { id: string; name: string; accessKeyId?: string }, files: { credentialsFile: string; configFile: string }): AwsProfileUse[] {
  const out: AwsProfileUse[] = [];
  for (const [file, inConfig] of [
    [files.configFile, true],
    [files.credentialsFile, false],
  ] as const) {
    const text = readOptional(file);
    if (text === null) continue;
    const ini = IniFile.parse(text);
    for (const s of ini.sections()) {
      const profile = profileNameOf(s.name, inConfig);
      if (profile === null) continue;
      const keys = ini.keys(s);
      const proc = keys.get('credential_process')?.value;
      const asked = proc !== undefined ? keywardCredentialOf(proc) : null;
      if (asked !== null && (asked === rec.name || asked === rec.id)) out.push({ profile, file, via: 'credential_process' });
      else if (rec.accessKeyId && keys.get('aws_access_key_id')?.value === rec.accessKeyId) out.push({ profile, file, via: 'plaintext' });
    }
  }
  return out;
}
