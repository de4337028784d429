import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { COACHING_CATEGORIES, COACHING_PRIORITIES, coachingInsight, type CoachingReport } from '@shared/contract';
import { AppError } from '@shared/errors';
import type { Db } from '../db/open';
import type { EventBus } from '../eventBus';
import type { ChatMessage, Gateway } from '../gateway/types';
import { ModelStepError, runModelStep, zodOutput } from '../model/modelStep';
import { filterCounts, mergeEvents, neutralize, UNTRUSTED_NOTE, untrustedBlock, type FilterEvent } from '../prompt/untrusted';
import type { JobService } from '../jobs/jobService';
import type { Logger } from '../logger';
import { createRedactor, totalRedactions, type RedactionCounts } from '../context/redact';
import type { WorkspaceService } from '../workspaces/workspaceService';
import { COACHING_SOURCES, type CoachingSource } from './coachingSources';
import { iso, writeAudit, type AuditEntry, type CallOutcome } from './insightStore';
import { toCallOutcome } from './modelOutput';
import { AI_OFF_MESSAGE, type EngineSettingsService } from './settings';

const TTL_MS = 24 * 3_600_000;
const KEEP_REPORTS = 10;

const answerSchema = z.object({ insights: z.array(coachingInsight).min(5).max(10) });

const SYSTEM = `You are an executive business coach reviewing a company's operating data across strategy, operations, finance, marketing and leadership.
Write 5 to 10 coaching insights, the most important first, spread across the categories the data supports. Answer with one JSON object {"insights": [...]}, each insight:
- "category": "strategy", "operations", "finance", "marketing" or "leadership".
- "priority": "low", "medium", "high" or "critical" (critical: needs the leadership team this week).
- "title": one short line.
- "description": two to four sentences: what the data shows, why it matters, and what is at stake.
- "suggestedActions": two to four concrete actions, as short sentences.
- "metrics": the figures the insight rests on, each {"name", "value"} copied from the data.
Use only the data given; if a source is missing, do not guess about it.

${UNTRUSTED_NOTE}`;

interface CoachingJob {
  workspaceId: string;
  actor: string | null;
  /** Recorded on the usage row (the scheduler's refresh is labelled scheduled). */
  trigger?: 'on_demand' | 'scheduled';
}

interface ReportRow {
  id: string;
  created_at: string;
  expires_at: string;
  report: string;
  missing_sources: string;
  provider: string | null;
  model: string | null;
  fallback_used: number;
  tokens_in: number;
  tokens_out: number;
  cost_usd: number;
}

const norm = (v: unknown): unknown => (typeof v === 'string' ? v.trim().toLowerCase().replace(/[\s-]+/g, '_') : v);

/** Light coercion before validation: enum case, a lone action string, numbers as metric values, too many items. */
function coerce(value: Record<string, unknown>): unknown {
  const items = Array.isArray(value.insights) ? value.insights.slice(0, 10) : value.insights;
  if (!Array.isArray(items)) return value;
  return {
    insights: items.map((raw: unknown) => {
      const i = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
      const actions = i.suggestedActions ?? i.suggested_actions ?? i.actions;
      const metrics = Array.isArray(i.metrics) ? i.metrics : [];
      return {
        category: norm(i.category),
        priority: norm(i.priority),
        title: i.title,
        description: i.description,
        suggestedActions: typeof actions === 'string' ? [actions] : actions,
        metrics: metrics.map((m: unknown) => {
          const r = (typeof m === 'object' && m !== null ? m : {}) as Record<string, unknown>;
          return { name: String(r.name ?? ''), value: typeof r.value === 'string' ? r.value : JSON.stringify(r.value ?? '') };
        }),
      };
    }),
  };
}

/** Sent non-strict (the model step's default), so an answer with a flaw reaches the coercion instead of a refusal. */
const output = zodOutput('coaching', answerSchema, { coerce });

/**
 * Workspace coaching: 5–10 insights across strategy, operations, finance, marketing and leadership, cached for a
 * day. Each data source is read on its own; if one fails the report is built from the rest and names the missing one.
 */
export class CoachingService {
  constructor(
    private readonly deps: {
      jobs: JobService;
      workspaces: WorkspaceService;
      settings: EngineSettingsService;
      gateway: () => Gateway;
      events: EventBus;
      logger: Logger;
      now: () => Date;
      /** Replaceable for tests of the missing-source path. */
      sources?: readonly CoachingSource[];
    },
  ) {
    deps.jobs.register<CoachingJob, CoachingReport>('engine.coaching', {
      resumable: false,
      run: (p, ctx) => {
        const row = deps.workspaces.byId(p.workspaceId);
        if (!row) throw new AppError('not_found', 'The workspace of this coaching report no longer exists.');
        ctx.progress({ phase: 'reading the data', done: 0, total: 2 });
        return this.generate(row.name, p.actor, ctx.signal, () => ctx.progress({ phase: 'asking the model', done: 1, total: 2 }), p.trigger ?? 'on_demand');
      },
    });
  }

  get(workspace: string): { report: CoachingReport | null; stale: boolean } {
    const db = this.deps.workspaces.open(workspace);
    const row = db.prepare('SELECT * FROM coaching_reports ORDER BY created_at DESC, rowid DESC LIMIT 1').get() as ReportRow | undefined;
    if (!row) return { report: null, stale: true };
    return { report: this.toReport(row), stale: row.expires_at <= iso(this.deps.now()) };
  }

  startRefresh(workspace: string, actor: string | null, trigger: 'on_demand' | 'scheduled' = 'on_demand'): string {
    if (!this.deps.settings.get().aiEnabled) throw new AppError('unavailable', AI_OFF_MESSAGE);
    const row = this.deps.workspaces.resolve(workspace);
    this.deps.workspaces.openRow(row);
    return this.deps.jobs.start('engine.coaching', { workspaceId: row.id, actor, trigger } satisfies CoachingJob, { workspaceId: row.id, createdBy: actor }).jobId;
  }

  /** Reads every source, asks the model (retrying an unusable answer per settings), and caches the report. */
  async generate(workspace: string, actor: string | null, signal?: AbortSignal, onAsking?: () => void, trigger: 'on_demand' | 'scheduled' = 'on_demand'): Promise<CoachingReport> {
    const { settings, now } = this.deps;
    const s = settings.get();
    if (!s.aiEnabled) throw new AppError('unavailable', AI_OFF_MESSAGE);
    const db = this.deps.workspaces.open(workspace);
    const redactor = createRedactor(s.redaction);
    const sections: string[] = [];
    const sources: string[] = [];
    const missing: { source: string; reason: string }[] = [];
    // Names, goals, KPI labels and the business foundation are typed in by people: untrusted, like any record text.
    const found: FilterEvent[][] = [];
    const clean = (text: string): string => {
      const out = neutralize(text);
      if (out.filtered) found.push(out.events);
      return out.text;
    };
    for (const src of this.deps.sources ?? COACHING_SOURCES) {
      try {
        const data = src.read(db);
        const metrics = Object.entries(data.metrics).map(([k, v]) => `- ${clean(k)}: ${clean(v)}`);
        sections.push(`## ${src.label}\n${data.lines.map(clean).join('\n')}${metrics.length ? `\nKey figures:\n${metrics.join('\n')}` : ''}`);
        sources.push(src.key);
      } catch (error) {
        this.deps.logger.warn('coaching source failed', { workspace, source: src.key, error });
        missing.push({ source: src.key, reason: error instanceof Error ? error.message : String(error) });
      }
    }
    if (sources.length === 0) throw new AppError('unavailable', `No data source could be read for coaching (${missing.map((m) => m.source).join(', ')}); check the workspace data.`);
    const data = redactor.redact(sections.join('\n\n'));
    const filtered = mergeEvents(found);
    const note = missing.length ? `\n\nThese sources could not be read and are missing: ${missing.map((m) => m.source).join(', ')}.` : '';
    const messages: ChatMessage[] = [
      { role: 'system', content: SYSTEM },
      { role: 'user', content: `Today: ${iso(now()).slice(0, 10)}.${note}\n\n${untrustedBlock('data', data)}` },
    ];
    onAsking?.();
    let call: CallOutcome;
    let insights: z.infer<typeof answerSchema>['insights'];
    try {
      const step = await runModelStep(this.deps.gateway(), { meta: { workspace, useCase: 'coaching', profileId: actor, subject: 'coaching', trigger }, messages, output, retries: s.outputRetries, signal });
      call = toCallOutcome(step.tally);
      insights = step.value.insights;
    } catch (error) {
      if (error instanceof ModelStepError && error.failure === 'invalid_output') {
        throw new AppError('provider_error', `Coaching insights could not be generated: the model's answer could not be used (${error.problem ?? 'it was not JSON'}). Try again, or pick another model for the "coaching" policy.`, error.details);
      }
      const e = AppError.wrap(error);
      throw new AppError(e.code, `Coaching insights could not be generated: ${e.message}`, e.details);
    }
    return this.save(db, workspace, insights, sources, missing, call, actor, redactor.counts, filtered);
  }

  private save(
    db: Db,
    workspace: string,
    insights: CoachingReport['insights'],
    sources: string[],
    missing: CoachingReport['missingSources'],
    call: CallOutcome,
    actor: string | null,
    redactions: RedactionCounts,
    filtered: FilterEvent[],
  ): CoachingReport {
    const created = this.deps.now();
    const id = `coach_${randomBytes(6).toString('hex')}`;
    const row: ReportRow = {
      id,
      created_at: iso(created),
      expires_at: iso(new Date(created.getTime() + TTL_MS)),
      report: JSON.stringify({ insights, sources }),
      missing_sources: JSON.stringify(missing),
      provider: call.provider,
      model: call.model,
      fallback_used: call.fallbackUsed ? 1 : 0,
      tokens_in: call.tokensIn,
      tokens_out: call.tokensOut,
      cost_usd: call.costUsd,
    };
    db.transaction(() => {
      db.prepare(
        `INSERT INTO coaching_reports (id, created_at, expires_at, report, missing_sources, provider, model, endpoint, fallback_used, tokens_in, tokens_out, cost_usd, latency_ms, actor)
         VALUES (@id, @created_at, @expires_at, @report, @missing_sources, @provider, @model, @endpoint, @fallback_used, @tokens_in, @tokens_out, @cost_usd, @latency_ms, @actor)`,
      ).run({ ...row, endpoint: call.endpoint, latency_ms: call.latencyMs, actor });
      db.prepare('DELETE FROM coaching_reports WHERE id NOT IN (SELECT id FROM coaching_reports ORDER BY created_at DESC, rowid DESC LIMIT ?)').run(KEEP_REPORTS);
      const audit: AuditEntry[] = [{ at: row.created_at, actor, action: 'coaching.generated', details: { insights: insights.length, missingSources: missing.map((m) => m.source), tokens: call.tokensIn + call.tokensOut, costUsd: call.costUsd } }];
      if (totalRedactions(redactions) > 0) audit.push({ at: row.created_at, actor, action: 'context.redacted', details: { counts: redactions } });
      if (filtered.length > 0) audit.push({ at: row.created_at, actor, action: 'context.filtered', details: { counts: filterCounts(filtered) } });
      writeAudit(db, audit);
    })();
    this.deps.events.emit('coaching.changed', { workspace });
    return this.toReport(row);
  }

  private toReport(r: ReportRow): CoachingReport {
    const body = JSON.parse(r.report) as { insights: CoachingReport['insights']; sources: string[] };
    const byCategory = Object.fromEntries(COACHING_CATEGORIES.map((c) => [c, body.insights.filter((i) => i.category === c).length]));
    const byPriority = Object.fromEntries(COACHING_PRIORITIES.map((p) => [p, body.insights.filter((i) => i.priority === p).length]));
    return {
      id: r.id,
      createdAt: r.created_at,
      expiresAt: r.expires_at,
      insights: body.insights,
      summary: { byCategory, byPriority },
      missingSources: JSON.parse(r.missing_sources) as CoachingReport['missingSources'],
      sources: body.sources,
      provider: r.provider,
      model: r.model,
      fallbackUsed: r.fallback_used === 1,
      tokensIn: r.tokens_in,
      tokensOut: r.tokens_out,
      costUsd: r.cost_usd,
    };
  }
}
