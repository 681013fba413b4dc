import type { CheckError, Diagnosis, Identity } from '../../../shared/contract';

// The one redaction step. Everything a server sends back is untrusted: a wrong URL, a
// proxy or a test server may echo the request (a header, the form body, the password in
// its error line) into the identity, the error code or the message. Before a check's
// result is stored, printed, audited or sent to the window, it passes through here:
// every secret of the credential is removed in every form it can come back in, text is
// redacted before it is cut to its limit, and a secret's fragment left at a cut goes too.

export const REDACTED = '[redacted]';

/** The limits of what a check result may hold (characters, after redaction). */
export const LIMITS = { code: 64, message: 600, identity: 256, diagnosis: 2000 } as const;

/** A code no server-provided code shape matched: the server's own word is not kept. */
export const UNRECOGNISED_CODE = 'ServerError';

/**
 * A run of this many characters of a secret (a server cut it, or changed the encoding
 * around it) is treated as the secret, unless the run is words: letters of one case and
 * separators only, which a weak password shares with ordinary text ("not-the-redis-password"
 * holds "-passwor", as "invalid username-password pair" does). A random secret has few such runs.
 */
const RUN = 8;
const WORD = /^(?:[a-z _.-]+|[A-Z _.-]+)$/;
/** Secrets shorter than this are not searched for (two or three characters would blank out ordinary words). */
const MIN_SECRET = 4;

const SECRET_JSON_KEY = /^private_key$|secret|password|passphrase|refresh_token|^token$/i;

/** The secret values inside one stored secret field: a JSON key file's private parts, else the whole value. */
function secretParts(value: string): string[] {
  const t = value.trim();
  if (t.startsWith('{')) {
    try {
      const o = JSON.parse(t) as unknown;
      if (o && typeof o === 'object' && !Array.isArray(o)) {
        // A service account key file: its email, project and key id are public (stored in clear).
        const parts = Object.entries(o as Record<string, unknown>)
          .filter(([k, v]) => SECRET_JSON_KEY.test(k) && typeof v === 'string')
          .map(([, v]) => v as string);
        if (parts.length) return parts.flatMap(pemParts);
      }
    } catch {
      /* not JSON: the whole value is the secret */
    }
  }
  return pemParts(value);
}

/** A PEM key also comes back line by line (a flattened excerpt turns its newlines into spaces). */
function pemParts(value: string): string[] {
  if (!value.includes('-----BEGIN')) return [value];
  const lines = value.split(/\r?\n/).filter((l) => l && !l.startsWith('-----'));
  return [value, ...lines];
}

const pct = (c: string) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;

/** Every form a secret can come back in: raw, URL-encoded (both ways, both hex cases), form-encoded, JSON-escaped, base64. */
export function secretForms(secret: string): string[] {
  const forms = new Set<string>([secret]);
  const json = JSON.stringify(secret).slice(1, -1);
  const ascii = json.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  for (const f of [json, json.replaceAll('/', '\\/'), ascii, ascii.replace(/\\u([0-9a-f]{4})/g, (_m, h: string) => `\\u${h.toUpperCase()}`)]) forms.add(f);
  // URL-encoded, and encoded once more (a form body echoed inside an encoded URL or body).
  for (const text of [secret, json]) {
    for (const once of urlForms(text)) {
      forms.add(once);
      for (const twice of urlForms(once).slice(0, 3)) forms.add(twice);
    }
  }
  // base64 of each of those, alone and as the stable middle it has at any offset of a
  // longer encoded value (Basic auth's base64("user:" + password), a base64'd request).
  for (const text of [...forms]) for (const f of base64Forms(text)) forms.add(f);
  return [...forms].filter((f) => f.length >= MIN_SECRET);
}

/** encodeURIComponent, strict (~ → %7E, as a form body or a strict encoder sends it), form (space → +), encodeURI; each in both hex cases. */
function urlForms(text: string): string[] {
  const uri = encodeURIComponent(text);
  const out = [uri, uri.replace(/[!'()*~]/g, pct), new URLSearchParams([['', text]]).toString().slice(1), encodeURI(text)];
  return [...out, ...out.map((f) => f.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()))];
}

function base64Forms(text: string): string[] {
  const out: string[] = [];
  const bytes = Buffer.from(text, 'utf8');
  for (let lead = 0; lead < 3; lead++) {
    const b64 = Buffer.concat([Buffer.alloc(lead), bytes]).toString('base64');
    // Characters before `from` mix in the bytes before the secret; after `to`, the bytes after it.
    const from = Math.ceil((lead * 4) / 3);
    const to = 4 * Math.floor((lead + bytes.length) / 3);
    const middle = b64.slice(from, to);
    for (const f of lead === 0 ? [b64, b64.replace(/=+$/, ''), middle] : [middle]) out.push(f, f.replaceAll('+', '-').replaceAll('/', '_'));
  }
  return out;
}

/** Removes a credential's secrets from whatever a server sent back. */
export class Redactor {
  private readonly forms: string[];
  private runSet: Set<string> | undefined;

  constructor(secrets: Record<string, string> | string[]) {
    const values = (Array.isArray(secrets) ? secrets : Object.values(secrets)).filter((v): v is string => typeof v === 'string' && v.length >= MIN_SECRET);
    const forms = new Set<string>();
    for (const v of values) for (const part of secretParts(v)) if (part.length >= MIN_SECRET) for (const f of secretForms(part)) forms.add(f);
    // Longest first: a form that contains another is replaced whole.
    this.forms = [...forms].sort((a, b) => b.length - a.length);
  }

  /**
   * Every run of RUN characters of a form longer than RUN (built on first use: a check
   * whose result holds no text of that length never needs it). A run of words is kept
   * in the set and told apart at lookup (`isRun`), where hits are few.
   */
  private get runs(): Set<string> {
    if (this.runSet) return this.runSet;
    const runs = new Set<string>();
    for (const f of this.forms) {
      if (f.length <= RUN) continue;
      for (let i = 0; i + RUN <= f.length; i++) runs.add(f.slice(i, i + RUN));
    }
    return (this.runSet = runs);
  }

  private isRun(s: string): boolean {
    return this.runs.has(s) && !WORD.test(s);
  }

  /** The text without any secret, or any run of RUN characters of one. */
  text(s: string): string {
    if (!this.forms.length || !s) return s;
    let out = s;
    for (const f of this.forms) if (out.includes(f)) out = out.split(f).join(REDACTED);
    if (out.length < RUN || !this.runs.size) return out;
    // A part of a secret (a server's own cut, a changed encoding around it): any run of RUN characters of one.
    const hit = new Uint8Array(out.length);
    let any = false;
    for (let i = 0; i + RUN <= out.length; i++) {
      if (this.isRun(out.slice(i, i + RUN))) {
        hit.fill(1, i, i + RUN);
        any = true;
      }
    }
    if (!any) return out;
    let result = '';
    for (let i = 0; i < out.length; i++) {
      if (!hit[i]) result += out[i];
      else if (i === 0 || !hit[i - 1]) result += REDACTED;
    }
    return result;
  }

  /** Redacted, then cut to `limit` characters; a secret's start (or the marker's) left at the cut is removed. */
  clip(s: string, limit: number): string {
    const red = this.text(s);
    if (red.length <= limit) return red;
    let cut = red.slice(0, limit);
    const tail = longestTrailingPrefix(cut, [...this.forms, REDACTED]);
    if (tail) cut = cut.slice(0, -tail);
    return `${cut.trimEnd()}…`;
  }

  /** A code keeps its value only when it holds no secret and looks like a code. */
  code(code: string): string {
    if (code.length > LIMITS.code || !/^[A-Za-z0-9_.:-]+$/.test(code) || this.text(code) !== code) return UNRECOGNISED_CODE;
    return code;
  }

  error(e: CheckError): CheckError {
    return { code: this.code(e.code), message: this.clip(e.message, LIMITS.message) };
  }

  identity(identity: Identity | null): Identity | null {
    if (!identity) return identity;
    return this.deep(identity, LIMITS.identity) as Identity;
  }

  diagnosis(d: Diagnosis | null): Diagnosis | null {
    if (!d) return d;
    return this.deep(d, LIMITS.diagnosis) as Diagnosis;
  }

  /** Every string in a JSON-like value, redacted and clipped (keys too: a server may name a field after a secret). */
  deep(v: unknown, limit: number): unknown {
    if (typeof v === 'string') return this.clip(v, limit);
    if (Array.isArray(v)) return v.map((x) => this.deep(x, limit));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [this.clip(k, LIMITS.code), this.deep(x, limit)]));
    return v;
  }
}

/** The length of the longest start of any candidate that `text` ends with (a secret cut in two). */
function longestTrailingPrefix(text: string, candidates: string[]): number {
  let best = 0;
  for (const c of candidates) {
    for (let k = Math.min(c.length - 1, text.length); k > best; k--) {
      if (text.endsWith(c.slice(0, k))) {
        best = k;
        break;
      }
    }
  }
  return best;
}

/** A code taken from a server's answer: kept when it has the provider's documented shape, else `fallback`. */
export function serverCode(value: unknown, shape: RegExp, fallback: string): string {
  return typeof value === 'string' && value.length <= LIMITS.code && shape.test(value) ? value : fallback;
}
