import { AppError } from '@shared/errors';
import type { Trigger } from '@shared/insights';
import { getSqliteNativeBinding } from '../../db/open';
import type { EventBus } from '../../eventBus';
import type { JobService } from '../../jobs/jobService';
import type { WorkerLauncher } from '../../ports';
import { runTask } from '../../workers/runTask';
import type { WorkspaceService } from '../../workspaces/workspaceService';
import { insertFinding, iso, newInsightId, writeAudit } from '../insightStore';
import { dedupKey, findingFields } from './findings';
import { findMetric } from './metrics';

interface DetectJob {
  workspaceId: string;
  trigger: Trigger;
  actor: string | null;
}

export interface DetectJobResult {
  series: number;
  findings: number;
  created: number;
  alreadyKnown: number;
  metrics: Record<string, { series: number; findings: number; error?: string }>;
}

/** Most insights one detector run creates; the newest and strongest findings go first. */
const MAX_CREATED = 200;
const LAST_RUN_KEY = 'engine.detectors.lastRunAt';

/** The model-free dashboard agents: anomaly and trend detection over workspace metrics, as a job. */
export class DetectorService {
  constructor(
    private readonly deps: { jobs: JobService; workspaces: WorkspaceService; events: EventBus; now: () => Date; launchWorker: WorkerLauncher },
  ) {
    deps.jobs.register<DetectJob, DetectJobResult>('engine.detectors', { resumable: false, run: (p, ctx) => this.run(p, ctx.signal, ctx.progress) });
  }

  start(workspace: string, trigger: Trigger, actor: string | null): string {
    const row = this.deps.workspaces.resolve(workspace);
    this.deps.workspaces.openRow(row);
    return this.deps.jobs.start('engine.detectors', { workspaceId: row.id, trigger, actor } satisfies DetectJob, { workspaceId: row.id, createdBy: actor }).jobId;
  }

  lastRunAt(workspace: string): string | null {
    const db = this.deps.workspaces.open(workspace);
    return (db.prepare('SELECT value FROM workspace_meta WHERE key = ?').pluck().get(LAST_RUN_KEY) as string | undefined) ?? null;
  }

  async run(p: DetectJob, signal: AbortSignal, progress: (u: { phase: string; done: number; total?: number | null }) => void): Promise<DetectJobResult> {
    const row = this.deps.workspaces.byId(p.workspaceId);
    if (!row) throw new AppError('not_found', 'The workspace of this detector run no longer exists.');
    const db = this.deps.workspaces.openRow(row);
    const detected = await runTask(this.deps.launchWorker, 'engine.detect', { dbFile: this.deps.workspaces.fileOf(row) }, { signal, onProgress: progress, nativeBinding: getSqliteNativeBinding() });
    progress({ phase: 'saving', done: 0, total: detected.findings.length });
    const nowIso = iso(this.deps.now());
    const ordered = [...detected.findings].sort((a, b) => b.end.localeCompare(a.end) || Math.abs(b.magnitude) - Math.abs(a.magnitude));
    const exists = db.prepare('SELECT 1 FROM insights WHERE dedup_key = ? AND (status <> ? OR ?) LIMIT 1').pluck();
    const ids: string[] = [];
    let alreadyKnown = 0;
    db.transaction(() => {
      for (const f of ordered) {
        if (ids.length >= MAX_CREATED) break;
        const metric = findMetric(f.metric);
        if (!metric) continue;
        const key = dedupKey(f);
        if (exists.get(key, 'expired', f.method === 'zscore' ? 1 : 0)) {
          alreadyKnown++;
          continue;
        }
        const id = newInsightId();
        insertFinding(db, {
          id,
          type: f.kind === 'spike' || f.kind === 'drop' ? 'anomaly' : 'trend',
          domain: metric.domain,
          entityType: f.entityType,
          entityId: f.entityId,
          entityTitle: f.entityTitle,
          dedupKey: key,
          trigger: p.trigger,
          actor: p.actor,
          runId: null,
          createdAt: nowIso,
          fields: findingFields(metric, f, nowIso),
        });
        ids.push(id);
      }
      writeAudit(db, [{ at: nowIso, actor: p.actor, action: 'detectors.run', details: { series: detected.series, findings: detected.findings.length, created: ids.length, alreadyKnown } }]);
      db.prepare('INSERT INTO workspace_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(LAST_RUN_KEY, nowIso);
    })();
    if (ids.length) this.deps.events.emit('insights.changed', { workspace: row.name, reason: 'detected', ids: ids.slice(0, 100), count: ids.length });
    return { series: detected.series, findings: detected.findings.length, created: ids.length, alreadyKnown, metrics: detected.metrics };
  }
}
