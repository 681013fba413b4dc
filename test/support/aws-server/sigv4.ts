import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * AWS Signature Version 4, server side: parse what the client sent, rebuild the canonical request
 * from the bytes on the wire and recompute the signature from the secret. Header and presigned
 * (query-string) forms are both understood. `signRequest` is the client side, for raw-HTTP tests.
 */

export const ALGORITHM = 'AWS4-HMAC-SHA256';

/** The parts of an HTTP request that SigV4 covers, exactly as received. */
export interface SignableRequest {
  method: string;
  /** Path as sent on the wire (still percent-encoded), without the query. */
  path: string;
  /** Raw query string without the leading '?'. */
  query: string;
  /** Header name/value pairs as received (Node's req.rawHeaders, paired up). */
  headers: ReadonlyArray<readonly [string, string]>;
  body: Buffer;
}

export interface CredentialScope {
  accessKeyId: string;
  /** YYYYMMDD */
  date: string;
  region: string;
  service: string;
}

export interface SigV4Auth {
  location: 'header' | 'query';
  credential: CredentialScope;
  signedHeaders: string[];
  signature: string;
  /** Request time in SigV4's basic ISO-8601 form, YYYYMMDDTHHMMSSZ. */
  amzDate: string;
  securityToken?: string;
  /** Presigned requests only: validity in seconds from amzDate. */
  expiresSeconds?: number;
}

export type ParsedAuth = { kind: 'none' } | { kind: 'malformed'; message: string; scope?: Partial<CredentialScope> } | { kind: 'sigv4'; auth: SigV4Auth };

// --- small helpers ------------------------------------------------------------------------------

const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

/** RFC 3986 encoding as SigV4 wants it: encodeURIComponent plus the five characters it leaves alone. */
export function uriEscape(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function headerValues(headers: SignableRequest['headers'], name: string): string[] {
  const lower = name.toLowerCase();
  return headers.filter(([n]) => n.toLowerCase() === lower).map(([, v]) => v);
}

export function getHeader(headers: SignableRequest['headers'], name: string): string | undefined {
  const values = headerValues(headers, name);
  return values.length ? values.join(',') : undefined;
}

function parseQuery(query: string): Array<[string, string]> {
  return query
    .split('&')
    .filter((part) => part.length > 0)
    .map((part) => {
      const eq = part.indexOf('=');
      return eq < 0 ? [safeDecode(part), ''] : [safeDecode(part.slice(0, eq)), safeDecode(part.slice(eq + 1))];
    });
}

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

export function parseAmzDate(amzDate: string): Date | undefined {
  const m = AMZ_DATE.exec(amzDate);
  if (!m) return undefined;
  const date = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export function toAmzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

// --- parsing ------------------------------------------------------------------------------------

function parseCredential(value: string): { scope?: Partial<CredentialScope>; error?: string; full?: CredentialScope } {
  const parts = value.split('/');
  const [accessKeyId, date, region, service, terminator] = parts;
  const scope = { accessKeyId, date, region, service };
  if (parts.length !== 5) {
    return { scope, error: `Credential should be scoped to a valid region. ` };
  }
  if (terminator !== 'aws4_request') {
    return { scope, error: `Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'. ` };
  }
  if (!/^\d{8}$/.test(date)) return { scope, error: `Credential should be scoped to a valid date. ` };
  return { scope, full: { accessKeyId, date, region, service } };
}

function requestDate(req: SignableRequest): string | undefined {
  const amz = getHeader(req.headers, 'x-amz-date');
  if (amz !== undefined) return amz.trim();
  const date = getHeader(req.headers, 'date');
  if (date === undefined) return undefined;
  const parsed = new Date(date);
  return Number.isNaN(parsed.getTime()) ? date : toAmzDate(parsed);
}

function parseHeaderAuth(req: SignableRequest, authorization: string): ParsedAuth {
  const trimmed = authorization.trim();
  if (!trimmed.startsWith(`${ALGORITHM} `)) {
    return {
      kind: 'malformed',
      message: `Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=${trimmed.split(' ')[0]}`,
    };
  }
  const fields = new Map<string, string>();
  for (const part of trimmed.slice(ALGORITHM.length + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const missing = ['Credential', 'Signature', 'SignedHeaders'].filter((name) => !fields.get(name)).map((name) => `Authorization header requires '${name}' parameter. `);
  const amzDate = requestDate(req);
  if (amzDate === undefined) missing.push(`Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. `);
  const credential = parseCredential(fields.get('Credential') ?? '');
  if (missing.length) {
    return { kind: 'malformed', message: `${missing.join('')}Authorization=${trimmed}`, scope: credential.scope };
  }
  if (!credential.full) {
    return { kind: 'malformed', message: `${credential.error}Authorization=${trimmed}`, scope: credential.scope };
  }
  return {
    kind: 'sigv4',
    auth: {
      location: 'header',
      credential: credential.full,
      signedHeaders: (fields.get('SignedHeaders') ?? '').split(';').map((h) => h.toLowerCase()),
      signature: (fields.get('Signature') ?? '').toLowerCase(),
      amzDate: amzDate as string,
      securityToken: getHeader(req.headers, 'x-amz-security-token'),
    },
  };
}

function parseQueryAuth(params: Map<string, string>): ParsedAuth {
  const missing = ['X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'X-Amz-Date'].filter((n) => !params.get(n));
  const credential = parseCredential(params.get('X-Amz-Credential') ?? '');
  if (params.get('X-Amz-Algorithm') !== ALGORITHM) {
    return { kind: 'malformed', message: `X-Amz-Algorithm only supports "${ALGORITHM}"`, scope: credential.scope };
  }
  if (missing.length) {
    return { kind: 'malformed', message: missing.map((n) => `AWS query-string parameters must include '${n}'. `).join('') + 'Re-examine the query-string parameters.', scope: credential.scope };
  }
  if (!credential.full) return { kind: 'malformed', message: credential.error ?? 'Invalid credential', scope: credential.scope };
  const expires = params.get('X-Amz-Expires');
  return {
    kind: 'sigv4',
    auth: {
      location: 'query',
      credential: credential.full,
      signedHeaders: (params.get('X-Amz-SignedHeaders') ?? '').split(';').map((h) => h.toLowerCase()),
      signature: (params.get('X-Amz-Signature') ?? '').toLowerCase(),
      amzDate: params.get('X-Amz-Date') as string,
      securityToken: params.get('X-Amz-Security-Token'),
      ...(expires !== undefined ? { expiresSeconds: Number(expires) } : {}),
    },
  };
}

/** Finds and parses SigV4 authentication in the Authorization header or, failing that, the query string. */
export function parseSigV4(req: SignableRequest): ParsedAuth {
  const authorization = getHeader(req.headers, 'authorization');
  if (authorization !== undefined) return parseHeaderAuth(req, authorization);
  const params = new Map(parseQuery(req.query));
  if (params.has('X-Amz-Algorithm') || params.has('X-Amz-Credential') || params.has('X-Amz-Signature')) {
    return parseQueryAuth(params);
  }
  return { kind: 'none' };
}

// --- canonical request and signature ------------------------------------------------------------

/** The path as the SDK canonicalises it for every service but S3: dot segments resolved, then URI-encoded once more. */
function canonicalPath(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment.length === 0 || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const normalized = `${path.startsWith('/') ? '/' : ''}${segments.join('/')}${segments.length > 0 && path.endsWith('/') ? '/' : ''}`;
  return uriEscape(normalized).replace(/%2F/g, '/');
}

function canonicalQuery(query: string, excludeSignature: boolean): string {
  return parseQuery(query)
    .filter(([key]) => !(excludeSignature && key === 'X-Amz-Signature'))
    .map(([key, value]) => [uriEscape(key), uriEscape(value)] as const)
    .sort(([ka, va], [kb, vb]) => (ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

function canonicalHeaders(req: SignableRequest, signedHeaders: readonly string[]): string {
  return signedHeaders
    .map((name) => {
      const value = headerValues(req.headers, name)
        .map((v) => v.trim().replace(/\s+/g, ' '))
        .join(',');
      return `${name}:${value}\n`;
    })
    .join('');
}

function payloadHash(req: SignableRequest): string {
  return getHeader(req.headers, 'x-amz-content-sha256') ?? sha256Hex(req.body);
}

export function canonicalRequest(req: SignableRequest, auth: Pick<SigV4Auth, 'signedHeaders' | 'location'>): string {
  return [
    req.method.toUpperCase(),
    canonicalPath(req.path),
    canonicalQuery(req.query, auth.location === 'query'),
    canonicalHeaders(req, auth.signedHeaders),
    auth.signedHeaders.join(';'),
    payloadHash(req),
  ].join('\n');
}

export const scopeString = (c: CredentialScope): string => `${c.date}/${c.region}/${c.service}/aws4_request`;

export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return [ALGORITHM, amzDate, scope, sha256Hex(canonical)].join('\n');
}

export function deriveSigningKey(secretAccessKey: string, c: Pick<CredentialScope, 'date' | 'region' | 'service'>): Buffer {
  const kDate = hmac(`AWS4${secretAccessKey}`, c.date);
  const kRegion = hmac(kDate, c.region);
  const kService = hmac(kRegion, c.service);
  return hmac(kService, 'aws4_request');
}

export function computeSignature(req: SignableRequest, auth: SigV4Auth, secretAccessKey: string): string {
  const canonical = canonicalRequest(req, auth);
  const toSign = stringToSign(auth.amzDate, scopeString(auth.credential), canonical);
  return createHmac('sha256', deriveSigningKey(secretAccessKey, auth.credential)).update(toSign, 'utf8').digest('hex');
}

/** Constant-time comparison of the client's signature with the one recomputed from the secret. */
export function verifySignature(req: SignableRequest, auth: SigV4Auth, secretAccessKey: string): boolean {
  const expected = Buffer.from(computeSignature(req, auth, secretAccessKey), 'utf8');
  const actual = Buffer.from(auth.signature, 'utf8');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

// --- client side, for raw-HTTP tests ------------------------------------------------------------

export interface SignInput {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  region: string;
  service: string;
  date?: Date;
}

/** Signs a request the way the AWS SDK does (header form) and returns the headers to send. */
export function signRequest(input: SignInput): Record<string, string> {
  const amzDate = toAmzDate(input.date ?? new Date());
  const headers: Record<string, string> = { ...input.headers, host: input.url.host, 'x-amz-date': amzDate };
  if (input.sessionToken) headers['x-amz-security-token'] = input.sessionToken;
  const signedHeaders = Object.keys(headers)
    .map((h) => h.toLowerCase())
    .sort();
  const credential: CredentialScope = {
    accessKeyId: input.accessKeyId,
    date: amzDate.slice(0, 8),
    region: input.region,
    service: input.service,
  };
  const req: SignableRequest = {
    method: input.method,
    path: input.url.pathname,
    query: input.url.search.replace(/^\?/, ''),
    headers: Object.entries(headers),
    body: Buffer.from(input.body, 'utf8'),
  };
  const auth: SigV4Auth = { location: 'header', credential, signedHeaders, signature: '', amzDate };
  const signature = computeSignature(req, auth, input.secretAccessKey);
  headers.authorization = `${ALGORITHM} Credential=${input.accessKeyId}/${scopeString(credential)}, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`;
  return headers;
}
