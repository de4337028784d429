import { z } from 'zod';
import { defineAction, isoDate, limit } from '../common';
import type { ActionSpec } from '../types';

const OPEN_STAGES = new Set(['prospecting', 'qualification', 'proposal', 'negotiation']);

const pipelineSummary = defineAction({
  name: 'pipeline_summary',
  description: 'Pipeline figures: deals, total and probability-weighted amount per stage, with open, won and lost totals and the win rate.',
  group: 'figures',
  role: 'member',
  risk: 'read',
  domain: ['deals'],
  input: z.object({
    ownerId: z.number().int().positive().optional().describe('Only this owner’s deals'),
    closeFrom: isoDate.optional().describe('Close date on or after (YYYY-MM-DD)'),
    closeTo: isoDate.optional().describe('Close date on or before (YYYY-MM-DD)'),
  }),
  execute: async (ctx, a) => {
    const stages = await ctx.repos.actionRecords.pipeline({ ownerId: a.ownerId, closeFrom: a.closeFrom, closeTo: a.closeTo });
    const sum = (pick: (s: (typeof stages)[number]) => boolean) =>
      stages.filter(pick).reduce((acc, s) => ({ deals: acc.deals + s.deals, amount: acc.amount + s.amount, weighted: acc.weighted + s.weighted }), { deals: 0, amount: 0, weighted: 0 });
    const open = sum((s) => OPEN_STAGES.has(s.stage));
    const won = sum((s) => s.stage === 'closed_won');
    const lost = sum((s) => s.stage === 'closed_lost');
    const decided = won.deals + lost.deals;
    return {
      result: { stages, open, won, lost, winRate: decided ? Math.round((won.deals / decided) * 1000) / 1000 : null },
      touched: [],
    };
  },
});

const kpiFigures = defineAction({
  name: 'kpi_figures',
  description: 'Key performance indicators: current value against target, which direction is better, and whether each is on target.',
  group: 'figures',
  role: 'member',
  risk: 'read',
  domain: ['kpis', 'goals'],
  input: z.object({ goalId: z.number().int().positive().optional().describe('Only the KPIs of this goal'), limit: limit(100, 50) }),
  execute: async (ctx, a) => {
    const page = await ctx.repos.actionRecords.find({
      table: 'kpis',
      columns: ['id', 'goal_id', 'name', 'unit', 'target', 'current', 'direction'],
      equals: a.goalId ? [{ column: 'goal_id', value: a.goalId }] : [],
      orderBy: { column: 'name', desc: false },
      limit: a.limit,
    });
    const kpis = page.rows.map((r) => {
      const target = r.target === null ? null : Number(r.target);
      const current = r.current === null ? null : Number(r.current);
      const onTarget = target === null || current === null ? null : r.direction === 'down' ? current <= target : current >= target;
      return { ...r, target, current, onTarget };
    });
    return { result: { total: page.total, kpis, onTarget: kpis.filter((k) => k.onTarget === true).length }, touched: [] };
  },
});

export const figureActions: readonly ActionSpec[] = [pipelineSummary, kpiFigures];
