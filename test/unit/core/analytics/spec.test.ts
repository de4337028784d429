import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely';
import { describe, expect, it } from 'vitest';
import { DIMENSIONS, getSource, MEASURES, measureDimensions, measureTables, SOURCES } from '../../../../src/main/core/analytics/catalog';
import { catalogInfo } from '../../../../src/main/core/analytics/catalogInfo';
import { matchQuestion } from '../../../../src/main/core/analytics/patterns';
import { chooseChart, summarize } from '../../../../src/main/core/analytics/present';
import { nearestFirst } from '../../../../src/main/core/analytics/suggest';
import { validateSpec } from '../../../../src/main/core/analytics/validate';
import { postgresDialect, sqliteDialect } from '../../../../src/main/core/db/dialect';
import { migration001Domain } from '../../../../src/main/core/db/migrations/workspace/001_domain';
import type { WorkspaceDatabase } from '../../../../src/main/core/db/schema/workspace';
import { KyselyAnalyticsRepo } from '../../../../src/main/core/repositories/analyticsRepo';
import { catalogInfo as catalogSchema, queryResult, type QueryResult, type QuerySpecInput } from '../../../../src/shared/analytics/spec';
import { previousRange, resolveRange } from '../../../../src/shared/analytics/timeRange';
import { chartSpec } from '../../../../src/shared/charts/spec';
import { AppError } from '../../../../src/shared/errors';

const fail = (spec: unknown): AppError => {
  try {
    validateSpec(spec as QuerySpecInput);
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected the spec to be refused');
};

/** Columns of every table in the domain migration (SQLite DDL), read from the DDL text itself. */
function schemaColumns(): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const m of (migration001Domain.sql ?? "").matchAll(/CREATE TABLE (\w+) \(([\s\S]*?)\)(?: WITHOUT ROWID)?;/g)) {
    const cols = new Set<string>();
    for (const part of m[2]!.split(/,(?![^()]*\))/)) {
      const name = /^\s*([a-z_]+)\s+[A-Z]/.exec(part)?.[1];
      if (name && name !== 'PRIMARY') cols.add(name);
    }
    out.set(m[1]!, cols);
  }
  return out;
}

const dummy = (engine: 'sqlite' | 'postgres'): Kysely<WorkspaceDatabase> =>
  new Kysely<WorkspaceDatabase>({
    dialect:
      engine === 'postgres'
        ? { createAdapter: () => new PostgresAdapter(), createDriver: () => new DummyDriver(), createIntrospector: (db) => new PostgresIntrospector(db), createQueryCompiler: () => new PostgresQueryCompiler() }
        : { createAdapter: () => new SqliteAdapter(), createDriver: () => new DummyDriver(), createIntrospector: (db) => new SqliteIntrospector(db), createQueryCompiler: () => new SqliteQueryCompiler() },
  });

describe('catalog invariants', () => {
  const tables = schemaColumns();

  it('has unique names, every measure on a known source, every dimension declared', () => {
    expect(new Set(MEASURES.map((m) => m.name)).size).toBe(MEASURES.length);
    expect(new Set(DIMENSIONS.map((d) => d.name)).size).toBe(DIMENSIONS.length);
    const dims = new Set(DIMENSIONS.map((d) => d.name));
    for (const s of SOURCES) for (const d of Object.keys(s.dimensions)) expect(dims.has(d), `${s.key}.${d}`).toBe(true);
    for (const m of MEASURES) {
      expect(getSource(m.source), m.name).toBeDefined();
      expect(m.description.length, m.name).toBeGreaterThan(10);
      expect(measureDimensions(m).length, m.name).toBeGreaterThan(0);
      expect(m.name).toMatch(/^[a-z][a-z0-9_]*$/);
    }
    expect(catalogSchema.parse(catalogInfo()).measures).toHaveLength(MEASURES.length);
  });

  it('covers the measures issue 12 lists', () => {
    const wanted = ['pipeline_value', 'open_deals', 'deals_won', 'deals_lost', 'win_rate', 'avg_deal_size', 'sales_cycle_days', 'ticket_volume', 'open_tickets', 'first_response_hours', 'resolution_hours', 'sla_breach_rate', 'csat', 'tasks_completed', 'activity_count', 'overdue_tasks', 'activity_sla_compliance', 'campaign_spend', 'ctr', 'cpa', 'conversions', 'vendor_on_time_rate', 'quality_incidents', 'jobs_completed', 'technician_utilisation', 'account_health', 'nps', 'renewals_due', 'goal_progress', 'kpi_attainment'];
    for (const w of wanted) expect(MEASURES.map((m) => m.name)).toContain(w);
  });

  it('names only tables and columns that exist in the schema', () => {
    const check = (table: string, column: string, where: string): void => {
      expect(tables.get(table), `${where}: table ${table}`).toBeDefined();
      expect(tables.get(table)!.has(column), `${where}: ${table}.${column}`).toBe(true);
    };
    for (const s of SOURCES) {
      const aliases = new Map<string, string>([['t', s.table], ...(s.baseJoins ?? []).map((j): [string, string] => [j.alias, j.table])]);
      const col = (ref: string, where: string): void => {
        const [a, c] = ref.split('.') as [string, string];
        check(aliases.get(a)!, c, where);
      };
      for (const j of s.baseJoins ?? []) {
        col(j.from, `${s.key} base join`);
        check(j.table, 'id', s.key);
      }
      for (const [name, d] of Object.entries(s.dimensions)) {
        if (!d.joins?.length) col(d.column, `${s.key}.${name}`);
        else {
          col(d.joins[0]!.from, `${s.key}.${name}`);
          check(d.joins.at(-1)!.table, d.column, `${s.key}.${name}`);
        }
      }
    }
    for (const m of MEASURES) {
      const s = getSource(m.source)!;
      const aliases = new Map<string, string>([['t', s.table], ...(s.baseJoins ?? []).map((j): [string, string] => [j.alias, j.table])]);
      const [a, c] = m.time.split('.') as [string, string];
      check(aliases.get(a)!, c, `${m.name} time`);
      // Every "t.x" / "alias.x" mentioned anywhere in the measure's value.
      for (const ref of JSON.stringify(m.value).matchAll(/"([a-z]+)\.([a-z_]+)"/g)) {
        const table = ref[1] === 'x' ? 'ticket_sla_events' : aliases.get(ref[1]!);
        check(table!, ref[2]!, m.name);
      }
      for (const tname of measureTables(m)) expect(tables.has(tname), `${m.name} reads ${tname}`).toBe(true);
    }
  });
});

describe('spec validation', () => {
  it('refuses an unknown measure with the valid names, nearest first', () => {
    const e = fail({ measures: ['winrate'] });
    expect(e.code).toBe('validation');
    expect(e.details).toMatchObject({ reason: 'unknown_measure', name: 'winrate' });
    expect((e.details!.valid as string[])[0]).toBe('win_rate');
    expect(e.message).toMatch(/Unknown measure "winrate"\. Valid names, nearest first: win_rate/);
  });

  it('refuses a dimension the measure does not support, listing the ones it does', () => {
    const e = fail({ measures: ['csat'], dimensions: ['stage'] });
    expect(e.details).toMatchObject({ reason: 'unsupported_dimension', name: 'stage' });
    expect(e.details!.valid).toEqual(expect.arrayContaining(['priority', 'agent', 'channel']));
    expect(e.details!.valid).not.toContain('stage');
    expect(fail({ measures: ['csat'], dimensions: ['colour'] }).details).toMatchObject({ reason: 'unknown_dimension' });
  });

  it('refuses bad filters, sorts and ranges with typed errors', () => {
    expect(fail({ measures: ['csat'], filters: [{ field: 'priority', op: 'eq', values: [] }] }).details).toMatchObject({ reason: 'bad_spec' });
    expect(fail({ measures: ['csat'], filters: [{ field: 'priority', op: 'between', values: ['a'] }] }).details).toMatchObject({ reason: 'bad_spec' });
    expect(fail({ measures: ['csat'], filters: [{ field: 'stage', op: 'eq', values: ['x'] }] }).details).toMatchObject({ reason: 'unsupported_dimension' });
    expect(fail({ measures: ['csat'], sort: { by: 'owner' } }).details).toMatchObject({ reason: 'bad_sort' });
    expect(fail({ measures: ['csat'], timeRange: { from: '2026-03-01', to: '2026-02-01' } }).details).toMatchObject({ reason: 'bad_spec' });
    expect(fail({ measures: ['csat'], timeRange: { from: '2026-02-30', to: '2026-03-01' } }).details).toMatchObject({ reason: 'bad_spec' });
    expect(fail({ measures: ['csat'], compare: true }).message).toMatch(/all time has no previous period/);
    expect(fail({ measures: [] }).details).toMatchObject({ reason: 'bad_spec' });
    expect(fail({ measures: ['csat; DROP TABLE tickets'] }).details).toMatchObject({ reason: 'bad_spec' });
  });

  it('groups measures by source and time column', () => {
    const v = validateSpec({ measures: ['win_rate', 'pipeline_value', 'ticket_volume', 'csat', 'tasks_completed'] });
    expect(v.groups.map((g) => [g.source.key, g.measures.map((m) => m.name)])).toEqual([
      ['deals', ['win_rate', 'pipeline_value']],
      ['tickets', ['ticket_volume', 'csat']],
      ['tasks', ['tasks_completed']],
    ]);
  });

  it('orders suggestions by closeness', () => {
    expect(nearestFirst('tickets_volume', ['csat', 'ticket_volume', 'open_tickets'])[0]).toBe('ticket_volume');
    expect(nearestFirst('ownr', ['stage', 'owner', 'agent'])[0]).toBe('owner');
  });
});

describe('time ranges', () => {
  it('resolves presets against the reference day and finds the previous period', () => {
    expect(resolveRange({ preset: 'last_quarter' }, '2026-06-15')).toMatchObject({ from: '2026-01-01', to: '2026-03-31' });
    expect(resolveRange({ preset: 'this_week' }, '2026-06-17')).toMatchObject({ from: '2026-06-15', to: '2026-06-17' });
    expect(resolveRange({ preset: 'last_month' }, '2026-03-31')).toMatchObject({ from: '2026-02-01', to: '2026-02-28' });
    expect(resolveRange({ preset: 'last_30_days' }, '2026-06-15')).toMatchObject({ from: '2026-05-17', to: '2026-06-15' });
    expect(resolveRange({ preset: 'all_time' }, '2026-06-15')).toBeNull();
    const q = resolveRange({ preset: 'last_quarter' }, '2026-06-15')!;
    expect(previousRange({ preset: 'last_quarter' }, q)).toMatchObject({ from: '2025-10-01', to: '2025-12-31' });
    const d = resolveRange({ preset: 'last_30_days' }, '2026-06-15')!;
    expect(previousRange({ preset: 'last_30_days' }, d)).toMatchObject({ from: '2026-04-17', to: '2026-05-16' });
    const m = resolveRange({ preset: 'this_month' }, '2026-03-10')!;
    expect(previousRange({ preset: 'this_month' }, m)).toMatchObject({ from: '2026-02-01', to: '2026-02-10' });
  });
});

describe('compiled SQL on both dialects', () => {
  const window = { range: { from: '2026-01-01', to: '2026-03-31', label: '' }, referenceDay: '2026-06-15' };
  const compile = (engine: 'sqlite' | 'postgres', spec: QuerySpecInput) => {
    const v = validateSpec(spec);
    const repo = new KyselyAnalyticsRepo(dummy(engine), engine === 'postgres' ? postgresDialect : sqliteDialect);
    return repo.compile(v, v.groups[0]!, window);
  };

  it('binds every caller value as a parameter on both engines', () => {
    const evil = "x' OR 1=1; DROP TABLE deals; --";
    for (const engine of ['sqlite', 'postgres'] as const) {
      const q = compile(engine, { measures: ['win_rate'], dimensions: ['owner'], filters: [{ field: 'owner', op: 'eq', values: [evil] }, { field: 'region', op: 'in', values: ['EMEA', 'Apac'] }] });
      expect(q.sql).not.toContain(evil);
      expect(q.sql).not.toContain('EMEA');
      expect(q.parameters).toEqual(expect.arrayContaining([evil, 'emea', 'apac', '2026-01-01', '2026-04-01']));
      expect(q.sql).toMatch(/^SELECT /);
      expect(q.sql).not.toMatch(/\b(INSERT|UPDATE|DELETE|DROP)\b/);
    }
  });

  it('spells the differences through the dialect (placeholders, collation, date buckets, casts)', () => {
    const spec: QuerySpecInput = { measures: ['first_response_hours'], grain: 'week', filters: [{ field: 'agent', op: 'contains', values: ['ann'] }] };
    const lite = compile('sqlite', spec);
    const pg = compile('postgres', spec);
    expect(lite.sql).toContain("date(\"t\".\"created_at\", '-6 days', 'weekday 1')");
    expect(lite.sql).toContain('unixepoch(');
    expect(lite.sql).toContain('?');
    expect(lite.sql).toContain('CAST(');
    expect(pg.sql).toContain("date_trunc('week'");
    expect(pg.sql).toContain('COLLATE "C"');
    expect(pg.sql).toContain('ILIKE');
    expect(pg.sql).toContain('double precision');
    expect(pg.sql).toMatch(/\$1/);
    expect(pg.sql).not.toContain('?');
    expect(pg.parameters).toEqual(lite.parameters);
    // The same statement shape: one SELECT, the agent join, grouped by the bucket.
    for (const q of [lite, pg]) {
      expect(q.sql).toContain('LEFT JOIN "agents" AS "j_agents_t_agent_id"');
      expect(q.sql).toContain('GROUP BY');
    }
  });

  it('compiles every measure on PostgreSQL', () => {
    for (const m of MEASURES) {
      const q = compile('postgres', { measures: [m.name], dimensions: [measureDimensions(m)[0]!], grain: 'month' });
      expect(q.sql, m.name).toMatch(/^SELECT .* FROM "[a-z_]+" AS "t"/s);
    }
  });
});

describe('question patterns (no model)', () => {
  it.each([
    ['win rate by owner last quarter', { measures: ['win_rate'], dimensions: ['owner'], timeRange: { preset: 'last_quarter' } }],
    ['Open tickets by priority', { measures: ['open_tickets'], dimensions: ['priority'] }],
    ['ticket volume by week over the last 90 days', { measures: ['ticket_volume'], grain: 'week', timeRange: { preset: 'last_90_days' } }],
    ['How many urgent tickets this month?', { measures: ['ticket_volume'], filters: [{ field: 'priority', op: 'eq', values: ['urgent'] }], timeRange: { preset: 'this_month' } }],
    ['pipeline value by stage', { measures: ['pipeline_value'], dimensions: ['stage'] }],
    ['CSAT last 30 days compared with the previous period', { measures: ['csat'], timeRange: { preset: 'last_30_days' }, compare: true }],
  ])('%s', (q, expected) => {
    const m = matchQuestion(q);
    expect(m).not.toBeNull();
    expect(validateSpec(m!.spec).spec).toEqual(validateSpec(expected as QuerySpecInput).spec);
  });

  it('gives up on questions without a known measure', () => {
    expect(matchQuestion('what is the meaning of life')).toBeNull();
  });
});

describe('charts and summaries from the result shape', () => {
  const result = (spec: QuerySpecInput, rows: QueryResult['rows'], totals: QueryResult['totals'], extra: Partial<QueryResult> = {}): QueryResult =>
    queryResult.parse({
      spec: validateSpec(spec).spec,
      range: { from: '2026-01-01', to: '2026-03-31', label: 'Last quarter' },
      previousRange: null,
      referenceDate: '2026-06-15',
      columns: [],
      rows,
      totals,
      previousTotals: null,
      truncated: false,
      timing: { sqlMs: 1, totalMs: 1, statements: 1 },
      ...extra,
    });

  it('a KPI for one figure, with the previous period', () => {
    const r = result({ measures: ['open_tickets'], compare: true, timeRange: { preset: 'last_quarter' } }, [], { open_tickets: 42 }, { previousTotals: { open_tickets: 40 } });
    const c = chartSpec.parse(chooseChart(r));
    expect(c).toMatchObject({ kind: 'kpi', value: 42, previous: 40, betterWhen: 'down' });
    expect(summarize(r)).toBe('Open tickets was 42 tickets (2026-01-01 to 2026-03-31). The previous period had 40 tickets (+5%).');
  });

  it('bars for a rate by category, a pie only for few additive parts, lines for time, stacked bars for time × category', () => {
    const rows = [
      { owner: 'Ana', win_rate: 0.5 },
      { owner: 'Bo', win_rate: 0.25 },
    ];
    const bar = chooseChart(result({ measures: ['win_rate'], dimensions: ['owner'] }, rows, { win_rate: 0.4 }));
    expect(bar).toMatchObject({ kind: 'bar', axis: { type: 'category', categories: ['Ana', 'Bo'] }, series: [{ name: 'Win rate', data: [0.5, 0.25] }] });
    const s = summarize(result({ measures: ['win_rate'], dimensions: ['owner'] }, rows, { win_rate: 0.4 }));
    expect(s).toContain('Highest owner: Ana with 50%; lowest: Bo with 25%');
    const pie = chooseChart(result({ measures: ['ticket_volume'], dimensions: ['priority'] }, [{ priority: 'high', ticket_volume: 3 }, { priority: 'low', ticket_volume: 1 }], { ticket_volume: 4 }));
    expect(pie.kind).toBe('pie');
    const line = chooseChart(result({ measures: ['csat'], grain: 'month' }, [{ period: '2026-01-01', csat: 4 }, { period: '2026-02-01', csat: 4.5 }], { csat: 4.2 }));
    expect(line).toMatchObject({ kind: 'line', axis: { type: 'time', grain: 'month', points: ['2026-01-01', '2026-02-01'] } });
    const stacked = chooseChart(result({ measures: ['ticket_volume'], grain: 'month', dimensions: ['priority'] }, [{ period: '2026-01-01', priority: 'high', ticket_volume: 2 }, { period: '2026-02-01', priority: 'low', ticket_volume: 1 }], { ticket_volume: 3 }));
    expect(stacked).toMatchObject({ kind: 'stacked-bar' });
    expect(chartSpec.safeParse(stacked).success).toBe(true);
    const tbl = chooseChart(result({ measures: ['csat', 'ticket_volume'] }, [], { csat: 4, ticket_volume: 3 }));
    expect(tbl.kind).toBe('table');
  });
});
