import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IPC_INVOKE } from '../../shared/api';
import { defaultDataDir } from '../../electron/core/paths';

// The built main process (out/main/index.js, from `npx electron-vite build`) under plain
// Node, its `electron` import answered by a recording stand-in that the module loader
// injects (test/shell/stand-in); the code under test is exactly what ships.

const ROOT = resolve(import.meta.dirname, '../..');
const MAIN = join(ROOT, 'out/main/index.js');
const REGISTER = join(import.meta.dirname, 'stand-in/register.mjs');
const OUR_PAGE = pathToFileURL(join(ROOT, 'out/renderer/index.html')).href;
const PASSPHRASE = 'shell stand-in passphrase';

interface WindowState {
  options: { webPreferences: Record<string, unknown> };
  loaded: { file?: string; url?: string };
}
interface State {
  name: string;
  userData: string;
  windows: WindowState[];
  ipcChannels: string[];
  calls: { what: string; args: unknown[] }[];
}

class Shell {
  private next = 1;
  private waiting = new Map<number, (m: { ok: boolean; value?: unknown; error?: string }) => void>();
  stderr = '';
  constructor(readonly child: ChildProcess) {
    child.on('message', (m: { id: number; ok: boolean }) => this.waiting.get(m.id)?.(m));
    child.stderr?.on('data', (d) => (this.stderr += d));
  }
  ask<T>(msg: Record<string, unknown>): Promise<T> {
    const id = this.next++;
    return new Promise((res, rej) => {
      this.waiting.set(id, (m) => (m.ok ? res(m.value as T) : rej(new Error(`${m.error}\n${this.stderr}`))));
      this.child.send({ ...msg, id });
    });
  }
  stop(): Promise<void> {
    return new Promise((res) => {
      if (this.child.exitCode !== null) return res();
      this.child.once('exit', () => res());
      this.child.kill('SIGTERM');
    });
  }
}

function startShell(appData: string, extra: NodeJS.ProcessEnv = {}): Shell {
  const child = fork(MAIN, [], {
    execArgv: ['--import', REGISTER],
    env: { PATH: process.env.PATH, HOME: appData, STAND_IN_APP_DATA: appData, KEYWARD_PASSPHRASE: PASSPHRASE, ...extra },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  return new Shell(child);
}

let appData: string;
let shell: Shell;
let packaged: Shell;
let state: State;

beforeAll(async () => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npx electron-vite build\` first (npm test does).`);
  appData = mkdtempSync(join(tmpdir(), 'keyward-shell-'));
  // A vault made by the CLI in the app's data folder, found the way the CLI finds it (no KEYWARD_HOME).
  const init = spawnSync(process.execPath, [join(ROOT, 'bin/keyward.cjs'), 'init'], {
    env: { PATH: process.env.PATH, HOME: appData, XDG_CONFIG_HOME: appData, KEYWARD_PASSPHRASE: PASSPHRASE },
    encoding: 'utf8',
  });
  expect(init.status, init.stderr).toBe(0);
  shell = startShell(appData);
  packaged = startShell(mkdtempSync(join(tmpdir(), 'keyward-shell-packaged-')), { STAND_IN_PACKAGED: '1' });
  state = await shell.ask<State>({ op: 'state' });
});
afterAll(async () => {
  await shell?.stop();
  await packaged?.stop();
});

describe('the built main process', () => {
  it('starts and opens one window on our page, with a preload and a page that exist in out/', () => {
    expect(state.windows).toHaveLength(1);
    const [win] = state.windows;
    expect(win.options.webPreferences.preload).toBe(join(ROOT, 'out/preload/index.cjs'));
    expect(existsSync(win.options.webPreferences.preload as string)).toBe(true);
    expect(win.loaded.file).toBe(join(ROOT, 'out/renderer/index.html'));
    expect(existsSync(win.loaded.file!)).toBe(true);
    expect(state.ipcChannels).toEqual([IPC_INVOKE]);
  });

  it('isolates and sandboxes the page, without Node; devtools only when not packaged', async () => {
    expect(state.windows[0].options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
      webSecurity: true,
      devTools: true,
    });
    const p = await packaged.ask<State>({ op: 'state' });
    expect(p.windows[0].options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, devTools: false });
    expect(p.calls.filter((c) => c.what === 'Menu.setApplicationMenu')).toEqual([{ what: 'Menu.setApplicationMenu', args: [null] }]);
  });

  it('keeps the vault in the folder the README names (userData = appData/Keyward), the one the CLI finds', async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.productName).toBe('Keyward');
    expect(state.userData).toBe(join(appData, 'Keyward'));
    expect(state.userData).toBe(defaultDataDir({ XDG_CONFIG_HOME: appData }, 'linux'));
    const status = await shell.ask<{ ok: boolean; data: { state: string; path: string } }>({ op: 'invoke', channel: IPC_INVOKE, frameUrl: `${OUR_PAGE}#/credentials`, args: ['vault.status', {}] });
    expect(status).toMatchObject({ ok: true, data: { state: 'UNLOCKED', path: join(appData, 'Keyward', 'vault.sqlite') } });
  });

  it('answers a call from a foreign frame with FORBIDDEN_SENDER, and one from our page through the dispatcher', async () => {
    for (const frameUrl of ['https://evil.example/', 'file:///tmp/other.html', `${OUR_PAGE}/../../elsewhere.html`, undefined]) {
      const r = await shell.ask({ op: 'invoke', channel: IPC_INVOKE, frameUrl, args: ['vault.status', {}] });
      expect(r).toEqual({ ok: false, error: { code: 'FORBIDDEN_SENDER', message: expect.any(String) } });
    }
    // Ours reaches the dispatcher, which validates the request against the contract.
    const bad = await shell.ask<{ ok: boolean; error: { code: string } }>({ op: 'invoke', channel: IPC_INVOKE, frameUrl: OUR_PAGE, args: ['credentials.get', { idOrName: 42 }] });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('refuses navigation, redirects and webviews, on the window and on any other web contents', async () => {
    for (const target of ['window', 'other']) {
      expect(await shell.ask({ op: 'event', target, name: 'will-navigate', args: ['https://evil.example/'] })).toBe(true);
      expect(await shell.ask({ op: 'event', target, name: 'will-redirect', args: ['https://evil.example/'] })).toBe(true);
      expect(await shell.ask({ op: 'event', target, name: 'will-attach-webview', args: [{}, {}] })).toBe(true);
    }
  });

  it('opens no window: an https link goes to the system browser, anything else nowhere', async () => {
    for (const target of ['window', 'other']) {
      expect(await shell.ask({ op: 'window-open', target, url: 'https://docs.aws.amazon.com/IAM/' })).toEqual({ result: { action: 'deny' }, opened: ['https://docs.aws.amazon.com/IAM/'] });
      for (const url of ['http://example.com/', 'file:///etc/passwd', 'javascript:alert(1)']) {
        expect(await shell.ask({ op: 'window-open', target, url })).toEqual({ result: { action: 'deny' }, opened: [] });
      }
    }
  });

  it('grants no permission but clipboard writes', async () => {
    expect(await shell.ask({ op: 'permission', permission: 'clipboard-sanitized-write' })).toEqual({ request: true, check: true });
    for (const permission of ['clipboard-read', 'media', 'notifications', 'geolocation', 'openExternal', 'fullscreen', 'hid', 'serial']) {
      expect(await shell.ask({ op: 'permission', permission })).toEqual({ request: false, check: false });
    }
  });

  it("sends frame-ancestors 'none' as a response header, beside the page's own CSP", async () => {
    const headers = await shell.ask<Record<string, string[]>>({ op: 'headers', url: OUR_PAGE });
    expect(headers['Content-Security-Policy']).toEqual(["frame-ancestors 'none'"]);
    expect(headers['content-type']).toEqual(['text/html']);
    const html = readFileSync(join(ROOT, 'out/renderer/index.html'), 'utf8');
    expect(html).toMatch(/http-equiv="Content-Security-Policy"[^>]*script-src 'self'/);
  });

  it('locks the vault when the OS suspends (powerMonitor), as Settings say by default', async () => {
    const invoke = (channel: string, req: unknown) =>
      shell.ask<{ ok: boolean; data: { state: string } }>({ op: 'invoke', channel: IPC_INVOKE, frameUrl: `${OUR_PAGE}#/credentials`, args: [channel, req] });
    expect((await invoke('vault.status', {})).data.state).toBe('UNLOCKED');
    await shell.ask({ op: 'power', name: 'suspend' });
    await expect.poll(async () => (await invoke('vault.status', {})).data.state).toBe('LOCKED');
    expect((await invoke('vault.unlock', { passphrase: PASSPHRASE })).data.state).toBe('UNLOCKED');
  });
});
