import { join } from 'node:path';
import { BrowserWindow, nativeTheme, session, shell, type WebPreferences } from 'electron';
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

/**
 * The window's web preferences (docs/security.md): the renderer is isolated from the preload's world, sandboxed,
 * has no Node.js, keeps web security, and may not embed <webview>s. Only the preload's narrow `api` is exposed.
 */
export const webPreferencesFor = (preloadPath: string): WebPreferences => ({
  preload: preloadPath,
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  spellcheck: true,
});

/** Every response gets the app's Content Security Policy (replacing any the response carried). */
export function withCsp(headers: Record<string, string | string[]> | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers ?? {})) if (k.toLowerCase() !== 'content-security-policy') out[k] = Array.isArray(v) ? v : [v];
  out['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
  return out;
}

/** The window may only move within its own page (hash routes); any other navigation is cancelled. */
export const isAllowedNavigation = (home: string, url: string): boolean => url.split('#')[0] === home.split('#')[0];

/** No window ever opens; an https link goes to the system browser instead. */
export function windowOpenDecision(url: string, openExternal: (url: string) => unknown): { action: 'deny' } {
  if (/^https:\/\//i.test(url)) void openExternal(url);
  return { action: 'deny' };
}

/** One hardened window: isolated, sandboxed, no node, strict CSP, no navigation away, no popups, no webviews. */
export function createMainWindow(options: WindowOptions): BrowserWindow {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withCsp(details.responseHeaders) });
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
    webPreferences: webPreferencesFor(options.preloadPath),
  });
  const home = rendererUrl(options);
  win.webContents.on('will-navigate', (event, url) => {
    if (!isAllowedNavigation(home, url)) event.preventDefault();
  });
  win.webContents.on('will-redirect', (event, url) => {
    if (!isAllowedNavigation(home, url)) event.preventDefault();
  });
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  win.webContents.setWindowOpenHandler(({ url }) => windowOpenDecision(url, (u) => shell.openExternal(u)));
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
