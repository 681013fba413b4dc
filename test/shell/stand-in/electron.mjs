// A recording stand-in for the `electron` module, for running the built main process under
// plain Node. It models what main relies on: Electron's start-up (the app's name from
// package.json's productName, else its name, and userData = appData/<name>, both before
// main runs), app events, BrowserWindow and its webContents, ipcMain, the default
// session's permission and webRequest hooks, shell, clipboard, Menu, and powerMonitor, net
// and Notification for keeping watch. It records every
// call; drive() lets the test act as Electron would (a frame invoking IPC, a navigation,
// a permission request, a response's headers) and read the recording back.
import { EventEmitter } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const calls = [];
const record = (what, ...args) => calls.push({ what, args: JSON.parse(JSON.stringify(args ?? null) ?? 'null') });

function appPackage() {
  // Electron reads the package.json of the app folder: the nearest one above the main script.
  let dir = dirname(process.argv[1]);
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
}

const pkg = appPackage();
const paths = { appData: process.env.STAND_IN_APP_DATA, temp: process.env.TMPDIR ?? '/tmp' };
let appName = (pkg.productName ?? pkg.name).trim();
paths.userData = join(paths.appData, appName);

class App extends EventEmitter {
  isPackaged = process.env.STAND_IN_PACKAGED === '1';
  get name() {
    return appName;
  }
  set name(v) {
    this.setName(v);
  }
  setName(v) {
    record('app.setName', v);
    appName = v;
  }
  getName() {
    return appName;
  }
  getPath(name) {
    if (!(name in paths)) throw new Error(`stand-in: no path ${name}`);
    return paths[name];
  }
  setPath(name, value) {
    record('app.setPath', name, value);
    paths[name] = value;
  }
  requestSingleInstanceLock() {
    return true;
  }
  quit() {
    record('app.quit');
  }
  whenReady() {
    return ready;
  }
}
export const app = new App();
let markReady;
const ready = new Promise((r) => (markReady = r));
// Ready once main's top level has run, as Electron's 'ready' comes after the main script.
setImmediate(() => {
  app.emit('ready');
  markReady();
});

let nextId = 1;
class WebContents extends EventEmitter {
  id = nextId++;
  windowOpenHandler = null;
  session = session.defaultSession;
  setWindowOpenHandler(fn) {
    this.windowOpenHandler = fn;
  }
  send(channel, ...args) {
    record('webContents.send', channel, ...args);
  }
}
const allContents = [];
function newContents() {
  const c = new WebContents();
  allContents.push(c);
  app.emit('web-contents-created', { preventDefault() {} }, c);
  return c;
}

const windows = [];
export class BrowserWindow extends EventEmitter {
  constructor(options) {
    super();
    this.options = options;
    this.loaded = null;
    windows.push(this);
    this.webContents = newContents();
  }
  static getAllWindows() {
    return windows.filter((w) => !w.destroyed);
  }
  loadFile(file) {
    this.loaded = { file };
    return Promise.resolve();
  }
  loadURL(url) {
    this.loaded = { url };
    return Promise.resolve();
  }
  show() {}
  focus() {}
  restore() {}
  isMinimized() {
    return false;
  }
  isDestroyed() {
    return !!this.destroyed;
  }
}

const handlers = new Map();
export const ipcMain = {
  handle(channel, fn) {
    if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    handlers.set(channel, fn);
  },
  removeHandler(channel) {
    handlers.delete(channel);
  },
  on() {},
};

const sessionHooks = { permissionRequest: null, permissionCheck: null, headersReceived: [] };
export const session = {
  defaultSession: {
    setPermissionRequestHandler(fn) {
      sessionHooks.permissionRequest = fn;
    },
    setPermissionCheckHandler(fn) {
      sessionHooks.permissionCheck = fn;
    },
    webRequest: {
      onHeadersReceived(filterOrFn, maybeFn) {
        sessionHooks.headersReceived.push(maybeFn ?? filterOrFn);
      },
    },
  },
};

export const shell = {
  openExternal(url) {
    record('shell.openExternal', url);
    return Promise.resolve();
  },
};
let clip = '';
export const clipboard = {
  writeText(t) {
    clip = t;
  },
  readText() {
    return clip;
  },
};
export const Menu = {
  setApplicationMenu(menu) {
    record('Menu.setApplicationMenu', menu);
  },
};
// Keeping watch: the idle time and power events, the network state, OS notifications.
class PowerMonitor extends EventEmitter {
  idleSeconds = 0;
  getSystemIdleTime() {
    return this.idleSeconds;
  }
}
export const powerMonitor = new PowerMonitor();
export const net = {
  online: true,
  isOnline() {
    return this.online;
  },
};
export class Notification extends EventEmitter {
  static isSupported() {
    return true;
  }
  constructor(options) {
    super();
    this.options = options;
  }
  show() {
    record('Notification.show', this.options);
  }
}
export const contextBridge = {};
export const ipcRenderer = {};
export default { app, BrowserWindow, ipcMain, session, shell, clipboard, Menu, powerMonitor, net, Notification, contextBridge, ipcRenderer };

/** Emits one webContents event the way Electron does; true if a listener prevented it. */
function emitPreventable(contents, name, ...args) {
  let prevented = false;
  contents.emit(name, { preventDefault: () => (prevented = true), url: args[0] }, ...args);
  return prevented;
}

/** What the test asks for, as Electron would do it. */
export async function drive(msg) {
  await ready;
  // Let main's whenReady() callback finish (it awaits the core's start).
  for (let i = 0; i < 1000 && windows.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
  const win = windows[0];
  switch (msg.op) {
    case 'state':
      return {
        name: appName,
        userData: paths.userData,
        windows: windows.map((w) => ({ options: w.options, loaded: w.loaded })),
        ipcChannels: [...handlers.keys()],
        calls,
        hooks: { permissionRequest: !!sessionHooks.permissionRequest, permissionCheck: !!sessionHooks.permissionCheck, headersReceived: sessionHooks.headersReceived.length },
      };
    case 'invoke': {
      const fn = handlers.get(msg.channel);
      if (!fn) throw new Error(`no handler for ${msg.channel}`);
      return fn({ sender: win.webContents, senderFrame: { url: msg.frameUrl } }, ...msg.args);
    }
    case 'event': {
      // On the window's contents, or on another one (a webview's, say) created now.
      const contents = msg.target === 'other' ? newContents() : win.webContents;
      return emitPreventable(contents, msg.name, ...(msg.args ?? []));
    }
    case 'window-open': {
      const contents = msg.target === 'other' ? newContents() : win.webContents;
      const before = calls.length;
      const result = contents.windowOpenHandler ? contents.windowOpenHandler({ url: msg.url }) : { action: 'allow' };
      return {
        result,
        opened: calls
          .slice(before)
          .filter((c) => c.what === 'shell.openExternal')
          .map((c) => c.args[0]),
      };
    }
    case 'permission': {
      const request = await new Promise((res) => (sessionHooks.permissionRequest ? sessionHooks.permissionRequest(win.webContents, msg.permission, res, {}) : res(true)));
      const check = sessionHooks.permissionCheck ? sessionHooks.permissionCheck(win.webContents, msg.permission, 'file://', {}) : true;
      return { request, check };
    }
    case 'headers': {
      let headers = { 'content-type': ['text/html'] };
      for (const fn of sessionHooks.headersReceived) {
        headers = await new Promise((res) => fn({ url: msg.url, resourceType: msg.resourceType ?? 'mainFrame', responseHeaders: headers }, (r) => res(r.responseHeaders ?? headers)));
      }
      return headers;
    }
    case 'power': {
      // A power event as the OS sends it (suspend, lock-screen, resume, unlock-screen).
      powerMonitor.emit(msg.name);
      return true;
    }
    default:
      throw new Error(`stand-in: unknown op ${msg.op}`);
  }
}
