import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

// A minimal RESP2 client: enough to send AUTH, PING and INFO and read their replies.
// Keyward needs three commands, one connection and exact control of timeouts and
// errors, so this is ~100 lines over node:net/tls instead of a client library with its
// own reconnect loop and offline queue (which would blur "refused" into "waiting").

type RespValue = string | number | null | RespError | RespValue[];

/** An error reply (`-WRONGPASS ...`): the server's answer, not a transport failure. */
export class RespError {
  constructor(readonly text: string) {}
  /** The first word: WRONGPASS, NOAUTH, NOPERM, ERR, LOADING… */
  get prefix(): string {
    return this.text.split(' ', 1)[0] ?? '';
  }
}

/** The server sent something that is not RESP: not Redis (or TLS mismatch). */
class RespProtocolError extends Error {
  readonly code = 'BadResponse';
}

function encodeCommand(args: readonly string[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = Buffer.from(a, 'utf8');
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

/** Parses one reply at `pos`; returns null when the buffer does not hold all of it yet. */
function parseReply(buf: Buffer, pos = 0): { value: RespValue; next: number } | null {
  if (pos >= buf.length) return null;
  const eol = buf.indexOf('\r\n', pos);
  if (eol < 0) {
    if (buf.length - pos > 64 * 1024) throw new RespProtocolError('A reply line is longer than 64 KiB.');
    return null;
  }
  const type = String.fromCharCode(buf[pos]!);
  const line = buf.toString('utf8', pos + 1, eol);
  switch (type) {
    case '+':
      return { value: line, next: eol + 2 };
    case '-':
      return { value: new RespError(line), next: eol + 2 };
    case ':':
      return { value: Number(line), next: eol + 2 };
    case '$': {
      const len = Number(line);
      if (!Number.isInteger(len) || len < -1 || len > 16 * 1024 * 1024) throw new RespProtocolError(`Bad bulk length "${line.slice(0, 20)}".`);
      if (len === -1) return { value: null, next: eol + 2 };
      if (buf.length < eol + 2 + len + 2) return null;
      return { value: buf.toString('utf8', eol + 2, eol + 2 + len), next: eol + 2 + len + 2 };
    }
    case '*': {
      const count = Number(line);
      if (!Number.isInteger(count) || count < -1 || count > 1024) throw new RespProtocolError(`Bad array length "${line.slice(0, 20)}".`);
      if (count === -1) return { value: null, next: eol + 2 };
      const items: RespValue[] = [];
      let next = eol + 2;
      for (let i = 0; i < count; i++) {
        const item = parseReply(buf, next);
        if (!item) return null;
        items.push(item.value);
        next = item.next;
      }
      return { value: items, next };
    }
    default:
      throw new RespProtocolError('The server did not answer in the Redis protocol (RESP).');
  }
}

export interface RespConnection {
  /** Sends one command and resolves with its reply (an error reply resolves as RespError). */
  command(args: readonly string[]): Promise<RespValue>;
  close(): void;
}

/**
 * Opens a connection; rejects with the socket's error (ECONNREFUSED, a TLS code…). With
 * TLS, `ca` (PEM certificates) replaces the system's CAs; the host name is always verified.
 */
export function openResp(opts: { host: string; port: number; tls: boolean; ca?: string[]; signal: AbortSignal }): Promise<RespConnection> {
  return new Promise((resolve, reject) => {
    const socket: Socket = opts.tls
      ? tlsConnect({ host: opts.host, port: opts.port, servername: isIP(opts.host) ? undefined : opts.host, rejectUnauthorized: true, ...(opts.ca ? { ca: opts.ca } : {}) })
      : netConnect({ host: opts.host, port: opts.port });
    let buffer: Buffer = Buffer.alloc(0);
    const waiting: Array<{ resolve: (v: RespValue) => void; reject: (e: unknown) => void }> = [];
    let failure: unknown = null;
    const fail = (e: unknown) => {
      failure ??= e;
      for (const w of waiting.splice(0)) w.reject(failure);
      socket.destroy();
    };
    const onAbort = () => fail(opts.signal.reason);
    opts.signal.addEventListener('abort', onAbort, { once: true });
    socket.on('error', (e) => {
      fail(e);
      reject(e);
    });
    socket.on('close', () => {
      opts.signal.removeEventListener('abort', onAbort);
      fail(Object.assign(new Error('The server closed the connection.'), { code: 'ECONNRESET' }));
    });
    socket.on('data', (chunk: Buffer) => {
      buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
      try {
        for (;;) {
          const reply = parseReply(buffer);
          if (!reply) break;
          buffer = buffer.subarray(reply.next);
          const w = waiting.shift();
          if (!w) throw new RespProtocolError('The server sent a reply nobody asked for.');
          w.resolve(reply.value);
        }
      } catch (e) {
        fail(e);
      }
    });
    socket.once(opts.tls ? 'secureConnect' : 'connect', () =>
      resolve({
        command: (args) =>
          new Promise<RespValue>((res, rej) => {
            if (failure) return rej(failure);
            waiting.push({ resolve: res, reject: rej });
            socket.write(encodeCommand(args));
          }),
        close: () => {
          opts.signal.removeEventListener('abort', onAbort);
          socket.destroy();
        },
      }),
    );
  });
}
