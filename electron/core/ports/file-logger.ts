import { appendFileSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isKeywardError } from '../errors';
import { isoNow, systemClock, type Clock } from './clock';
import type { LogRedaction, Logger } from './logger';

// The desktop's log: one file in its data folder, capped in size, with a couple of older
// generations beside it (keyward.log.1, keyward.log.2). Created on the first line, 0600.

const LOG_FILE = join('logs', 'keyward.log');
const LOG_MAX_BYTES = 1024 * 1024;
const LOG_GENERATIONS = 2;

export function logFilePath(dataDir: string): string {
  return join(dataDir, LOG_FILE);
}

/**
 * What of an error the log keeps, redacted the way errors shown to people are: a
 * KeywardError's code and message (written for people, never holding a secret); of any
 * other error only its name, its code (SQLITE_BUSY, ENOSPC…) and its stack frames: its
 * message may quote input or a secret, so it is kept only when the caller, who knows the
 * secrets at hand, passes their redaction (and then through it, cut to 1,000 characters).
 */
export function describeForLog(err: unknown, redact?: (text: string) => string): string {
  if (isKeywardError(err)) return `${err.code}: ${err.message}`;
  if (!(err instanceof Error)) return `a thrown ${err === null ? 'null' : typeof err}`;
  const code = (err as { code?: unknown }).code;
  const frames = (err.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l));
  const message = redact && err.message ? `: ${redact(err.message).slice(0, 1000)}` : '';
  return [`${err.name}${typeof code === 'string' ? ` (${code})` : ''}${message}`, ...frames].join('\n');
}

interface FileLoggerOptions {
  maxBytes?: number;
  generations?: number;
  clock?: Clock;
  /** A last pass over every line before it is written (the shared secret redaction). */
  redact?: (text: string) => string;
}

export function fileLogger(file: string, opts: FileLoggerOptions = {}): Logger {
  const maxBytes = opts.maxBytes ?? LOG_MAX_BYTES;
  const generations = opts.generations ?? LOG_GENERATIONS;
  const clock = opts.clock ?? systemClock;
  const redact = opts.redact ?? ((t: string) => t);

  const rotate = () => {
    rmSync(`${file}.${generations}`, { force: true });
    for (let g = generations - 1; g >= 1; g--) {
      try {
        renameSync(`${file}.${g}`, `${file}.${g + 1}`);
      } catch {
        /* that generation does not exist yet */
      }
    }
    renameSync(file, `${file}.1`);
  };

  const write = (level: string, message: string, err?: unknown, opts: LogRedaction = {}) => {
    const line = `${isoNow(clock)} ${level} ${message}${err === undefined ? '' : `: ${describeForLog(err, opts.redact)}`}\n`;
    const text = redact(opts.redact ? opts.redact(line) : line);
    try {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      let size = 0;
      try {
        size = statSync(file).size;
      } catch {
        /* no log yet */
      }
      if (size > 0 && size + Buffer.byteLength(text) > maxBytes) rotate();
      appendFileSync(file, text, { mode: 0o600 });
    } catch {
      // A log that cannot be written (disk full, read-only folder) must not break the work it describes.
    }
  };

  return {
    error: (m, e, o) => write('ERROR', m, e, o),
    warn: (m, e, o) => write('WARN', m, e, o),
    info: (m) => write('INFO', m),
    location: file,
  };
}
