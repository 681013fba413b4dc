import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { build } from 'esbuild';
import { KeywardCore, type CoreOptions } from '../../electron/core/app/core';
import { createDispatcher } from '../../electron/core/app/handlers';

// The loopback harness: the real renderer build and the real main-process handlers
// (the same dispatcher electron/main binds to ipcMain), joined by HTTP on 127.0.0.1
// with a random token instead of Electron IPC. Lets Chromium test the product where
// no Electron binary can run.

const ROOT = resolve(import.meta.dirname, '../..');
export const RENDERER_DIR = join(ROOT, 'out/renderer');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export interface Harness {
  url: string;
  token: string;
  core: KeywardCore;
  /** The bridge script to inject with page.addInitScript({ content }). */
  bridgeScript: string;
  close(): Promise<void>;
}

export async function bundleBridge(token: string): Promise<string> {
  const out = await build({
    entryPoints: [join(import.meta.dirname, 'bridge.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    write: false,
    define: { __HARNESS_TOKEN__: JSON.stringify(token) },
    logLevel: 'silent',
  });
  return out.outputFiles[0].text;
}

export async function startHarness(opts: CoreOptions & { init?: { keyProvider: 'keychain' | 'passphrase'; passphrase?: string } }): Promise<Harness> {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
    throw new Error(`No renderer build at ${RENDERER_DIR}: run \`npm run build\` first.`);
  }
  const core = new KeywardCore(opts);
  if (opts.init) await core.init(opts.init.keyProvider, opts.init.passphrase);
  else await core.start();
  const dispatch = createDispatcher(core, (msg, err) => console.error(`[harness] ${msg}`, err));
  const token = randomBytes(24).toString('hex');
  const streams = new Set<ServerResponse>();
  const offEvents = core.events.onAny((event, payload) => {
    const line = `data: ${JSON.stringify({ event, payload })}\n\n`;
    for (const s of streams) s.write(line);
  });

  const authorized = (req: IncomingMessage, url: URL): boolean => {
    const given = req.headers.authorization?.replace(/^Bearer /, '') ?? url.searchParams.get('token') ?? '';
    const a = Buffer.from(given);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    try {
      if (url.pathname.startsWith('/__harness/')) {
        // Like main's sender check: only our own page, with the token, may call in.
        const origin = req.headers.origin;
        if (!authorized(req, url) || (origin && origin !== `http://${req.headers.host}`)) {
          res.writeHead(403).end();
          return;
        }
        if (url.pathname === '/__harness/events') {
          res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
          res.write(': connected\n\n');
          streams.add(res);
          req.on('close', () => streams.delete(res));
          return;
        }
        const m = /^\/__harness\/ipc\/([\w.]+)$/.exec(url.pathname);
        if (m && req.method === 'POST') {
          const chunks: Buffer[] = [];
          for await (const c of req) chunks.push(c as Buffer);
          let body: unknown;
          try {
            body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
          } catch {
            body = undefined;
          }
          const envelope = await dispatch(m[1], body);
          res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(envelope));
          return;
        }
        res.writeHead(404).end();
        return;
      }
      serveStatic(url.pathname, res);
    } catch (e) {
      console.error('[harness] request failed', e);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const bridgeScript = await bundleBridge(token);
  return {
    url: `http://127.0.0.1:${port}/`,
    token,
    core,
    bridgeScript,
    async close() {
      offEvents();
      for (const s of streams) s.end();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await core.close();
    },
  };
}

function serveStatic(pathname: string, res: ServerResponse): void {
  const rel = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
  let file = join(RENDERER_DIR, rel || 'index.html');
  if (!file.startsWith(RENDERER_DIR) || !existsSync(file) || statSync(file).isDirectory()) file = join(RENDERER_DIR, 'index.html');
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
  createReadStream(file).pipe(res);
}
