// Hostile servers for the redaction tests: each speaks one provider's protocol well
// enough to be believed (HTTP JSON and form, Redis RESP, PostgreSQL's wire protocol,
// LDAP's BER) and puts back what it was sent, the secret included, wherever Keyward takes
// text from an answer: the identity, the error code, the message. `set()` chooses the
// place, an encoding of the reflected request (raw, JSON-escaped, base64, URL- and
// form-encoded) and how many characters of padding stand before it, so a test can move
// the secret across every truncation limit. Loopback only.
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export type Place = 'identity' | 'code' | 'message';
export const ENCODINGS = ['raw', 'json', 'base64', 'url', 'form'] as const;
export type Encoding = (typeof ENCODINGS)[number];

export interface Echo {
  place: Place;
  /** Characters of filler before the reflected request. */
  pad: number;
  encoding: Encoding;
  /** Which of the protocol's answer shapes carries the echo (e.g. JSON error vs. a plain body). */
  variant?: number;
}

export interface EchoServer {
  port: number;
  url: string;
  /** Requests answered so far. */
  readonly hits: number;
  set(echo: Echo): void;
  close(): Promise<void>;
}

export function encode(text: string, enc: Encoding): string {
  switch (enc) {
    case 'raw':
      return text;
    case 'json':
      return JSON.stringify(text).slice(1, -1);
    case 'base64':
      return Buffer.from(text, 'utf8').toString('base64');
    case 'url':
      return encodeURIComponent(text);
    case 'form':
      return new URLSearchParams([['', text]]).toString().slice(1);
  }
}

/** Filler that cannot combine with a secret into something it is not. */
export const filler = (n: number): string => '#'.repeat(n);

/** What the server reflects: the request, on one line, padded and encoded. */
function reflect(request: string, e: Echo): string {
  return filler(e.pad) + encode(request.replace(/[\r\n\0]+/g, ' '), e.encoding);
}

async function listening(server: Server | ReturnType<typeof createHttpServer>): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

function closer(server: Server | ReturnType<typeof createHttpServer>, sockets: Set<Socket>): () => Promise<void> {
  return () =>
    new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    });
}

function track(server: Server | ReturnType<typeof createHttpServer>): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return sockets;
}

const b64url = (v: string) => Buffer.from(v).toString('base64url');

/**
 * One HTTP server for the HTTP providers, told apart by path: HashiCorp Vault's
 * lookup-self (token in a header), Microsoft's and Google's token endpoints (form
 * bodies), APISIX's Admin API (key in a header).
 */
export async function startHttpEcho(): Promise<EchoServer> {
  let echo: Echo = { place: 'message', pad: 0, encoding: 'raw' };
  let hits = 0;
  const server = createHttpServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      hits++;
      const body = Buffer.concat(chunks).toString('utf8');
      const request = `${req.method} ${req.url} ${req.rawHeaders.join(' ')} ${body}`;
      const E = reflect(request, echo);
      const path = req.url ?? '';
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      const text = (status: number, value: string) => {
        res.writeHead(status, { 'content-type': 'text/plain' });
        res.end(value);
      };
      const plain = (echo.variant ?? 0) % 2 === 1;
      if (path.includes('/v1/auth/token/lookup-self')) {
        if (echo.place === 'identity') return json(200, { data: { display_name: E, policies: ['default', E], accessor: 'acc', expire_time: E, ttl: 3600 } });
        if (plain) return text(200, E); // "not like Vault": the body's excerpt is the message
        return json(403, { errors: [E, 'permission denied'] });
      }
      if (path.includes('/oauth2/v2.0/token')) {
        if (echo.place === 'identity') {
          const jwt = `${b64url(JSON.stringify({ alg: 'none' }))}.${b64url(JSON.stringify({ appid: E, tid: E }))}.sig`;
          return json(200, { access_token: jwt, token_type: 'Bearer', expires_in: 3599 });
        }
        if (echo.place === 'code') return json(401, { error: E, error_description: 'AADSTS1: refused', error_codes: [1] });
        if (plain) return text(404, E);
        return json(401, { error: 'invalid_client', error_description: `AADSTS7000215: ${E}`, error_codes: [7000215] });
      }
      if (path.includes('/apisix/admin/routes')) {
        return plain ? json(403, { message: E }) : json(401, { error_msg: E });
      }
      // Google's token endpoint (any other path).
      if (echo.place === 'code') return json(400, { error: E, error_description: 'refused' });
      if (plain) return text(404, E);
      return json(400, { error: 'invalid_grant', error_description: E });
    });
  });
  const sockets = track(server);
  const port = await listening(server);
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    get hits() {
      return hits;
    },
    set: (e) => (echo = e),
    close: closer(server, sockets),
  };
}

/** Redis: AUTH is answered with an error line that is (or starts with) the echo; INFO reports it as the version. */
export async function startRedisEcho(): Promise<EchoServer> {
  let echo: Echo = { place: 'message', pad: 0, encoding: 'raw' };
  let hits = 0;
  const server = createTcpServer((socket) => {
    let buf = Buffer.alloc(0);
    let sent = '';
    socket.on('error', () => undefined);
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      for (;;) {
        const parsed = parseRespArray(buf);
        if (!parsed) return;
        buf = buf.subarray(parsed.used);
        hits++;
        const [cmd] = parsed.args;
        // Everything this connection sent so far (AUTH's password included).
        sent = `${sent} ${parsed.args.join(' ')}`.trim();
        const E = reflect(sent, echo);
        if (/^auth$/i.test(cmd)) {
          if (echo.place === 'identity') socket.write('+OK\r\n');
          else if (echo.place === 'code' && echo.variant === 1) socket.write(`-${filler(echo.pad)}${encode(parsed.args[parsed.args.length - 1], echo.encoding)} not allowed\r\n`);
          else if (echo.place === 'code') socket.write(`-${E} invalid password\r\n`);
          else socket.write(`-ERR ${E}\r\n`);
        } else if (/^ping$/i.test(cmd)) socket.write('+PONG\r\n');
        else if (/^info$/i.test(cmd)) {
          const info = `# Server\r\nredis_version:${E.replace(/\s/g, '_')}\r\n`;
          socket.write(`$${Buffer.byteLength(info)}\r\n${info}\r\n`);
        } else socket.write('-ERR unknown command\r\n');
      }
    });
  });
  const sockets = track(server);
  const port = await listening(server);
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get hits() {
      return hits;
    },
    set: (e) => (echo = e),
    close: closer(server, sockets),
  };
}

function parseRespArray(buf: Buffer): { args: string[]; used: number } | null {
  const text = buf.toString('latin1');
  if (!text.startsWith('*')) return null;
  let pos = text.indexOf('\r\n');
  if (pos < 0) return null;
  const n = Number(text.slice(1, pos));
  pos += 2;
  const args: string[] = [];
  for (let i = 0; i < n; i++) {
    const end = text.indexOf('\r\n', pos);
    if (end < 0) return null;
    const len = Number(text.slice(pos + 1, end));
    const start = end + 2;
    if (buf.length < start + len + 2) return null;
    args.push(buf.subarray(start, start + len).toString('utf8'));
    pos = start + len + 2;
  }
  return { args, used: pos };
}

/**
 * PostgreSQL (protocol 3.0): asks for a cleartext password, then either refuses the login
 * with an ErrorResponse that echoes it (message, or SQLSTATE field), or accepts it and
 * answers the check's SELECT with the echo as current_user and server_version.
 */
export async function startPostgresEcho(): Promise<EchoServer> {
  let echo: Echo = { place: 'message', pad: 0, encoding: 'raw' };
  let hits = 0;
  const msg = (type: string, body: Buffer) => {
    const head = Buffer.alloc(5);
    head.write(type, 0, 'latin1');
    head.writeInt32BE(body.length + 4, 1);
    return Buffer.concat([head, body]);
  };
  const int32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeInt32BE(n);
    return b;
  };
  const cstr = (s: string) => Buffer.concat([Buffer.from(s, 'utf8'), Buffer.from([0])]);
  const server = createTcpServer((socket) => {
    let buf = Buffer.alloc(0);
    let started = false;
    let sent = '';
    socket.on('error', () => undefined);
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      for (;;) {
        if (!started) {
          if (buf.length < 8) return;
          const len = buf.readInt32BE(0);
          if (buf.length < len) return;
          const code = buf.readInt32BE(4);
          const startup = buf.subarray(8, len).toString('utf8');
          buf = buf.subarray(len);
          if (code === 80877103) {
            socket.write('N'); // no TLS
            continue;
          }
          started = true;
          sent = startup.replace(/\0+/g, ' ');
          socket.write(msg('R', int32(3))); // AuthenticationCleartextPassword
          continue;
        }
        if (buf.length < 5) return;
        const type = String.fromCharCode(buf[0]);
        const len = buf.readInt32BE(1);
        if (buf.length < 1 + len) return;
        const body = buf.subarray(5, 1 + len);
        buf = buf.subarray(1 + len);
        hits++;
        if (type === 'p') {
          sent = `${sent} ${body.toString('utf8').replace(/\0+$/, '')}`;
          const E = reflect(sent, echo);
          if (echo.place === 'identity') {
            socket.write(Buffer.concat([msg('R', int32(0)), msg('Z', Buffer.from('I'))]));
          } else {
            const fields =
              echo.place === 'code'
                ? Buffer.concat([Buffer.from('S'), cstr('FATAL'), Buffer.from('C'), cstr(E.slice(-5)), Buffer.from('M'), cstr(E), Buffer.from([0])])
                : Buffer.concat([Buffer.from('S'), cstr('FATAL'), Buffer.from('C'), cstr('28P01'), Buffer.from('M'), cstr(E), Buffer.from([0])]);
            socket.end(msg('E', fields));
          }
        } else if (type === 'Q') {
          const E = reflect(sent, echo);
          const cols = ['ok', 'who', 'db', 'version'];
          const desc = Buffer.concat([
            Buffer.from([0, cols.length]),
            ...cols.map((c) => Buffer.concat([cstr(c), int32(0), Buffer.from([0, 0]), int32(25), Buffer.from([0xff, 0xff]), int32(-1), Buffer.from([0, 0])])),
          ]);
          const values = ['1', E, E, E].map((v) => Buffer.from(v, 'utf8'));
          const row = Buffer.concat([Buffer.from([0, values.length]), ...values.flatMap((v) => [int32(v.length), v])]);
          socket.write(Buffer.concat([msg('T', desc), msg('D', row), msg('C', cstr('SELECT 1')), msg('Z', Buffer.from('I'))]));
        } else if (type === 'X') {
          socket.end();
        }
      }
    });
  });
  const sockets = track(server);
  const port = await listening(server);
  return {
    port,
    url: `postgres://127.0.0.1:${port}`,
    get hits() {
      return hits;
    },
    set: (e) => (echo = e),
    close: closer(server, sockets),
  };
}

// --- a little BER, enough for LDAP's bind, extended (Who am I?) and unbind ---

function berLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag: number, value: Buffer) => Buffer.concat([Buffer.from([tag]), berLength(value.length), value]);
const berInt = (tag: number, n: number) => tlv(tag, Buffer.from([n & 0xff]));
const octets = (tag: number, s: string) => tlv(tag, Buffer.from(s, 'utf8'));

function readTlv(buf: Buffer, at: number): { tag: number; start: number; end: number } | null {
  if (buf.length < at + 2) return null;
  const tag = buf[at];
  let len = buf[at + 1];
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (buf.length < start + n) return null;
    len = 0;
    for (let i = 0; i < n; i++) len = (len << 8) | buf[start + i];
    start += n;
  }
  if (buf.length < start + len) return null;
  return { tag, start, end: start + len };
}

/** LDAP: a simple bind is refused with result 49 and a diagnostic message that echoes it, or accepted and "Who am I?" answers the echo. */
export async function startLdapEcho(): Promise<EchoServer> {
  let echo: Echo = { place: 'message', pad: 0, encoding: 'raw' };
  let hits = 0;
  const server = createTcpServer((socket) => {
    let buf = Buffer.alloc(0);
    let bound = '';
    socket.on('error', () => undefined);
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      for (;;) {
        const outer = readTlv(buf, 0);
        if (!outer) return;
        const idTlv = readTlv(buf, outer.start)!;
        const messageId = buf.subarray(idTlv.start, idTlv.end).reduce((a, b) => (a << 8) | b, 0);
        const op = readTlv(buf, idTlv.end)!;
        const opBody = buf.subarray(op.start, op.end);
        buf = buf.subarray(outer.end);
        hits++;
        const reply = (tag: number, parts: Buffer[]) => socket.write(tlv(0x30, Buffer.concat([berInt(0x02, messageId), tlv(tag, Buffer.concat(parts))])));
        if (op.tag === 0x60) {
          // BindRequest: version, name, [0] simple password. Reflect what came in, as text.
          const version = readTlv(opBody, 0)!;
          const name = readTlv(opBody, version.end)!;
          const auth = readTlv(opBody, name.end)!;
          bound = `${opBody.subarray(name.start, name.end).toString('utf8')} ${opBody.subarray(auth.start, auth.end).toString('utf8')}`;
          if (echo.place === 'identity') reply(0x61, [berInt(0x0a, 0), octets(0x04, ''), octets(0x04, '')]);
          else reply(0x61, [berInt(0x0a, 49), octets(0x04, ''), octets(0x04, reflect(bound, echo))]);
        } else if (op.tag === 0x77) {
          // ExtendedRequest (Who am I?): the echo as the authorization identity.
          reply(0x78, [berInt(0x0a, 0), octets(0x04, ''), octets(0x04, ''), octets(0x8b, `dn:${reflect(bound, echo)}`)]);
        } else if (op.tag === 0x42) {
          socket.end();
        }
      }
    });
  });
  const sockets = track(server);
  const port = await listening(server);
  return {
    port,
    url: `ldap://127.0.0.1:${port}`,
    get hits() {
      return hits;
    },
    set: (e) => (echo = e),
    close: closer(server, sockets),
  };
}

/** Every run of `n` characters of a canary found in `text` (the leak measure: goal 0). */
export function canaryRuns(text: string, canary: string, n = 8): string[] {
  const found = new Set<string>();
  for (let i = 0; i + n <= canary.length; i++) {
    const run = canary.slice(i, i + n);
    if (text.includes(run)) found.add(run);
  }
  return [...found];
}
