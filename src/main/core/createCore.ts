import type { RouteInput, RouteName, RouteOutput } from '@shared/contract';
import type { Profile } from '@shared/contract';
import { dataPaths, openAppDb, Settings } from './app/appDb';
import { ProfileService } from './app/profiles';
import { DataService } from './data/dataService';
import { ImportService } from './data/importService';
import { configureSqlite } from './db/open';
import { CoachingService } from './engine/coaching';
import { DetectorService } from './engine/detectors/service';
import { InsightEngine } from './engine/engine';
import { InsightService } from './engine/insightService';
import { ScanService } from './engine/scanService';
import { EngineSettingsService } from './engine/settings';
import { EventBus } from './eventBus';
import { unconfiguredGateway } from './gateway/unconfigured';
import { engineHandlers } from './handlers/engine';
import { insightHandlers } from './handlers/insights';
import { dataHandlers } from './handlers/data';
import { jobHandlers } from './handlers/jobs';
import { systemHandlers } from './handlers/system';
import { workspaceHandlers } from './handlers/workspace';
import { JobService } from './jobs/jobService';
import { systemClock, type CorePorts } from './ports';
import { dispatch, type Handlers } from './router';
import type { Services } from './services';
import { SchedulerService } from './scheduler/schedulerService';
import { WorkspaceService } from './workspaces/workspaceService';

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
  const settings = new Settings(appDb);
  const events = new EventBus();
  const profiles = new ProfileService(appDb, settings, now);
  profiles.ensureDefault();
  const jobs = new JobService(appDb, events, logger.child({ svc: 'jobs' }), now);
  const workspaces = new WorkspaceService(appDb, paths, jobs, events, logger.child({ svc: 'workspaces' }), now, ports.launchWorker);
  const data = new DataService();
  const imports = new ImportService(paths.uploads, workspaces, jobs, events, ports.launchWorker, now);

  const engineGateway = () => ports.gateway ?? unconfiguredGateway;
  const engineSettings = new EngineSettingsService(settings);
  const engineLogger = logger.child({ svc: 'engine' });
  const engine = new InsightEngine({ workspaces, settings: engineSettings, gateway: engineGateway, events, logger: engineLogger, now });
  const insights = new InsightService({ engine, events, now });
  const scans = new ScanService({ jobs, workspaces, engine, settings: engineSettings, events, logger: engineLogger, now, launchWorker: ports.launchWorker });
  const detectors = new DetectorService({ jobs, workspaces, events, now, launchWorker: ports.launchWorker });
  const coaching = new CoachingService({ jobs, workspaces, settings: engineSettings, gateway: engineGateway, events, logger: engineLogger, now });
  const scheduler = new SchedulerService({ appDb, jobs, workspaces, settings: engineSettings, scans, detectors, coaching, insights, events, logger: logger.child({ svc: 'scheduler' }), now });

  const services: Services = {
    appVersion: ports.appVersion,
    paths,
    ports,
    logger,
    now,
    appDb,
    settings,
    events,
    profiles,
    jobs,
    workspaces,
    data,
    imports,
    engineSettings,
    engine,
    insights,
    scans,
    detectors,
    coaching,
    scheduler,
    engineGateway,
  };

  const handlers: Handlers = {
    ...systemHandlers(services),
    ...workspaceHandlers(services),
    ...dataHandlers(services),
    ...jobHandlers(services),
    ...insightHandlers(services),
    ...engineHandlers(services),
  };

  if (ports.resumeJobs !== false) jobs.resumeInterrupted();
  // Only long-lived hosts run the scheduler; the CLI runs due tasks on request (schedule run-due), tests drive it.
  if (ports.host === 'electron' || ports.host === 'web') scheduler.start();

  const invoke = (route: unknown, input: unknown, options: InvokeOptions = {}): Promise<unknown> => {
    const profile = options.profileId ? profiles.get(options.profileId) : profiles.active();
    return dispatch(handlers, route, input, { profile, host: ports.host, signal: options.signal }, logger);
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
      await jobs.dispose();
      workspaces.dispose();
      appDb.close();
    },
  };
}
