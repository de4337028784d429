import { z } from 'zod';
import { AppError } from '@shared/errors';
import { ACTION_FROM, INSIGHT_ACTIONS, INSIGHT_STATUSES, SEVERITIES, type InsightAction } from '@shared/insights';
import { getPersona, PERSONAS } from '../../personas/registry';
import { defineAction, limit, recordRef, resolveId, titleOf, loadRecord } from '../common';
import type { ActionSpec } from '../types';

const PERSONA_KEYS = PERSONAS.map((p) => p.key) as [string, ...string[]];

const listInsights = defineAction({
  name: 'list_insights',
  description: 'List insights (findings of the analysis personas and detectors) by status, severity, persona or the record they are about, newest first.',
  group: 'insights',
  role: 'member',
  risk: 'read',
  domain: ['insights'],
  input: z.object({
    status: z.array(z.enum(INSIGHT_STATUSES)).optional(),
    severity: z.array(z.enum(SEVERITIES)).optional(),
    persona: z.array(z.enum(PERSONA_KEYS)).optional(),
    entityType: z.string().max(64).optional().describe('Only insights about records of this kind'),
    entityId: z.number().int().positive().optional().describe('Only insights about this record (with entityType)'),
    search: z.string().max(200).optional(),
    limit: limit(),
  }),
  execute: async (ctx, a) => {
    const page = ctx.deps.insights.list(ctx.workspace.name, {
      statuses: a.status,
      severities: a.severity,
      personas: a.persona,
      entityType: a.entityType,
      entityId: a.entityId,
      search: a.search,
      sort: { column: 'createdAt', desc: true },
      offset: 0,
      limit: a.limit,
    });
    return { result: page, touched: [] };
  },
});

const getInsight = defineAction({
  name: 'get_insight',
  description: 'Read one insight: summary, factors with evidence records, recommendations, confidence, severity and history.',
  group: 'insights',
  role: 'member',
  risk: 'read',
  domain: ['insights'],
  input: z.object({ id: z.string().min(1).max(128).describe('The insight id') }),
  execute: async (ctx, a) => ({ result: ctx.deps.insights.get(ctx.workspace.name, a.id), touched: [] }),
});

const lifecycle = (action: InsightAction, verb: string): ActionSpec =>
  defineAction({
    name: `${action}_insight`,
    description: `${verb} an insight (its lifecycle moves to ${INSIGHT_ACTIONS[action]}), with an optional note saying why.`,
    group: 'insights',
    role: 'member',
    risk: 'write',
    domain: ['insights'],
    // The insight store is still the legacy SQLite one (issue 9): its own transaction, the audit row after it.
    external: true,
    input: z.object({ id: z.string().min(1).max(128).describe('The insight id'), note: z.string().trim().max(1000).optional() }),
    preview: async (ctx, a) => {
      const insight = ctx.deps.insights.get(ctx.workspace.name, a.id);
      const to = INSIGHT_ACTIONS[action];
      if (!ACTION_FROM[action].includes(insight.status)) {
        throw new AppError('conflict', `This insight is ${insight.status}; it can only be ${to} when it is ${ACTION_FROM[action].join(' or ')}.`, { id: a.id, status: insight.status });
      }
      const fields = [{ name: 'status', before: insight.status, after: to }, ...(a.note ? [{ name: 'status_note', before: insight.statusNote, after: a.note }] : [])];
      return { summary: `${verb} insight “${insight.title}”`, changes: [{ entity: 'insights', id: insight.id, op: 'update', title: insight.title, fields }] };
    },
    execute: async (ctx, a) => {
      const insight = ctx.deps.insights.act(ctx.workspace.name, a.id, action, ctx.profile.id, a.note ?? null);
      return { result: { id: insight.id, status: insight.status, title: insight.title }, touched: [{ entity: 'insights', id: insight.id }] };
    },
  });

const runPersona = defineAction({
  name: 'run_persona',
  description: 'Run an analysis persona on one record (a model call that writes a new insight). Starts a background job and returns its id.',
  group: 'insights',
  role: 'member',
  risk: 'write',
  domain: ['insights'],
  external: true,
  input: z.object({ persona: z.enum(PERSONA_KEYS).describe('The persona key'), record: recordRef('record the persona analyses (of the persona’s entity type)') }),
  preview: async (ctx, a) => {
    const spec = getPersona(a.persona);
    const id = await resolveId(ctx, spec.entityType, a.record);
    const title = titleOf(spec.entityType, await loadRecord(ctx, spec.entityType, id));
    return {
      summary: `Run ${spec.name} on ${title} (one model call; a new insight)`,
      changes: [{ entity: 'insights', id: null, op: 'create', title: `${spec.name}: ${title}`, fields: [{ name: 'persona_key', before: null, after: spec.key }, { name: 'entity_type', before: null, after: spec.entityType }, { name: 'entity_id', before: null, after: id }] }],
    };
  },
  execute: async (ctx, a) => {
    const spec = getPersona(a.persona);
    const id = await resolveId(ctx, spec.entityType, a.record);
    const jobId = ctx.deps.scans.startAnalyze(ctx.workspace.name, spec.key, id, ctx.profile.id);
    return { result: { jobId, persona: spec.key, entity: spec.entityType, id }, touched: [{ entity: spec.entityType, id }] };
  },
});

export const insightActions: readonly ActionSpec[] = [listInsights, getInsight, lifecycle('acknowledge', 'Acknowledge'), lifecycle('action', 'Mark as actioned'), lifecycle('dismiss', 'Dismiss'), runPersona];
