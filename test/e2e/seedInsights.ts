/**
 * Bulk insights for the browser's scale test: written straight into a workspace database file with better-sqlite3
 * (the web host has it open too; WAL lets both work). Rows are deterministic and spread over every filter the
 * browser offers, so a filter change has real work to do.
 */
import Database from 'better-sqlite3';

const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
const STATUSES = ['completed', 'completed', 'acknowledged', 'actioned', 'dismissed', 'expired', 'failed'] as const;
const PERSONAS = [
  ['ticket_analyst', 'support', 'tickets'],
  ['project_advisor', 'projects', 'projects'],
  ['inbox_analyst', 'inbox', 'conversations'],
  ['campaign_optimizer', 'marketing', 'campaigns'],
  ['dispatch_planner', 'dispatch', 'work_orders'],
  ['vendor_analyst', 'vendors', 'vendors'],
  ['performance_coach', 'performance', 'agents'],
  ['customer_success', 'success', 'accounts'],
] as const;
const WORDS = ['billing', 'outage', 'renewal', 'escalation', 'latency', 'churn', 'budget', 'delivery', 'backlog', 'refund', 'onboarding', 'pipeline'];

/** A cheap deterministic generator, so every run seeds the same rows. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SeedSummary {
  inserted: number;
  ms: number;
  /** How many seeded rows have each severity (status aside). */
  bySeverity: Record<string, number>;
}

export function seedInsights(file: string, n: number, seed = 7): SeedSummary {
  const started = performance.now();
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 10000');
  const random = rng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const bySeverity: Record<string, number> = {};
  const insert = db.prepare(`INSERT INTO insights (id, type, persona_key, persona_version, prompt_version, domain, entity_type, entity_id, entity_title, status, severity, severity_rank,
      title, summary, confidence, recommendations, factors, fields, provider, model, endpoint, fallback_used, tokens_in, tokens_out, cost_usd, latency_ms, trigger, actor, created_at, completed_at, expires_at)
    VALUES (@id, 'persona', @persona, '1.0.0', 'seed', @domain, @entityType, @entityId, @entityTitle, @status, @severity, @rank,
      @title, @summary, @confidence, @recommendations, @factors, '{}', 'openai-compatible', 'fake-chat', 'seed', 0, 900, 200, 0.0011, 800, 'scheduled', NULL, @createdAt, @createdAt, @expiresAt)`);
  const start = Date.parse('2025-06-01T00:00:00Z');
  const span = Date.parse('2026-06-01T00:00:00Z') - start;
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const [persona, domain, entityType] = pick(PERSONAS);
      const severity = pick(SEVERITIES);
      const status = pick(STATUSES);
      const word = pick(WORDS);
      const entityId = 1 + Math.floor(random() * 5000);
      const createdAt = new Date(start + Math.floor(random() * span)).toISOString().replace(/\.\d{3}Z$/, 'Z');
      if (status !== 'failed') bySeverity[severity] = (bySeverity[severity] ?? 0) + 1;
      insert.run({
        id: `seed_${String(i).padStart(6, '0')}`,
        persona,
        domain,
        entityType,
        entityId,
        entityTitle: `${entityType} ${entityId}`,
        status,
        severity: status === 'failed' ? null : severity,
        rank: status === 'failed' ? -1 : SEVERITIES.indexOf(severity),
        title: `Seeded ${word} finding ${i}`,
        summary: `A seeded ${severity} ${word} insight about ${entityType} ${entityId}.`,
        confidence: Math.round(random() * 100) / 100,
        recommendations: JSON.stringify([{ action: `Review the ${word}`, rationale: 'Seeded.' }]),
        factors: JSON.stringify([{ direction: '-', text: `The ${word} needs attention.`, evidence: [{ entityType, entityId }] }]),
        createdAt,
        expiresAt: new Date(Date.parse(createdAt) + 48 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      });
    }
  })();
  db.close();
  return { inserted: n, ms: Math.round(performance.now() - started), bySeverity };
}
