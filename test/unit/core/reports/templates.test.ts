import { describe, expect, it } from 'vitest';
import { reportDocument } from '../../../../src/shared/reports/document';
import { REPORT_DIMENSIONS, REPORT_MEASURES } from '../../../../src/shared/reports/measures';
import { REPORT_TEMPLATES, reportParams, reportTemplate, templateProblems, type ReportTemplate } from '../../../../src/shared/reports/templates';
import { KyselyReportFigureRepo } from '../../../../src/main/core/repositories/reportFigureRepo';
import { periodStarts, resolveRange } from '../../../../src/main/core/reports/build';

/** Templates and measures are data: these invariants keep them sound. */
describe('report templates', () => {
  it('has the six templates of issue 12, each valid and free of problems', () => {
    expect(REPORT_TEMPLATES.map((t) => t.key)).toEqual(['weekly_sales', 'pipeline_forecast', 'operations_throughput', 'activity_sla', 'insights_digest', 'coaching_brief']);
    for (const t of REPORT_TEMPLATES) {
      expect(reportTemplate.safeParse(t).success, t.key).toBe(true);
      expect(templateProblems(t), t.key).toEqual([]);
    }
  });

  it('the pipeline forecast groups open deals by close month, weighted, and compares with the previous run', () => {
    const t = REPORT_TEMPLATES.find((x) => x.key === 'pipeline_forecast')!;
    expect(t.compareWith).toBe('previous_run');
    expect(t.defaultRange.direction).toBe('future');
    const chart = t.sections.find((s) => s.kind === 'chart' && s.query.dimension === 'time:month');
    expect(chart && chart.kind === 'chart' ? chart.query.measures : []).toContain('weighted_forecast');
  });

  it('the insights digest lists new critical and high insights and what was actioned', () => {
    const t = REPORT_TEMPLATES.find((x) => x.key === 'insights_digest')!;
    const lists = t.sections.filter((s) => s.kind === 'insights');
    expect(lists.map((s) => (s.kind === 'insights' ? [s.window, s.severities.join('+')] : []))).toEqual([
      ['created', 'critical+high'],
      ['actioned', 'critical+high+medium+low+info'],
    ]);
  });

  it('finds the problems it is meant to find', () => {
    const bad: ReportTemplate = {
      ...REPORT_TEMPLATES[0]!,
      sections: [
        { kind: 'kpis', id: 'a', title: 'A', measures: ['no_such_measure'] },
        { kind: 'chart', id: 'a', title: 'B', chart: 'bar', query: { measures: ['won_value', 'tickets_created'], dimension: 'owner', sort: 'value_desc', limit: 5 } },
        { kind: 'table', id: 'c', title: 'C', query: { measures: ['won_value'], dimension: 'agent', sort: 'value_desc', limit: 5 } },
        { kind: 'chart', id: 'd', title: 'D', chart: 'line', query: { measures: ['pipeline_value'], dimension: 'time:week', sort: 'dimension', limit: 5 } },
        { kind: 'chart', id: 'e', title: 'E', chart: 'pie', query: { measures: ['won_value', 'deals_won'], dimension: 'owner', sort: 'value_desc', limit: 5 } },
      ],
    };
    const problems = templateProblems(bad);
    expect(problems).toEqual([
      'a: unknown measure "no_such_measure"',
      'section id "a" is used twice',
      'a: measures of different entities (deals, tickets)',
      'c: deals has no dimension "agent"',
      'd: a snapshot measure cannot be grouped by time',
      'e: a pie shows one measure',
    ]);
  });

  it('every measure has SQL, and the SQL covers no measure the catalog lacks', () => {
    expect([...KyselyReportFigureRepo.measureKeys].sort()).toEqual(REPORT_MEASURES.map((m) => m.key).sort());
    for (const m of REPORT_MEASURES) {
      expect(m.description.length, m.key).toBeGreaterThan(10);
      if (m.time !== null) expect(m.time, m.key).toMatch(/_(at|date)$/);
      expect(REPORT_DIMENSIONS[m.entity].length).toBeGreaterThan(0);
    }
  });

  it('parameters: defaults, bad dates and unknown keys are refused with a reason', () => {
    expect(reportParams.parse({})).toEqual({ compare: 'previous_period' });
    expect(reportParams.safeParse({ from: '2026-06-10', to: '2026-06-01' }).error?.issues[0]?.message).toBe('The start date must be on or before the end date.');
    expect(reportParams.safeParse({ from: '10/06/2026' }).error?.issues[0]?.message).toContain('2026-06-15');
    expect(reportParams.safeParse({ region: 'EMEA' }).success).toBe(false);
  });

  it('resolves default ranges backwards or forwards and the previous period of the same length', () => {
    const now = new Date('2026-06-15T10:00:00Z');
    const weekly = REPORT_TEMPLATES[0]!;
    expect(resolveRange(weekly, reportParams.parse({}), now)).toEqual({ from: '2026-06-09', to: '2026-06-15', days: 7, previousFrom: '2026-06-02', previousTo: '2026-06-08' });
    const forecast = REPORT_TEMPLATES[1]!;
    expect(resolveRange(forecast, reportParams.parse({}), now)).toMatchObject({ from: '2026-06-15', to: '2026-10-12', days: 120 });
    expect(resolveRange(weekly, reportParams.parse({ to: '2026-03-31' }), now)).toMatchObject({ from: '2026-03-25', to: '2026-03-31' });
  });

  it('time axes have every period of the range (weeks from Monday, quarters from their first month)', () => {
    expect(periodStarts('2026-06-03', '2026-06-20', 'week')).toEqual(['2026-06-01', '2026-06-08', '2026-06-15']);
    expect(periodStarts('2026-02-10', '2026-08-01', 'quarter')).toEqual(['2026-01-01', '2026-04-01', '2026-07-01']);
    expect(periodStarts('2026-06-14', '2026-06-16', 'day')).toEqual(['2026-06-14', '2026-06-15', '2026-06-16']);
  });

  it('the report document model accepts what templates produce (smoke: a failed section)', () => {
    const doc = reportDocument.parse({ title: 'x', generatedAt: '2026-06-15T00:00:00Z', dataFingerprint: 'f', sections: [{ kind: 'failed', id: 'a', title: 'A', intended: 'chart', reason: 'timed out' }] });
    expect(doc.sections[0]!.kind).toBe('failed');
  });
});
