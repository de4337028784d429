import { join } from 'node:path';
import { BrowserWindow, nativeTheme, session, shell } from 'electron';
import { CONTENT_SECURITY_POLICY } from '@shared/csp';
import { installPermissionHandlers } from './permissions';

export interface WindowOptions {
  preloadPath: string;
  /** Dev server URL (electron-vite dev) or undefined for the built file. */
  devUrl: string | undefined;
  rendererFile: string;
}

/** The URL our renderer lives at; the IPC bridge trusts only frames showing it. */
export const rendererUrl = (o: WindowOptions): string => o.devUrl ?? new URL(`file://${o.rendererFile}`).href;

/** One hardened window: isolated, sandboxed, no node, strict CSP, no navigation away, no popups. */
export function createMainWindow(options: WindowOptions): BrowserWindow {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  // The microphone for our own page (voice commands); every other permission, and every other page, is refused.
  installPermissionHandlers(session.defaultSession, rendererUrl(options));
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Intelligence Desk',
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#1a1b1e' : '#ffffff',
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: true,
    },
  });
  const home = rendererUrl(options);
  win.webContents.on('will-navigate', (event, url) => {
    if (url.split('#')[0] !== home.split('#')[0]) event.preventDefault();
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.once('ready-to-show', () => win.show());
  if (options.devUrl) void win.loadURL(options.devUrl);
  else void win.loadFile(options.rendererFile);
  return win;
}

export const defaultWindowOptions = (dir: string): WindowOptions => ({
  preloadPath: join(dir, '../preload/index.cjs'),
  devUrl: process.env.ELECTRON_RENDERER_URL,
  rendererFile: join(dir, '../renderer/index.html'),
});
