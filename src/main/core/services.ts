import type { DataPaths, Settings } from './app/appDb';
import type { ProfileService } from './app/profiles';
import type { CopilotService } from './copilot/copilotService';
import type { DataService } from './data/dataService';
import type { ImportService } from './data/importService';
import type { RecordService } from './data/recordService';
import type { Db } from './db/open';
import type { AppRepos } from './repositories';
import type { CoachingService } from './engine/coaching';
import type { DetectorService } from './engine/detectors/service';
import type { InsightEngine } from './engine/engine';
import type { InsightService } from './engine/insightService';
import type { ScanService } from './engine/scanService';
import type { EngineSettingsService } from './engine/settings';
import type { EventBus } from './eventBus';
import type { GatewayAdmin } from './gateway/gatewayAdmin';
import type { GatewayService } from './gateway/gatewayService';
import type { StreamHub } from './gateway/streamHub';
import type { Gateway } from './gateway/types';
import type { JobService } from './jobs/jobService';
import type { ModelService } from './localModels/modelService';
import type { LocalRuntime } from './localModels/runtime';
import type { Logger } from './logger';
import type { VectorService } from './vectors/vectorService';
import type { VoiceService } from './voice/voiceService';
import type { VoiceSettingsService } from './voice/settings';
import type { ReportRenderService } from './reports/render/reportRenderService';
import type { ReportService } from './reports/reportService';
import type { AnalyticsService } from './analytics/analyticsService';
import type { CorePorts } from './ports';
import type { SchedulerService } from './scheduler/schedulerService';
import type { EventTriggerService } from './engine/eventTrigger';
import type { WorkspaceService } from './workspaces/workspaceService';
import type { ActionService } from './actions/types';
import type { RateLimiter, RateLimitSettingsService } from './rateLimit';
import type { VoiceCommandService } from './voice/command/commandService';
import type { BackupService } from './workspaces/backupService';

/** Everything handlers can reach. Built once by createCore. */
export interface Services {
  appVersion: string;
  paths: DataPaths;
  ports: CorePorts;
  logger: Logger;
  now: () => Date;
  /** TRANSITIONAL (issue 9): the app database's raw handle, for services not yet moved to repositories. */
  appDb: Db;
  /** Repositories over the app database (settings so far; ADR 0050). */
  appRepos: AppRepos;
  settings: Settings;
  events: EventBus;
  profiles: ProfileService;
  jobs: JobService;
  workspaces: WorkspaceService;
  data: DataService;
  /** Records as people read them: names for references, children, the record picker (data.record, data.lookup). */
  records: RecordService;
  imports: ImportService;
  /** Workspace backups people make and restore (ADR 0097). */
  backups: BackupService;
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
  /** Intelligence engine: settings, the persona pipeline, insights, scans, detectors, coaching, scheduler. */
  engineSettings: EngineSettingsService;
  engine: InsightEngine;
  insights: InsightService;
  scans: ScanService;
  detectors: DetectorService;
  coaching: CoachingService;
  scheduler: SchedulerService;
  /** The `event` trigger: call onRecordsChanged(workspace, entity, ids, source) after writing records. */
  eventTrigger: EventTriggerService;
  /** Report documents → PDF, HTML preview, CSV (in a worker; reports/render/). */
  reports: ReportRenderService;
  /** The gateway the engine calls: `gateway`, unless a test or benchmark replaced it through the ports. */
  engineGateway: () => Gateway;
  /** Voice commands up to the transcript: engines, the speech engine process, vocabulary (docs/voice.md). */
  voice: VoiceService;
  voiceSettings: VoiceSettingsService;
  /** The action layer: typed tools, approvals, audit (src/main/core/actions, ADR 0060). */
  actions: ActionService;
  /** Per-workspace, per-route rate limits applied by dispatch (ADR 0061), and their settings. */
  rateLimiter: RateLimiter;
  rateLimits: RateLimitSettingsService;
  /** Voice commands after the transcript: intent, resolution, confirmation, history (ADR 0073). */
  voiceCommands: VoiceCommandService;
  /** Copilot agents, turns, conversations and memory (docs/decisions/0063). */
  copilot: CopilotService;
  /** Report templates, runs, history and schedules (reports/reportService.ts, ADR 0084). */
  reportRuns: ReportService;
  /** Metrics catalog, query specs, questions, Dashboard tiles (docs/decisions/0081-analytics-metrics-layer.md). */
  analytics: AnalyticsService;
}
