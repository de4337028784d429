import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { installPermissionHandlers, permissionPolicy } from '../../../src/main/electron/permissions';

const APP = 'file:///opt/app/out/renderer/index.html';
const wc = (url: string) => ({ getURL: () => url }) as never;

/** Runs the request handler with stub objects and returns its decision. */
function decide(policy: ReturnType<typeof permissionPolicy>, permission: string, details: Record<string, unknown>, pageUrl = APP): boolean {
  let answer: boolean | null = null;
  policy.request(wc(pageUrl), permission as never, (granted: boolean) => (answer = granted), details as never);
  if (answer === null) throw new Error('the handler did not answer');
  return answer;
}

describe('Electron permission handlers (stub session and web contents)', () => {
  const app = permissionPolicy(APP);

  it('grants the microphone to the app page (hash routes included)', () => {
    expect(decide(app, 'media', { requestingUrl: `${APP}#/voice`, mediaTypes: ['audio'], isMainFrame: true })).toBe(true);
  });

  it('refuses the camera, screen capture and audio+video, even to the app page', () => {
    expect(decide(app, 'media', { requestingUrl: APP, mediaTypes: ['video'], isMainFrame: true })).toBe(false);
    expect(decide(app, 'media', { requestingUrl: APP, mediaTypes: ['audio', 'video'], isMainFrame: true })).toBe(false);
    expect(decide(app, 'media', { requestingUrl: APP, mediaTypes: [], isMainFrame: true })).toBe(false);
    expect(decide(app, 'display-capture', { requestingUrl: APP, isMainFrame: true })).toBe(false);
  });

  it('refuses every other permission', () => {
    for (const p of ['geolocation', 'midi', 'midiSysex', 'clipboard-read', 'clipboard-sanitized-write', 'pointerLock', 'fullscreen', 'openExternal', 'hid', 'serial', 'usb', 'idle-detection', 'window-management', 'storage-access', 'unknown']) {
      expect(decide(app, p, { requestingUrl: APP, isMainFrame: true, mediaTypes: ['audio'] }), p).toBe(false);
    }
  });

  it('allows desktop notifications to the app page only', () => {
    expect(decide(app, 'notifications', { requestingUrl: APP, isMainFrame: true })).toBe(true);
    expect(decide(app, 'notifications', { requestingUrl: 'https://evil.example/', isMainFrame: true }, 'https://evil.example/')).toBe(false);
    expect(decide(app, 'notifications', { requestingUrl: APP, isMainFrame: false })).toBe(false);
  });

  it('refuses the microphone to other pages, other files and subframes', () => {
    expect(decide(app, 'media', { requestingUrl: 'https://evil.example/', mediaTypes: ['audio'], isMainFrame: true }, 'https://evil.example/')).toBe(false);
    expect(decide(app, 'media', { requestingUrl: 'file:///tmp/other.html', mediaTypes: ['audio'], isMainFrame: true }, 'file:///tmp/other.html')).toBe(false);
    expect(decide(app, 'media', { requestingUrl: APP, mediaTypes: ['audio'], isMainFrame: false })).toBe(false);
    expect(decide(app, 'media', { requestingUrl: 'not a url', mediaTypes: ['audio'], isMainFrame: true })).toBe(false);
  });

  it('the check handler answers the same way (device labels for the picker)', () => {
    expect(app.check(wc(APP), 'media', 'file:///', { mediaType: 'audio', isMainFrame: true } as never)).toBe(true);
    expect(app.check(wc(APP), 'media', 'file:///', { mediaType: 'unknown', isMainFrame: true } as never)).toBe(true);
    expect(app.check(wc(APP), 'media', 'file:///', { mediaType: 'video', isMainFrame: true } as never)).toBe(false);
    expect(app.check(wc('file:///tmp/other.html'), 'media', 'file:///', { mediaType: 'audio', isMainFrame: true } as never)).toBe(false);
    // Desktop notifications (new critical insights) are the one other permission, and only for the app's own page.
    expect(app.check(wc(APP), 'notifications', 'file:///', { isMainFrame: true } as never)).toBe(true);
    expect(app.check(wc('https://evil.example/'), 'notifications', 'https://evil.example', { isMainFrame: true } as never)).toBe(false);
    expect(app.check(wc(APP), 'media', 'https://evil.example', { mediaType: 'audio', isMainFrame: true } as never)).toBe(false);
  });

  it('under the dev server, only its origin gets the microphone', () => {
    const dev = permissionPolicy('http://localhost:5173/');
    expect(decide(dev, 'media', { requestingUrl: 'http://localhost:5173/#/voice', mediaTypes: ['audio'], isMainFrame: true }, 'http://localhost:5173/')).toBe(true);
    expect(decide(dev, 'media', { requestingUrl: 'http://localhost:5174/', mediaTypes: ['audio'], isMainFrame: true }, 'http://localhost:5174/')).toBe(false);
    expect(dev.check(wc('http://localhost:5173/'), 'media', 'http://localhost:5173', { mediaType: 'audio', isMainFrame: true } as never)).toBe(true);
  });

  it('installs both handlers on the session', () => {
    const calls: string[] = [];
    installPermissionHandlers({ setPermissionRequestHandler: () => void calls.push('request'), setPermissionCheckHandler: () => void calls.push('check') } as never, APP);
    expect(calls.sort()).toEqual(['check', 'request']);
  });
});

describe('macOS packaging: microphone usage text and entitlement', () => {
  it('electron-builder.yml names the usage description and an entitlements file granting audio input', () => {
    const cfg = parse(readFileSync('electron-builder.yml', 'utf8')) as { mac: { extendInfo: Record<string, string>; entitlements: string; hardenedRuntime: boolean } };
    expect(cfg.mac.hardenedRuntime).toBe(true);
    expect(cfg.mac.extendInfo.NSMicrophoneUsageDescription).toMatch(/microphone/i);
    const plist = readFileSync(cfg.mac.entitlements, 'utf8');
    expect(plist).toMatch(/<key>com\.apple\.security\.device\.audio-input<\/key>\s*<true\/>/);
  });
});
