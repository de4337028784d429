import type { DataPaths, Settings } from './app/appDb';
import type { ProfileService } from './app/profiles';
import type { DataService } from './data/dataService';
import type { ImportService } from './data/importService';
import type { Db } from './db/open';
import type { EventBus } from './eventBus';
import type { GatewayAdmin } from './gateway/gatewayAdmin';
import type { GatewayService } from './gateway/gatewayService';
import type { StreamHub } from './gateway/streamHub';
import type { JobService } from './jobs/jobService';
import type { ModelService } from './localModels/modelService';
import type { LocalRuntime } from './localModels/runtime';
import type { Logger } from './logger';
import type { VectorService } from './vectors/vectorService';
import type { CorePorts } from './ports';
import type { WorkspaceService } from './workspaces/workspaceService';

/** Everything handlers can reach. Built once by createCore. */
export interface Services {
  appVersion: string;
  paths: DataPaths;
  ports: CorePorts;
  logger: Logger;
  now: () => Date;
  appDb: Db;
  settings: Settings;
  events: EventBus;
  profiles: ProfileService;
  jobs: JobService;
  workspaces: WorkspaceService;
  data: DataService;
  imports: ImportService;
  /** The model gateway: the only way the app calls models (implements Gateway from gateway/types.ts). */
  gateway: GatewayService;
  /** Provider, policy, budget, usage and price administration for the contract. */
  gatewayAdmin: GatewayAdmin;
  /** Streamed answers over the contract (gateway.stream events). */
  streams: StreamHub;
  /** The llama.cpp runtime shared by every local-model adapter (one loaded copy per GGUF file). */
  localRuntime: LocalRuntime;
  /** Local GGUF models: registry, downloads, tests, adapters. */
  models: ModelService;
  /** The local vector store: index versions, search, grounding (docs/vectors.md). */
  vectors: VectorService;
}
