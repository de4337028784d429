import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENTITIES } from '../../../../src/shared/entities';
import { migrate } from '../../../../src/main/core/db/migrate';
import { workspaceMigrations } from '../../../../src/main/core/db/migrations/workspace';
import { openDatabase, type Db } from '../../../../src/main/core/db/open';
import { EXCLUDED_ENTITIES, SOURCES, type SourceDocument } from '../../../../src/main/core/vectors/sources';
import { SourceReader } from '../../../../src/main/core/vectors/sourceReader';
import { seedAllSources } from '../../../fixtures/vectorData';
import { tempDir } from '../../../fixtures/core';

describe('vector sources registry', () => {
  it('covers every entity type of the schema: as a source, folded into a parent, or excluded with a reason', () => {
    const covered = new Map<string, string>();
    for (const s of SOURCES) {
      covered.set(s.type, 'source');
      for (const c of s.childEntities ?? []) covered.set(c, `child of ${s.type}`);
    }
    for (const [e, reason] of Object.entries(EXCLUDED_ENTITIES)) {
      expect(covered.has(e), `${e} is both indexed and excluded`).toBe(false);
      expect(reason.length).toBeGreaterThan(5);
      covered.set(e, 'excluded');
    }
    const missing = ENTITIES.map((e) => e.key).filter((k) => !covered.has(k));
    expect(missing).toEqual([]);
    // Nothing names an entity that does not exist.
    const known = new Set(ENTITIES.map((e) => e.key));
    expect([...covered.keys()].filter((k) => !known.has(k))).toEqual([]);
  });

  it('has unique stable codes and types', () => {
    expect(new Set(SOURCES.map((s) => s.code)).size).toBe(SOURCES.length);
    expect(new Set(SOURCES.map((s) => s.type)).size).toBe(SOURCES.length);
    expect(SOURCES.every((s) => Number.isInteger(s.code) && s.code > 0)).toBe(true);
  });
});

describe('extraction', () => {
  let db: Db;
  let dir: string;
  const docs = new Map<string, SourceDocument>();
  beforeEach(() => {
    dir = tempDir();
    db = openDatabase(`${dir}/w.sqlite`);
    migrate(db, workspaceMigrations, { backupDir: dir, label: 'w' });
    seedAllSources(db);
    const reader = new SourceReader(db);
    for (const s of SOURCES) for (const d of reader.next(s, 0, 100)) docs.set(`${d.sourceType}:${d.entityId}`, d);
  });
  afterEach(() => db.close());

  const text = (key: string): string => {
    const d = docs.get(key);
    if (!d) throw new Error(`no document ${key}`);
    return [d.title, ...d.sections.map((s) => `${s.field}=${s.text}`)].join(' | ');
  };

  it('extracts a document from every source of the seeded workspace', () => {
    const types = new Set([...docs.values()].map((d) => d.sourceType));
    // Tickets come from seedTickets in other tests; everything else is seeded here.
    expect(SOURCES.map((s) => s.type).filter((t) => t !== 'tickets' && !types.has(t))).toEqual([]);
    for (const d of docs.values()) {
      expect(d.title.trim().length).toBeGreaterThan(0);
      expect(d.sections.length).toBeGreaterThan(0);
    }
  });

  it('folds child rows into their parent with attribution, and cleans markup', () => {
    expect(text('projects:1')).toContain('PRJ-0042 Warehouse scanner rollout');
    expect(text('projects:1')).toContain('milestone:1=Milestone Pilot in aisle 7');
    expect(text('projects:1')).toContain('task:1=Task Configure scanner firmware (blocked): blocked because waiting for vendor firmware image');
    expect(text('conversations:1')).toContain('message:2=Maria Lopez (outbound): Yes, add it under Billing settings.');
    expect(text('vendors:1')).toContain('Scanner batteries overheat after two hours');
    expect(text('purchase_orders:1')).toContain('Delivery 2026-01-25 (late, quantity 60): Half the boxes were damaged');
    expect(text('goals:1')).toContain('strategy:1=Strategy Chat deflection (active): Answer common questions');
    expect(text('activities:1')).toContain('body=Discussed volume discounts and the renewal timeline.');
    expect(text('tasks:1')).toContain('Include the telematics add-on');
    expect(text('business_foundation:1')).toContain('Core values: Customer first; Own the outcome');
    expect(text('kpis:1')).toContain('Better when: lower');
    expect(text('accounts:1')).toContain('Tier: enterprise · Region: EMEA');
    expect(text('deals:1')).toContain('Amount: 120,000 USD');
  });

  it('marks access levels: internal notes and internal comments, restricted reviews', () => {
    const access = (key: string): string[] => docs.get(key)!.sections.map((s) => s.access);
    expect(new Set(access('notes:1'))).toEqual(new Set(['internal']));
    expect(new Set(access('agent_reviews:1'))).toEqual(new Set(['restricted']));
    expect(new Set(access('accounts:1'))).toEqual(new Set(['standard']));
    db.exec("INSERT INTO tickets (id, code, subject, status, priority, created_at) VALUES (9, 'TCK-9', 'x', 'open', 'low', '2026-01-01T00:00:00Z'); INSERT INTO ticket_comments (ticket_id, author_type, body, internal, created_at) VALUES (9, 'agent', 'private', 1, '2026-01-01T00:00:00Z'), (9, 'customer', 'public', 0, '2026-01-01T00:00:00Z')");
    const [t] = new SourceReader(db).byIds(SOURCES.find((s) => s.type === 'tickets')!, [9]);
    expect(t!.sections.filter((s) => s.field.startsWith('comment:')).map((s) => s.access)).toEqual(['internal', 'standard']);
  });

  it('dates documents from the record (unix seconds) and finds ids that disappeared', () => {
    expect(docs.get('activities:1')!.ts).toBe(Date.parse('2026-01-20T14:00:00Z') / 1000);
    expect(docs.get('locations:1')!.ts).toBe(0);
    db.exec("INSERT INTO vec_versions (id, embedder_id, embedder_kind, embedder_label, model, dimensions, chunking, config_key, status, created_at) VALUES (1, 'e', 'builtin', 'e', 'm', 8, '{}', 'k', 'ready', 'now')");
    db.exec("INSERT INTO vec_documents (version_id, source_type, entity_id, title, doc_hash, chunk_count, indexed_at) VALUES (1, 'issues', 1, 't', 'h', 0, 'now'), (1, 'issues', 2, 't', 'h', 0, 'now')");
    expect(new SourceReader(db).missingIds(SOURCES.find((s) => s.type === 'issues')!, 1)).toEqual([2]);
  });
});
