import type { EventName } from '../../../src/shared/events';
import { AppError } from '../../../src/shared/errors';
import type { Transport } from '../../../src/renderer/src/api/client';

// Test handlers read whatever fields their route's input has.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Handler = (input: any) => unknown;

/** A scripted transport: routes answer from handlers, calls are recorded, events can be pushed. */
export function fakeTransport(handlers: Record<string, Handler>) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const calls: { route: string; input: any }[] = [];
  const listeners = new Map<EventName, Set<(p: unknown) => void>>();
  const transport: Transport = {
    kind: 'fake',
    async invoke(route, input) {
      calls.push({ route, input });
      const h = handlers[route];
      if (!h) return { ok: false, error: { code: 'not_found', message: `no fake for ${route}` } };
      try {
        return { ok: true, result: await h(input) };
      } catch (e) {
        return { ok: false, error: AppError.wrap(e).toJSON() };
      }
    },
    on(event, l) {
      const set = listeners.get(event) ?? new Set();
      set.add(l);
      listeners.set(event, set);
      return () => set.delete(l);
    },
  };
  const emit = (event: EventName, payload: unknown) => listeners.get(event)?.forEach((l) => l(payload));
  return { transport, calls, emit, handlers };
}
