import type { UsageRow, UsageSummary } from '@shared/contract';
import type { Db } from '../db/open';

const RANGE_DAYS: Record<UsageSummary['range'], number> = { '1d': 1, '7d': 7, '30d': 30, '90d': 90 };

const dayOf = (d: Date): string => d.toISOString().slice(0, 10);

interface TotalsRow {
  calls: number;
  ok: number | null;
  errors: number | null;
  cancelled: number | null;
  refused: number | null;
  cached: number | null;
  fallbacks: number | null;
  tokensIn: number | null;
  tokensOut: number | null;
  cachedTokens: number | null;
  costUsd: number | null;
  avgLatencyMs: number | null;
}

/**
 * A stored count or cost read defensively: rows written before usage was validated (ADR 0091) may hold negative,
 * infinite or non-numeric values, and one such row must not poison every total. Anything that is not a finite,
 * non-negative number below 1e15 counts as 0.
 */
const safe = (column: string): string => `(CASE WHEN typeof(${column}) IN ('integer', 'real') AND ${column} >= 0 AND ${column} < 1e15 THEN ${column} ELSE 0 END)`;

const TOTALS = `count(*) AS calls,
  sum(status = 'ok') AS ok,
  sum(status = 'error') AS errors,
  sum(status = 'cancelled') AS cancelled,
  sum(status = 'refused') AS refused,
  sum(status = 'cached') AS cached,
  sum(fallback_used) AS fallbacks,
  sum(${safe('tokens_in')}) AS tokensIn,
  sum(${safe('tokens_out')}) AS tokensOut,
  sum(${safe('cached_tokens')}) AS cachedTokens,
  sum(${safe('cost_usd')}) AS costUsd,
  avg(CASE WHEN status = 'ok' THEN ${safe('latency_ms')} END) AS avgLatencyMs`;

const count = (n: unknown): number => (typeof n === 'number' && Number.isFinite(n) && n >= 0 && n < 1e15 ? Math.round(n) : 0);
const usdOf = (n: unknown): number => (typeof n === 'number' && Number.isFinite(n) && n >= 0 && n < 1e15 ? n : 0);

const totals = (r: TotalsRow | undefined): UsageSummary['totals'] => ({
  calls: count(r?.calls),
  ok: count(r?.ok),
  errors: count(r?.errors),
  cancelled: count(r?.cancelled),
  refused: count(r?.refused),
  cached: count(r?.cached),
  fallbacks: count(r?.fallbacks),
  tokensIn: count(r?.tokensIn),
  tokensOut: count(r?.tokensOut),
  cachedTokens: count(r?.cachedTokens),
  costUsd: Math.round(usdOf(r?.costUsd) * 1e6) / 1e6,
  avgLatencyMs: r?.avgLatencyMs === null || r?.avgLatencyMs === undefined ? null : Math.round(r.avgLatencyMs),
});

/**
 * Usage reporting over gateway_usage: totals, breakdowns by provider kind, model, use case and endpoint, a daily
 * series with empty days filled in, and the models that answered without a price. Calls still in flight are left
 * out. Days are UTC.
 */
export function usageSummary(db: Db, workspace: string, range: UsageSummary['range'], now: Date): UsageSummary {
  const days = RANGE_DAYS[range];
  const to = dayOf(now);
  const from = dayOf(new Date(now.getTime() - (days - 1) * 86_400_000));
  const where = "day >= @from AND day <= @to AND status <> 'pending'";
  const params = { from, to };
  const group = (column: string): UsageSummary['byModel'] =>
    (db.prepare(`SELECT coalesce(${column}, '(none)') AS key, ${TOTALS} FROM gateway_usage WHERE ${where} GROUP BY 1 ORDER BY costUsd DESC, calls DESC`).all(params) as (TotalsRow & { key: string })[]).map(
      (r) => ({ key: r.key, ...totals(r) }),
    );
  const byDay = new Map(
    (db.prepare(`SELECT day, ${TOTALS} FROM gateway_usage WHERE ${where} GROUP BY day`).all(params) as (TotalsRow & { day: string })[]).map((r) => [r.day, totals(r)]),
  );
  const daily: UsageSummary['daily'] = [];
  for (let i = days - 1; i >= 0; i--) {
    const day = dayOf(new Date(now.getTime() - i * 86_400_000));
    daily.push({ day, ...(byDay.get(day) ?? totals(undefined)) });
  }
  const unpriced = (db.prepare(`SELECT DISTINCT model FROM gateway_usage WHERE ${where} AND price_known = 0 AND model IS NOT NULL AND status = 'ok' ORDER BY model`).pluck().all(params) as string[]);
  return {
    workspace,
    range,
    from,
    to,
    totals: totals(db.prepare(`SELECT ${TOTALS} FROM gateway_usage WHERE ${where}`).get(params) as TotalsRow),
    byProvider: group('provider_kind'),
    byModel: group('model'),
    byUseCase: group('use_case'),
    byEndpoint: group('endpoint'),
    daily,
    unpricedModels: unpriced,
  };
}

interface RawUsageRow {
  id: string;
  at: string;
  workspace: string;
  profile_id: string | null;
  use_case: string;
  subject: string | null;
  trigger?: string | null;
  operation: UsageRow['operation'];
  provider_kind: string | null;
  endpoint: string | null;
  model: string | null;
  tokens_in: number;
  tokens_out: number;
  cached_tokens: number;
  cost_usd: number;
  price_known: number;
  latency_ms: number | null;
  status: UsageRow['status'];
  error_code: string | null;
  error_message: string | null;
  fallback_used: number;
  attempts: number;
  anomaly: string | null;
}

const bad = (r: RawUsageRow): boolean => [r.tokens_in, r.tokens_out, r.cached_tokens, r.cost_usd].some((n) => count(n) !== n && usdOf(n) !== n);

export function usageList(
  db: Db,
  filter: { offset: number; limit: number; useCase?: string | undefined; status?: UsageRow['status'] | undefined },
  profileName: (id: string) => string | null,
): { rows: UsageRow[]; total: number } {
  const conds: string[] = [];
  const params: Record<string, unknown> = { offset: filter.offset, limit: filter.limit };
  if (filter.useCase) {
    conds.push('use_case = @useCase');
    params.useCase = filter.useCase;
  }
  if (filter.status) {
    conds.push('status = @status');
    params.status = filter.status;
  }
  const where = conds.length ? `WHERE ${conds.join(' AND ')}` : '';
  const total = (db.prepare(`SELECT count(*) AS n FROM gateway_usage ${where}`).get(params) as { n: number }).n;
  const rows = db.prepare(`SELECT * FROM gateway_usage ${where} ORDER BY rowid DESC LIMIT @limit OFFSET @offset`).all(params) as RawUsageRow[];
  return {
    total,
    rows: rows.map((r) => ({
      id: r.id,
      at: r.at,
      workspace: r.workspace,
      profileId: r.profile_id,
      profileName: r.profile_id ? profileName(r.profile_id) : null,
      useCase: r.use_case,
      subject: r.subject,
      trigger: r.trigger === 'on_demand' || r.trigger === 'scheduled' || r.trigger === 'event' ? r.trigger : null,
      operation: r.operation,
      providerKind: r.provider_kind,
      endpoint: r.endpoint,
      model: r.model,
      tokensIn: count(r.tokens_in),
      tokensOut: count(r.tokens_out),
      cachedTokens: count(r.cached_tokens),
      costUsd: usdOf(r.cost_usd),
      priceKnown: r.price_known === 1,
      latencyMs: r.latency_ms === null ? null : count(r.latency_ms),
      status: r.status,
      errorCode: r.error_code,
      errorMessage: r.error_message,
      fallbackUsed: r.fallback_used === 1,
      attempts: count(r.attempts),
      anomaly: r.anomaly ?? (bad(r) ? 'This row holds a count or cost that is not a finite, non-negative number; it is read as 0.' : null),
    })),
  };
}
