import { afterEach, describe, expect, it } from 'vitest';
import type { CoachingReport } from '../../../../src/shared/contract';
import { AppError } from '../../../../src/shared/errors';
import { CoachingService } from '../../../../src/main/core/engine/coaching';
import { COACHING_SOURCES } from '../../../../src/main/core/engine/coachingSources';
import { finish, makeEngineCore, type EngineTestCore } from '../../../fixtures/engineCore';

const item = (category: string, priority: string, n: number) => ({
  category,
  priority,
  title: `Insight ${n}`,
  description: `Description ${n}.`,
  suggestedActions: [`Do thing ${n}`],
  metrics: [{ name: 'SLA breach rate', value: '50.0%' }],
});

const GOOD = {
  insights: [
    item('operations', 'critical', 1),
    item('finance', 'high', 2),
    item('strategy', 'medium', 3),
    item('marketing', 'medium', 4),
    item('leadership', 'low', 5),
    item('operations', 'high', 6),
  ],
};

async function refresh(t: EngineTestCore) {
  const { jobId } = await t.core.call('coaching.refresh', { workspace: 'w' });
  return finish(t, jobId);
}

describe('coaching insights', () => {
  let t: EngineTestCore;
  afterEach(() => t.cleanup());

  it('generates 5–10 insights across categories from every data source, and caches them for a day', async () => {
    t = await makeEngineCore(() => ({ text: JSON.stringify(GOOD) }));
    expect(await t.core.call('coaching.get', { workspace: 'w' })).toEqual({ report: null, stale: true });
    const job = await refresh(t);
    expect(job.status).toBe('completed');
    const { report, stale } = await t.core.call('coaching.get', { workspace: 'w' });
    expect(stale).toBe(false);
    expect(report).toMatchObject({ missingSources: [], sources: ['strategy', 'operations', 'finance', 'marketing', 'leadership'], provider: 'openai-compatible', tokensIn: 500 });
    expect(report!.insights).toHaveLength(6);
    expect(report!.summary).toEqual({
      byCategory: { strategy: 1, operations: 2, finance: 1, marketing: 1, leadership: 1 },
      byPriority: { low: 1, medium: 2, high: 2, critical: 1 },
    });
    const call = t.gateway.calls[0]!;
    expect(call.meta.useCase).toBe('coaching');
    const data = call.req.messages[1]!.content;
    for (const expected of ['Grow ARR 30%', 'SLA breach rate', 'Total ARR: $330,000', 'ROAS email', 'Blocked actions: 1']) expect(data).toContain(expected);
    t.clock.advance(25 * 3_600_000);
    expect((await t.core.call('coaching.get', { workspace: 'w' })).stale).toBe(true);
  });

  it('coerces near-misses (case, lone strings, numbers) and keeps at most ten', async () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ ...item('Operations', 'HIGH', i), suggestedActions: 'Act now', metrics: [{ name: 'x', value: 42 }] }));
    t = await makeEngineCore(() => ({ text: `Here:\n\`\`\`json\n${JSON.stringify({ insights: many })}\n\`\`\`` }));
    const job = await refresh(t);
    const report = job.result as CoachingReport;
    expect(report.insights).toHaveLength(10);
    expect(report.insights[0]).toMatchObject({ category: 'operations', priority: 'high', suggestedActions: ['Act now'], metrics: [{ name: 'x', value: '42' }] });
  });

  it('builds from the remaining sources when one fails, and says which is missing', async () => {
    t = await makeEngineCore(() => ({ text: JSON.stringify(GOOD) }));
    const s = t.core.services;
    const broken = COACHING_SOURCES.map((src) => (src.key === 'marketing' ? { ...src, read: () => { throw new Error('no such table: campaigns'); } } : src));
    const coaching = new CoachingService({ jobs: { register: () => undefined } as never, workspaces: s.workspaces, settings: s.engineSettings, gateway: s.engineGateway, events: s.events, logger: s.logger, now: s.now, sources: broken });
    const report = await coaching.generate('w', null);
    expect(report.missingSources).toEqual([{ source: 'marketing', reason: 'no such table: campaigns' }]);
    expect(report.sources).not.toContain('marketing');
    expect(t.gateway.calls[0]!.req.messages[1]!.content).toMatch(/missing: marketing/);
  });

  it('asks again when the answer is unusable, then gives a clear error', async () => {
    t = await makeEngineCore((_m, _r, n) => (n === 0 ? { text: JSON.stringify({ insights: [item('operations', 'high', 1)] }) } : { text: 'Sorry.' }));
    const job = await refresh(t);
    expect(t.gateway.calls).toHaveLength(2);
    expect(t.gateway.calls[1]!.req.messages.at(-1)!.content).toMatch(/insights: Too small/i);
    expect(job.status).toBe('failed');
    expect(job.error).toMatchObject({ code: 'provider_error', message: expect.stringMatching(/^Coaching insights could not be generated: .*not JSON/) });
    expect((await t.core.call('coaching.get', { workspace: 'w' })).report).toBeNull();
  });

  it('a provider failure (after the gateway retried per policy) surfaces with its code', async () => {
    t = await makeEngineCore(() => ({ error: new AppError('provider_error', 'openai-main answered 503 three times.') }));
    const job = await refresh(t);
    expect(job.error).toEqual({ code: 'provider_error', message: 'Coaching insights could not be generated: openai-main answered 503 three times.' });
  });
});
