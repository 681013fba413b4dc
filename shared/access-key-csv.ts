// The CSV the AWS console offers when an access key is created ("Download .csv file"):
//   Access key ID,Secret access key
//   AKIA…,wJal…
// Older consoles (and IAM user creation) wrote more columns:
//   User name,Password,Access key ID,Secret access key,Console login link
// Pure, so the desktop form can fill its fields from the file and the CLI can import it.

import { parseCsv } from './csv';

export interface AccessKeyFromCsv {
  accessKeyId: string;
  secretAccessKey: string;
  /** The IAM user, when the file names it (the older format). */
  userName: string | null;
}

/** Reads the console's access key CSV; throws an Error that says what is wrong (never quoting the secret). */
export function parseAccessKeyCsv(text: string): AccessKeyFromCsv {
  const rows = parseCsv(text).filter((r) => r.some((f) => f.trim() !== ''));
  const header = (rows[0] ?? []).map((h) => h.trim().toLowerCase());
  const idCol = header.indexOf('access key id');
  const secretCol = header.indexOf('secret access key');
  if (idCol < 0 || secretCol < 0) {
    throw new Error('This is not the access key file the AWS console downloads: its first line must name the columns "Access key ID" and "Secret access key".');
  }
  const data = rows.slice(1);
  if (data.length === 0) throw new Error('The access key file has its header but no key in it.');
  if (data.length > 1) throw new Error(`The access key file holds ${data.length} keys; Keyward imports one key per file.`);
  const r = data[0];
  const accessKeyId = (r[idCol] ?? '').trim();
  const secretAccessKey = (r[secretCol] ?? '').trim();
  if (!/^AKIA[A-Z0-9]{16}$/.test(accessKeyId)) throw new Error('The "Access key ID" in the file is not an IAM user access key id (20 characters, AKIA…).');
  if (secretAccessKey.length !== 40) throw new Error(`The "Secret access key" in the file is ${secretAccessKey.length} characters; AWS secret access keys are 40.`);
  const userCol = header.indexOf('user name');
  const userName = userCol >= 0 ? (r[userCol] ?? '').trim() || null : null;
  return { accessKeyId, secretAccessKey, userName };
}
