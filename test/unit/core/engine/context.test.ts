import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildContext } from '../../../../src/main/core/context/build';
import { packSections } from '../../../../src/main/core/context/pack';
import { DEFAULT_REDACTION } from '../../../../src/main/core/context/redact';
import { CONTEXT_BUILDERS, getContextBuilder } from '../../../../src/main/core/context/registry';
import { migrate } from '../../../../src/main/core/db/migrate';
import { workspaceMigrations } from '../../../../src/main/core/db/migrations/workspace';
import { openDatabase, type Db } from '../../../../src/main/core/db/open';
import { tempDir } from '../../../fixtures/core';
import { SEED_PII, seedEngineData } from '../../../fixtures/engineSeed';

const opts = { budgetChars: 12_000, redaction: DEFAULT_REDACTION, hashSalt: 'ticket_analyst@1.0.0' };

describe('context builders', () => {
  let db: Db;
  beforeAll(() => {
    const dir = tempDir();
    db = openDatabase(join(dir, 'w.sqlite'));
    migrate(db, workspaceMigrations, { backupDir: join(dir, 'b'), label: 'w' });
    seedEngineData(db);
  });
  afterAll(() => db.close());

  it.each(CONTEXT_BUILDERS.map((b) => [b.key, b] as const))('%s builds record 1, tags it, and returns null for a missing record', (_key, builder) => {
    const ctx = buildContext(db, builder, 1, opts);
    expect(ctx).not.toBeNull();
    expect(ctx!.text.length).toBeGreaterThan(100);
    expect(ctx!.refs).toContain(`${builder.entityType}#1`);
    expect(ctx!.entityTitle.length).toBeGreaterThan(0);
    expect(buildContext(db, builder, 9_999, opts)).toBeNull();
    expect(builder.candidates(db, 10)).toContain(1);
  });

  it('a ticket comes with its conversation, SLA events, account history, agent stats and notes', () => {
    const ctx = buildContext(db, getContextBuilder('ticket'), 1, opts)!;
    for (const expected of ['[ticket_comments#3]', '[ticket_sla_events#1]', 'breached: yes', '[accounts#1] Acme Corp', 'TCK-000002', 'TCK-000004', '[agents#1] Alex Kim', 'avg_csat: 3.6', '[notes#1]', 'new → open', 'escalate to our CEO']) {
      expect(ctx.text).toContain(expected);
    }
    expect(ctx.entityTitle).toBe('TCK-000001');
  });

  it('redacts PII before the context leaves the machine and counts it', () => {
    const ctx = buildContext(db, getContextBuilder('ticket'), 1, opts)!;
    for (const value of Object.values(SEED_PII)) expect(ctx.text).not.toContain(value);
    expect(ctx.redactions).toEqual({ email: 1, card: 1, national_id: 1, ip: 1, phone: 2 });
    expect(ctx.text).toContain('[PHONE_1]');
    const raw = buildContext(db, getContextBuilder('ticket'), 1, { ...opts, redaction: { ...DEFAULT_REDACTION, enabled: false } })!;
    expect(raw.text).toContain(SEED_PII.email);
    expect(raw.redactions).toEqual({ email: 0, card: 0, national_id: 0, ip: 0, phone: 0 });
  });

  it('is deterministic, and its hash follows the data and the persona version', () => {
    const b = getContextBuilder('ticket');
    const first = buildContext(db, b, 1, opts)!;
    expect(buildContext(db, b, 1, opts)!.hash).toBe(first.hash);
    expect(buildContext(db, b, 1, { ...opts, hashSalt: 'ticket_analyst@1.1.0' })!.hash).not.toBe(first.hash);
    db.prepare("UPDATE ticket_comments SET body = body || ' Any update?' WHERE id = 3").run();
    const changed = buildContext(db, b, 1, opts)!;
    expect(changed.hash).not.toBe(first.hash);
    db.prepare("UPDATE ticket_comments SET body = replace(body, ' Any update?', '') WHERE id = 3").run();
    expect(buildContext(db, b, 1, opts)!.hash).toBe(first.hash);
  });

  it('stays within the budget, keeping the record and dropping the least important lines first', () => {
    const ctx = buildContext(db, getContextBuilder('ticket'), 1, { ...opts, budgetChars: 1_400 })!;
    expect(ctx.chars).toBeLessThanOrEqual(1_400);
    expect(ctx.truncated).toBe(true);
    expect(ctx.text).toContain('## Ticket [tickets#1] TCK-000001');
    expect(ctx.text).toContain('subject: Production line dashboard down');
    expect(ctx.text).not.toContain('## Notes');
  });

  it('packing drops from the end each section does not keep, and says so', () => {
    const pad = (s: string): string => s.padEnd(60, '.');
    const sections = [
      { title: 'Record', priority: 0, keep: 'head' as const, lines: ['core line'] },
      { title: 'Messages', priority: 2, keep: 'tail' as const, lines: ['m1 oldest', 'm2', 'm3', 'm4 newest'].map(pad) },
      { title: 'Others', priority: 3, keep: 'head' as const, lines: ['o1 first', 'o2', 'o3 last'].map(pad) },
    ];
    const full = packSections(sections, 10_000);
    expect(full.truncated).toBe(false);
    const tight = packSections(sections, full.text.length - 12);
    expect(tight.truncated).toBe(true);
    expect(tight.text).toContain('o1 first');
    expect(tight.text).not.toContain('o3 last');
    expect(tight.text).toContain('more lines left out');
    expect(tight.text).toContain('m1 oldest');
    const tighter = packSections(sections, 160);
    expect(tighter.text).toContain('core line');
    expect(tighter.text).toContain('m4 newest');
    expect(tighter.text).not.toContain('m1 oldest');
    expect(tighter.text.length).toBeLessThanOrEqual(160);
    expect(tighter.text).not.toContain('o1 first');
  });

  it('scans open records only, most pressing first', () => {
    expect(getContextBuilder('ticket').candidates(db, 10)).toEqual([1, 3, 4]);
    expect(getContextBuilder('account').candidates(db, 10)).toEqual([1, 2]);
    expect(getContextBuilder('dispatch').candidates(db, 1)).toEqual([1]);
  });

  it('dispatch context shows overlapping jobs and other technicians in the region', () => {
    const ctx = buildContext(db, getContextBuilder('dispatch'), 1, opts)!;
    expect(ctx.text).toContain('[dispatch_jobs#2] DSP-0002');
    expect(ctx.text).toContain('OVERLAPS this job');
    expect(ctx.text).toContain('[technicians#2] Ray Diaz');
    expect(ctx.text).not.toContain('Kim Ito');
  });

  it('campaign context compares with the channel benchmark', () => {
    const ctx = buildContext(db, getContextBuilder('campaign'), 1, opts)!;
    expect(ctx.text).toContain('ctr: 1.5%');
    expect(ctx.text).toContain('Benchmark: the other 1 email campaigns');
    expect(ctx.text).toContain('ctr: 3.0%');
  });

  it('vendor context computes the on-time rate', () => {
    const ctx = buildContext(db, getContextBuilder('vendor'), 1, opts)!;
    expect(ctx.text).toContain('on_time_rate: 33.3%');
    expect(ctx.text).toContain('[vendor_quality_incidents#1]');
  });
});
