// A text file as lines, and back, byte for byte: its line ending (\n or \r\n) and whether it
// ends with one are kept. The INI and .env editors both build on it.

export interface TextLines {
  lines: string[];
  eol: string;
  finalNewline: boolean;
}

export function splitLines(text: string): TextLines {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const finalNewline = text === '' || text.endsWith('\n');
  const body = finalNewline && text !== '' ? text.slice(0, text.endsWith('\r\n') ? -2 : -1) : text;
  return { lines: text === '' ? [] : body.split(/\r?\n/), eol, finalNewline };
}

export function joinLines(t: TextLines): string {
  if (t.lines.length === 0) return '';
  return t.lines.join(t.eol) + (t.finalNewline ? t.eol : '');
}
