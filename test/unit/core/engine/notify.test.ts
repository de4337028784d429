import { afterEach, describe, expect, it } from 'vitest';
import { getPersona } from '../../../../src/main/core/personas/registry';
import { groupAlerts, meetsLevel, type InsightAlert } from '../../../../src/shared/notify';
import { finish, makeEngineCore, type EngineTestCore } from '../../../fixtures/engineCore';
import { entityIdOf, sampleAnswer } from '../../../fixtures/scriptedGateway';

const alert = (id: number, severity: InsightAlert['severity'], workspace = 'Acme'): InsightAlert => ({ workspace, id: `ins_${id}`, title: `TCK-${id}: outage`, severity });

describe('groupAlerts (desktop notifications)', () => {
  it('off notifies nothing; critical keeps critical only; high keeps high and critical', () => {
    const all = [alert(1, 'critical'), alert(2, 'high'), alert(3, 'medium'), alert(4, 'info')];
    expect(groupAlerts(all, 'off')).toEqual([]);
    expect(groupAlerts(all, 'critical').map((n) => n.path)).toEqual(['/insights?id=ins_1']);
    expect(groupAlerts(all, 'high').map((n) => n.path)).toEqual(['/insights?id=ins_1', '/insights?id=ins_2']);
    expect(meetsLevel('medium', 'high')).toBe(false);
  });

  it('a few insights each get their own notification that opens it', () => {
    expect(groupAlerts([alert(1, 'critical'), alert(2, 'high')], 'high')).toEqual([
      { title: 'Critical insight · Acme', body: 'TCK-1: outage', path: '/insights?id=ins_1', tag: 'insight-ins_1', count: 1, workspace: 'Acme' },
      { title: 'High insight · Acme', body: 'TCK-2: outage', path: '/insights?id=ins_2', tag: 'insight-ins_2', count: 1, workspace: 'Acme' },
    ]);
  });

  it('many from one scan become one grouped notification per workspace, opening the filtered list; duplicates fold', () => {
    const many = [alert(1, 'critical'), alert(2, 'high'), alert(3, 'critical'), alert(4, 'high'), alert(4, 'high'), alert(9, 'critical', 'Beta')];
    const out = groupAlerts(many, 'high');
    expect(out).toEqual([
      { title: '4 new insights need attention · Acme', body: '2 critical, 2 high. TCK-1: outage; TCK-2: outage; …', path: '/insights?severity=critical&severity=high', tag: 'insights-Acme', count: 4, workspace: 'Acme' },
      { title: 'Critical insight · Beta', body: 'TCK-9: outage', path: '/insights?id=ins_9', tag: 'insight-ins_9', count: 1, workspace: 'Beta' },
    ]);
    expect(groupAlerts(many.filter((a) => a.severity === 'critical').concat([alert(5, 'critical'), alert(6, 'critical')]), 'critical')[0]).toMatchObject({ count: 4, path: '/insights?severity=critical', workspace: 'Acme' });
  });
});

describe('insights.alert from the core', () => {
  let t: EngineTestCore;
  afterEach(() => t.cleanup());
  const critical = (_m: unknown, req: Parameters<typeof entityIdOf>[0]) => ({ text: JSON.stringify(sampleAnswer(getPersona('ticket_analyst'), entityIdOf(req), { priority_score: 70, sla_risk: 'breached', category: 'outage' })) });

  it('is emitted for a new insight at or above the level, and not when notifications are off', async () => {
    t = await makeEngineCore(critical);
    const alerts: unknown[] = [];
    t.core.services.events.on('insights.alert', (a) => alerts.push(a));
    expect((await t.core.call('engine.settings', {})).notifications.minSeverity).toBe('critical');
    const { jobId } = await t.core.call('insights.analyze', { workspace: 'w', persona: 'ticket_analyst', entityId: 1 });
    const id = ((await finish(t, jobId)).result as { insightId: string }).insightId;
    expect(alerts).toEqual([{ workspace: 'w', id, title: 'TCK-000001: outage, priority 70, SLA risk breached', severity: 'critical' }]);
    await t.core.call('engine.configure', { notifications: { minSeverity: 'off' } });
    const again = await t.core.call('insights.analyze', { workspace: 'w', persona: 'ticket_analyst', entityId: 1, force: true });
    await finish(t, again.jobId);
    expect(alerts).toHaveLength(1);
  });
});

describe('detector titles', () => {
  it('say the direction once: "drop of 100%", not "drop of -100%"', async () => {
    const { findingFields } = await import('../../../../src/main/core/engine/detectors/findings');
    const { METRICS } = await import('../../../../src/main/core/engine/detectors/metrics');
    const metric = METRICS.find((m) => m.key === 'new_deals')!;
    const base = { metric: metric.key, method: 'zscore' as const, entityType: null, entityId: null, entityTitle: null, start: '2026-03-01', end: '2026-03-07', score: -4, baseline: 10, peak: 0, slope: null, points: [] };
    const drop = findingFields(metric, { ...base, kind: 'drop', magnitude: -1 }, '2026-03-08T00:00:00Z');
    expect(drop.title).toMatch(/: drop of 100% \(/);
    expect(drop.title).not.toMatch(/-\d+%/);
    const down = findingFields(metric, { ...base, method: 'trend', kind: 'trend_down', magnitude: -0.3, start: '2026-01-01', end: '2026-03-01' }, '2026-03-08T00:00:00Z');
    expect(down.title).toMatch(/trending down 30% over/);
    expect(findingFields(metric, { ...base, kind: 'spike', magnitude: 0.4, score: 4, peak: 14 }, '2026-03-08T00:00:00Z').title).toMatch(/: spike of 40% \(/);
  });
});
