import type { RouteInput, RouteName, RouteOutput } from '@shared/contract';
import type { EventName, EventPayload } from '@shared/events';
import { AppError } from '@shared/errors';

type Envelope = { ok: true; result: unknown } | { ok: false; error: unknown };

/** How the renderer reaches the core: the Electron preload bridge, or the web host over HTTP + WebSocket. */
export interface Transport {
  readonly kind: 'electron' | 'web' | 'fake';
  invoke(route: string, input: unknown): Promise<Envelope>;
  on(event: EventName, listener: (payload: unknown) => void): () => void;
}

const TOKEN_KEY = 'intelligence-desk.token';

/** The web host prints a URL with #token=…; keep it for this tab and take it out of the address bar. */
function webToken(): string {
  const match = /(?:^|[#&])token=([^&]+)/.exec(window.location.hash);
  if (match?.[1]) {
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]));
    const rest = window.location.hash.replace(/(?:^|[#&])token=[^&]+&?/, '');
    history.replaceState(null, '', `${window.location.pathname}${window.location.search}${rest ? `#${rest.replace(/^#?/, '')}` : '#/'}`);
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

export function webTransport(): Transport {
  const token = webToken();
  const listeners = new Map<EventName, Set<(p: unknown) => void>>();
  let socket: WebSocket | null = null;
  let retry = 0;
  const connect = (): void => {
    const ws = new WebSocket(`${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/api/events`);
    socket = ws;
    ws.onopen = () => {
      retry = 0;
      ws.send(JSON.stringify({ token }));
    };
    ws.onmessage = (m) => {
      const msg = JSON.parse(String(m.data)) as { event: EventName; payload: unknown };
      for (const l of listeners.get(msg.event) ?? []) l(msg.payload);
    };
    ws.onclose = (e) => {
      socket = null;
      // 4001 = bad token: reconnecting would not help.
      if (e.code !== 4001) setTimeout(connect, Math.min(10_000, 500 * 2 ** retry++));
    };
  };
  return {
    kind: 'web',
    async invoke(route, input) {
      let res: Response;
      try {
        res = await fetch('/api/invoke', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ route, input }),
        });
      } catch {
        return { ok: false, error: { code: 'unavailable', message: 'The app server is not reachable. Is `npm run web` still running?' } };
      }
      try {
        return (await res.json()) as Envelope;
      } catch {
        // Every answer of the web host is a JSON envelope (a refused 13 MB body too); anything else came from elsewhere.
        return { ok: false, error: { code: 'unavailable', message: `The app server answered ${res.status} ${res.statusText} without a readable body.` } };
      }
    },
    on(event, listener) {
      if (!socket) connect();
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
  };
}

function electronTransport(): Transport | null {
  const bridge = window.api;
  return bridge ? { kind: 'electron', invoke: (r, i) => bridge.invoke(r, i), on: (e, l) => bridge.on(e, l) } : null;
}

let transport: Transport | null = null;

/** Tests install a fake transport; the app picks Electron's bridge when present, else the web host. */
export function setTransport(t: Transport | null): void {
  transport = t;
}

function current(): Transport {
  transport ??= electronTransport() ?? webTransport();
  return transport;
}

export const transportKind = (): Transport['kind'] => current().kind;

/** Calls a contract route. Resolves with the typed output or throws an AppError with a message a person can act on. */
export async function call<R extends RouteName>(route: R, input: RouteInput<R>): Promise<RouteOutput<R>> {
  const envelope = await current().invoke(route, input);
  if (envelope.ok) return envelope.result as RouteOutput<R>;
  throw AppError.fromJSON(envelope.error);
}

export function on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
  return current().on(event, listener as (p: unknown) => void);
}

export const errorMessage = (error: unknown): string => (error instanceof AppError ? error.message : error instanceof Error ? error.message : String(error));
