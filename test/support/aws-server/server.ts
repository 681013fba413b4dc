import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ADMIN_PREFIX, handleAdmin } from './admin';
import { dispatch, serverNow, type ServerConfig, type ServerContext } from './dispatch';
import { Faults } from './faults';
import { AwsState } from './state';
import type { RecordedRequest } from './types';

export interface AwsTestServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Delay added to every AWS response. */
  latencyMs?: number;
  /** Keys created through the IAM API are rejected for this long. Default 0. */
  propagationDelayMs?: number;
  /** Accepted distance between X-Amz-Date and the server clock. Default 15 minutes, as STS, IAM and EC2 allow. */
  clockSkewToleranceMs?: number;
  /** Puts the server's clock this far ahead of the machine's (negative: behind), to play a client with a wrong clock. */
  clockOffsetMs?: number;
}

export interface AwsTestServer {
  /** http://127.0.0.1:PORT — give it to SDK clients as `endpoint`. */
  url: string;
  port: number;
  state: AwsState;
  faults: Faults;
  /** Every AWS request seen, oldest first (never secrets). */
  requests: RecordedRequest[];
  /** Live settings; change them at any time. */
  config: ServerConfig;
  close(): Promise<void>;
}

export const DEFAULT_CLOCK_SKEW_TOLERANCE_MS = 15 * 60_000;
/** Oldest records are dropped beyond this, so long benchmarks do not grow without bound. */
const MAX_RECORDED_REQUESTS = 10_000;
const MAX_BODY_BYTES = 10 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('Request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function headerPairs(raw: string[]): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i], raw[i + 1]]);
  return pairs;
}

function splitUrl(url: string): { path: string; query: string } {
  const q = url.indexOf('?');
  return q < 0 ? { path: url, query: '' } : { path: url.slice(0, q), query: url.slice(q + 1) };
}

/** Starts the fake AWS endpoint on 127.0.0.1. Every SDK client pointed at `url` talks to it over real HTTP. */
export async function startAwsTestServer(options: AwsTestServerOptions = {}): Promise<AwsTestServer> {
  const ctx: ServerContext = {
    state: new AwsState({ propagationDelayMs: options.propagationDelayMs ?? 0 }),
    faults: new Faults(),
    requests: [],
    config: {
      latencyMs: options.latencyMs ?? 0,
      clockSkewToleranceMs: options.clockSkewToleranceMs ?? DEFAULT_CLOCK_SKEW_TOLERANCE_MS,
      clockOffsetMs: options.clockOffsetMs ?? 0,
    },
  };
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let closing = false;

  // Latency is a timer, never a busy wait, so concurrent requests are delayed in parallel.
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const record = (entry: RecordedRequest) => {
    ctx.requests.push(entry);
    if (ctx.requests.length > MAX_RECORDED_REQUESTS) ctx.requests.splice(0, ctx.requests.length - MAX_RECORDED_REQUESTS);
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch {
      return;
    }
    const { path, query } = splitUrl(req.url ?? '/');

    if (path.startsWith(ADMIN_PREFIX)) {
      const answer = handleAdmin(ctx, { method: req.method ?? 'GET', path, query: new URLSearchParams(query), body, remoteAddress: req.socket.remoteAddress });
      const json = JSON.stringify(answer.json);
      res.writeHead(answer.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
      res.end(json);
      return;
    }

    const decision = dispatch(ctx, { method: req.method ?? 'GET', path, query, headers: headerPairs(req.rawHeaders), body }, req.headers['content-type']);
    record(decision.record);
    if (decision.kind !== 'respond') {
      // drop: no response at all; timeout: held open until the client gives up or the server closes.
      if (decision.kind === 'drop') req.socket.destroy();
      return;
    }

    if (decision.delayMs > 0) await sleep(decision.delayMs);
    if (closing || res.destroyed) return;
    res.writeHead(decision.status, {
      // The SDK reads Date from responses (errors included) to correct a skewed client clock.
      date: serverNow(ctx.config).toUTCString(),
      'content-type': decision.contentType,
      ...decision.headers,
      'x-amzn-RequestId': decision.requestId,
      'content-length': Buffer.byteLength(decision.body),
    });
    res.end(decision.body);
  }

  const server = createServer((req, res) => void handle(req, res));
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  let closed: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    state: ctx.state,
    faults: ctx.faults,
    requests: ctx.requests,
    config: ctx.config,
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing = true;
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      });
      return closed;
    },
  };
}
