import { AppError } from '@shared/errors';
import { meetsLevel } from '@shared/notify';
import type { Factor, Recommendation, Trigger } from '@shared/insights';
import type { Db } from '../db/open';
import type { EventBus } from '../eventBus';
import type { Gateway } from '../gateway/types';
import type { Logger } from '../logger';
import { buildContext, type BuiltContext } from '../context/build';
import { getContextBuilder } from '../context/registry';
import { ground, type Grounded, type GroundingProvider } from '../context/grounding';
import { PII_KINDS, totalRedactions, type RedactionCounts } from '../context/redact';
import { failureCode, ModelStepError, runModelStep } from '../model/modelStep';
import { getPersona } from '../personas/registry';
import type { PersonaSpec } from '../personas/types';
import { describeThreats, filterCounts, mergeEvents } from '../prompt/untrusted';
import type { WorkspaceService } from '../workspaces/workspaceService';
import { checkEvidence } from './evidence';
import { completeInsight, dropCancelled, failInsight, insertPending, iso, newInsightId, NO_CALL, openInsightFor, supersedeOlder, type AuditEntry, type CallOutcome } from './insightStore';
import { failStalePending } from './lifecycle';
import { personaOutput, toCallOutcome } from './modelOutput';
import { buildMessages, promptVersion } from './prompt';
import { classifySeverity, renderTitle } from './severity';
import { AI_OFF_MESSAGE, personaOffMessage, type EngineSettingsService } from './settings';

export interface AnalyzeOptions {
  trigger: Trigger;
  /** Profile id of the person who asked, or null for the scheduler. */
  actor: string | null;
  runId?: string | null;
  signal?: AbortSignal | undefined;
  /** A context built beforehand (scans build them in a worker). */
  context?: BuiltContext;
  /** Scans batch their own insights.changed events. */
  quiet?: boolean;
  /** Analyse even when the open insight about this record was made from the same context ("Analyze again"). */
  force?: boolean;
  /** Insights this run replaces whatever its outcome (a retried failure). */
  supersedes?: readonly string[];
}

export interface AnalyzeOutcome {
  /** The insight written; for 'unchanged', the open insight that still holds; null when cancelled (nothing kept). */
  insightId: string | null;
  /**
   * completed or failed: one insight written. unchanged: the record's context hashes the same as its open insight's,
   * so nothing was asked. cancelled: the run was stopped before an answer; no insight is kept (ADR 0098).
   */
  status: 'completed' | 'failed' | 'unchanged' | 'cancelled';
  errorCode: string | null;
  errorMessage: string | null;
  tokens: number;
  /** Milliseconds spent waiting for the model (the rest is engine overhead). */
  modelMs: number;
}

const PENDING_STALE_MS = 15 * 60_000;

/**
 * The persona pipeline: gates → context (record text neutralised) → prompt → the model step (gateway, parse,
 * validate, re-ask, tally) → severity and title → persist with an audit trail. The engine reads persona specs and
 * never branches on which persona it runs. Every analysis ends as exactly one completed or failed insight, written
 * in one transaction.
 */
export class InsightEngine {
  private readonly swept = new Set<string>();
  private readonly handles = new Map<string, Db>();

  constructor(
    private readonly deps: {
      workspaces: WorkspaceService;
      settings: EngineSettingsService;
      gateway: () => Gateway;
      /** The search index's related-records lookup, once a workspace has one (optional). */
      grounding?: () => GroundingProvider | null;
      events: EventBus;
      logger: Logger;
      now: () => Date;
    },
  ) {}

  /** Throws unless AI is on and the persona is switched on. */
  checkGates(spec: PersonaSpec): void {
    const s = this.deps.settings.get();
    if (!s.aiEnabled) throw new AppError('unavailable', AI_OFF_MESSAGE);
    if (!this.deps.settings.personaEnabled(spec)) {
      throw new AppError('unavailable', personaOffMessage(spec.name, spec.key), { persona: spec.key });
    }
  }

  /**
   * The workspace database, with pending insights left over from a stopped run failed once per session. The handle
   * is kept for the next call; a deleted workspace closes it, which sends the next call back to the registry.
   */
  db(workspace: string): Db {
    const hit = this.handles.get(workspace);
    if (hit?.open) return hit;
    const db = this.deps.workspaces.open(workspace);
    this.handles.set(workspace, db);
    if (!this.swept.has(workspace)) {
      this.swept.add(workspace);
      const now = this.deps.now();
      failStalePending(db, iso(now), { before: iso(new Date(now.getTime() - PENDING_STALE_MS)) });
    }
    return db;
  }

  buildContext(db: Db, spec: PersonaSpec, entityId: number): BuiltContext {
    const settings = this.deps.settings.get();
    const ctx = buildContext(db, getContextBuilder(spec.contextBuilder), entityId, {
      budgetChars: spec.contextBudgetChars,
      redaction: settings.redaction,
      hashSalt: `${spec.key}@${spec.version}`,
    });
    if (!ctx) throw new AppError('not_found', `There is no record ${entityId} in ${spec.entityType} for ${spec.name} to analyse.`, { entityType: spec.entityType, entityId });
    return ctx;
  }

  /** Runs one persona on one record and returns how it ended. Gate failures throw before anything is written. */
  async analyze(workspace: string, personaKey: string, entityId: number, options: AnalyzeOptions): Promise<AnalyzeOutcome> {
    const spec = getPersona(personaKey);
    this.checkGates(spec);
    const db = this.db(workspace);
    const ctx = options.context ?? this.buildContext(db, spec, entityId);
    if (!options.force) {
      const open = openInsightFor(db, spec.key, ctx.entityId, iso(this.deps.now()));
      if (open && open.context_hash === ctx.hash) return { insightId: open.id, status: 'unchanged', errorCode: null, errorMessage: null, tokens: 0, modelMs: 0 };
    }
    return this.run(db, workspace, spec, ctx, options);
  }

  private announce(workspace: string, id: string, superseded: readonly string[], o: AnalyzeOptions): void {
    if (superseded.length) this.deps.events.emit('insights.changed', { workspace, reason: 'updated', ids: superseded.slice(0, 100), count: superseded.length });
    if (!o.quiet) this.deps.events.emit('insights.changed', { workspace, reason: 'created', ids: [id], count: 1 });
  }

  /** How many insights a persona made with this trigger since `sinceIso` (the event trigger's hourly cap). */
  countSince(workspace: string, personaKey: string, trigger: Trigger, sinceIso: string): number {
    return this.db(workspace).prepare('SELECT count(*) FROM insights WHERE persona_key = ? AND trigger = ? AND created_at >= ?').pluck().get(personaKey, trigger, sinceIso) as number;
  }

  /** Related records from the search index; never fails an analysis (a problem becomes a warning). */
  private async ground(workspace: string, spec: PersonaSpec, ctx: BuiltContext, o: AnalyzeOptions): Promise<{ grounded: Grounded | null; warning: string | null }> {
    const s = this.deps.settings.get();
    const provider = s.grounding.enabled ? this.deps.grounding?.() : null;
    if (!provider) return { grounded: null, warning: null };
    try {
      const grounded = await ground(provider, workspace, { entityType: spec.entityType, entityId: ctx.entityId }, { k: s.grounding.k, charBudget: s.grounding.charBudget, redaction: s.redaction, profileId: o.actor, signal: o.signal });
      return { grounded, warning: null };
    } catch (error) {
      if (o.signal?.aborted) throw error;
      this.deps.logger.warn('grounding failed', { persona: spec.key, entityId: ctx.entityId, error });
      return { grounded: null, warning: 'Related records from the search index could not be added; the analysis used the record alone.' };
    }
  }

  private async run(db: Db, workspace: string, spec: PersonaSpec, ctx: BuiltContext, o: AnalyzeOptions): Promise<AnalyzeOutcome> {
    const { now, logger } = this.deps;
    const { grounded, warning: groundingWarning } = await this.ground(workspace, spec, ctx, o);
    const redactions: RedactionCounts = grounded ? (Object.fromEntries(PII_KINDS.map((k) => [k, ctx.redactions[k] + grounded.redactions[k]])) as RedactionCounts) : ctx.redactions;
    const id = newInsightId();
    const createdAt = iso(now());
    const base = { insightId: id, personaKey: spec.key, entityType: spec.entityType, entityId: ctx.entityId };
    insertPending(db, {
      id,
      type: 'persona',
      personaKey: spec.key,
      personaVersion: spec.version,
      promptVersion: promptVersion(spec),
      domain: spec.domain,
      entityType: spec.entityType,
      entityId: ctx.entityId,
      entityTitle: ctx.entityTitle,
      trigger: o.trigger,
      actor: o.actor,
      runId: o.runId ?? null,
      createdAt,
      contextHash: ctx.hash,
      contextChars: ctx.chars + (grounded ? grounded.text.length : 0),
      redactions,
    });
    const audit: AuditEntry[] = [];
    if (totalRedactions(redactions) > 0) {
      audit.push({ at: createdAt, actor: o.actor, action: 'context.redacted', ...base, details: { counts: redactions } });
    }
    const filtered = mergeEvents([ctx.filtered, grounded?.filtered ?? []]);
    if (filtered.length > 0) {
      audit.push({ at: createdAt, actor: o.actor, action: 'context.filtered', ...base, details: { counts: filterCounts(filtered) } });
    }
    let call: CallOutcome = { ...NO_CALL };
    let modelMs = 0;
    try {
      const settings = this.deps.settings.get();
      const warnings: string[] = groundingWarning ? [groundingWarning] : [];
      const step = await runModelStep(this.deps.gateway(), {
        // Model, temperature, output cap, timeout and fallback come from the workspace's policy for persona.<key>
        // (the shipped policy serves each persona's defaultPolicy); a request never overrides an admin's policy.
        meta: { workspace, useCase: `persona.${spec.key}`, profileId: o.actor, subject: `insight:${id}`, trigger: o.trigger },
        messages: buildMessages(spec, ctx, createdAt, grounded?.text),
        output: personaOutput(spec),
        retries: settings.outputRetries,
        signal: o.signal,
      }).catch((error: unknown) => {
        if (error instanceof ModelStepError) {
          call = toCallOutcome(error.tally);
          modelMs = error.tally.modelMs;
        }
        throw error;
      });
      call = toCallOutcome(step.tally);
      modelMs = step.tally.modelMs;
      warnings.push(...step.warnings);
      const answer = step.value;
      const threats = describeThreats(filtered);
      if (threats) warnings.push(threats);

      const out = answer.value;
      const evidence = checkEvidence(out.factors as Factor[], new Set([...ctx.refs, ...(grounded?.refs ?? [])]));
      if (evidence.dropped > 0) warnings.push(`${evidence.dropped} evidence reference(s) to records the prompt did not contain were dropped.`);
      const { summary, recommendations, confidence, factors: _f, ...fields } = out;
      const severity = classifySeverity(spec.severity, out);
      const title = renderTitle(spec.title, { ...out, entityTitle: ctx.entityTitle });
      const completedAt = iso(now());
      audit.push({
        at: completedAt,
        actor: o.actor,
        action: 'insight.completed',
        ...base,
        details: { trigger: o.trigger, severity, provider: call.provider, model: call.model, fallbackUsed: call.fallbackUsed, tokens: call.tokensIn + call.tokensOut, costUsd: call.costUsd, defaulted: answer.defaulted.length, grounded: grounded?.count ?? 0, evidenceDropped: evidence.dropped },
      });
      let superseded: string[] = [];
      db.transaction(() => {
        completeInsight(
          db,
          id,
          {
            severity,
            title,
            summary: String(summary),
            confidence: confidence as number,
            recommendations: recommendations as Recommendation[],
            factors: evidence.factors,
            fields,
            defaultedFields: answer.defaulted,
            warnings,
            completedAt,
            expiresAt: iso(new Date(now().getTime() + spec.ttlHours * 3_600_000)),
          },
          call,
          audit,
        );
        superseded = supersedeOlder(db, id, spec.key, ctx.entityId, completedAt, o.actor, o.supersedes);
      })();
      this.announce(workspace, id, superseded, o);
      const level = this.deps.settings.get().notifications.minSeverity;
      if (meetsLevel(severity, level)) this.deps.events.emit('insights.alert', { workspace, id, title, severity });
      return { insightId: id, status: 'completed', errorCode: null, errorMessage: null, tokens: call.tokensIn + call.tokensOut, modelMs };
    } catch (error) {
      const e = AppError.wrap(error, error instanceof Error ? `The analysis failed: ${error.message}` : undefined);
      const code = failureCode(e);
      if (e.code === 'internal') logger.error('analysis failed', { persona: spec.key, entityId: ctx.entityId, error });
      const at = iso(now());
      const tokens = call.tokensIn + call.tokensOut;
      if (code === 'cancelled' || o.signal?.aborted) {
        // Stopped by a person (or the app shutting down): not a failure and not a finding. The audit keeps the trace;
        // whatever the call cost is in the usage ledger.
        audit.push({ at, actor: o.actor, action: 'analysis.cancelled', ...base, insightId: null, details: { trigger: o.trigger, tokens } });
        dropCancelled(db, id, audit);
        return { insightId: null, status: 'cancelled', errorCode: 'cancelled', errorMessage: e.message, tokens, modelMs };
      }
      audit.push({ at, actor: o.actor, action: 'insight.failed', ...base, details: { trigger: o.trigger, code, tokens } });
      let superseded: string[] = [];
      db.transaction(() => {
        failInsight(db, id, { code, message: e.message }, `${ctx.entityTitle}: ${spec.name} could not analyse this`, call, at, audit);
        // A retried failure is replaced by the retry's own outcome; open findings stay until a run succeeds.
        if (o.supersedes?.length) superseded = supersedeOlder(db, id, spec.key, ctx.entityId, at, o.actor, o.supersedes).filter((x) => o.supersedes!.includes(x));
      })();
      this.announce(workspace, id, superseded, o);
      return { insightId: id, status: 'failed', errorCode: code, errorMessage: e.message, tokens: call.tokensIn + call.tokensOut, modelMs };
    }
  }
}
