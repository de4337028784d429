import type { SerializedAppError } from '@shared/errors';
import type { ChatMessage, ChatRequest, EmbedRequest } from '../gateway/types';
import type { LogFields, LogLevel } from '../logger';
import type { ContextRequest, LoadedModelInfo } from './engine';

/**
 * Messages between the main thread (LocalRuntime) and the llama host worker (hostTask.ts). Every message carries
 * kind 'llama' so it never mixes with the worker entry's own progress/result/error messages.
 */
export type HostRequest = { kind: 'llama'; id: number } & (
  | { op: 'chat'; path: string; ctx: ContextRequest; req: ChatRequest; modelId: string; stream: boolean }
  | { op: 'embed'; path: string; ctx: ContextRequest; req: EmbedRequest; modelId: string }
  | { op: 'count'; path: string; messages: ChatMessage[] }
  | { op: 'inspect'; path: string }
  | { op: 'load'; path: string }
  | { op: 'unload'; path: string }
  | { op: 'hold'; path: string }
  | { op: 'release'; path: string }
  | { op: 'abort'; target: number }
  | { op: 'shutdown' }
);

export type HostOp = HostRequest['op'];

export type HostMessage =
  | { kind: 'llama'; id: number; ok: true; value: unknown }
  | { kind: 'llama'; id: number; ok: false; error: SerializedAppError }
  | { kind: 'llama'; id: number; delta: string }
  | { kind: 'llama'; state: LoadedModelInfo[] }
  | { kind: 'llama'; log: { level: LogLevel; message: string; fields?: LogFields | undefined } };

export interface HostParams {
  threads?: number | undefined;
  idleUnloadMs?: number | undefined;
}
