import { join } from 'node:path';
import type { RouteInput, RouteName, RouteOutput } from '@shared/contract';
import { AppError } from '@shared/errors';
import type { Profile } from '@shared/contract';
import { dataPaths, openAppDb, Settings } from './app/appDb';
import { ProfileService } from './app/profiles';
import { DataService } from './data/dataService';
import { ImportService } from './data/importService';
import { RecordService } from './data/recordService';
import { configureSqlite } from './db/open';
import type { AppDatabase } from './db/schema/app';
import { sqliteKysely } from './db/sqliteKysely';
import { CoachingService } from './engine/coaching';
import { DetectorService } from './engine/detectors/service';
import { InsightEngine } from './engine/engine';
import { InsightService } from './engine/insightService';
import { ScanService } from './engine/scanService';
import { EngineSettingsService } from './engine/settings';
import { EventTriggerService } from './engine/eventTrigger';
import { DailyTokenBudget } from './scheduler/tokenBudget';
import { EventBus } from './eventBus';
import { GatewayAdmin } from './gateway/gatewayAdmin';
import { GatewayService } from './gateway/gatewayService';
import { StreamHub } from './gateway/streamHub';
import type { LocalAdapterFactory } from './gateway/types';
import { engineHandlers } from './handlers/engine';
import { insightHandlers } from './handlers/insights';
import { dataHandlers } from './handlers/data';
import { gatewayHandlers } from './handlers/gateway';
import { jobHandlers } from './handlers/jobs';
import { modelHandlers } from './handlers/models';
import { systemHandlers } from './handlers/system';
import { vectorHandlers } from './handlers/vectors';
import { workspaceHandlers } from './handlers/workspace';
import { JobService } from './jobs/jobService';
import { createLocalAdapter } from './localModels/localAdapter';
import { ModelService } from './localModels/modelService';
import { LocalRuntime } from './localModels/runtime';
import { systemClock, type CorePorts } from './ports';
import { createAppRepos } from './repositories';
import { dispatch, type Handlers } from './router';
import type { Services } from './services';
import { SchedulerService } from './scheduler/schedulerService';
import { WorkspaceService } from './workspaces/workspaceService';
import { BackupService } from './workspaces/backupService';
import { LocalEmbeddingModels } from './vectors/embedders/localModels';
import { VectorService } from './vectors/vectorService';
import { voiceHandlers } from './handlers/voice';
import { analyticsHandlers } from './handlers/analytics';
import { AnalyticsService } from './analytics/analyticsService';
import { WhisperEngineHost } from './voice/engine/engineHost';
import { VoiceSettingsService } from './voice/settings';
import { VoiceService } from './voice/voiceService';
import { localSpeechSupported } from './voice/engine/platform';
import { ReportRenderService } from './reports/render/reportRenderService';
import { RegistryActionService } from './actions/actionService';
import { actionHandlers } from './handlers/actions';
import { RateLimiter, RateLimitSettingsService } from './rateLimit';
import { VoiceCommandService } from './voice/command/commandService';
import { CopilotService } from './copilot/copilotService';
import { copilotHandlers } from './handlers/copilot';
import { actionTools } from './copilot/actionTools';
import { ReportService } from './reports/reportService';
import { reportHandlers } from './handlers/reports';

export interface InvokeOptions {
  /** Call as this profile instead of the active one (the CLI's --profile, tests). */
  profileId?: string | undefined;
  signal?: AbortSignal | undefined;
}

export interface Core {
  /** Untyped entry for transports: route name and raw input straight from IPC, HTTP or argv. */
  invoke(route: unknown, input: unknown, options?: InvokeOptions): Promise<unknown>;
  /** Typed entry for in-process callers (CLI, tests). */
  call<R extends RouteName>(route: R, input: RouteInput<R>, options?: InvokeOptions): Promise<RouteOutput<R>>;
  events: EventBus;
  services: Services;
  handlers: Handlers;
  activeProfile(): Profile;
  dispose(): Promise<void>;
}

/** The composition root: builds every service from the host's ports. Nothing here knows which host it runs in. */
export function createCore(ports: CorePorts): Core {
  configureSqlite({ nativeBinding: ports.sqliteNativeBinding });
  const clock = ports.clock ?? systemClock;
  const now = (): Date => clock.now();
  const paths = dataPaths(ports.dataDir);
  const logger = ports.logger;
  const appDb = openAppDb(paths, now);
  // Repositories over app.sqlite share its handle with the services not yet moved to them (ADR 0050).
  const appRepos = createAppRepos(sqliteKysely<AppDatabase>(appDb), appDb);
  const settings = new Settings(appRepos.settings, appRepos.settings.loadSync());
  const events = new EventBus();
  const profiles = new ProfileService(appDb, settings, now);
  // The profile row is written synchronously; only recording it as the active one awaits.
  profiles.ensureDefault().catch((error: unknown) => logger.error('could not record the first profile as active', { error }));
  const jobs = new JobService(appDb, events, logger.child({ svc: 'jobs' }), now);
  const workspaces = new WorkspaceService(appDb, paths, jobs, events, logger.child({ svc: 'workspaces' }), now, ports.launchWorker, {
    secrets: ports.secrets,
    appVersion: ports.appVersion,
    newWorkspaces: ports.newWorkspaces,
  });
  const backups = new BackupService({ backupsDir: paths.backups, workspaces, jobs, events, logger: logger.child({ svc: 'backups' }), now, settings });
  const data = new DataService();
  const records = new RecordService();
  const imports = new ImportService(paths.uploads, workspaces, jobs, events, ports.launchWorker, now);
  const lm = ports.localModels ?? {};
  // llama.cpp runs in its own long-lived worker thread (ADR 0040): the main loop only relays messages.
  const localRuntime = new LocalRuntime({
    logger: logger.child({ svc: 'llama' }),
    threads: lm.threads,
    idleUnloadMs: lm.idleUnloadMs,
    launchWorker: lm.inProcess ? undefined : ports.launchWorker,
  });
  const models = new ModelService({
    db: appDb,
    folder: paths.models,
    jobs,
    events,
    logger: logger.child({ svc: 'models' }),
    now,
    runtime: localRuntime,
    catalog: lm.catalog,
    fetch: lm.fetch,
    downloadTuning: lm.downloadTuning,
  });
  // Speech (whisper.cpp) runs in a process of its own: a native crash costs one command, never the app (ADR 0070).
  const voiceEngine = new WhisperEngineHost({
    launch:
      ports.launchVoiceEngine ??
      (() => {
        throw new AppError('unavailable', 'This host cannot start the local speech engine. Use a provider for transcription.', { reason: 'no_engine_launcher' });
      }),
    logger: logger.child({ svc: 'voice-engine' }),
  });
  const voiceSettings = new VoiceSettingsService(settings);
  let voice: VoiceService | null = null;
  // 'local' endpoints name a registered model (its id) or a GGUF file; both share the core's llama runtime. A
  // registered whisper model becomes a transcription-only endpoint on the speech engine.
  const localAdapter: LocalAdapterFactory = (o) =>
    voice?.isSpeechModel(o.modelPath)
      ? voice.adapter(o.modelPath)
      : models.has(o.modelPath)
      ? models.createAdapter(o.modelPath, { contextSize: o.contextSize, threads: o.threads })
      : createLocalAdapter({ modelPath: o.modelPath, contextSize: o.contextSize, threads: o.threads, runtime: localRuntime, logger: logger.child({ svc: 'llama' }) });
  const gateway = new GatewayService({
    appDb,
    workspaces,
    secrets: ports.secrets,
    logger: logger.child({ svc: 'gateway' }),
    now,
    resourcesDir: ports.resourcesDir,
    localAdapter: ports.localAdapter ?? localAdapter,
    onUsage: (workspace) => events.emit('usage.changed', { workspace }),
  });
  const profileName = (id: string): string | null => {
    try {
      return profiles.get(id).name;
    } catch {
      return null;
    }
  };
  const gatewayAdmin = new GatewayAdmin(gateway, workspaces, events, now, profileName);
  const streams = new StreamHub(gateway, events, logger.child({ svc: 'streams' }));

  const localEmbeddings = new LocalEmbeddingModels(
    ports.localAdapter ?? localAdapter,
    {
      embeddingModels: () => models.list().models.filter((m) => m.kind === 'embedding' && m.status === 'ready').map((m) => ({ id: m.id, label: m.name })),
      isReady: (id) => models.has(id) && models.get(id).status === 'ready',
    },
    logger.child({ svc: 'local-embeddings' }),
  );
  const vectors = new VectorService({
    workspaces,
    jobs,
    events,
    logger: logger.child({ svc: 'vectors' }),
    now,
    launchWorker: ports.launchWorker,
    embedders: { gateway: () => gateway, localAdapter: (model) => localEmbeddings.adapter(model) },
    localEmbeddingModels: () => localEmbeddings.list(),
    providerStatus: () =>
      gateway.endpoints.list().some((e) => e.config.enabled)
        ? { available: true, reason: null }
        : { available: false, reason: 'No model provider is configured (Configuration → Providers, or: intelligence-desk provider add …).' },
    autoUpdate: ports.host === 'electron' || ports.host === 'web',
  });

  // Tests and benchmarks may script model answers through the gateway port.
  const engineGateway = () => ports.gateway ?? gateway;
  const engineSettings = new EngineSettingsService(settings);
  const engineLogger = logger.child({ svc: 'engine' });
  // Persona prompts are grounded in related records from the vector store, when the workspace has an index.
  const engine = new InsightEngine({ workspaces, settings: engineSettings, gateway: engineGateway, grounding: () => vectors, events, logger: engineLogger, now });
  const insights = new InsightService({ engine, events, now });
  const scans = new ScanService({ jobs, workspaces, engine, settings: engineSettings, events, logger: engineLogger, now, launchWorker: ports.launchWorker });
  const detectors = new DetectorService({ jobs, workspaces, events, now, launchWorker: ports.launchWorker });
  const coaching = new CoachingService({ jobs, workspaces, settings: engineSettings, gateway: engineGateway, events, logger: engineLogger, now });
  voice = new VoiceService({
    engine: voiceEngine,
    models,
    settings: voiceSettings,
    workspaces,
    gateway: engineGateway,
    events,
    logger: logger.child({ svc: 'voice' }),
    localSupported: Boolean(ports.launchVoiceEngine) && localSpeechSupported(),
  });
  const reports = new ReportRenderService({ launchWorker: ports.launchWorker, resourcesDir: ports.resourcesDir, jobs, logger: logger.child({ svc: 'reports' }) });
  // The event trigger: imports and the action layer call eventTrigger.onRecordsChanged after writing records.
  const eventTrigger = new EventTriggerService({
    jobs,
    workspaces,
    engine,
    settings: engineSettings,
    budget: (workspaceId) => new DailyTokenBudget(appDb, workspaceId, () => engineSettings.get().scheduler.dailyTokenBudget, now),
    logger: engineLogger,
    now,
  });
  imports.onCommitted = (workspace, entity, ids) => void eventTrigger.onRecordsChanged(workspace, entity, ids, 'import');
  const scheduler = new SchedulerService({ appDb, jobs, workspaces, settings: engineSettings, scans, detectors, coaching, insights, backups, events, logger: logger.child({ svc: 'scheduler' }), now });
  const actions = new RegistryActionService({ records, data, insights, scans, vectors, scheduler, now });
  const rateLimits = new RateLimitSettingsService(settings, ports.rateLimitDefaults);
  const rateLimiter = new RateLimiter(() => rateLimits.get(), () => clock.now().getTime());
  const voiceCommands = new VoiceCommandService({ actions: () => actions, records, gateway: engineGateway, settings: voiceSettings, audioDir: join(ports.dataDir, 'voice'), logger: logger.child({ svc: 'voice' }), now });
  // The copilot reaches records only through the action layer (ADR 0060): reads run, writes become approvals.
  const copilotTools = ports.copilotTools ?? actionTools(actions);
  const copilot = new CopilotService({
    gateway: engineGateway,
    hasPolicyEntry: (workspace, useCase) => gateway.hasPolicyEntry(workspace, useCase),
    tools: () => copilotTools,
    records,
    events,
    logger: logger.child({ svc: 'copilot' }),
    now,
    tokens: (text) => gateway.tokens.text(text),
  });
  const reportRuns = new ReportService({
    workspaces,
    jobs,
    renderer: reports,
    gateway: engineGateway,
    narrativeAvailable: () => Boolean(ports.gateway) || gateway.endpoints.list().some((e) => e.config.enabled),
    reportsDir: join(ports.dataDir, 'reports'),
    shell: ports.shell,
    // Built with the services below; report jobs reach it when they run.
    analytics: () => services.analytics,
    logger: logger.child({ svc: 'reports' }),
    now,
  });
  // Report schedules run on the scheduler's tick (and catch up once at its first tick).
  scheduler.addTick(() => reportRuns.runDue());

  const services: Services = {
    appVersion: ports.appVersion,
    paths,
    ports,
    logger,
    now,
    appDb,
    appRepos,
    settings,
    events,
    profiles,
    jobs,
    workspaces,
    data,
    records,
    imports,
    backups,
    engineSettings,
    engine,
    insights,
    scans,
    detectors,
    coaching,
    scheduler,
    eventTrigger,
    localRuntime,
    models,
    gateway,
    gatewayAdmin,
    streams,
    vectors,
    reports,
    engineGateway,
    voice,
    voiceSettings,
    actions,
    rateLimiter,
    rateLimits,
    voiceCommands,
    copilot,
    reportRuns,
    analytics: new AnalyticsService({ now, gateway: engineGateway, settings, logger: logger.child({ svc: 'analytics' }) }),
  };

  const handlers: Handlers = {
    ...systemHandlers(services),
    ...workspaceHandlers(services),
    ...dataHandlers(services),
    ...jobHandlers(services),
    ...gatewayHandlers(services),
    ...modelHandlers(services),
    ...vectorHandlers(services),
    ...insightHandlers(services),
    ...engineHandlers(services),
    ...voiceHandlers(services),
    ...actionHandlers(services),
    ...copilotHandlers(services),
    ...reportHandlers(services),
    ...analyticsHandlers(services),
  };

  if (ports.resumeJobs !== false) jobs.resumeInterrupted(ports.resumeJobs === 'blocking' ? 'blocking' : 'all');
  // Staged uploads of processes that are gone (a killed import, an upload never imported) are removed at start.
  try {
    imports.sweepStaged();
  } catch (error) {
    logger.warn('could not clean staged uploads', { error });
  }
  // Long-running hosts load the exact tokenizer in the background (a few hundred ms of CPU, once); one-shot CLI
  // commands and tests estimate with the character heuristic instead.
  let warmTimer: NodeJS.Timeout | null = null;
  if (ports.host === 'electron' || ports.host === 'web') {
    warmTimer = setTimeout(() => void gateway.warm().catch((error: unknown) => logger.warn('tokenizer did not load', { error })), 3000);
    warmTimer.unref();
  }
  // Only long-lived hosts run the scheduler; the CLI runs due tasks on request (schedule run-due), tests drive it.
  if (ports.host === 'electron' || ports.host === 'web') scheduler.start();

  const invoke = (route: unknown, input: unknown, options: InvokeOptions = {}): Promise<unknown> => {
    const profile = options.profileId ? profiles.get(options.profileId) : profiles.active();
    return dispatch(handlers, route, input, { profile, host: ports.host, signal: options.signal }, logger, workspaces, rateLimiter);
  };

  let disposed = false;
  return {
    invoke,
    call: (route, input, options) => invoke(route, input, options) as Promise<never>,
    events,
    services,
    handlers,
    activeProfile: () => profiles.active(),
    async dispose() {
      if (disposed) return;
      disposed = true;
      scheduler.dispose();
      vectors.dispose();
      if (warmTimer) clearTimeout(warmTimer);
      streams.dispose();
      copilot.dispose();
      await gateway.dispose();
      await jobs.dispose();
      await localEmbeddings.dispose();
      models.dispose();
      voice?.dispose();
      await voiceEngine.dispose();
      await localRuntime.dispose();
      await workspaces.dispose();
      appDb.close();
    },
  };
}
