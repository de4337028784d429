import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BudgetState, UsageRow, UsageSummary } from '../../../../src/shared/contract';
import { setTransport } from '../../../../src/renderer/src/api/client';
import { BudgetsPanel } from '../../../../src/renderer/src/features/configuration/budgets/BudgetsPanel';
import { fmtUsd, niceScale } from '../../../../src/renderer/src/features/configuration/shared/format';
import { csvField } from '../../../../src/renderer/src/components/download';
import { UsagePanel } from '../../../../src/renderer/src/features/configuration/usage/UsagePanel';
import { toPatch, useBudgetsStore } from '../../../../src/renderer/src/stores/budgetsStore';
import { useUsageStore } from '../../../../src/renderer/src/stores/usageStore';
import { fakeTransport } from '../fakeTransport';
import { renderHub, selectWorkspace, signIn } from './helpers';

const totals = (calls: number, costUsd: number, errors = 0) => ({ calls, ok: calls - errors, errors, cancelled: 0, refused: 0, cached: 0, fallbacks: 1, tokensIn: calls * 100, tokensOut: calls * 50, cachedTokens: 0, costUsd, avgLatencyMs: 250 });

function summary(range: UsageSummary['range']): UsageSummary {
  const t = range === '30d' ? totals(40, 1.5, 4) : totals(8, 0.25, 2);
  return {
    workspace: 'Acme',
    range,
    from: '2026-11-15',
    to: '2026-11-21',
    totals: t,
    byProvider: [{ ...t, key: 'openai-compatible' }],
    byModel: [{ ...t, key: 'gpt-4o-mini' }],
    byUseCase: [{ ...t, key: 'copilot.chat' }],
    byEndpoint: [{ ...t, key: 'corp' }],
    daily: [{ ...t, day: '2026-11-21' }],
    unpricedModels: [],
  };
}

const usageRow = (i: number): UsageRow => ({
  id: `u_${i}`,
  at: '2026-11-21T10:00:00Z',
  workspace: 'Acme',
  profileId: 'pr_1',
  profileName: 'Ada',
  useCase: 'copilot.chat',
  subject: 'playground',
  trigger: null,
  operation: 'stream',
  providerKind: 'openai-compatible',
  endpoint: 'corp',
  model: 'gpt-4o-mini',
  tokensIn: 100,
  tokensOut: 50,
  cachedTokens: 0,
  costUsd: 0.0001,
  priceKnown: true,
  latencyMs: 250,
  status: i % 5 === 0 ? 'error' : 'ok',
  errorCode: null,
  errorMessage: i % 5 === 0 ? 'corp answered 500' : null,
  fallbackUsed: false,
  attempts: 1,
});

describe('Usage & Costs tab', () => {
  let fake: ReturnType<typeof fakeTransport>;
  const TOTAL = 450;
  beforeEach(() => {
    signIn('member');
    selectWorkspace('Acme');
    useUsageStore.setState({ workspace: null, range: '7d', summary: null, rows: [], total: null, status: null, useCase: null, rowsLoading: false });
    fake = fakeTransport({
      'usage.summary': (input: { range: UsageSummary['range'] }) => summary(input.range),
      'usage.list': (input: { offset: number; limit: number; status?: string }) => {
        const all = Array.from({ length: TOTAL }, (_, i) => usageRow(i)).filter((r) => !input.status || r.status === input.status);
        return { rows: all.slice(input.offset, input.offset + input.limit), total: all.length };
      },
    });
    setTransport(fake.transport);
  });
  afterEach(() => setTransport(null));

  it('shows the totals as cards and switches the period', async () => {
    renderHub(<UsagePanel />);
    expect((await screen.findByTestId('card-calls')).textContent).toContain('8');
    expect(screen.getByTestId('card-cost').textContent).toContain('$0.25');
    expect(screen.getByTestId('card-errors').textContent).toContain('25%');
    expect(screen.getByTestId('card-tokens').textContent).toContain('1,200');
    fireEvent.click(screen.getByText('30 days'));
    await waitFor(() => expect(screen.getByTestId('card-calls').textContent).toContain('40'));
    expect(screen.getByTestId('card-cost').textContent).toContain('$1.50');
    expect(fake.calls.some((c) => c.route === 'usage.summary' && c.input.range === '30d')).toBe(true);
  });

  it('lists recent calls virtualized, loading pages as needed, with a status filter', async () => {
    renderHub(<UsagePanel />);
    expect((await screen.findByTestId('usage-total')).textContent).toBe('450 calls');
    const rendered = screen.getAllByTestId('usage-row').length;
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(60);
    expect(fake.calls.filter((c) => c.route === 'usage.list')[0]!.input).toMatchObject({ workspace: 'Acme', offset: 0, limit: 200 });
    await useUsageStore.getState().loadMore();
    expect(useUsageStore.getState().rows).toHaveLength(400);
    fireEvent.click(screen.getByRole('combobox', { name: 'Filter by status' }));
    // The dropdown's open transition never finishes in jsdom, so its options count as hidden.
    fireEvent.click(await screen.findByRole('option', { name: 'error', hidden: true }));
    await waitFor(() => expect(screen.getByTestId('usage-total').textContent).toBe('90 calls'));
    expect(within(screen.getAllByTestId('usage-row')[0]!).getByText('error')).toBeTruthy();
  });

  it('the error rate counts failed calls among those that went out, not cancelled calls or budget refusals', async () => {
    fake.handlers['usage.summary'] = (input: { range: UsageSummary['range'] }) => {
      const s = summary(input.range);
      // 20 calls: 2 failed, 4 cancelled, 6 refused by budget → 2 of the 10 that went out.
      s.totals = { ...totals(20, 0.25, 2), ok: 8, cancelled: 4, refused: 6 };
      return s;
    };
    renderHub(<UsagePanel />);
    const card = await screen.findByTestId('card-errors');
    await waitFor(() => expect(card.textContent).toContain('20%'));
    expect(card.textContent).toContain('2 failed · 4 cancelled · 6 refused by budget');
  });

  it('exports every call the filters match as CSV, page by page', async () => {
    const saved: string[] = [];
    const created = URL.createObjectURL;
    URL.createObjectURL = ((blob: Blob) => {
      void blob.text().then((t) => saved.push(t));
      return 'blob:fake';
    }) as typeof URL.createObjectURL;
    URL.revokeObjectURL = () => undefined;
    try {
      renderHub(<UsagePanel />);
      expect((await screen.findByTestId('usage-total')).textContent).toBe('450 calls');
      fireEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
      await waitFor(() => expect(saved).toHaveLength(1));
      const lines = saved[0]!.trim().split('\r\n');
      expect(lines[0]).toMatch(/^time,use_case,subject,profile,endpoint,model/);
      expect(lines).toHaveLength(451);
      const pages = fake.calls.filter((c) => c.route === 'usage.list' && c.input.limit === 500);
      expect(pages.map((c) => c.input.offset)).toEqual([0]);
    } finally {
      URL.createObjectURL = created;
    }
  });

  it('cost axes use round ticks from zero, and CSV text cannot run as a spreadsheet formula', () => {
    expect(niceScale(0.034)).toEqual({ domain: [0, 0.04], ticks: [0, 0.01, 0.02, 0.03, 0.04] });
    expect(niceScale(7.3)).toEqual({ domain: [0, 8], ticks: [0, 2, 4, 6, 8] });
    expect(niceScale(0)).toMatchObject({ domain: [0, 1] });
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField('+1 555')).toBe("'+1 555");
    expect(csvField(-5)).toBe('-5');
  });

  it('refreshes while open when new calls are recorded in its workspace, not in others', async () => {
    renderHub(<UsagePanel />);
    expect((await screen.findByTestId('usage-total')).textContent).toBe('450 calls');
    const before = fake.calls.filter((c) => c.route === 'usage.summary').length;
    fake.emit('usage.changed', { workspace: 'Other' });
    await new Promise((r) => setTimeout(r, 20));
    expect(fake.calls.filter((c) => c.route === 'usage.summary')).toHaveLength(before);
    fake.emit('usage.changed', { workspace: 'Acme' });
    await waitFor(() => expect(fake.calls.filter((c) => c.route === 'usage.summary')).toHaveLength(before + 1));
    // The list is fetched again in place: the shown rows stay until the new page arrives.
    expect(fake.calls.filter((c) => c.route === 'usage.list').at(-1)!.input).toMatchObject({ offset: 0 });
    expect(screen.getAllByTestId('usage-row').length).toBeGreaterThan(5);
  });
});

describe('Budgets tab', () => {
  let fake: ReturnType<typeof fakeTransport>;
  let state: BudgetState;
  beforeEach(() => {
    signIn('admin');
    selectWorkspace('Acme');
    useBudgetsStore.setState({ workspace: null, state: null, error: null, saving: false });
    state = {
      workspace: 'Acme',
      day: '2026-11-21',
      resetsAt: '2026-11-22T00:00:00.000Z',
      perRequest: { usd: 0.5 },
      workspaceDaily: { limit: { usd: 10, tokens: 100_000 }, spent: { usd: 9.5, tokens: 20_000 }, remaining: { usd: 0.5, tokens: 80_000 } },
      perUserDaily: { limit: null, spent: { usd: 2, tokens: 5_000 }, remaining: { usd: null, tokens: null } },
      useCases: [{ useCase: 'copilot.chat', perRequest: null, daily: { limit: { usd: 2 }, spent: { usd: 0.5, tokens: 1000 }, remaining: { usd: 1.5, tokens: null } } }],
    };
    fake = fakeTransport({
      'budgets.get': () => state,
      'budgets.set': () => state,
    });
    setTransport(fake.transport);
  });
  afterEach(() => setTransport(null));

  it('turns a changed form into a patch: cleared limits become null, untouched ones are not sent', () => {
    expect(toPatch({ usd: 0.5, tokens: '' }, { usd: 0.5 })).toBeUndefined();
    expect(toPatch({ usd: '', tokens: '' }, { usd: 0.5 })).toBeNull();
    expect(toPatch({ usd: 1, tokens: 500 }, null)).toEqual({ usd: 1, tokens: 500 });
    expect(fmtUsd(0.000042)).toBe('$0.000042');
    expect(fmtUsd(12.5)).toBe('$12.50');
  });

  it("shows today's consumption against each limit", async () => {
    renderHub(<BudgetsPanel />);
    expect(await screen.findByText('$9.50 of $10.00 · $0.50 left')).toBeTruthy();
    expect(screen.getByText('20,000 of 100,000 tokens · 80,000 left')).toBeTruthy();
    expect(screen.getByText('$0.50 of $2.00 · $1.50 left')).toBeTruthy();
    const bar = screen.getByRole('progressbar', { name: 'Per workspace per day spend today' });
    expect(bar.getAttribute('aria-valuenow')).toBe('95');
  });

  it("moves today's consumption as calls are recorded", async () => {
    renderHub(<BudgetsPanel />);
    expect(await screen.findByText('$9.50 of $10.00 · $0.50 left')).toBeTruthy();
    state = { ...state, workspaceDaily: { ...state.workspaceDaily, spent: { usd: 9.75, tokens: 21_000 }, remaining: { usd: 0.25, tokens: 79_000 } } };
    fake.emit('usage.changed', { workspace: 'Acme' });
    expect(await screen.findByText('$9.75 of $10.00 · $0.25 left')).toBeTruthy();
  });

  it('validates limits inline and saves only what changed', async () => {
    renderHub(<BudgetsPanel />);
    const tokens = await screen.findByRole('textbox', { name: 'Per user per day (tokens)' });
    fireEvent.change(tokens, { target: { value: '12.5' } });
    expect(await screen.findByText('Use a whole number of tokens, 0 or more.')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Save limits' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(tokens, { target: { value: '50000' } });
    await waitFor(() => expect(screen.queryByText('Use a whole number of tokens, 0 or more.')).toBeNull());
    // Remove the workspace's USD limit, keep its token limit.
    fireEvent.change(screen.getByRole('textbox', { name: 'Per workspace per day (USD)' }), { target: { value: '' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save limits' }));
    await waitFor(() => expect(fake.calls.some((c) => c.route === 'budgets.set')).toBe(true));
    expect(fake.calls.find((c) => c.route === 'budgets.set')!.input).toEqual({ workspace: 'Acme', perUserDaily: { tokens: 50000 }, workspaceDaily: { tokens: 100000 } });
  });
});
