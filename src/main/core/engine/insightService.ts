import type { CoachingReport, InsightCard } from '@shared/contract';
import { AppError } from '@shared/errors';
import type { Insight, InsightAction, InsightStatus, InsightSummary } from '@shared/insights';
import type { EventBus } from '../eventBus';
import type { InsightEngine } from './engine';
import { deleteInsight, getRow, iso, toInsight, toSummary, type InsightRow } from './insightStore';
import { countBy, listInsights, severityCounts, statusCounts, type InsightFilter, type InsightSortColumn } from './insightQuery';
import { expireInsights, revertTransition, transition } from './lifecycle';

const OPEN = ['completed', 'acknowledged'] as const;

export interface DashboardSummary {
  severityCounts: Record<string, number>;
  statusCounts: Record<string, number>;
  domainCounts: Record<string, number>;
  openTotal: number;
  last24h: number;
  anomalies: InsightCard[];
  trends: InsightCard[];
  lastDetectorsRunAt: string | null;
  coaching: CoachingReport['summary'] | null;
}

/** Reading insights and moving them through their lifecycle, for the browser, the dashboard and the CLI. */
export class InsightService {
  constructor(
    private readonly deps: {
      engine: InsightEngine;
      events: EventBus;
      now: () => Date;
    },
  ) {}

  list(workspace: string, f: InsightFilter & { sort?: { column: InsightSortColumn; desc: boolean } | undefined; offset: number; limit: number }): { items: InsightSummary[]; total: number } {
    return listInsights(this.deps.engine.db(workspace), f);
  }

  get(workspace: string, id: string): Insight {
    const db = this.deps.engine.db(workspace);
    const row = getRow(db, id);
    if (!row) throw new AppError('not_found', `There is no insight with id "${id}" in workspace "${workspace}".`, { id });
    return toInsight(db, row);
  }

  act(workspace: string, id: string, action: InsightAction, actor: string | null, note: string | null): Insight {
    const db = this.deps.engine.db(workspace);
    const row = transition(db, id, action, actor, note?.trim() || null, iso(this.deps.now()));
    this.deps.events.emit('insights.changed', { workspace, reason: 'updated', ids: [id], count: 1 });
    return toInsight(db, row);
  }

  /** Undoes the latest lifecycle change (the toast's Undo), if the insight still has the status the person saw. */
  undo(workspace: string, id: string, expected: InsightStatus, actor: string | null): Insight {
    const db = this.deps.engine.db(workspace);
    const row = revertTransition(db, id, expected, actor, iso(this.deps.now()));
    this.deps.events.emit('insights.changed', { workspace, reason: 'updated', ids: [id], count: 1 });
    return toInsight(db, row);
  }

  /** Deletes a failed or superseded insight (the list's Delete); returns its id. */
  remove(workspace: string, id: string, actor: string | null): string {
    deleteInsight(this.deps.engine.db(workspace), id, actor, iso(this.deps.now()));
    this.deps.events.emit('insights.changed', { workspace, reason: 'updated', ids: [id], count: 1 });
    return id;
  }

  /** The TTL sweep for one workspace; returns how many insights expired. */
  expire(workspace: string, actor: string | null): number {
    const ids = expireInsights(this.deps.engine.db(workspace), iso(this.deps.now()), actor);
    if (ids.length) this.deps.events.emit('insights.changed', { workspace, reason: 'expired', ids: ids.slice(0, 100), count: ids.length });
    return ids.length;
  }

  dashboard(workspace: string, extra: { lastDetectorsRunAt: string | null; coaching: CoachingReport['summary'] | null }): DashboardSummary {
    const db = this.deps.engine.db(workspace);
    const open = { statuses: [...OPEN] };
    const card = (type: 'anomaly' | 'trend'): InsightCard[] =>
      (db.prepare(`SELECT * FROM insights WHERE type = ? AND status IN ('completed', 'acknowledged') ORDER BY severity_rank DESC, created_at DESC, seq DESC LIMIT 12`).all(type) as InsightRow[]).map((r) => ({
        ...toSummary(r),
        dataPoints: r.data_points ? (JSON.parse(r.data_points) as InsightCard['dataPoints']) : [],
        fields: JSON.parse(r.fields) as Record<string, unknown>,
      }));
    const sev = severityCounts(db, open);
    return {
      severityCounts: sev,
      statusCounts: statusCounts(db),
      domainCounts: countBy(db, 'domain', open),
      openTotal: Object.values(sev).reduce((a, b) => a + b, 0),
      last24h: db.prepare('SELECT count(*) FROM insights WHERE created_at >= ?').pluck().get(iso(new Date(this.deps.now().getTime() - 86_400_000))) as number,
      anomalies: card('anomaly'),
      trends: card('trend'),
      lastDetectorsRunAt: extra.lastDetectorsRunAt,
      coaching: extra.coaching,
    };
  }
}
