import type { QueryResult, QuerySpecInput } from '@shared/analytics/spec';
import type { AnalyticsEvalReport } from '@shared/contract/analytics';
import { AppError } from '@shared/errors';
import { EVAL_QUESTIONS, type EvalQuestion } from './questions';

/** What the harness needs: ask a question, run a spec. */
export interface EvalTarget {
  ask(question: string): Promise<{ result: QueryResult; method: 'model' | 'patterns' }>;
  query(spec: QuerySpecInput): Promise<QueryResult>;
}

/** The figures that must agree for an answer to count: column keys, rows and totals (not timing, not the wording). */
const fingerprint = (r: QueryResult): string => JSON.stringify({ columns: r.columns.map((c) => c.key), rows: r.rows, totals: r.totals, previous: r.previousTotals });

/**
 * Exact-result accuracy: a question is right when the answer's result is identical to the expected spec's result.
 * Failures (refusals, provider errors) count as wrong and are reported with their reason.
 */
export async function runEval(target: EvalTarget, questions: readonly EvalQuestion[] = EVAL_QUESTIONS, onItem?: (done: number, total: number) => void): Promise<AnalyticsEvalReport> {
  const started = performance.now();
  const items: AnalyticsEvalReport['items'] = [];
  for (const q of questions) {
    const expected = await target.query(q.expected);
    try {
      const got = await target.ask(q.question);
      const ok = fingerprint(got.result) === fingerprint(expected);
      items.push({ question: q.question, ok, method: got.method, spec: got.result.spec, problem: ok ? null : 'the result differs from the expected one' });
    } catch (error) {
      items.push({ question: q.question, ok: false, method: null, spec: null, problem: AppError.wrap(error).message });
    }
    onItem?.(items.length, questions.length);
  }
  const correct = items.filter((i) => i.ok).length;
  return { total: items.length, correct, accuracy: items.length ? correct / items.length : 0, byMethod: { model: items.filter((i) => i.method === 'model').length, patterns: items.filter((i) => i.method === 'patterns').length }, elapsedMs: Math.round(performance.now() - started), items };
}
