import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../../../src/main/core/db/migrate';
import { workspaceMigrations } from '../../../../src/main/core/db/migrations/workspace';
import { openDatabase, type Db } from '../../../../src/main/core/db/open';
import { countBy, ftsQuery, listInsights } from '../../../../src/main/core/engine/insightQuery';
import { transition } from '../../../../src/main/core/engine/lifecycle';
import { insertFinding } from '../../../../src/main/core/engine/insightStore';
import { SEVERITIES, type Severity } from '../../../../src/shared/insights';
import { tempDir } from '../../../fixtures/core';

const DOMAINS = ['support', 'marketing', 'vendors', 'success'];

function fill(db: Db, n: number): void {
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const severity = SEVERITIES[i % 5] as Severity;
      const day = String(1 + (i % 28)).padStart(2, '0');
      insertFinding(db, {
        id: `ins_${String(i).padStart(6, '0')}`,
        type: i % 3 === 0 ? 'anomaly' : 'persona',
        domain: DOMAINS[i % 4]!,
        entityType: 'tickets',
        entityId: i % 50,
        entityTitle: `TCK-${i}`,
        dedupKey: `k${i}`,
        trigger: 'scheduled',
        actor: null,
        runId: i < 10 ? 'run-a' : null,
        createdAt: `2026-02-${day}T${String(i % 24).padStart(2, '0')}:00:00Z`,
        fields: {
          severity,
          title: i % 10 === 0 ? `Refund backlog growing ${i}` : `Routine finding ${i}`,
          summary: i === 7 ? 'Customer mentions a chargeback from their bank' : 'Nothing special.',
          confidence: (i % 10) / 10,
          recommendations: [{ action: i === 8 ? 'Escalate to the billing specialist' : 'Review', rationale: 'because' }],
          factors: [{ direction: '-', text: i === 9 ? 'Firmware rollback failed twice' : 'x', evidence: [] }],
          fields: {},
          defaultedFields: [],
          warnings: [],
          completedAt: '2026-02-28T00:00:00Z',
          expiresAt: null,
        },
      });
    }
  })();
}

describe('insights queries', () => {
  let db: Db;
  beforeAll(() => {
    const dir = tempDir();
    db = openDatabase(join(dir, 'w.sqlite'));
    migrate(db, workspaceMigrations, { backupDir: join(dir, 'b'), label: 'w' });
    fill(db, 2_000);
    db.prepare("UPDATE insights SET persona_key = 'ticket_analyst' WHERE type = 'persona'").run();
  });
  afterAll(() => db.close());

  it('filters by domain, persona, severity, status, entity, type and date, with totals and paging', () => {
    const all = listInsights(db, { offset: 0, limit: 10 });
    expect(all.total).toBe(2_000);
    expect(all.items).toHaveLength(10);
    const f = listInsights(db, { domains: ['marketing'], severities: ['high', 'critical'], offset: 0, limit: 1_000 });
    expect(f.total).toBe(2_000 / 4 / 5 * 2);
    expect(f.items.every((i) => i.domain === 'marketing' && ['high', 'critical'].includes(i.severity!))).toBe(true);
    expect(listInsights(db, { entityType: 'tickets', entityId: 7, offset: 0, limit: 100 }).total).toBe(40);
    expect(listInsights(db, { types: ['anomaly'], offset: 0, limit: 1 }).total).toBe(667);
    expect(listInsights(db, { personas: ['ticket_analyst'], offset: 0, limit: 1 }).total).toBe(1_333);
    expect(listInsights(db, { from: '2026-02-01', to: '2026-02-01', offset: 0, limit: 1 }).total).toBeGreaterThan(0);
    expect(listInsights(db, { from: '2026-02-10', to: '2026-02-09', offset: 0, limit: 1 }).total).toBe(0);
    expect(listInsights(db, { runId: 'run-a', offset: 0, limit: 100 }).total).toBe(10);
    const page2 = listInsights(db, { offset: 10, limit: 10 });
    expect(page2.items[0]!.id).not.toBe(all.items[0]!.id);
  });

  it('sorts by date, severity, confidence and title', () => {
    const byDate = listInsights(db, { offset: 0, limit: 50 }).items.map((i) => i.createdAt);
    expect([...byDate].sort().reverse()).toEqual(byDate);
    const bySev = listInsights(db, { sort: { column: 'severity', desc: true }, offset: 0, limit: 400 }).items;
    expect(bySev.every((i) => i.severity === 'critical')).toBe(true);
    const byConf = listInsights(db, { sort: { column: 'confidence', desc: false }, offset: 0, limit: 200 }).items;
    expect(byConf.every((i) => i.confidence === 0)).toBe(true);
    const byTitle = listInsights(db, { sort: { column: 'title', desc: false }, offset: 0, limit: 3 }).items;
    expect(byTitle[0]!.title).toMatch(/^Refund backlog/);
  });

  it('searches titles, summaries, recommendations and factors with prefixes, and survives odd input', () => {
    expect(listInsights(db, { search: 'refund', offset: 0, limit: 1_000 }).total).toBe(200);
    expect(listInsights(db, { search: 'chargeb', offset: 0, limit: 10 }).items.map((i) => i.id)).toEqual(['ins_000007']);
    expect(listInsights(db, { search: 'billing specialist', offset: 0, limit: 10 }).items.map((i) => i.id)).toEqual(['ins_000008']);
    expect(listInsights(db, { search: 'firmware', offset: 0, limit: 10 }).items.map((i) => i.id)).toEqual(['ins_000009']);
    expect(listInsights(db, { search: '"); DROP TABLE insights; --', offset: 0, limit: 10 }).total).toBe(0);
    expect(listInsights(db, { search: '***', offset: 0, limit: 10 }).total).toBe(0);
    expect(ftsQuery('Refund  backlog')).toBe('"Refund"* AND "backlog"*');
  });

  it('keeps search in step with title changes and lifecycle moves', () => {
    db.prepare("UPDATE insights SET title = 'Quarantined shipment' WHERE id = 'ins_000003'").run();
    expect(listInsights(db, { search: 'quarantined', offset: 0, limit: 10 }).items.map((i) => i.id)).toEqual(['ins_000003']);
    transition(db, 'ins_000003', 'acknowledge', 'me', 'seen', '2026-03-01T00:00:00Z');
    expect(listInsights(db, { search: 'quarantined', statuses: ['acknowledged'], offset: 0, limit: 10 }).total).toBe(1);
    expect(countBy(db, 'status').acknowledged).toBe(1);
  });

  it('uses an index for the common filters', () => {
    const plan = (sql: string, ...p: unknown[]): string => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...p) as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(plan("SELECT * FROM insights WHERE status IN ('completed') ORDER BY created_at DESC LIMIT 100")).toMatch(/USING INDEX/);
    expect(plan("SELECT count(*) FROM insights WHERE domain IN ('support')")).toMatch(/USING (COVERING )?INDEX insights_domain/);
    expect(plan('SELECT * FROM insights WHERE entity_type = ? AND entity_id = ?', 'tickets', 1)).toMatch(/insights_entity/);
  });
});
