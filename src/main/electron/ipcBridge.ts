import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { AppError } from '@shared/errors';
import type { Core } from '../core/createCore';

export const INVOKE_CHANNEL = 'contract:invoke';
export const EVENT_CHANNEL = 'contract:event';

export type InvokeEnvelope = { ok: true; result: unknown } | { ok: false; error: ReturnType<AppError['toJSON']> };

export interface IpcBridgeOptions {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  core: Pick<Core, 'invoke' | 'events'>;
  /** True only for frames showing our own renderer (file:// app page or the dev server). */
  isTrustedSender: (event: IpcMainInvokeEvent) => boolean;
  /** Where events go: every live app window. */
  targets: () => Pick<WebContents, 'send' | 'isDestroyed'>[];
}

/**
 * The main side of the preload bridge. Checks the sender, then hands the raw route and input to the core's
 * dispatch, which parses the input against the contract and checks the caller's role. Errors travel as data:
 * Electron would strip an Error's code across IPC.
 */
export function registerIpcBridge(options: IpcBridgeOptions): () => void {
  options.ipcMain.handle(INVOKE_CHANNEL, async (event, route: unknown, input: unknown): Promise<InvokeEnvelope> => {
    if (!options.isTrustedSender(event)) {
      return { ok: false, error: new AppError('forbidden', 'This window is not allowed to call the app.').toJSON() };
    }
    try {
      return { ok: true, result: await options.core.invoke(route, input) };
    } catch (error) {
      return { ok: false, error: AppError.wrap(error).toJSON() };
    }
  });
  const unsubscribe = options.core.events.subscribe((name, payload) => {
    for (const wc of options.targets()) if (!wc.isDestroyed()) wc.send(EVENT_CHANNEL, name, payload);
  });
  return () => {
    unsubscribe();
    options.ipcMain.removeHandler(INVOKE_CHANNEL);
  };
}

/** A sender is trusted when its top frame shows our renderer: the packaged file or the electron-vite dev server. */
export function trustedSenderCheck(rendererUrl: string): (event: Pick<IpcMainInvokeEvent, 'senderFrame'>) => boolean {
  const expected = new URL(rendererUrl);
  return (event) => {
    const frame = event.senderFrame;
    if (!frame || frame.parent !== null) return false;
    let url: URL;
    try {
      url = new URL(frame.url);
    } catch {
      return false;
    }
    if (expected.protocol === 'file:') return url.protocol === 'file:' && url.pathname === expected.pathname;
    return url.origin === expected.origin;
  };
}
