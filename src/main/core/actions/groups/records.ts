import { z } from 'zod';
import { ENTITY_KEYS, ENUMS } from '@shared/entities';
import { maskRecord, maskRecords, maskText } from '@shared/masking';
import type { RecordFindQuery } from '../../repositories';
import { defineAction, entityOf, isoDate, limit, recordRef, resolveId } from '../common';
import type { ActionContext, ActionSpec } from '../types';

const visibleColumns = (entity: string): string[] => {
  const spec = entityOf(entity);
  return spec.columns.filter((c) => !c.hidden).map((c) => c.name);
};

/** A filtered list of one catalog table, masked for the caller's role. */
async function listRows(ctx: ActionContext, entity: string, q: Omit<RecordFindQuery, 'table' | 'columns'>) {
  const spec = entityOf(entity);
  const page = await ctx.repos.actionRecords.find({ table: spec.table, columns: visibleColumns(entity), ...q });
  return { entity, total: page.total, rows: maskRecords(entity, page.rows, ctx.profile.role) };
}

const eq = (pairs: Record<string, string | number | undefined>) =>
  Object.entries(pairs)
    .filter((p): p is [string, string | number] => p[1] !== undefined)
    .map(([column, value]) => ({ column, value }));

const searchRecords = defineAction({
  name: 'search_records',
  description: 'Search the workspace records by meaning and by words or codes (hybrid search). Returns the best matching records with a snippet each.',
  group: 'records',
  role: 'member',
  risk: 'read',
  domain: ['search_index'],
  input: z.object({
    query: z.string().trim().min(1).max(500).describe('What to look for, in plain words or a code'),
    k: z.number().int().min(1).max(25).default(8).describe('How many matches to return'),
    sourceTypes: z.array(z.string()).max(20).optional().describe('Only these record kinds (tickets, deals, notes, …)'),
  }),
  execute: async (ctx, args) => {
    const res = await ctx.deps.vectors.search(
      { workspace: ctx.workspace.name, query: args.query, mode: 'hybrid', k: args.k, filters: args.sourceTypes ? { sourceTypes: args.sourceTypes } : {}, prefilter: 'auto' },
      ctx.profile.id,
      ctx.signal,
    );
    const results = res.results
      .filter((r) => !r.belowFloor)
      .map((r) => ({ entity: r.sourceType, id: r.entityId, title: r.title, field: r.field, snippet: r.snippet, score: Math.round(r.score * 1000) / 1000 }));
    return { result: { matches: results, warnings: res.warnings }, touched: [] };
  },
});

const getRecord = defineAction({
  name: 'get_record',
  description: 'Read one record with the records it points at (names) and the records that point at it (first few of each kind).',
  group: 'records',
  role: 'member',
  risk: 'read',
  domain: ENTITY_KEYS,
  input: z.object({
    entity: z.enum(ENTITY_KEYS as [string, ...string[]]).describe('The record kind, e.g. tickets, deals, accounts'),
    id: recordRef('record'),
    childLimit: z.number().int().min(0).max(20).default(5).describe('How many related records of each kind'),
  }),
  execute: async (ctx, args) => {
    const id = await resolveId(ctx, args.entity, args.id);
    const detail = await ctx.deps.records.record(ctx.repos.records, args.entity, id, args.childLimit);
    const role = ctx.profile.role;
    const result = {
      entity: detail.entity,
      id: detail.id,
      title: detail.title,
      subtitle: maskText(detail.entity, detail.record, detail.subtitle, role),
      record: maskRecord(detail.entity, detail.record, role),
      refs: detail.refs,
      children: detail.children.map((c) => ({ entity: c.entity, label: c.label, total: c.total, rows: maskRecords(c.entity, c.rows, role) })),
    };
    return { result, touched: [] };
  },
});

const listDeals = defineAction({
  name: 'list_deals',
  description: 'List deals by stage, owner, account, close-date range or minimum amount, soonest close date first.',
  group: 'records',
  role: 'member',
  risk: 'read',
  domain: ['deals'],
  input: z.object({
    stage: z.array(z.enum(ENUMS.dealStage)).optional().describe('Only deals in these stages'),
    ownerId: z.number().int().positive().optional(),
    accountId: z.number().int().positive().optional(),
    closeFrom: isoDate.optional().describe('Close date on or after (YYYY-MM-DD)'),
    closeTo: isoDate.optional().describe('Close date on or before (YYYY-MM-DD)'),
    minAmount: z.number().min(0).optional(),
    limit: limit(),
  }),
  execute: async (ctx, a) => ({
    result: await listRows(ctx, 'deals', {
      equals: eq({ owner_id: a.ownerId, account_id: a.accountId }),
      oneOf: a.stage ? [{ column: 'stage', values: a.stage }] : [],
      atLeast: [...eq({ close_date: a.closeFrom }), ...eq({ amount: a.minAmount })],
      atMost: eq({ close_date: a.closeTo }),
      orderBy: { column: 'close_date', desc: false },
      limit: a.limit,
    }),
    touched: [],
  }),
});

const listTasks = defineAction({
  name: 'list_tasks',
  description: 'List CRM tasks by status, assignee, deal, account or due date, soonest due first.',
  group: 'records',
  role: 'member',
  risk: 'read',
  domain: ['tasks'],
  input: z.object({
    status: z.array(z.enum(ENUMS.taskStatus)).optional(),
    assigneeId: z.number().int().positive().optional(),
    dealId: z.number().int().positive().optional(),
    accountId: z.number().int().positive().optional(),
    dueBefore: isoDate.optional().describe('Due on or before (YYYY-MM-DD)'),
    limit: limit(),
  }),
  execute: async (ctx, a) => ({
    result: await listRows(ctx, 'tasks', {
      equals: eq({ assignee_id: a.assigneeId, deal_id: a.dealId, account_id: a.accountId }),
      oneOf: a.status ? [{ column: 'status', values: a.status }] : [],
      atMost: eq({ due_date: a.dueBefore }),
      orderBy: { column: 'due_date', desc: false },
      limit: a.limit,
    }),
    touched: [],
  }),
});

const listTickets = defineAction({
  name: 'list_tickets',
  description: 'List support tickets by status, priority, agent or account, newest first.',
  group: 'records',
  role: 'member',
  risk: 'read',
  domain: ['tickets'],
  input: z.object({
    status: z.array(z.enum(ENUMS.ticketStatus)).optional(),
    priority: z.array(z.enum(ENUMS.ticketPriority)).optional(),
    agentId: z.number().int().positive().optional(),
    accountId: z.number().int().positive().optional(),
    createdFrom: isoDate.optional().describe('Created on or after (YYYY-MM-DD)'),
    limit: limit(),
  }),
  execute: async (ctx, a) => ({
    result: await listRows(ctx, 'tickets', {
      equals: eq({ agent_id: a.agentId, account_id: a.accountId }),
      oneOf: [...(a.status ? [{ column: 'status', values: a.status }] : []), ...(a.priority ? [{ column: 'priority', values: a.priority }] : [])],
      atLeast: eq({ created_at: a.createdFrom }),
      orderBy: { column: 'created_at', desc: true },
      limit: a.limit,
    }),
    touched: [],
  }),
});

const listProjects = defineAction({
  name: 'list_projects',
  description: 'List projects by status, owner or account, soonest due first.',
  group: 'records',
  role: 'member',
  risk: 'read',
  domain: ['projects'],
  input: z.object({
    status: z.array(z.enum(ENUMS.projectStatus)).optional(),
    ownerId: z.number().int().positive().optional(),
    accountId: z.number().int().positive().optional(),
    limit: limit(),
  }),
  execute: async (ctx, a) => ({
    result: await listRows(ctx, 'projects', {
      equals: eq({ owner_id: a.ownerId, account_id: a.accountId }),
      oneOf: a.status ? [{ column: 'status', values: a.status }] : [],
      orderBy: { column: 'due_date', desc: false },
      limit: a.limit,
    }),
    touched: [],
  }),
});

export const recordActions: readonly ActionSpec[] = [searchRecords, getRecord, listDeals, listTasks, listTickets, listProjects];
