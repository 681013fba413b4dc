import { join } from 'node:path';
import { BrowserWindow, shell } from 'electron';

// The one hardened window: isolated, sandboxed, no Node in the page, no navigation away
// and no new windows. External links open in the system browser instead.
export function createMainWindow(opts: { devServerUrl?: string; isDev: boolean }): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 560,
    title: 'Keyward',
    show: false,
    webPreferences: {
      preload: join(__dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      devTools: opts.isDev,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  win.webContents.on('will-redirect', (event) => event.preventDefault());
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  if (opts.devServerUrl) void win.loadURL(opts.devServerUrl);
  else void win.loadFile(join(__dirname, '../renderer/index.html'));
  return win;
}

/** Is this frame our own page? Anything else (an injected frame, a navigated page) is refused. */
export function isTrustedSender(frameUrl: string | undefined, devServerUrl: string | undefined): boolean {
  if (!frameUrl) return false;
  if (devServerUrl) return frameUrl.startsWith(new URL(devServerUrl).origin + '/');
  const expected = new URL(`file://${join(__dirname, '../renderer/index.html')}`).href;
  return frameUrl.split('#')[0] === expected;
}
