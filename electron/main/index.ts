import { app, BrowserWindow, clipboard, Menu, session } from 'electron';
import { createKeywardCore } from '../core/app/compose';
import { bindIpc } from './ipc';
import { createMainWindow, hardenSession, hardenWebContents, isTrustedSender } from './window';
import { bindPowerEvents, watchPorts } from './watch';

// Electron glue only: lifecycle, the window, IPC binding. Everything else is in core.
// userData (the vault's folder) is appData/<productName> ("Keyward", package.json), set by
// Electron before this file runs: setName here names the app, it does not move userData.
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

app.on('web-contents-created', (_e, contents) => hardenWebContents(contents));

app.whenReady().then(async () => {
  hardenSession(session.defaultSession);
  if (app.isPackaged) Menu.setApplicationMenu(null);
  const core = createKeywardCore({
    // KEYWARD_HOME, else userData: the folder the CLI's resolveVaultDir computes too.
    vaultDir: process.env.KEYWARD_HOME || app.getPath('userData'),
    passphrase: process.env.KEYWARD_PASSPHRASE || null,
    actor: 'desktop',
    clipboard: { writeText: (t) => clipboard.writeText(t), readText: () => clipboard.readText() },
    watch: watchPorts(
      () => win,
      () => core.events.emit('watch.open', {}),
    ),
  });
  bindPowerEvents(core);
  await core.start();
  bindIpc(
    core,
    () => win,
    (url) => isTrustedSender(url, devServerUrl),
  );
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
