import { join } from 'node:path';
import { BrowserWindow, shell, type Session, type WebContents } from 'electron';

// Window hardening, all of it, in this one file: the window is isolated and sandboxed with
// no Node in the page; no web contents (the window's, a webview's, a popup's) may navigate
// away, open a window or attach a webview; the session grants no permission but clipboard
// writes; and every response carries the CSP's frame-ancestors as a header.

/** Only as a response header does frame-ancestors work (a <meta> CSP ignores it). */
export const CSP_HEADER = "frame-ancestors 'none'";
/** The Copy buttons of test commands write to the clipboard (never a secret: main copies those). */
const ALLOWED_PERMISSIONS = new Set(['clipboard-sanitized-write']);

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
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      devTools: opts.isDev,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  if (opts.devServerUrl) void win.loadURL(opts.devServerUrl);
  else void win.loadFile(join(__dirname, '../renderer/index.html'));
  return win;
}

/** For every web contents the app creates (app 'web-contents-created'). */
export function hardenWebContents(contents: WebContents): void {
  // External https links open in the system browser; no window is ever opened here.
  contents.setWindowOpenHandler(({ url }) => {
    if (/^https:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** For the session the window uses, once the app is ready. */
export function hardenSession(ses: Session): void {
  ses.setPermissionRequestHandler((_wc, permission, callback) => callback(ALLOWED_PERMISSIONS.has(permission)));
  ses.setPermissionCheckHandler((_wc, permission) => ALLOWED_PERMISSIONS.has(permission));
  ses.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...details.responseHeaders };
    const csp = Object.keys(headers).find((k) => k.toLowerCase() === 'content-security-policy');
    // A second policy only restricts further: the page's own CSP stays as it is.
    headers[csp ?? 'Content-Security-Policy'] = [...(csp ? headers[csp] : []), CSP_HEADER];
    callback({ responseHeaders: headers });
  });
}

/** Is this frame our own page? Anything else (an injected frame, a navigated page) is refused. */
export function isTrustedSender(frameUrl: string | undefined, devServerUrl: string | undefined): boolean {
  if (!frameUrl) return false;
  if (devServerUrl) return frameUrl.startsWith(new URL(devServerUrl).origin + '/');
  const expected = new URL(`file://${join(__dirname, '../renderer/index.html')}`).href;
  return frameUrl.split('#')[0] === expected;
}
