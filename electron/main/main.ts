/** Electron main: the window with secure defaults, the engine host in a utility process, IPC and menus. */
import { app, BrowserWindow, session, shell } from 'electron';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { appRoot, appVersion, outDir, samplePath } from '../engine/host/app-paths';
import { EngineClient } from '../engine/host/engine-client';
import { CSP } from '../../shared/security/csp';
import { registerIpc } from './ipc';
import { installMenu } from './menu';
import { utilityTransport } from './utility-transport';

const root = app.isPackaged ? process.resourcesPath : appRoot(__dirname);
const built = app.isPackaged ? path.join(app.getAppPath(), 'out') : outDir(root);
const rendererIndex = path.join(built, 'renderer', 'index.html');
const rendererUrl = pathToFileURL(rendererIndex).href;
const rendererDirUrl = pathToFileURL(path.dirname(rendererIndex)).href + '/';

let mainWindow: BrowserWindow | undefined;

function isTrustedUrl(url: string): boolean {
  return url.startsWith(rendererDirUrl);
}

/** The model passed on the command line (file association, `deploy-studio-app model.onnx`). */
function modelFromArgs(argv: string[]): string | undefined {
  return argv.slice(app.isPackaged ? 1 : 2).find((a) => /\.onnx$/i.test(a));
}

function createWindow(initialModel?: string): void {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: 'Deploy Studio',
    backgroundColor: '#1c2127',
    show: false,
    webPreferences: {
      preload: path.join(built, 'preload', 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  mainWindow = win;
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = undefined;
  });
  win.webContents.on('will-navigate', (event, url) => {
    if (url !== win.webContents.getURL()) event.preventDefault();
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  const query: Record<string, string> = {};
  if (initialModel) query.model = path.resolve(initialModel);
  void win.loadFile(rendererIndex, { query });
}

app.enableSandbox();
const gotLock = app.requestSingleInstanceLock();
if (!gotLock) app.quit();

app.on('second-instance', (_e, argv) => {
  const model = modelFromArgs(argv);
  if (mainWindow) {
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
    if (model) mainWindow.webContents.send('studio:menu', 'open-path', path.resolve(model));
  }
});

app.on('open-file', (event, file) => {
  event.preventDefault();
  if (mainWindow) mainWindow.webContents.send('studio:menu', 'open-path', file);
  else app.whenReady().then(() => createWindow(file));
});

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

void app.whenReady().then(() => {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  const client = new EngineClient(() => utilityTransport(path.join(built, 'engine', 'engine-host.cjs')), {
    dataDir: app.getPath('userData'),
    samplePath: app.isPackaged ? path.join(process.resourcesPath, 'assets', 'samples', 'fashion-mnist', 'fashion-cnn.onnx') : samplePath(root),
    appVersion: app.isPackaged ? app.getVersion() : appVersion(root),
  });
  client.start();
  client.onEvent((event) => mainWindow?.webContents.send('studio:event', event));
  registerIpc(client, isTrustedUrl, () => mainWindow);
  installMenu(() => mainWindow);
  createWindow(modelFromArgs(process.argv));
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
  app.on('before-quit', () => client.dispose());
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

export { rendererUrl };
