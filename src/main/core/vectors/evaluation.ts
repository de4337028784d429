import { createHash } from 'node:crypto';
import type { Db } from '../db/open';
import type { SearchMode, VersionSearch } from './search';
import { splitSentences } from './text/chunk';
import { fold, STOP_WORDS, tokenize } from './text/tokens';

/**
 * Retrieval evaluation on a labelled query set derived deterministically from the workspace's own records (the
 * demo workspace in practice), so every install can measure its indexes without hand labels:
 *  - code: a record's code (TCK-000123) → that record;
 *  - title: a record's exact subject/name → every record of that type with the same title;
 *  - paraphrase: the first sentence of a record's text with stop words dropped and words swapped for synonyms →
 *    every record whose text contains the original sentence. This is the one a lexical embedder finds hard.
 * Metrics per query at k = 10, binary relevance: recall@10 = hits ÷ min(|relevant|, 10); nDCG@10 against the ideal
 * ranking of min(|relevant|, 10) relevant results. Queries with more than 50 relevant records are skipped as
 * not discriminative.
 */

export type QueryKind = 'code' | 'title' | 'paraphrase';

export interface LabelledQuery {
  kind: QueryKind;
  sourceType: string;
  query: string;
  /** "type:id" keys of the relevant records. */
  relevant: string[];
}

interface FieldSpec {
  type: string;
  table: string;
  column: string;
  kind: QueryKind;
}

const FIELDS: FieldSpec[] = [
  { type: 'tickets', table: 'tickets', column: 'code', kind: 'code' },
  { type: 'projects', table: 'projects', column: 'code', kind: 'code' },
  { type: 'dispatch_jobs', table: 'dispatch_jobs', column: 'code', kind: 'code' },
  { type: 'purchase_orders', table: 'purchase_orders', column: 'code', kind: 'code' },
  { type: 'tickets', table: 'tickets', column: 'subject', kind: 'title' },
  { type: 'conversations', table: 'conversations', column: 'subject', kind: 'title' },
  { type: 'projects', table: 'projects', column: 'name', kind: 'title' },
  { type: 'deals', table: 'deals', column: 'name', kind: 'title' },
  { type: 'accounts', table: 'accounts', column: 'name', kind: 'title' },
  { type: 'campaigns', table: 'campaigns', column: 'name', kind: 'title' },
  { type: 'goals', table: 'goals', column: 'title', kind: 'title' },
  { type: 'issues', table: 'issues', column: 'title', kind: 'title' },
  { type: 'vendors', table: 'vendors', column: 'name', kind: 'title' },
  { type: 'tickets', table: 'tickets', column: 'description', kind: 'paraphrase' },
  { type: 'issues', table: 'issues', column: 'description', kind: 'paraphrase' },
  { type: 'goals', table: 'goals', column: 'description', kind: 'paraphrase' },
  { type: 'projects', table: 'projects', column: 'description', kind: 'paraphrase' },
  { type: 'activities', table: 'activities', column: 'body', kind: 'paraphrase' },
  { type: 'nps_responses', table: 'nps_responses', column: 'comment', kind: 'paraphrase' },
  { type: 'dispatch_jobs', table: 'dispatch_jobs', column: 'description', kind: 'paraphrase' },
];

const SYNONYMS: Record<string, string> = {
  cannot: 'unable to', "can't": 'unable to', login: 'sign in', logging: 'signing', log: 'sign', slow: 'sluggish', error: 'failure', errors: 'failures',
  invoice: 'bill', invoices: 'bills', customer: 'client', customers: 'clients', issue: 'problem', issues: 'problems', broken: 'not working',
  crash: 'failure', crashes: 'fails', payment: 'charge', payments: 'charges', refund: 'reimbursement', delayed: 'late', delay: 'lateness', urgent: 'critical',
  update: 'upgrade', updated: 'upgraded', email: 'mail', emails: 'mails', price: 'cost', pricing: 'costs', cancel: 'terminate', cancelled: 'terminated',
  delivery: 'shipment', deliveries: 'shipments', password: 'credentials', meeting: 'call', contract: 'agreement', renewal: 'renewing', improve: 'enhance',
  increase: 'grow', reduce: 'cut', problem: 'issue', wrong: 'incorrect', missing: 'absent', fails: 'breaks', failed: 'broke', help: 'assist', fix: 'repair',
  fixed: 'repaired', team: 'group', users: 'people', user: 'person', data: 'information', report: 'summary', reports: 'summaries', quickly: 'fast', buy: 'purchase',
};

/** The paraphrase of a sentence: stop words out, synonyms in, at most 12 words. */
export function paraphrase(sentence: string): string {
  const words = tokenize(fold(sentence)).filter((w) => !STOP_WORDS.has(w));
  return words
    .slice(0, 12)
    .map((w) => SYNONYMS[w] ?? w)
    .join(' ');
}

const MAX_RELEVANT = 50;

/** Builds the query set: `perField` records spread evenly over each field's table, at most `maxTotal` queries. */
export function buildQuerySet(db: Db, options: { perField?: number; maxTotal?: number } = {}): LabelledQuery[] {
  const perField = options.perField ?? 12;
  const out: LabelledQuery[] = [];
  for (const f of FIELDS) {
    const ids = db.prepare(`SELECT id FROM ${f.table} WHERE ${f.column} IS NOT NULL AND length(trim(${f.column})) > 2 ORDER BY id`).pluck().all() as number[];
    if (ids.length === 0) continue;
    const step = Math.max(1, Math.floor(ids.length / perField));
    const picked = ids.filter((_, i) => i % step === 0).slice(0, perField);
    const get = db.prepare(`SELECT ${f.column} FROM ${f.table} WHERE id = ?`).pluck();
    for (const id of picked) {
      const value = String(get.get(id) ?? '').trim();
      let query: string;
      let relevant: number[];
      if (f.kind === 'code') {
        query = value;
        relevant = [id];
      } else if (f.kind === 'title') {
        query = value;
        relevant = db.prepare(`SELECT id FROM ${f.table} WHERE lower(trim(${f.column})) = lower(?) LIMIT ${MAX_RELEVANT + 1}`).pluck().all(value) as number[];
      } else {
        const sentence = splitSentences(value).find((s) => tokenize(fold(s)).filter((w) => !STOP_WORDS.has(w)).length >= 4);
        if (!sentence) continue;
        query = paraphrase(sentence);
        relevant = db.prepare(`SELECT id FROM ${f.table} WHERE instr(${f.column}, ?) > 0 LIMIT ${MAX_RELEVANT + 1}`).pluck().all(sentence) as number[];
      }
      if (!query || relevant.length === 0 || relevant.length > MAX_RELEVANT) continue;
      out.push({ kind: f.kind, sourceType: f.type, query, relevant: relevant.map((r) => `${f.type}:${r}`) });
    }
  }
  return out.slice(0, options.maxTotal ?? 300);
}

export const querySetId = (queries: readonly LabelledQuery[]): string =>
  `derived-v1:${queries.length}:${createHash('sha1').update(JSON.stringify(queries)).digest('hex').slice(0, 12)}`;

export interface MetricPair {
  n: number;
  recall: number;
  ndcg: number;
}

export function scoreQuery(ranked: readonly string[], relevant: readonly string[], k = 10): { recall: number; ndcg: number } {
  const rel = new Set(relevant);
  const top = ranked.slice(0, k);
  const ideal = Math.min(rel.size, k);
  if (ideal === 0) return { recall: 0, ndcg: 0 };
  let hits = 0;
  let dcg = 0;
  top.forEach((key, i) => {
    if (rel.has(key)) {
      hits++;
      dcg += 1 / Math.log2(i + 2);
    }
  });
  let idcg = 0;
  for (let i = 0; i < ideal; i++) idcg += 1 / Math.log2(i + 2);
  return { recall: hits / ideal, ndcg: dcg / idcg };
}

export interface EvaluationResult extends MetricPair {
  mode: SearchMode;
  k: number;
  byKind: Partial<Record<QueryKind, MetricPair>>;
  ms: number;
}

/** Runs every query through one searcher in one mode. Yields to the event loop between queries. */
export async function evaluate(searcher: VersionSearch, queries: readonly LabelledQuery[], mode: SearchMode, k = 10, signal?: AbortSignal): Promise<EvaluationResult> {
  const started = Date.now();
  const acc = new Map<QueryKind | 'all', { n: number; recall: number; ndcg: number }>();
  const add = (key: QueryKind | 'all', r: { recall: number; ndcg: number }): void => {
    const a = acc.get(key) ?? { n: 0, recall: 0, ndcg: 0 };
    a.n++;
    a.recall += r.recall;
    a.ndcg += r.ndcg;
    acc.set(key, a);
  };
  for (const q of queries) {
    signal?.throwIfAborted();
    const out = await searcher.search({ query: q.query, mode, k, perSource: true, prefilter: 'auto' }, signal);
    const r = scoreQuery(
      out.hits.map((h) => `${h.sourceType}:${h.entityId}`),
      q.relevant,
      k,
    );
    add('all', r);
    add(q.kind, r);
    await new Promise((res) => setImmediate(res));
  }
  const mean = (a: { n: number; recall: number; ndcg: number } | undefined): MetricPair => ({ n: a?.n ?? 0, recall: a?.n ? round(a.recall / a.n) : 0, ndcg: a?.n ? round(a.ndcg / a.n) : 0 });
  const byKind: Partial<Record<QueryKind, MetricPair>> = {};
  for (const kind of ['code', 'title', 'paraphrase'] as const) if (acc.has(kind)) byKind[kind] = mean(acc.get(kind));
  return { mode, k, ...mean(acc.get('all')), byKind, ms: Date.now() - started };
}

const round = (x: number): number => Math.round(x * 10000) / 10000;
