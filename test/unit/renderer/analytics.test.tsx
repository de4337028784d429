import { fireEvent, screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { catalogInfo } from '../../../src/main/core/analytics/catalogInfo';
import { chooseChart, summarize } from '../../../src/main/core/analytics/present';
import { querySpec, queryResult, type QueryResult, type QuerySpecInput } from '../../../src/shared/analytics/spec';
import { AppError } from '../../../src/shared/errors';
import { setTransport } from '../../../src/renderer/src/api/client';
import { AnalyticsPage } from '../../../src/renderer/src/features/analytics/AnalyticsPage';
import { resultToCsv } from '../../../src/renderer/src/features/analytics/csv';
import { useAnalyticsStore } from '../../../src/renderer/src/stores/analyticsStore';
import { useWorkspaceStore } from '../../../src/renderer/src/stores/workspaceStore';
import { fakeTransport } from './fakeTransport';
import { renderHub, selectWorkspace, signIn } from './hub/helpers';

const result = (spec: QuerySpecInput, rows: QueryResult['rows'], totals: QueryResult['totals']): QueryResult => {
  const s = querySpec.parse(spec);
  return queryResult.parse({
    spec: s,
    range: { from: '2026-01-01', to: '2026-03-31', label: 'Last quarter (2026-01-01 – 2026-03-31)' },
    previousRange: null,
    referenceDate: '2026-06-15',
    columns: [
      { key: 'owner', name: 'owner', label: 'Owner', type: 'text', role: 'dimension' },
      ...(s.grain ? [{ key: 'period', name: 'period', label: `Period (${s.grain})`, type: 'date', role: 'period' }] : []),
      { key: 'win_rate', name: 'win_rate', label: 'Win rate', type: 'number', role: 'measure', format: { style: 'percent' } },
    ],
    rows,
    totals,
    previousTotals: null,
    truncated: false,
    timing: { sqlMs: 3, totalMs: 4, statements: 1 },
  });
};

beforeEach(() => {
  signIn('member');
  selectWorkspace('Acme');
  useWorkspaceStore.setState({ workspaces: [{ id: 'ws_1', name: 'Acme', kind: 'sqlite', createdAt: '2026-01-01T00:00:00Z', schemaVersion: 80, sizeBytes: 1, demo: null, status: 'ready' }] });
  useAnalyticsStore.setState({ answer: null, history: [], busy: false, error: null, catalog: null });
});

describe('Analytics page', () => {
  it('asks, shows the chart kind, summary and spec chips, and re-runs an edited grain without asking again', async () => {
    const byOwner = result({ measures: ['win_rate'], dimensions: ['owner'], timeRange: { preset: 'last_quarter' } }, [{ owner: 'Ana', win_rate: 0.5 }, { owner: 'Bo', win_rate: 0.25 }], { win_rate: 0.4 });
    const fake = fakeTransport({
      'analytics.catalog': () => catalogInfo(),
      'analytics.history.list': () => ({ items: [] }),
      'analytics.ask': (input: { question: string }) => ({ question: input.question, spec: byOwner.spec, result: byOwner, chart: chooseChart(byOwner), summary: summarize(byOwner), method: 'patterns', pattern: 'measure: win_rate; by: owner', warnings: [], model: null }),
      'analytics.chart': (input: { spec: QuerySpecInput }) => {
        const r = result(input.spec, [{ owner: 'Ana', period: '2026-01-01', win_rate: 0.5 }], { win_rate: 0.5 });
        return { result: r, chart: chooseChart(r), summary: summarize(r) };
      },
    });
    setTransport(fake.transport);
    renderHub(<AnalyticsPage />, '/analytics');
    fireEvent.change(screen.getByTestId('analytics-question'), { target: { value: 'win rate by owner last quarter' } });
    fireEvent.click(screen.getByTestId('analytics-ask'));
    await waitFor(() => expect(screen.getByTestId('analytics-summary').textContent).toContain('Highest owner: Ana with 50%'));
    expect(screen.getByTestId('analytics-chart').getAttribute('data-kind')).toBe('bar');
    expect(screen.getByTestId('analytics-spec').textContent).toContain('by Owner');
    expect(fake.calls.filter((c) => c.route === 'analytics.ask')).toHaveLength(1);

    void useAnalyticsStore.getState().run('Acme', { ...useAnalyticsStore.getState().answer!.spec, grain: 'month' });
    await waitFor(() => expect(screen.getByTestId('analytics-chart').getAttribute('data-kind')).toBe('line'));
    const chartCall = fake.calls.find((c) => c.route === 'analytics.chart')!;
    expect(chartCall.input.spec).toMatchObject({ measures: ['win_rate'], dimensions: ['owner'], grain: 'month' });
    expect(fake.calls.filter((c) => c.route === 'analytics.ask')).toHaveLength(1);
    expect(screen.getByText('From the edited spec', { exact: false })).toBeTruthy();
  });

  it('shows a refusal as an error a person can act on', async () => {
    setTransport(
      fakeTransport({
        'analytics.catalog': () => catalogInfo(),
        'analytics.history.list': () => ({ items: [] }),
        'analytics.ask': () => {
          throw new AppError('validation', 'That question matches none of the built-in patterns');
        },
      }).transport,
    );
    renderHub(<AnalyticsPage />, '/analytics');
    fireEvent.change(screen.getByTestId('analytics-question'), { target: { value: 'meaning of life' } });
    fireEvent.click(screen.getByTestId('analytics-ask'));
    expect(await screen.findByText(/matches none of the built-in patterns/)).toBeTruthy();
  });
});

describe('CSV export', () => {
  it('writes labels, raw values, quotes and neutralises formulas', () => {
    const r = result({ measures: ['win_rate'], dimensions: ['owner'] }, [{ owner: '=HYPERLINK("x")', win_rate: 0.5 }, { owner: 'Lee, Ann', win_rate: null }], { win_rate: 0.5 });
    expect(resultToCsv(r)).toBe(`Owner,Win rate\r\n"'=HYPERLINK(""x"")",0.5\r\n"Lee, Ann",\r\n`);
  });
});
