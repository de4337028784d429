import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTITIES } from '../../../src/shared/entities';
import { cardNumber, luhnCheckDigit, luhnValid, PII_KINDS, ssn, ukNi } from '../../../src/main/core/demo/pii';
import { Rand, streamSeed } from '../../../src/main/core/demo/random';
import { demoGenerateTask } from '../../../src/main/core/demo/task';
import { CancelFlag, inlineContext } from '../../../src/main/core/workers/context';
import type { Db } from '../../../src/main/core/db/open';
import { tempDir } from '../../fixtures/core';
import { ANCHOR, ANCHOR_NOW, generateDemoDb, type GeneratedDemo } from '../../fixtures/demoDb';

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Columns that may lie in the future (plans, deadlines, schedules); every other time must be before "now". */
const FUTURE_OK = new Set([
  'deals.close_date', 'tasks.due_date', 'projects.start_date', 'projects.due_date', 'project_milestones.due_date', 'project_tasks.due_date',
  'tickets.sla_due_at', 'ticket_sla_events.target_at', 'campaigns.start_date', 'campaigns.end_date', 'dispatch_jobs.window_start',
  'dispatch_jobs.window_end', 'dispatch_jobs.scheduled_start', 'dispatch_jobs.scheduled_end', 'dispatch_jobs.sla_due_at',
  'purchase_orders.expected_at', 'vendors.contract_end', 'renewals.renewal_date', 'goals.target_date', 'actions.due_date',
]);

/** Every table's rows in primary-key order, hashed: equal hashes mean byte-identical contents. */
function contentHash(db: Db): string {
  const h = createHash('sha256');
  for (const e of [...ENTITIES.map((x) => ({ table: x.table, pk: x.primaryKey.join(', ') })), { table: 'workspace_meta', pk: 'key' }]) {
    h.update(`#${e.table}\n`);
    for (const row of db.prepare(`SELECT * FROM ${e.table} ORDER BY ${e.pk}`).raw().iterate()) h.update(`${JSON.stringify(row)}\n`);
  }
  return h.digest('hex');
}

const col = <T>(db: Db, sql: string, ...params: unknown[]): T[] => db.prepare(sql).pluck().all(...params) as T[];

describe('demo generator: building blocks', () => {
  it('computes Luhn check digits and only makes valid card numbers', () => {
    expect(luhnCheckDigit('411111111111111')).toBe(1);
    expect(luhnValid('4242 4242 4242 4242')).toBe(true);
    expect(luhnValid('4242 4242 4242 4241')).toBe(false);
    const r = new Rand(1);
    for (let i = 0; i < 500; i++) expect(luhnValid(cardNumber(r))).toBe(true);
  });

  it('makes SSNs outside the never-issued areas and UK NI numbers with valid prefixes', () => {
    const r = new Rand(2);
    for (let i = 0; i < 2000; i++) {
      const area = Number(ssn(r).slice(0, 3));
      expect(area === 0 || area === 666 || area >= 900).toBe(false);
      expect(ukNi(r)).toMatch(/^(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]$/);
    }
  });

  it('derives independent, reproducible streams from seed and name', () => {
    const draw = (seed: number, name: string): number[] => {
      const r = Rand.stream(seed, name);
      return [r.next(), r.next(), r.next()];
    };
    expect(draw(5, 'tickets')).toEqual(draw(5, 'tickets'));
    expect(draw(5, 'tickets')).not.toEqual(draw(5, 'deals'));
    expect(draw(5, 'tickets')).not.toEqual(draw(6, 'tickets'));
    expect(streamSeed(5, 'tickets')).not.toBe(streamSeed(5, 'ticket'));
  });
});

describe('demo generator: determinism', () => {
  it('same seed, scale and anchor date give identical contents; another seed or anchor date does not', async () => {
    const runs = await Promise.all([generateDemoDb(0.5, 7), generateDemoDb(0.5, 7), generateDemoDb(0.5, 8), generateDemoDb(0.5, 7, '2026-01-15')]);
    try {
      const [a, b, c, d] = runs.map((r) => contentHash(r.db));
      expect(b).toBe(a);
      expect(c).not.toBe(a);
      expect(d).not.toBe(a);
      // Not just the ids: names and free text differ between seeds too.
      const names = (r: GeneratedDemo): string[] => col<string>(r.db, 'SELECT name FROM accounts ORDER BY id LIMIT 5');
      expect(names(runs[2]!)).not.toEqual(names(runs[0]!));
    } finally {
      for (const r of runs) r.close();
    }
  });
});

describe('demo generator: scale 1 workspace', () => {
  let d: GeneratedDemo;
  beforeAll(async () => {
    d = await generateDemoDb(1, 42);
  });
  afterAll(() => d.close());

  it('fills every catalog table, about 5,000 rows in all, and reports the true counts', () => {
    const total = Object.values(d.result.counts).reduce((a, b) => a + b, 0);
    expect(total).toBe(d.result.rows);
    expect(total).toBeGreaterThanOrEqual(4000);
    expect(total).toBeLessThanOrEqual(6000);
    for (const e of ENTITIES) {
      const n = d.db.prepare(`SELECT count(*) FROM ${e.table}`).pluck().get() as number;
      expect(n, e.table).toBeGreaterThan(0);
      expect(d.result.counts[e.table], e.table).toBe(n);
    }
    expect(col(d.db, 'SELECT id FROM business_foundation')).toEqual([1]);
  });

  it('passes the foreign key check and the integrity check', () => {
    expect(d.db.pragma('foreign_key_check')).toEqual([]);
    expect(d.db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('keeps the workspace name and records seed, scale, anchor date, plants and PII counts in workspace_meta', () => {
    const meta = Object.fromEntries((d.db.prepare('SELECT key, value FROM workspace_meta').all() as { key: string; value: string }[]).map((r) => [r.key, r.value]));
    expect(meta).toMatchObject({ name: 'Demo', demo_seed: '42', demo_scale: '1', anchor_date: ANCHOR });
    expect(d.plants.length).toBeGreaterThanOrEqual(15);
    for (const p of d.plants) {
      expect(p.start <= p.end, p.id).toBe(true);
      // Double bookings sit in the upcoming schedule; every other plant is history.
      if (p.kind === 'conflict') expect(p.start >= ANCHOR, p.id).toBe(true);
      else expect(p.end < ANCHOR, p.id).toBe(true);
      expect(typeof p.magnitude, p.id).toBe('number');
      expect(p.description.length, p.id).toBeGreaterThan(20);
    }
    expect(Object.keys(JSON.parse(meta.demo_pii_counts!) as object).sort()).toEqual([...PII_KINDS].sort());
  });

  it('holds only catalog enum values, well-formed dates and times, and values inside catalog ranges', () => {
    for (const e of ENTITIES) {
      for (const c of e.columns) {
        const values = col<string | number | null>(d.db, `SELECT DISTINCT ${c.name} FROM ${e.table}`);
        const present = values.filter((v) => v !== null);
        if (c.required) expect(values, `${e.table}.${c.name} has no nulls`).not.toContain(null);
        if (c.type === 'enum') for (const v of present) expect(c.values, `${e.table}.${c.name}`).toContain(v);
        if (c.type === 'datetime') {
          for (const v of present) {
            expect(String(v), `${e.table}.${c.name}`).toMatch(DATETIME);
            expect(new Date(String(v)).toISOString().replace('.000Z', 'Z'), `${e.table}.${c.name} is a real time`).toBe(v);
          }
        }
        if (c.type === 'date') {
          for (const v of present) {
            expect(String(v), `${e.table}.${c.name}`).toMatch(DATE);
            expect(new Date(`${String(v)}T00:00:00Z`).toISOString().slice(0, 10), `${e.table}.${c.name} is a real date`).toBe(v);
          }
        }
        if (c.type === 'boolean') for (const v of present) expect([0, 1], `${e.table}.${c.name}`).toContain(v);
        if (c.min !== undefined) for (const v of present) expect(Number(v), `${e.table}.${c.name} >= ${c.min}`).toBeGreaterThanOrEqual(c.min);
        if (c.max !== undefined) for (const v of present) expect(Number(v), `${e.table}.${c.name} <= ${c.max}`).toBeLessThanOrEqual(c.max);
        if ((c.type === 'datetime' || c.type === 'date') && !FUTURE_OK.has(`${e.table}.${c.name}`)) {
          const latest = d.db.prepare(`SELECT max(${c.name}) FROM ${e.table}`).pluck().get() as string | null;
          if (latest !== null) expect(latest < (c.type === 'date' ? ANCHOR : ANCHOR_NOW), `${e.table}.${c.name} is in the past`).toBe(true);
        }
      }
    }
  });

  it('uses the code formats TCK-000123, PRJ-0001, JOB-000001 and PO-000001', () => {
    expect(col<string>(d.db, 'SELECT code FROM tickets').every((c) => /^TCK-\d{6}$/.test(c))).toBe(true);
    expect(col<string>(d.db, 'SELECT code FROM projects').every((c) => /^PRJ-\d{4}$/.test(c))).toBe(true);
    expect(col<string>(d.db, 'SELECT code FROM dispatch_jobs').every((c) => /^JOB-\d{6}$/.test(c))).toBe(true);
    expect(col<string>(d.db, 'SELECT code FROM purchase_orders').every((c) => /^PO-\d{6}$/.test(c))).toBe(true);
  });

  it('gives tickets consistent timelines, SLA flags and status histories', () => {
    const q = (sql: string): number => d.db.prepare(sql).pluck().get() as number;
    expect(q('SELECT count(*) FROM tickets WHERE first_response_at < created_at OR resolved_at < first_response_at OR (resolved_at IS NOT NULL AND first_response_at IS NULL) OR updated_at < created_at OR updated_at < resolved_at')).toBe(0);
    expect(q("SELECT count(*) FROM tickets WHERE (status IN ('solved', 'closed')) != (resolved_at IS NOT NULL)")).toBe(0);
    expect(q("SELECT count(*) FROM tickets WHERE (status = 'new') != (first_response_at IS NULL)")).toBe(0);
    expect(q("SELECT count(*) FROM tickets WHERE csat IS NOT NULL AND status NOT IN ('solved', 'closed')")).toBe(0);
    // breached == (achieved, or now if not achieved yet) is later than the target
    expect(q(`SELECT count(*) FROM ticket_sla_events WHERE breached != (coalesce(achieved_at, '${ANCHOR_NOW}') > target_at)`)).toBe(0);
    expect(q("SELECT count(*) FROM ticket_sla_events e JOIN tickets t ON t.id = e.ticket_id WHERE (e.metric = 'first_response' AND e.achieved_at IS NOT t.first_response_at) OR (e.metric = 'resolution' AND (e.achieved_at IS NOT t.resolved_at OR e.target_at != t.sla_due_at))")).toBe(0);
    expect(q('SELECT count(*) FROM tickets t WHERE (SELECT count(*) FROM ticket_sla_events e WHERE e.ticket_id = t.id) != 2')).toBe(0);
    expect(q('SELECT count(*) FROM ticket_comments c JOIN tickets t ON t.id = c.ticket_id WHERE c.created_at < t.created_at OR c.created_at > t.updated_at')).toBe(0);
    expect(q("SELECT count(*) FROM ticket_comments WHERE (author_type = 'agent') != (agent_id IS NOT NULL)")).toBe(0);
    const rows = d.db.prepare('SELECT h.ticket_id, h.from_status, h.to_status, h.changed_at, t.status, t.created_at FROM ticket_status_history h JOIN tickets t ON t.id = h.ticket_id ORDER BY h.ticket_id, h.changed_at, h.id').all() as { ticket_id: number; from_status: string | null; to_status: string; changed_at: string; status: string; created_at: string }[];
    let prev: (typeof rows)[number] | undefined;
    const last = new Map<number, (typeof rows)[number]>();
    for (const r of rows) {
      if (prev?.ticket_id === r.ticket_id) expect(r.from_status, `ticket ${r.ticket_id} chain`).toBe(prev.to_status);
      else expect([r.from_status, r.to_status, r.changed_at], `ticket ${r.ticket_id} starts as new`).toEqual([null, 'new', r.created_at]);
      last.set(r.ticket_id, r);
      prev = r;
    }
    expect(last.size).toBe(q('SELECT count(*) FROM tickets'));
    for (const r of last.values()) expect(r.to_status, `ticket ${r.ticket_id} ends in its status`).toBe(r.status);
  });

  it('keeps the other domains coherent', () => {
    const q = (sql: string): number => d.db.prepare(sql).pluck().get() as number;
    const P: Record<string, number> = { prospecting: 0.1, qualification: 0.2, proposal: 0.45, negotiation: 0.7, closed_won: 1, closed_lost: 0 };
    for (const r of d.db.prepare('SELECT stage, probability FROM deals').all() as { stage: string; probability: number }[]) expect(r.probability, r.stage).toBe(P[r.stage]);
    expect(q(`SELECT count(*) FROM deals WHERE stage LIKE 'closed%' AND (close_date >= '${ANCHOR}' OR close_date < substr(created_at, 1, 10))`)).toBe(0);
    expect(q("SELECT count(*) FROM deals d JOIN accounts a ON a.id = d.account_id WHERE d.stage = 'closed_won' AND a.lifecycle != 'customer'")).toBe(0);
    expect(q('SELECT count(*) FROM contacts c JOIN deals d ON d.contact_id = c.id WHERE c.account_id IS NOT d.account_id')).toBe(0);
    expect(q("SELECT count(*) FROM tasks WHERE (status = 'done') != (completed_at IS NOT NULL) OR completed_at < created_at")).toBe(0);
    expect(q('SELECT count(*) FROM deliveries v JOIN purchase_orders p ON p.id = v.purchase_order_id WHERE v.on_time != (v.delivered_at <= p.expected_at) OR v.delivered_at < p.ordered_at')).toBe(0);
    expect(q("SELECT count(*) FROM purchase_orders p WHERE (status IN ('delivered', 'partially_delivered')) != EXISTS (SELECT 1 FROM deliveries v WHERE v.purchase_order_id = p.id)")).toBe(0);
    expect(q('SELECT count(*) FROM dispatch_jobs WHERE scheduled_start < window_start OR scheduled_end > window_end OR scheduled_end <= scheduled_start OR window_end <= window_start')).toBe(0);
    expect(q("SELECT count(*) FROM dispatch_jobs WHERE (status IN ('scheduled', 'en_route', 'in_progress', 'completed')) != (technician_id IS NOT NULL AND scheduled_start IS NOT NULL)")).toBe(0);
    expect(q("SELECT count(*) FROM dispatch_jobs WHERE (status = 'completed') != (completed_at IS NOT NULL) OR completed_at < scheduled_start")).toBe(0);
    expect(q('SELECT count(*) FROM conversations c WHERE last_message_at != (SELECT max(sent_at) FROM messages m WHERE m.conversation_id = c.id) OR created_at != (SELECT min(sent_at) FROM messages m WHERE m.conversation_id = c.id)')).toBe(0);
    expect(q("SELECT count(*) FROM project_tasks WHERE (status = 'blocked') != (blocked_reason IS NOT NULL) OR (status = 'done') != (completed_at IS NOT NULL) OR completed_at < created_at")).toBe(0);
    expect(q("SELECT count(*) FROM project_milestones WHERE (status = 'done') != (completed_at IS NOT NULL)")).toBe(0);
    expect(q("SELECT count(*) FROM renewals r JOIN accounts a ON a.id = r.account_id WHERE (r.status = 'churned') != (a.lifecycle = 'churned')")).toBe(0);
    expect(q('SELECT count(*) FROM vendor_quality_incidents i JOIN purchase_orders p ON p.id = i.purchase_order_id WHERE i.vendor_id != p.vendor_id OR i.resolved_at < i.occurred_at')).toBe(0);
    expect(q('SELECT count(*) FROM agents a JOIN users u ON u.id = a.user_id WHERE u.name != a.name')).toBe(0);
    expect(q('SELECT count(*) FROM kpis k WHERE current != (SELECT value FROM kpi_progress p WHERE p.kpi_id = k.id ORDER BY date DESC LIMIT 1)')).toBe(0);
    // Notes point at real records of the entity type they name.
    for (const r of d.db.prepare('SELECT entity_type, entity_id FROM notes').all() as { entity_type: string; entity_id: number }[]) {
      expect(ENTITIES.map((e) => e.key)).toContain(r.entity_type);
      expect(d.db.prepare(`SELECT count(*) FROM ${r.entity_type} WHERE id = ?`).pluck().get(r.entity_id), `${r.entity_type} ${r.entity_id}`).toBe(1);
    }
  });

  it('puts personal data of every kind into some free text (about 5-10% of bodies)', () => {
    const texts = [
      ...col<string>(d.db, 'SELECT description FROM tickets'), ...col<string>(d.db, "SELECT body FROM ticket_comments WHERE author_type = 'customer'"),
      ...col<string>(d.db, "SELECT body FROM messages WHERE direction = 'inbound'"), ...col<string>(d.db, 'SELECT body FROM activities'),
      ...col<string>(d.db, 'SELECT body FROM notes'), ...col<string>(d.db, 'SELECT comment FROM nps_responses WHERE comment IS NOT NULL'),
      ...col<string>(d.db, 'SELECT description FROM dispatch_jobs'),
    ];
    const patterns: Record<string, RegExp> = {
      email: /[\w.+-]+@(gmail\.com|outlook\.com|yahoo\.com|hotmail\.co\.uk|icloud\.com|proton\.me)/,
      phone: /(\(\d{3}\) \d{3}-\d{4}|\b\d{3}[-.]555[-.]\d{4}\b|\+1 \d{3} 555 \d{4}|\+44 7700 900\d{3}|020 7946 0\d{3}|\+49 30 \d{4} \d{4})/,
      card: /\b(?:\d{4}[ -]?){3}\d{4}\b|\b\d{4} \d{6} \d{5}\b/,
      ssn: /\b\d{3}-\d{2}-\d{4}\b/,
      uk_ni: /\b[A-CEGHJ-PR-TW-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b/,
      ip: /\b(?:\d{1,3}\.){3}\d{1,3}\b/,
    };
    const withPii = texts.filter((t) => Object.values(patterns).some((p) => p.test(t)));
    for (const [kind, p] of Object.entries(patterns)) expect(texts.some((t) => p.test(t)), kind).toBe(true);
    const cards = texts.flatMap((t) => t.match(/\b(?:\d{4}[ -]?){3}\d{4}\b|\b\d{4} \d{6} \d{5}\b/g) ?? []);
    expect(cards.length).toBeGreaterThan(0);
    for (const c of cards) expect(luhnValid(c), c).toBe(true);
    expect(withPii.length / texts.length).toBeGreaterThan(0.04);
    expect(withPii.length / texts.length).toBeLessThan(0.12);
  });
});

describe('demo generator: small scales, progress and cancel', () => {
  it('scale 0.01 still fills every table and records every plant', async () => {
    const d = await generateDemoDb(0.01, 3);
    try {
      for (const e of ENTITIES) expect(d.db.prepare(`SELECT count(*) FROM ${e.table}`).pluck().get(), e.table).not.toBe(0);
      const ids = d.plants.map((p) => p.id.replace(/_\d+$/, ''));
      for (const id of ['ticket_volume_spike', 'sla_breach_surge', 'deal_win_rate_decline', 'pipeline_creation_decline', 'campaign_ctr_collapse', 'campaign_cpa_rise', 'vendor_on_time_drop', 'agent_csat_decline', 'account_usage_drop', 'project_budget_overrun', 'project_schedule_slip', 'dispatch_double_booking']) {
        expect(ids, id).toContain(id);
      }
      expect(d.db.pragma('foreign_key_check')).toEqual([]);
    } finally {
      d.close();
    }
  });

  it('reports progress by table with a planned total, ending at done = total', async () => {
    const d = await generateDemoDb(0.3, 5);
    try {
      expect(d.progress.length).toBeGreaterThan(10);
      expect(d.progress.map((p) => p.phase)).toEqual(expect.arrayContaining(['tickets', 'customer_usage_daily', 'done']));
      for (let i = 1; i < d.progress.length; i++) expect(d.progress[i]!.done).toBeGreaterThanOrEqual(d.progress[i - 1]!.done);
      for (const p of d.progress) expect(p.done).toBeLessThanOrEqual(p.total!);
      expect(d.progress.at(-1)).toMatchObject({ phase: 'done', done: d.result.rows, total: d.result.rows });
    } finally {
      d.close();
    }
  });

  it('stops within a batch when cancelled', async () => {
    const dir = tempDir('idesk-demo-cancel-');
    const flag = new CancelFlag();
    let seen = 0;
    const ctx = inlineContext({ flag, onProgress: (p) => {
      seen = p.done;
      if (p.done > 0) flag.cancel();
    } });
    await expect(demoGenerateTask({ file: join(dir, 'x.sqlite'), scale: 20, seed: 1, anchorDate: ANCHOR, workspaceName: 'x', backupDir: join(dir, 'b') }, ctx)).rejects.toMatchObject({ code: 'cancelled' });
    expect(seen).toBeLessThan(10_000);
  });

  it('rejects an anchor date that is not a real YYYY-MM-DD date', async () => {
    const dir = tempDir('idesk-demo-bad-');
    await expect(demoGenerateTask({ file: join(dir, 'x.sqlite'), scale: 0.1, seed: 1, anchorDate: '2026-02-30', workspaceName: 'x', backupDir: join(dir, 'b') }, inlineContext())).rejects.toMatchObject({ code: 'validation' });
  });
});
