import type { EventName, EventPayload } from '@shared/events';

type Listener = (name: EventName, payload: unknown) => void;

/** Typed fan-out of core events to whichever hosts are listening (IPC, WebSocket, CLI progress bars). */
export class EventBus {
  private readonly listeners = new Set<Listener>();

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    for (const l of this.listeners) {
      try {
        l(name, payload);
      } catch {
        // One broken subscriber must not stop the others.
      }
    }
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Subscribe to one event name with a typed payload. */
  on<E extends EventName>(name: E, cb: (payload: EventPayload<E>) => void): () => void {
    return this.subscribe((n, p) => {
      if (n === name) cb(p as EventPayload<E>);
    });
  }
}
