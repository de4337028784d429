import type { Worker, WorkerOptions } from 'node:worker_threads';
import type { CatalogModel } from '@shared/contract';
import type { Gateway, LocalAdapterFactory } from './gateway/types';
import type { Logger } from './logger';
import type { EngineLauncher } from './voice/engine/protocol';
import type { ShellPort } from './reports/reportService';
import type { NewWorkspaceTarget } from './workspaces/workspaceService';
import type { CopilotTools } from './copilot/tools';

/** Encrypts secrets at rest. Electron passes safeStorage; the Node hosts pass a 0600 key file (secrets/keyFile.ts). */
export interface SecretCipher {
  readonly kind: 'safeStorage' | 'keyFile' | 'memory';
  encrypt(plain: string): string;
  decrypt(cipher: string): string;
}

/**
 * Starts the worker entry (src/main/core/workers/entry.ts). Electron starts the bundled copy; the Node hosts start
 * the TypeScript source through tsx. The core never needs to know which.
 */
export type WorkerLauncher = (options: WorkerOptions) => Worker;

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Everything the host hands to the core: paths, platform features, identity. */
export interface CorePorts {
  host: 'electron' | 'web' | 'cli' | 'test';
  appVersion: string;
  /** Root of all app data: registry, workspaces, backups, logs, models. */
  dataDir: string;
  logger: Logger;
  secrets: SecretCipher;
  launchWorker: WorkerLauncher;
  clock?: Clock;
  /** Path of a better-sqlite3 binary built for this runtime's ABI (Electron); Node uses the default build. */
  sqliteNativeBinding?: string | undefined;
  /** Skip resuming interrupted jobs at start (CLI one-shot commands resume nothing they did not start). */
  resumeJobs?: boolean;
  /** Folder of the shipped resources/ files (default policies, prices); found next to the app when omitted. */
  resourcesDir?: string | undefined;
  /** Overrides how 'local' endpoints get their adapter (tests); by default the core's model service builds them. */
  localAdapter?: LocalAdapterFactory | null | undefined;
  /** Replaces the model gateway: tests and benchmarks that script model answers. */
  gateway?: Gateway;
  /** Replaces the copilot's tools (the action layer): tests and benchmarks. */
  copilotTools?: CopilotTools;
  /** Local-model runtime settings; tests also swap the catalog, fetch and retry timing here. */
  localModels?: LocalModelPorts;
  /**
   * Starts the speech engine process (whisper.cpp): Electron's utilityProcess in the app, a forked Node process
   * under the CLI, the web host and tests. Without one, the local speech engine is unavailable.
   */
  launchVoiceEngine?: EngineLauncher | undefined;
  /**
   * Where `workspace.create` puts new workspaces (default: a SQLite file). The test fixtures pass PostgreSQL when
   * TEST_DB_ENGINE=postgres; team mode (issue 9 §2) will choose per workspace instead.
   */
  newWorkspaces?: NewWorkspaceTarget | undefined;
  /**
   * Replaces the built-in rate-limit defaults (DEFAULT_RATE_LIMITS); the `rateLimits` app setting still applies on
   * top. Unit-test cores pass {} because they call routes faster than people do; the rate-limit tests do not.
   */
  rateLimitDefaults?: Readonly<Record<string, { limit: number; windowSeconds: number }>> | undefined;
  /** Opens files with the system viewer and shows them in their folder (Electron's shell); absent elsewhere. */
  shell?: ShellPort | undefined;
}

export interface LocalModelPorts {
  /**
   * Run llama.cpp on the calling thread instead of the llama host worker: for the CLI (one command, no UI to keep
   * responsive, and a worker would import node-llama-cpp through tsx's loader all over again) and for tests.
   */
  inProcess?: boolean;
  /** CPU threads for inference (default: all cores but one, at most 8). */
  threads?: number;
  /** Unload a model idle for this long (default 10 minutes; 0 = keep loaded). */
  idleUnloadMs?: number;
  catalog?: readonly CatalogModel[];
  fetch?: typeof fetch;
  downloadTuning?: { retries?: number; retryBaseMs?: number; stallMs?: number };
}
