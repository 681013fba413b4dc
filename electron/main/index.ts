import { app, BrowserWindow, clipboard, Menu, session } from 'electron';
import { createKeywardCore } from '../core/app/compose';
import { bindIpc } from './ipc';
import { createMainWindow, isTrustedSender } from './window';

// Electron glue only: lifecycle, the window, IPC binding. Everything else is in core.
app.setName('Keyward');
const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
let win: BrowserWindow | null = null;

if (!app.requestSingleInstanceLock()) app.quit();

app.on('second-instance', () => {
  if (win) {
    if (win.isMinimized()) win.restore();
    win.focus();
  }
});

app.on('web-contents-created', (_e, contents) => {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event) => event.preventDefault());
});

app.whenReady().then(async () => {
  // No permission (camera, notifications, …) is granted to the page but writing to the
  // clipboard, which the Copy buttons of test commands use (never for secrets).
  session.defaultSession.setPermissionRequestHandler((_wc, perm, cb) => cb(perm === 'clipboard-sanitized-write'));
  if (app.isPackaged) Menu.setApplicationMenu(null);
  const core = createKeywardCore({
    // KEYWARD_HOME, else userData: the folder the CLI's resolveVaultDir computes too.
    vaultDir: process.env.KEYWARD_HOME || app.getPath('userData'),
    passphrase: process.env.KEYWARD_PASSPHRASE || null,
    actor: 'desktop',
    clipboard: { writeText: (t) => clipboard.writeText(t), readText: () => clipboard.readText() },
  });
  await core.start();
  bindIpc(core, () => win, (url) => isTrustedSender(url, devServerUrl));
  win = createMainWindow({ devServerUrl, isDev: !app.isPackaged });
  win.on('closed', () => (win = null));
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) win = createMainWindow({ devServerUrl, isDev: !app.isPackaged });
  });
  app.on('before-quit', () => void core.close());
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
