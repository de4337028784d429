import type { Session, WebContents } from 'electron';

type RequestHandler = Parameters<Session['setPermissionRequestHandler']>[0];
type CheckHandler = Parameters<Session['setPermissionCheckHandler']>[0];

/**
 * Permission decisions for the app's session: the microphone (media, audio only) for our own renderer page and
 * nothing else for anyone. Everything a page can ask for — camera, screen capture, notifications, geolocation,
 * MIDI, clipboard, HID/serial/USB, opening external links — is refused, because the app needs none of it and a
 * compromised or navigated frame must not get it either.
 */
export function permissionPolicy(rendererUrl: string): { request: NonNullable<RequestHandler>; check: NonNullable<CheckHandler>; isOwnPage: (url: string | undefined) => boolean } {
  const expected = new URL(rendererUrl);
  const isOwnPage = (url: string | undefined): boolean => {
    if (!url) return false;
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return false;
    }
    if (expected.protocol === 'file:') return u.protocol === 'file:' && u.pathname === expected.pathname;
    return u.origin === expected.origin;
  };
  // Check requests carry an origin, not a URL; for file:// pages Chromium reports "file:///".
  const isOwnOrigin = (origin: string | undefined, wc: Pick<WebContents, 'getURL'> | null): boolean => {
    if (expected.protocol === 'file:') return (origin === 'file:///' || origin === 'file://') && isOwnPage(wc?.getURL());
    return origin === expected.origin;
  };

  const request: NonNullable<RequestHandler> = (wc, permission, callback, details) => {
    const d = details as { requestingUrl?: string; mediaTypes?: string[]; isMainFrame?: boolean };
    const audioOnly = (d.mediaTypes ?? []).length > 0 && (d.mediaTypes ?? []).every((t) => t === 'audio');
    const own = d.isMainFrame !== false && isOwnPage(d.requestingUrl ?? wc.getURL());
    // The microphone (voice commands, audio only) and desktop notifications (new critical insights) for our own page.
    callback(own && ((permission === 'media' && audioOnly) || permission === 'notifications'));
  };
  const check: NonNullable<CheckHandler> = (wc, permission, requestingOrigin, details) => {
    const d = details as { mediaType?: string; isMainFrame?: boolean };
    // Device enumeration (labels in the microphone picker) asks with mediaType 'audio' or 'unknown'.
    const own = d.isMainFrame !== false && isOwnOrigin(requestingOrigin, wc);
    return own && ((permission === 'media' && d.mediaType !== 'video') || permission === 'notifications');
  };
  return { request, check, isOwnPage };
}

export function installPermissionHandlers(session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>, rendererUrl: string): void {
  const policy = permissionPolicy(rendererUrl);
  session.setPermissionRequestHandler(policy.request);
  session.setPermissionCheckHandler(policy.check);
}
