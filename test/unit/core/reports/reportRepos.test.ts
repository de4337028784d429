import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestCore, type TestCore } from '../../../fixtures/core';
import { requireEngine } from '../../../fixtures/engines';
import { pdfPages, pdfText } from '../../../fixtures/poppler';
import { reportFigureSource } from '../../../../src/main/core/reports/figureSource';

const { engine } = requireEngine();

/**
 * The report figures and the report repository on either engine (`npm run test:pg` runs this file on PostgreSQL):
 * a handful of rows written with Kysely, and figures the test works out by hand.
 */
describe(`report figures and history (${engine})`, () => {
  let t: TestCore;
  let out: string;
  const scope = { from: '2026-06-01', to: '2026-06-14', now: '2026-06-15T12:00:00.000Z' };

  beforeAll(async () => {
    t = makeTestCore({ clock: { now: () => new Date(scope.now) } });
    out = mkdtempSync(join(tmpdir(), 'idesk-rrepo-'));
    await t.core.call('workspace.create', { name: 'w' });
    await t.core.services.workspaces.withWorkspace('w', (ctx) =>
      ctx.transaction(async (tx) => {
        const at = '2026-05-01T10:00:00Z';
        await tx.db
          .insertInto('users')
          .values([
            { id: 1, name: 'Ana Silva', role: 'sales', team: 'North', created_at: at },
            { id: 2, name: 'Ben Okoro', role: 'sales', team: 'South', created_at: at },
          ])
          .execute();
        const deal = (id: number, stage: string, amount: number, probability: number, close: string, owner: number, source: string) => ({ id, name: `Deal ${id}`, stage, amount, probability, close_date: close, owner_id: owner, source, created_at: '2026-06-02T09:00:00Z' });
        await tx.db
          .insertInto('deals')
          .values([
            deal(1, 'closed_won', 1000, 1, '2026-06-03', 1, 'inbound'),
            deal(2, 'closed_won', 3000, 1, '2026-06-10', 1, 'partner'),
            deal(3, 'closed_lost', 500, 0, '2026-06-11', 2, 'inbound'),
            deal(4, 'closed_won', 2000, 1, '2026-06-12', 2, 'inbound'),
            deal(5, 'closed_won', 9999, 1, '2026-05-20', 2, 'inbound'), // before the range
            deal(6, 'proposal', 4000, 0.45, '2026-07-15', 1, 'inbound'),
            deal(7, 'negotiation', 6000, 0.7, '2026-08-02', 2, 'partner'),
          ])
          .execute();
        await tx.db
          .insertInto('agents')
          .values([{ id: 1, name: 'Cleo Park', team: 'Support A' }])
          .execute();
        const ticket = (id: number, created: string, resolved: string | null, due: string) => ({ id, code: `T-${id}`, subject: 's', status: resolved ? 'solved' : 'open', priority: 'high', channel: 'email', agent_id: 1, created_at: created, resolved_at: resolved, sla_due_at: due });
        await tx.db
          .insertInto('tickets')
          .values([
            ticket(1, '2026-06-02T08:00:00Z', '2026-06-02T20:00:00Z', '2026-06-03T08:00:00Z'), // 12 h, on time
            ticket(2, '2026-06-05T08:00:00Z', '2026-06-07T08:00:00Z', '2026-06-06T08:00:00Z'), // 48 h, breached
            ticket(3, '2026-06-13T08:00:00Z', null, '2026-06-14T08:00:00Z'), // open past due: breached
          ])
          .execute();
        await tx.db
          .insertInto('insights')
          .values([
            { id: 'i1', type: 'persona', domain: 'crm', status: 'completed', severity: 'critical', severity_rank: 4, title: 'Deal 7 stalls', summary: 'No activity.', trigger: 'manual', created_at: '2026-06-05T10:00:00Z' },
            { id: 'i2', type: 'persona', domain: 'crm', status: 'completed', severity: 'low', severity_rank: 1, title: 'Minor', summary: '', trigger: 'manual', created_at: '2026-06-05T10:00:00Z' },
            { id: 'i3', type: 'persona', domain: 'support', status: 'actioned', severity: 'high', severity_rank: 3, title: 'Backlog grows', summary: 'Done.', trigger: 'manual', created_at: '2026-05-01T10:00:00Z', status_changed_at: '2026-06-09T10:00:00Z' },
          ])
          .execute();
      }),
    );
  }, 120_000);
  afterAll(async () => {
    await t.cleanup();
    rmSync(out, { recursive: true, force: true });
  });

  const figures = (measures: string[], dimension: string | null, extra: Record<string, string> = {}) =>
    t.core.services.workspaces.withWorkspace('w', (ctx) => ctx.repos.reportFigures.figures(measures, dimension, { ...scope, ...extra }));

  it('computes totals within the date range (won, value, win rate, average, weighted forecast, snapshots)', async () => {
    const [sales] = await figures(['deals_won', 'deals_lost', 'won_value', 'win_rate', 'avg_deal_size', 'pipeline_value', 'open_deals'], null);
    expect(sales!.values).toEqual({ deals_won: 3, deals_lost: 1, won_value: 6000, win_rate: 0.75, avg_deal_size: 2000, pipeline_value: 10_000, open_deals: 2 });
    const [forecast] = await figures(['forecast_value', 'weighted_forecast'], null, { from: '2026-07-01', to: '2026-08-31' });
    expect(forecast!.values.forecast_value).toBe(10_000);
    expect(forecast!.values.weighted_forecast).toBeCloseTo(4000 * 0.45 + 6000 * 0.7, 6);
  });

  it('groups by owner, by week and by close month, and filters by owner, team and pipeline', async () => {
    const byOwner = await figures(['won_value', 'win_rate'], 'owner');
    expect(Object.fromEntries(byOwner.map((r) => [r.key, r.values]))).toEqual({ 'Ana Silva': { won_value: 4000, win_rate: 1 }, 'Ben Okoro': { won_value: 2000, win_rate: 0.5 } });
    const byWeek = await figures(['won_value'], 'time:week');
    expect(Object.fromEntries(byWeek.map((r) => [r.key, r.values.won_value]))).toEqual({ '2026-06-01': 1000, '2026-06-08': 5000 });
    const byMonth = await figures(['weighted_forecast'], 'time:month', { from: '2026-07-01', to: '2026-08-31' });
    expect(byMonth.map((r) => r.key).sort()).toEqual(['2026-07-01', '2026-08-01']);
    expect((await figures(['won_value'], null, { owner: 'ana silva' }))[0]!.values.won_value).toBe(4000);
    expect((await figures(['won_value'], null, { team: 'South' }))[0]!.values.won_value).toBe(2000);
    expect((await figures(['won_value'], null, { pipeline: 'partner' }))[0]!.values.won_value).toBe(3000);
    expect((await figures(['won_value', 'avg_deal_size'], null, { owner: 'Nobody' }))[0]!.values).toEqual({ won_value: 0, avg_deal_size: null });
  });

  it('the same figures come through the metrics layer on this engine', async () => {
    await t.core.services.workspaces.withWorkspace('w', async (ctx) => {
      const source = reportFigureSource(ctx, t.core.services.analytics);
      const byOwner = await source.figures(['won_value', 'win_rate'], 'owner', scope);
      expect(Object.fromEntries(byOwner.map((r) => [r.key, r.values]))).toEqual({ 'Ana Silva': { won_value: 4000, win_rate: 1 }, 'Ben Okoro': { won_value: 2000, win_rate: 0.5 } });
      const [kpis] = await source.figures(['deals_won', 'won_value', 'pipeline_value'], null, scope);
      expect(kpis!.values).toEqual({ deals_won: 3, won_value: 6000, pipeline_value: 10_000 });
      expect(source.routes.map((r) => r.via)).toEqual(['analytics', 'analytics', 'reports']);
    });
  });

  it('computes ticket times and the SLA breach rate', async () => {
    const [t1] = await figures(['tickets_created', 'tickets_resolved', 'avg_resolution_hours', 'sla_breach_rate', 'backlog'], null);
    expect(t1!.values.tickets_created).toBe(3);
    expect(t1!.values.tickets_resolved).toBe(2);
    expect(t1!.values.avg_resolution_hours).toBeCloseTo(30, 6);
    expect(t1!.values.sla_breach_rate).toBeCloseTo(2 / 3, 6);
    expect(t1!.values.backlog).toBe(1);
    await expect(figures(['won_value'], 'agent')).rejects.toMatchObject({ code: 'validation' });
    await expect(figures(['won_value', 'tickets_created'], null)).rejects.toMatchObject({ code: 'validation' });
  });

  it('lists new critical and high insights, and what was actioned, in the period', async () => {
    const list = (window: 'created' | 'actioned', severities: ('critical' | 'high' | 'low')[]) =>
      t.core.services.workspaces.withWorkspace('w', (ctx) => ctx.repos.reportFigures.insights({ from: scope.from, to: scope.to, severities, window, limit: 10 }));
    expect((await list('created', ['critical', 'high'])).map((i) => i.id)).toEqual(['i1']);
    expect((await list('actioned', ['critical', 'high', 'low'])).map((i) => i.id)).toEqual(['i3']);
  });

  it('runs a report on this engine and records it; schedules claim a slot once', async () => {
    const file = join(out, 'digest.pdf');
    const { run, jobId } = await t.core.call('reports.run', { workspace: 'w', template: 'insights_digest', params: { from: scope.from, to: scope.to }, out: file });
    await t.core.services.jobs.waitFor(jobId);
    const done = await t.core.call('reports.get', { workspace: 'w', id: run.id });
    expect(done).toMatchObject({ status: 'ok', pages: pdfPages(file) });
    const text = pdfText(file);
    expect(text).toContain('Deal 7 stalls');
    expect(text).toContain('Backlog grows');
    expect(text).not.toContain('Minor');

    const s = await t.core.call('reports.schedules.add', { workspace: 'w', template: 'insights_digest', cron: '0 9 * * 1', timezone: 'UTC', outDir: out });
    await t.core.services.workspaces.withWorkspace('w', async (ctx) => {
      const repo = ctx.repos.reports;
      expect(await repo.claimSchedule(s.id, s.nextRunAt, '2026-06-29T09:00:00.000Z', 'r1', scope.now)).toBe(true);
      expect(await repo.claimSchedule(s.id, s.nextRunAt, '2026-06-29T09:00:00.000Z', 'r2', scope.now)).toBe(false); // already moved on
      expect((await repo.schedule(s.id))!.last_run_id).toBe('r1');
    });
  }, 120_000);
});
