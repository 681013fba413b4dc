// A tiny stand-in for the APISIX Admin API, on 127.0.0.1 and a free port.
// GET /apisix/admin/routes answers 200 {"total":0,"list":[]} for the right X-API-KEY and
// 401 {"error_msg":"failed to check token"} otherwise, like APISIX does. Other paths
// answer 404. Faults can be injected: a status for the next N requests, or a delay.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ApisixRequest {
  method: string;
  path: string;
  /** Whether the X-API-KEY matched; the key itself is never recorded. */
  authorised: boolean;
  status: number;
  startedAt: number;
  endedAt: number;
}

export interface ApisixFault {
  /** Answer with this status (and a JSON error body) instead of the normal answer. */
  status?: number;
  /** The error_msg of the injected answer (default "injected fault <status>"). */
  message?: string;
  /** Wait this long before answering. */
  delayMs?: number;
  /** How many requests the fault applies to; unlimited when absent. */
  times?: number;
}

export interface ApisixTestServer {
  url: string;
  port: number;
  adminKey: string;
  requests: ApisixRequest[];
  /** Requests being handled right now, and the most there ever were at once. */
  inFlight: number;
  maxInFlight: number;
  setFault(fault: ApisixFault | null): void;
  reset(): void;
  close(): Promise<void>;
}

export async function startApisixTestServer(opts: { adminKey?: string } = {}): Promise<ApisixTestServer> {
  const adminKey = opts.adminKey ?? 'edd1c9f034335f136f87ad84b625c8f1';
  let fault: (ApisixFault & { left: number }) | null = null;
  // Requests still running from before a reset() are not recorded after it.
  let generation = 0;
  const state: ApisixTestServer = {
    url: '',
    port: 0,
    adminKey,
    requests: [],
    inFlight: 0,
    maxInFlight: 0,
    setFault(f) {
      fault = f ? { ...f, left: f.times ?? Number.POSITIVE_INFINITY } : null;
    },
    reset() {
      generation++;
      state.requests.length = 0;
      state.maxInFlight = state.inFlight;
      fault = null;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  const handle = async (req: IncomingMessage, send: (status: number, body: unknown) => void) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const active = fault && fault.left > 0 ? fault : null;
    if (active) active.left--;
    if (active?.delayMs) await new Promise((r) => setTimeout(r, active.delayMs));
    if (active?.status) return send(active.status, { error_msg: active.message ?? `injected fault ${active.status}` });
    if (req.method !== 'GET' || path !== '/apisix/admin/routes') return send(404, { error_msg: '404 Route Not Found' });
    if (req.headers['x-api-key'] !== adminKey) return send(401, { error_msg: 'failed to check token' });
    return send(200, { total: 0, list: [] });
  };

  const server: Server = createServer((req, res) => {
    const startedAt = Date.now();
    const born = generation;
    state.inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
    const authorised = req.headers['x-api-key'] === adminKey;
    let finished = false;
    const done = (status: number) => {
      if (finished) return;
      finished = true;
      state.inFlight--;
      if (born !== generation) return;
      state.requests.push({ method: req.method ?? '', path: new URL(req.url ?? '/', 'http://x').pathname, authorised, status, startedAt, endedAt: Date.now() });
    };
    res.on('close', () => done(res.headersSent ? res.statusCode : 0));
    req.resume();
    void handle(req, (status, body) => {
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json', server: 'APISIX/3.9.0' });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.port = port;
  state.url = `http://127.0.0.1:${port}`;
  return state;
}
