import { joinLines, splitLines, type TextLines } from './text-lines';

// .env files as lines, edited in place: a variable's line is replaced (keeping an `export `
// before it), a missing one is added at the end, and every other byte (comments, blank
// lines, order, line endings) stays as the admin wrote it. Values are read as dotenv,
// docker compose and shells read them: bare (up to a ` #` comment), 'single' or "double"
// quoted.

/** A value as a .env line holds it: bare when it is plain, else double-quoted with JSON escapes. */
export function envQuote(v: string): string {
  return /^[\w./:@-]*$/.test(v) ? v : JSON.stringify(v);
}

const LINE = /^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/;

/** A variable name as a .env file and a shell accept it. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function unquote(raw: string): string {
  const v = raw.trim();
  if (v.startsWith('"')) {
    const end = v.lastIndexOf('"');
    if (end > 0) {
      try {
        return JSON.parse(v.slice(0, end + 1)) as string;
      } catch {
        return v.slice(1, end);
      }
    }
  }
  if (v.startsWith("'")) {
    const end = v.indexOf("'", 1);
    if (end > 0) return v.slice(1, end);
  }
  const comment = v.search(/\s#/);
  return (comment >= 0 ? v.slice(0, comment) : v).trim();
}

export class EnvFile {
  private constructor(private readonly text: TextLines) {}

  static parse(text: string): EnvFile {
    return new EnvFile(splitLines(text));
  }

  toString(): string {
    return joinLines(this.text);
  }

  private get lines(): string[] {
    return this.text.lines;
  }

  /** The index of the variable's last line (the one a reader keeps), or -1. */
  private indexOf(name: string): number {
    for (let i = this.lines.length - 1; i >= 0; i--) if (LINE.exec(this.lines[i])?.[2] === name) return i;
    return -1;
  }

  /** The variable's whole line as written, or null: what a rollback puts back. */
  line(name: string): string | null {
    const i = this.indexOf(name);
    return i < 0 ? null : this.lines[i];
  }

  get(name: string): string | null {
    const line = this.line(name);
    return line === null ? null : unquote(LINE.exec(line)![3]);
  }

  /** Sets the variable: its line replaced (keeping `export `), or added at the end. */
  set(name: string, value: string): void {
    const i = this.indexOf(name);
    if (i < 0) {
      this.setLine(name, `${name}=${envQuote(value)}`);
      return;
    }
    const m = LINE.exec(this.lines[i])!;
    if (unquote(m[3]) === value) return;
    this.lines[i] = `${m[1]}${name}=${envQuote(value)}`;
  }

  /** Puts a whole line back (null: the variable goes). */
  setLine(name: string, line: string | null): void {
    const i = this.indexOf(name);
    if (line === null) {
      if (i >= 0) this.lines.splice(i, 1);
    } else if (i >= 0) {
      this.lines[i] = line;
    } else {
      this.lines.push(line);
    }
  }
}
