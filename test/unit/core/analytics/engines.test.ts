import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QuerySpecInput } from '../../../../src/shared/analytics/spec';
import { makeTestCore, type TestCore } from '../../../fixtures/core';
import { requireEngine } from '../../../fixtures/engines';

const { engine } = requireEngine();

/**
 * analytics.query on either engine (`npm run test:pg` runs this file on PostgreSQL) over a small data set written
 * with Kysely; the expected figures are computed here in JavaScript from the same rows. Demo generation is
 * SQLite-only, so the per-measure checks against hand-written SQL live in measures.test.ts.
 */
describe(`analytics queries (${engine})`, () => {
  let t: TestCore;
  const users = [
    { id: 1, name: 'Ana Silva', team: 'North' },
    { id: 2, name: 'Bo Chen', team: 'South' },
    { id: 3, name: 'Cy Diaz', team: 'North' },
  ];
  // [owner, stage, amount, close_date]
  const deals: [number, string, number, string][] = [
    [1, 'closed_won', 100, '2026-01-10'],
    [1, 'closed_lost', 50, '2026-02-11'],
    [1, 'closed_won', 300, '2026-03-30'],
    [2, 'closed_lost', 80, '2026-01-05'],
    [2, 'proposal', 500, '2026-03-01'],
    [3, 'closed_won', 70, '2026-02-20'],
    [3, 'closed_won', 90, '2025-12-31'], // outside Q1
    [2, 'closed_won', 40, '2026-04-01'], // outside Q1
  ];
  // [created_at, first_response_at, priority, breached]
  const tickets: [string, string | null, string, boolean][] = [
    ['2026-01-02T09:00:00Z', '2026-01-02T11:00:00.000Z', 'high', false],
    ['2026-01-20T10:00:00Z', '2026-01-20T14:30:00Z', 'low', true],
    ['2026-02-03T08:00:00.000Z', null, 'urgent', true],
    ['2026-02-28T23:59:59Z', '2026-03-01T01:59:59Z', 'high', false],
    ['2026-03-31T12:00:00Z', '2026-03-31T13:00:00Z', 'low', false],
  ];
  const q = (spec: QuerySpecInput) => t.core.call('analytics.query', { workspace: 'w', spec });
  const q1 = { from: '2026-01-01', to: '2026-03-31' };

  beforeAll(async () => {
    t = makeTestCore();
    await t.core.call('workspace.create', { name: 'w' });
    const at = '2026-01-01T00:00:00Z';
    await t.core.services.workspaces.withWorkspace('w', (ctx) =>
      ctx.transaction(async (tx) => {
        await tx.db.insertInto('users').values(users.map((u) => ({ ...u, role: 'sales', created_at: at }))).execute();
        await tx.db.insertInto('accounts').values({ id: 1, name: 'Acme', tier: 'enterprise', region: 'EMEA', created_at: at }).execute();
        await tx.db
          .insertInto('deals')
          .values(deals.map(([owner, stage, amount, close], i) => ({ id: i + 1, name: `D${i}`, owner_id: owner, stage, amount, close_date: close, account_id: 1, created_at: '2025-11-01T00:00:00Z' })))
          .execute();
        await tx.db.insertInto('agents').values({ id: 1, name: 'Ann Agent', team: 'Tier 1', active: 1 }).execute();
        await tx.db
          .insertInto('tickets')
          .values(tickets.map(([created, fr, priority], i) => ({ id: i + 1, code: `TCK-${i}`, subject: 's', status: 'open', priority, agent_id: 1, account_id: 1, created_at: created, first_response_at: fr })))
          .execute();
        await tx.db
          .insertInto('ticket_sla_events')
          .values(tickets.map(([created, , , breached], i) => ({ id: i + 1, ticket_id: i + 1, metric: 'first_response', target_at: created, breached: breached ? 1 : 0 })))
          .execute();
      }),
    );
  });
  afterAll(async () => t?.cleanup());

  it('win rate by owner in a date range, sorted, with totals computed by the database', async () => {
    // Results carry ten decimals.
    const r = await q({ measures: ['win_rate', 'won_value'], dimensions: ['owner'], timeRange: q1 });
    const inQ1 = deals.filter((d) => d[3] >= q1.from && d[3] <= q1.to);
    const expected = users
      .map((u) => {
        const mine = inQ1.filter((d) => d[0] === u.id);
        const won = mine.filter((d) => d[1] === 'closed_won');
        const closed = mine.filter((d) => d[1].startsWith('closed_'));
        return { owner: u.name, win_rate: closed.length ? Math.round((won.length / closed.length) * 1e10) / 1e10 : null, won_value: won.length ? won.reduce((s, d) => s + d[2], 0) : null };
      })
      .sort((a, b) => (b.win_rate ?? -1) - (a.win_rate ?? -1));
    expect(r.rows.map((x) => ({ owner: x.owner, win_rate: x.win_rate, won_value: x.won_value }))).toEqual(expected);
    const won = inQ1.filter((d) => d[1] === 'closed_won').length;
    const closed = inQ1.filter((d) => d[1].startsWith('closed_')).length;
    expect(r.totals.win_rate).toBeCloseTo(won / closed, 10);
  });

  it('filters by a joined dimension, case-insensitively, with hostile text bound as a value', async () => {
    const r = await q({ measures: ['deals_won'], dimensions: ['team'], filters: [{ field: 'owner', op: 'in', values: ['ana silva', 'CY DIAZ'] }] });
    expect(r.rows).toEqual([{ team: 'North', deals_won: deals.filter((d) => (d[0] === 1 || d[0] === 3) && d[1] === 'closed_won').length }]);
    const none = await q({ measures: ['deals_won'], filters: [{ field: 'owner', op: 'eq', values: ["x' OR '1'='1"] }] });
    expect(none.totals.deals_won).toBe(0);
    const contains = await q({ measures: ['deals_won'], filters: [{ field: 'owner', op: 'contains', values: ['SIL'] }] });
    expect(contains.totals.deals_won).toBe(deals.filter((d) => d[0] === 1 && d[1] === 'closed_won').length);
  });

  it('buckets by month and measures time between mixed timestamp spellings the same way', async () => {
    const r = await q({ measures: ['ticket_volume', 'first_response_hours', 'sla_breach_rate'], grain: 'month', timeRange: q1 });
    const months = ['2026-01-01', '2026-02-01', '2026-03-01'];
    expect(r.rows.map((x) => x.period)).toEqual(months);
    for (const m of months) {
      const rows = tickets.filter((x) => x[0].slice(0, 7) === m.slice(0, 7));
      const row = r.rows.find((x) => x.period === m)!;
      expect(row.ticket_volume).toBe(rows.length);
      const hours = rows.filter((x) => x[1]).map((x) => (Date.parse(x[1]!) - Date.parse(x[0])) / 3_600_000);
      expect(row.first_response_hours).toBeCloseTo(hours.reduce((s, h) => s + h, 0) / hours.length, 6);
      expect(row.sla_breach_rate).toBeCloseTo(rows.filter((x) => x[3]).length / rows.length, 10);
    }
    const weeks = await q({ measures: ['ticket_volume'], grain: 'week', timeRange: q1 });
    // 2026-01-02 is a Friday: its week starts on Monday 2025-12-29.
    expect(weeks.rows[0]).toMatchObject({ period: '2025-12-29', ticket_volume: 1 });
    const quarters = await q({ measures: ['ticket_volume'], grain: 'quarter' });
    expect(quarters.rows).toEqual([{ period: '2026-01-01', ticket_volume: tickets.length }]);
  });

  it('compares with the previous period per row and in the totals', async () => {
    const r = await q({ measures: ['deals_won'], dimensions: ['owner'], timeRange: { from: '2026-01-01', to: '2026-03-31' }, compare: true });
    expect(r.previousRange).toMatchObject({ from: '2025-10-03', to: '2025-12-31' });
    const cy = r.rows.find((x) => x.owner === 'Cy Diaz')!;
    expect(cy).toMatchObject({ deals_won: 1, deals_won_previous: 1, deals_won_change: 0 });
    expect(r.previousTotals).toEqual({ deals_won: 1 });
    expect(r.columns.map((c) => c.role)).toEqual(['dimension', 'measure', 'previous', 'change']);
  });
});
