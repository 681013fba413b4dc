import { joinLines, splitLines } from '../text-lines';

// ~/.aws/config and ~/.aws/credentials as lines, edited in place: a migration changes
// the lines it must and keeps every other byte (comments, blank lines, order, spacing,
// line endings, nested `s3 =` blocks) as the admin wrote it. Reading follows the AWS
// CLI's rules: `[section]`, `key = value`, full-line `#` and `;` comments, indented
// continuation lines belonging to the key above.

interface IniSection {
  /** The header's name, trimmed (`profile work`, `default`, `sso-session corp`). */
  name: string;
  /** Index of the header line. */
  header: number;
  /** Index one past the section's last line. */
  end: number;
}

interface IniChange {
  section: string;
  op: 'add' | 'remove' | 'replace';
  before?: string;
  after?: string;
}

const HEADER = /^\s*\[\s*([^\]]*?)\s*\]\s*(?:[#;].*)?$/;
const KEY_LINE = /^([^\s=#;[][^=]*?)\s*=(.*)$/;

export class IniFile {
  readonly changes: IniChange[] = [];

  private constructor(
    private lines: string[],
    private readonly eol: string,
    private readonly finalNewline: boolean,
  ) {}

  static parse(text: string): IniFile {
    const { lines, eol, finalNewline } = splitLines(text);
    return new IniFile(lines, eol, finalNewline);
  }

  toString(): string {
    return joinLines({ lines: this.lines, eol: this.eol, finalNewline: this.finalNewline });
  }

  sections(): IniSection[] {
    const out: IniSection[] = [];
    this.lines.forEach((line, i) => {
      const m = HEADER.exec(line);
      if (!m) return;
      if (out.length) out[out.length - 1].end = i;
      out.push({ name: m[1].replace(/\s+/g, ' '), header: i, end: this.lines.length });
    });
    return out;
  }

  find(name: string): IniSection | undefined {
    return this.sections().find((s) => s.name === name);
  }

  /** The section's keys (lower-cased) with their line index and trimmed value; continuation lines are not keys. */
  keys(section: IniSection): Map<string, { line: number; value: string }> {
    const out = new Map<string, { line: number; value: string }>();
    for (let i = section.header + 1; i < section.end; i++) {
      const line = this.lines[i];
      if (/^\s/.test(line)) continue; // a nested value's line (`s3 =` then `  max_concurrent_requests = 20`)
      const m = KEY_LINE.exec(line);
      if (m && !out.has(m[1].trim().toLowerCase())) out.set(m[1].trim().toLowerCase(), { line: i, value: m[2].trim() });
    }
    return out;
  }

  /** Sets `key = value` in the section: replaces the key's line, or adds it after the section's last key. */
  set(section: IniSection, key: string, value: string): void {
    const line = `${key} = ${value}`;
    const existing = this.keys(section).get(key);
    if (existing) {
      if (existing.value === value) return;
      this.changes.push({ section: section.name, op: 'replace', before: this.lines[existing.line], after: line });
      this.lines[existing.line] = line;
      return;
    }
    // After the last line that is not blank or a comment, so a comment heading the next section stays with it.
    let at = section.header + 1;
    for (let i = section.header + 1; i < section.end; i++) if (this.lines[i].trim() && !/^\s*[#;]/.test(this.lines[i])) at = i + 1;
    this.lines.splice(at, 0, line);
    this.changes.push({ section: section.name, op: 'add', after: line });
  }

  /** Removes the keys' lines (and their continuation lines) from the section. */
  remove(section: IniSection, keys: string[]): void {
    const found = this.keys(section);
    const drop = new Set<number>();
    for (const key of keys) {
      const k = found.get(key);
      if (!k) continue;
      drop.add(k.line);
      for (let i = k.line + 1; i < section.end && /^\s+\S/.test(this.lines[i]); i++) drop.add(i);
      this.changes.push({ section: section.name, op: 'remove', before: this.lines[k.line] });
    }
    this.lines = this.lines.filter((_, i) => !drop.has(i));
  }

  /**
   * Drops a section left with nothing but blank lines (its header and those lines); a
   * comment inside it keeps it. Comments just above the next header belong to that one.
   */
  dropIfEmpty(name: string): void {
    const s = this.find(name);
    if (!s) return;
    let cut = s.end;
    if (cut < this.lines.length) while (cut > s.header + 1 && /^\s*[#;]/.test(this.lines[cut - 1])) cut--;
    for (let i = s.header + 1; i < cut; i++) if (this.lines[i].trim()) return;
    this.changes.push({ section: name, op: 'remove', before: this.lines[s.header] });
    this.lines.splice(s.header, cut - s.header);
    // The last section gone: no blank line is left dangling at the end of the file.
    if (s.header === this.lines.length) while (this.lines.length && !this.lines[this.lines.length - 1].trim()) this.lines.pop();
  }

  /** Adds a section at the end of the file, after one blank line. */
  append(name: string, entries: Array<[string, string]>): void {
    if (this.lines.length && this.lines[this.lines.length - 1].trim()) this.lines.push('');
    this.lines.push(`[${name}]`);
    this.changes.push({ section: name, op: 'add', after: `[${name}]` });
    for (const [k, v] of entries) {
      this.lines.push(`${k} = ${v}`);
      this.changes.push({ section: name, op: 'add', after: `${k} = ${v}` });
    }
  }
}

/** The config file's section for a profile: `[default]`, else `[profile NAME]` (the AWS CLI ignores a bare `[NAME]` there). */
export function configSectionOf(file: IniFile, profile: string): IniSection | undefined {
  return profile === 'default' ? (file.find('default') ?? file.find('profile default')) : file.find(`profile ${profile}`);
}
