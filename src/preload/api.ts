import { EVENT_NAMES, type EventName } from '@shared/events';
import { ROUTE_NAMES } from '@shared/contract';

/** What the preload exposes as window.api. Kept tiny: two functions, driven by the contract's tables. */
export interface DesktopApi {
  readonly kind: 'electron';
  invoke(route: string, input: unknown): Promise<{ ok: true; result: unknown } | { ok: false; error: { code: string; message: string; details?: unknown } }>;
  on(event: EventName, listener: (payload: unknown) => void): () => void;
}

interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

const routeSet = new Set<string>(ROUTE_NAMES);
const eventSet = new Set<string>(EVENT_NAMES);

/**
 * Builds the bridge from the contract: only routes in the route table can be invoked and only events in the
 * events table can be listened to. Input validation and role checks happen in the main process.
 */
export function createDesktopApi(ipc: IpcRendererLike): DesktopApi {
  return {
    kind: 'electron',
    invoke(route, input) {
      if (!routeSet.has(route)) return Promise.resolve({ ok: false, error: { code: 'not_found', message: `Unknown route "${route}".` } });
      return ipc.invoke('contract:invoke', route, input) as ReturnType<DesktopApi['invoke']>;
    },
    on(event, listener) {
      if (!eventSet.has(event)) throw new Error(`Unknown event "${event}".`);
      const wrapped = (_e: unknown, name: unknown, payload: unknown): void => {
        if (name === event) listener(payload);
      };
      ipc.on('contract:event', wrapped as (event: unknown, ...args: unknown[]) => void);
      return () => void ipc.removeListener('contract:event', wrapped as (event: unknown, ...args: unknown[]) => void);
    },
  };
}

export function exposeDesktopApi(contextBridge: { exposeInMainWorld(key: string, api: unknown): void }, ipc: IpcRendererLike): void {
  contextBridge.exposeInMainWorld('api', createDesktopApi(ipc));
}
