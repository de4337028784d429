import { parentPort } from 'node:worker_threads';
import { AppError } from '@shared/errors';
import type { LogFields, Logger, LogLevel } from '../logger';
import { redactFields } from '../logger';
import type { TaskContext } from '../workers/context';
import { LlamaEngine } from './engine';
import { engineChat, engineCountTokens, engineEmbed } from './engineOps';
import { inspectGguf } from './ggufInfo';
import type { HostMessage, HostParams, HostRequest } from './protocol';

/** Log lines travel to the main thread's logger (the worker has no file of its own). */
function forwardingLogger(send: (m: HostMessage) => void, bindings: LogFields = {}): Logger {
  const log =
    (level: LogLevel) =>
    (message: string, fields?: LogFields): void =>
      send({ kind: 'llama', log: { level, message, fields: redactFields({ ...bindings, ...fields }) as LogFields } });
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'), child: (b) => forwardingLogger(send, { ...bindings, ...b }) };
}

/**
 * The llama host: a long-lived worker task that owns llama.cpp (LlamaEngine) and serves requests from the main
 * thread until it is told to shut down. Generation, tokenizing and node-llama-cpp's per-token bookkeeping all run
 * here, so the main event loop only relays messages. See docs/decisions/0040-local-inference.md.
 */
export async function llamaHostTask(params: HostParams, _ctx: TaskContext): Promise<{ served: number }> {
  const port = parentPort;
  if (!port) throw new AppError('internal', 'The llama host must run in a worker thread.');
  const send = (m: HostMessage): void => port.postMessage(m);
  const logger = forwardingLogger(send, { thread: 'llama-host' });
  const engine = new LlamaEngine({ threads: params.threads, idleUnloadMs: params.idleUnloadMs, logger, onState: (state) => send({ kind: 'llama', state }) });
  const running = new Map<number, AbortController>();
  let served = 0;

  const reply = async (id: number, work: () => Promise<unknown> | unknown): Promise<void> => {
    try {
      const value = await work();
      send({ kind: 'llama', id, ok: true, value });
    } catch (error) {
      const e = error instanceof AppError ? error : new AppError('provider_error', `The local model failed: ${error instanceof Error ? error.message : String(error)}`);
      send({ kind: 'llama', id, ok: false, error: e.toJSON() });
    }
  };

  return new Promise((resolve) => {
    port.on('message', (m: HostRequest) => {
      if (m?.kind !== 'llama') return;
      served++;
      switch (m.op) {
        case 'chat':
        case 'embed': {
          const controller = new AbortController();
          running.set(m.id, controller);
          const o = { modelId: m.modelId, signal: controller.signal, logger };
          void reply(m.id, () =>
            m.op === 'chat'
              ? engineChat(engine, m.path, m.ctx, m.req, { ...o, onText: m.stream ? (delta) => send({ kind: 'llama', id: m.id, delta }) : undefined })
              : engineEmbed(engine, m.path, m.ctx, m.req, o),
          ).finally(() => running.delete(m.id));
          break;
        }
        case 'count':
          void reply(m.id, () => engineCountTokens(engine, m.path, m.messages));
          break;
        case 'inspect':
          void reply(m.id, () => inspectGguf(m.path));
          break;
        case 'load':
          void reply(m.id, () => engine.load(m.path));
          break;
        case 'unload':
          void reply(m.id, () => engine.unload(m.path));
          break;
        case 'hold':
          void reply(m.id, () => engine.hold(m.path));
          break;
        case 'release':
          void reply(m.id, () => engine.release(m.path));
          break;
        case 'abort':
          running.get(m.target)?.abort();
          void reply(m.id, () => true);
          break;
        case 'shutdown':
          for (const c of running.values()) c.abort();
          void reply(m.id, () => engine.dispose()).then(() => {
            port.removeAllListeners('message');
            resolve({ served });
          });
          break;
      }
    });
  });
}
