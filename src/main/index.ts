/**
 * Electron entry: builds the core with Electron's adapters (paths, safeStorage, bundled worker, the Electron-ABI
 * SQLite binding), bridges it to the renderer over IPC, and opens the window. Everything else lives in the core.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { app, BrowserWindow, ipcMain, safeStorage, shell } from 'electron';
import { createCore, type Core } from './core/createCore';
import { createLogger } from './core/logger';
import { PRODUCT_NAME } from './core/paths';
import { registerIpcBridge, trustedSenderCheck } from './electron/ipcBridge';
import { electronDataDir, electronSqliteBinding } from './electron/paths';
import { electronCipher } from './electron/secrets';
import { electronEngineLauncher } from './electron/voiceEngine';
import { createMainWindow, defaultWindowOptions, rendererUrl } from './electron/window';

app.setName(PRODUCT_NAME);
if (!app.requestSingleInstanceLock()) app.quit();

let core: Core | null = null;

async function start(): Promise<void> {
  const dataDir = electronDataDir(process.argv, app.getPath('userData'));
  core = createCore({
    host: 'electron',
    appVersion: app.getVersion(),
    dataDir,
    logger: createLogger({ file: join(dataDir, 'logs', 'app.log'), console: !app.isPackaged }),
    secrets: electronCipher(safeStorage, join(dataDir, 'secret.key')),
    launchWorker: (options) => new Worker(join(import.meta.dirname, 'worker.js'), options),
    launchVoiceEngine: electronEngineLauncher(join(import.meta.dirname, 'voiceEngine.js')),
    shell: { openPath: (p) => shell.openPath(p), showItemInFolder: (p) => shell.showItemInFolder(p) },
    sqliteNativeBinding: electronSqliteBinding({ isPackaged: app.isPackaged, resourcesPath: process.resourcesPath, appPath: app.getAppPath(), abi: process.versions.modules }),
  });
  const windowOptions = defaultWindowOptions(import.meta.dirname);
  registerIpcBridge({
    ipcMain,
    core,
    isTrustedSender: trustedSenderCheck(rendererUrl(windowOptions)),
    targets: () => BrowserWindow.getAllWindows().map((w) => w.webContents),
  });
  createMainWindow(windowOptions);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow(windowOptions);
  });
}

app.on('second-instance', () => {
  const win = BrowserWindow.getAllWindows()[0];
  if (win) {
    if (win.isMinimized()) win.restore();
    win.focus();
  }
});
app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
let quitting = false;
app.on('before-quit', (event) => {
  if (quitting || !core) return;
  // Let running jobs roll back and the databases checkpoint before exiting.
  event.preventDefault();
  quitting = true;
  void core.dispose().finally(() => app.quit());
});

app.whenReady().then(start, (error: unknown) => {
  console.error(error);
  app.exit(1);
});
