import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it, vi } from 'vitest';

/**
 * The Electron security test (issue 13 §4): the window and session configuration the app really uses, read by
 * running createMainWindow against a mocked `electron` module (no Electron binary needed), plus the permission
 * handler and the IPC sender check it installs. docs/security.md cites these cases.
 */

interface Captured {
  options: Record<string, unknown> | null;
  events: Map<string, (...args: unknown[]) => void>;
  openHandler: ((d: { url: string }) => { action: string }) | null;
  headersListener: ((details: { responseHeaders?: Record<string, string[]> }, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void) | null;
  permissionRequest: ((...args: unknown[]) => void) | null;
  permissionCheck: ((...args: unknown[]) => boolean) | null;
  opened: string[];
  loaded: string[];
}

const captured: Captured = { options: null, events: new Map(), openHandler: null, headersListener: null, permissionRequest: null, permissionCheck: null, opened: [], loaded: [] };

vi.mock('electron', () => {
  class BrowserWindow {
    webContents = {
      on: (name: string, fn: (...args: unknown[]) => void) => captured.events.set(name, fn),
      setWindowOpenHandler: (fn: Captured['openHandler']) => (captured.openHandler = fn),
    };
    constructor(options: Record<string, unknown>) {
      captured.options = options;
    }
    once(): void {}
    show(): void {}
    loadURL(url: string): Promise<void> {
      captured.loaded.push(url);
      return Promise.resolve();
    }
    loadFile(file: string): Promise<void> {
      captured.loaded.push(file);
      return Promise.resolve();
    }
    static getAllWindows(): BrowserWindow[] {
      return [];
    }
  }
  return {
    BrowserWindow,
    nativeTheme: { shouldUseDarkColors: false },
    shell: { openExternal: (url: string) => captured.opened.push(url) },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: (fn: Captured['headersListener']) => (captured.headersListener = fn) },
        setPermissionRequestHandler: (fn: Captured['permissionRequest']) => (captured.permissionRequest = fn),
        setPermissionCheckHandler: (fn: Captured['permissionCheck']) => (captured.permissionCheck = fn),
      },
    },
  };
});

const RENDERER = '/opt/app/out/renderer/index.html';
const APP_URL = `file://${RENDERER}`;

describe('Electron window and session configuration', () => {
  beforeAll(async () => {
    const { createMainWindow } = await import('../../../src/main/electron/window');
    createMainWindow({ preloadPath: '/opt/app/out/preload/index.cjs', devUrl: undefined, rendererFile: RENDERER });
  });

  it('webPreferences: context isolation, sandbox, no Node anywhere, web security, no webview, our preload', () => {
    const prefs = captured.options?.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: '/opt/app/out/preload/index.cjs',
    });
    expect(prefs).not.toHaveProperty('enableRemoteModule');
    expect(captured.loaded).toEqual([RENDERER]);
  });

  it('every response carries the strict CSP, replacing one the response brought', async () => {
    const { CONTENT_SECURITY_POLICY } = await import('../../../src/shared/csp');
    let out: Record<string, string[]> = {};
    captured.headersListener!({ responseHeaders: { 'content-security-policy': ["default-src *; script-src 'unsafe-eval'"], 'X-Other': ['1'] } }, (r) => (out = r.responseHeaders));
    expect(out['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
    expect(out['content-security-policy']).toBeUndefined();
    expect(out['X-Other']).toEqual(['1']);
    const directives = Object.fromEntries(CONTENT_SECURITY_POLICY.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k!, v]));
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['base-uri']).toEqual(["'none'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval/);
    expect(directives['script-src']).not.toContain("'unsafe-inline'");
    // Connections only back to this app.
    expect(directives['connect-src']!.every((s) => s === "'self'" || /^ws:\/\/(127\.0\.0\.1|localhost):\*$/.test(s))).toBe(true);
  });

  it('navigation stays on the app page; redirects too; webviews are refused', () => {
    const nav = (name: string, url: string): boolean => {
      let prevented = false;
      captured.events.get(name)!({ preventDefault: () => (prevented = true) }, url);
      return prevented;
    };
    expect(nav('will-navigate', `${APP_URL}#/insights`)).toBe(false);
    for (const bad of ['https://evil.example/', 'file:///etc/passwd', 'file:///opt/app/out/renderer/other.html', 'javascript:alert(1)', 'http://127.0.0.1:5173/']) {
      expect(nav('will-navigate', bad), bad).toBe(true);
      expect(nav('will-redirect', bad), bad).toBe(true);
    }
    let prevented = false;
    captured.events.get('will-attach-webview')!({ preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
  });

  it('no window ever opens; only https links go to the system browser', () => {
    for (const url of ['https://docs.example/help', 'http://plain.example/', 'file:///etc/passwd', 'javascript:alert(1)', 'smb://share/x']) {
      expect(captured.openHandler!({ url })).toEqual({ action: 'deny' });
    }
    expect(captured.opened).toEqual(['https://docs.example/help']);
  });

  it('the permission handler grants only the microphone, only to the app page', () => {
    const ask = (permission: string, details: Record<string, unknown>, page = APP_URL): boolean => {
      let granted: boolean | null = null;
      captured.permissionRequest!({ getURL: () => page }, permission, (g: boolean) => (granted = g), details);
      return granted!;
    };
    expect(ask('media', { requestingUrl: `${APP_URL}#/voice`, mediaTypes: ['audio'], isMainFrame: true })).toBe(true);
    expect(ask('media', { requestingUrl: APP_URL, mediaTypes: ['video'], isMainFrame: true })).toBe(false);
    expect(ask('media', { requestingUrl: 'https://evil.example/', mediaTypes: ['audio'], isMainFrame: true }, 'https://evil.example/')).toBe(false);
    expect(ask('media', { requestingUrl: APP_URL, mediaTypes: ['audio'], isMainFrame: false })).toBe(false);
    for (const p of ['geolocation', 'clipboard-read', 'openExternal', 'display-capture', 'usb']) expect(ask(p, { requestingUrl: APP_URL, isMainFrame: true }), p).toBe(false);
    expect(captured.permissionCheck!({ getURL: () => APP_URL }, 'media', 'file:///', { mediaType: 'audio', isMainFrame: true })).toBe(true);
    expect(captured.permissionCheck!({ getURL: () => 'https://evil.example/' }, 'media', 'https://evil.example', { mediaType: 'audio', isMainFrame: true })).toBe(false);
    expect(captured.permissionCheck!({ getURL: () => APP_URL }, 'geolocation', 'file:///', { isMainFrame: true })).toBe(false);
  });
});

describe('IPC sender checks', () => {
  it('trust only the top frame of the app page (or the dev server origin)', async () => {
    const { trustedSenderCheck } = await import('../../../src/main/electron/ipcBridge');
    const file = trustedSenderCheck(APP_URL);
    expect(file({ senderFrame: { url: `${APP_URL}#/data`, parent: null } } as never)).toBe(true);
    expect(file({ senderFrame: { url: APP_URL, parent: {} } } as never)).toBe(false);
    expect(file({ senderFrame: { url: 'file:///tmp/evil.html', parent: null } } as never)).toBe(false);
    expect(file({ senderFrame: { url: 'https://evil.example/', parent: null } } as never)).toBe(false);
    expect(file({ senderFrame: null } as never)).toBe(false);
    const dev = trustedSenderCheck('http://localhost:5173/');
    expect(dev({ senderFrame: { url: 'http://localhost:5173/#/x', parent: null } } as never)).toBe(true);
    expect(dev({ senderFrame: { url: 'http://localhost:5174/', parent: null } } as never)).toBe(false);
  });

  it('an untrusted sender gets forbidden and never reaches the core', async () => {
    const { registerIpcBridge, INVOKE_CHANNEL } = await import('../../../src/main/electron/ipcBridge');
    const handlers = new Map<string, (...a: unknown[]) => Promise<unknown>>();
    const invoked: unknown[] = [];
    registerIpcBridge({
      ipcMain: { handle: (ch: string, h: (...a: unknown[]) => Promise<unknown>) => handlers.set(ch, h), removeHandler: () => undefined } as never,
      core: { invoke: async (route: unknown) => invoked.push(route), events: { subscribe: () => () => undefined } } as never,
      isTrustedSender: () => false,
      targets: () => [],
    });
    const r = await handlers.get(INVOKE_CHANNEL)!({}, 'workspace.delete', { workspace: 'w' });
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(invoked).toEqual([]);
  });

  it('the app wires the bridge to that check for its own renderer URL, and the preload exposes only `api`', () => {
    const main = readFileSync('src/main/index.ts', 'utf8');
    expect(main).toMatch(/isTrustedSender: trustedSenderCheck\(rendererUrl\(windowOptions\)\)/);
    expect(main).toMatch(/createMainWindow\(windowOptions\)/);
    const preload = readFileSync('src/preload/index.ts', 'utf8');
    expect(preload).toMatch(/exposeDesktopApi\(contextBridge, ipcRenderer\)/);
    expect(preload).not.toMatch(/exposeInMainWorld\(['"](?!api)/);
  });
});
