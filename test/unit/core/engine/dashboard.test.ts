import { afterEach, describe, expect, it } from 'vitest';
import { rng } from '../../../../src/main/core/demo/generate';
import { finish, makeEngineCore, type EngineTestCore } from '../../../fixtures/engineCore';

const day = (offset: number): string => new Date(Date.parse('2026-03-01T00:00:00Z') + offset * 86_400_000).toISOString().slice(0, 10);

/** ~20 tickets a day for 90 days, with a planted spike (×3) on days -10 and -9. */
function plantTicketSpike(t: EngineTestCore): void {
  const db = t.core.services.workspaces.open('w');
  const r = rng(11);
  const ins = db.prepare("INSERT INTO tickets (code, subject, status, priority, created_at) VALUES (?, 'Generated', 'solved', 'normal', ?)");
  let n = 0;
  db.transaction(() => {
    for (let d = -90; d < 0; d++) {
      const count = Math.round((20 + (r() * 2 - 1) * 4) * (d === -10 || d === -9 ? 3 : 1));
      for (let i = 0; i < count; i++) ins.run(`GEN-${n++}`, `${day(d)}T10:00:00Z`);
    }
  })();
}

async function detect(t: EngineTestCore) {
  const { jobId } = await t.core.call('detectors.run', { workspace: 'w' });
  const job = await finish(t, jobId);
  expect(job.status, job.error?.message).toBe('completed');
  const result = job.result as { created: number; alreadyKnown: number; findings: number; metrics: Record<string, { series: number; error?: string }> };
  for (const [metric, stat] of Object.entries(result.metrics)) expect(stat.error, metric).toBeUndefined();
  expect(Object.keys(result.metrics)).toEqual(expect.arrayContaining(['ticket_volume', 'sla_breach_rate', 'deal_win_rate', 'campaign_ctr', 'vendor_on_time_rate', 'agent_csat', 'account_usage']));
  return result;
}

describe('detectors and the dashboard', () => {
  let t: EngineTestCore;
  afterEach(() => t.cleanup());

  it('finds planted anomalies, stores them with their data points, and does not repeat them', async () => {
    t = await makeEngineCore();
    plantTicketSpike(t);
    const first = await detect(t);
    expect(first.created).toBeGreaterThanOrEqual(2);
    const { items } = await t.core.call('insights.list', { workspace: 'w', type: 'anomaly', limit: 100 });
    const spike = items.find((i) => i.title.startsWith('Ticket volume: spike'));
    expect(spike, items.map((i) => i.title).join('\n')).toBeDefined();
    const full = await t.core.call('insights.get', { workspace: 'w', id: spike!.id });
    expect(full.fields).toMatchObject({ metric: 'ticket_volume', kind: 'spike', start: day(-10), end: day(-9) });
    expect(full.fields.magnitude as number).toBeGreaterThan(1.5);
    expect(full.dataPoints!.filter((p) => p.flagged).map((p) => p.date)).toEqual([day(-10), day(-9)]);
    expect(full.dataPoints!.length).toBeGreaterThan(20);
    expect(full).toMatchObject({ domain: 'support', provider: null, tokensIn: 0, status: 'completed' });
    // The seed's usage drop for Acme (120 → 50 active users) is found too, on the account.
    const usage = items.find((i) => i.entityType === 'accounts' && i.entityId === 1);
    expect(usage?.title).toMatch(/^Account active users for Acme Corp: drop of 58%/);
    expect(usage?.severity).toBe('high');

    const again = await detect(t);
    expect(again.created).toBe(0);
    expect(again.alreadyKnown).toBe(first.created);
  });

  it('summarises open insights by severity, status and domain with anomaly cards', async () => {
    t = await makeEngineCore();
    plantTicketSpike(t);
    const { jobId } = await t.core.call('insights.analyze', { workspace: 'w', persona: 'ticket_analyst', entityId: 1 });
    await finish(t, jobId);
    await detect(t);
    const s = await t.core.call('dashboard.summary', { workspace: 'w' });
    expect(Object.values(s.severityCounts).reduce((a, b) => a + b, 0)).toBe(s.openTotal);
    expect(s.openTotal).toBeGreaterThanOrEqual(3);
    expect(s.statusCounts.completed).toBe(s.openTotal);
    expect(s.domainCounts.support).toBeGreaterThanOrEqual(2);
    expect(s.anomalies.length).toBeGreaterThanOrEqual(2);
    expect(s.anomalies[0]!.dataPoints.length).toBeGreaterThan(0);
    expect(s.lastDetectorsRunAt).toBe('2026-03-01T12:00:00Z');
    expect(s.last24h).toBe(s.openTotal);
    expect(s.coaching).toBeNull();
  });
});
