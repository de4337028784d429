import { z } from 'zod';
import type { PriceState } from '@shared/contract';
import type { Db } from '../db/open';
import { RevCounter } from './revs';
import type { ProviderKind, Usage } from './types';
import { documentError, parseYaml, type ConfigIssue } from './yamlDoc';

const priceSchema = z
  .object({
    input: z.number().nonnegative().optional(),
    cached_input: z.number().nonnegative().optional(),
    output: z.number().nonnegative().optional(),
    per_minute: z.number().nonnegative().optional(),
  })
  .strict();

const priceDocument = z
  .object({
    version: z.literal(1, 'must be 1'),
    endpoints: z.record(z.string().min(1), priceSchema).nullable().optional(),
    models: z.record(z.string().min(1), priceSchema).nullable().optional(),
  })
  .strict();

/** USD per million tokens (and per minute of audio). */
export interface Price {
  input?: number | undefined;
  cachedInput?: number | undefined;
  output?: number | undefined;
  perMinute?: number | undefined;
}

export interface Cost {
  usd: number;
  /** False when no price matched: the cost is recorded as 0 and the model is flagged. */
  known: boolean;
}

const toPrice = (p: z.infer<typeof priceSchema>): Price => ({ input: p.input, cachedInput: p.cached_input, output: p.output, perMinute: p.per_minute });

interface Pattern {
  match: string;
  re: RegExp;
  specificity: number;
  price: Price;
}

class PriceTable {
  private readonly exact = new Map<string, Price>();
  private readonly patterns: Pattern[] = [];
  private readonly endpoints = new Map<string, Price>();
  private readonly memo = new Map<string, Price | null>();

  constructor(readonly doc: z.infer<typeof priceDocument>) {
    for (const [match, p] of Object.entries(doc.models ?? {})) {
      if (match.includes('*')) {
        const re = new RegExp(`^${match.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
        this.patterns.push({ match, re, specificity: match.replace(/\*/g, '').length, price: toPrice(p) });
      } else {
        this.exact.set(match.toLowerCase(), toPrice(p));
      }
    }
    this.patterns.sort((a, b) => b.specificity - a.specificity);
    for (const [name, p] of Object.entries(doc.endpoints ?? {})) this.endpoints.set(name.toLowerCase(), toPrice(p));
  }

  model(model: string): Price | null {
    const key = model.toLowerCase();
    const hit = this.memo.get(key);
    if (hit !== undefined) return hit;
    const found = this.exact.get(key) ?? this.patterns.find((p) => p.re.test(model))?.price ?? null;
    this.memo.set(key, found);
    return found;
  }

  /**
   * Whether a model id is one this table knows, for policy validation. Stricter than pricing: a trailing-* pattern
   * only vouches for its own name plus a version or date suffix, so 'gpt-4o*' accepts 'gpt-4o-2024-08-06' but not
   * the typo 'gpt-4o-mnii' (which it would still price, were it ever called).
   */
  knows(model: string): boolean {
    if (this.exact.has(model.toLowerCase())) return true;
    return this.patterns.some((p) => {
      if (!p.re.test(model)) return false;
      if (!/^[^*]+\*$/.test(p.match)) return true;
      const rest = model.slice(p.match.length - 1);
      return /^(-\d[\w.-]*|-latest|-preview[\w.-]*|-exp[\w.-]*)?$/i.test(rest);
    });
  }

  endpoint(name: string): Price | null {
    return this.endpoints.get(name.toLowerCase()) ?? null;
  }

  entries(): { models: PriceState['models']; endpoints: PriceState['endpoints'] } {
    const row = (match: string, p: Price): PriceState['models'][number] => ({ match, input: p.input ?? null, cachedInput: p.cachedInput ?? null, output: p.output ?? null, perMinute: p.perMinute ?? null });
    return {
      models: Object.entries(this.doc.models ?? {}).map(([m, p]) => row(m, toPrice(p))),
      endpoints: Object.entries(this.doc.endpoints ?? {}).map(([m, p]) => row(m, toPrice(p))),
    };
  }
}

export function costOf(price: Price, usage: Usage, durationSec?: number): number {
  if (price.perMinute !== undefined && durationSec !== undefined) return (price.perMinute * durationSec) / 60;
  const cached = Math.min(usage.cachedTokens, usage.inputTokens);
  const fresh = usage.inputTokens - cached;
  const input = price.input ?? 0;
  return (fresh * input + cached * (price.cachedInput ?? input) + usage.outputTokens * (price.output ?? 0)) / 1_000_000;
}

/**
 * The app-wide price table: a YAML document (default in resources/prices.default.yaml) stored in app.sqlite once
 * edited. Lookups are memoised per model; a change by any process bumps a revision and is picked up on next use.
 */
export class PriceBook {
  private table: PriceTable | null = null;
  private tableRev = -1;
  private readonly revs: RevCounter;

  constructor(
    private readonly appDb: Db,
    private readonly defaultYaml: () => string,
    private readonly now: () => Date,
  ) {
    this.revs = new RevCounter(appDb);
  }

  private stored(): { body: string; updated_at: string } | undefined {
    return this.appDb.prepare("SELECT body, updated_at FROM gateway_documents WHERE key = 'prices'").get() as { body: string; updated_at: string } | undefined;
  }

  private current(): PriceTable {
    const rev = this.revs.get('prices');
    if (this.table && rev === this.tableRev) return this.table;
    const text = this.stored()?.body ?? this.defaultYaml();
    const parsed = parseYaml(text, priceDocument);
    // A stored table was validated when saved; if it ever fails (a newer app wrote it), fall back to the default.
    this.table = new PriceTable(parsed.ok ? parsed.parsed.value : (parseYaml(this.defaultYaml(), priceDocument) as { ok: true; parsed: { value: z.infer<typeof priceDocument> } }).parsed.value);
    this.tableRev = rev;
    return this.table;
  }

  /** The price for a call: the endpoint's own prices first, then the model table. The local provider is free. */
  priceFor(kind: ProviderKind, endpoint: string | null, model: string | null): Price | null {
    if (kind === 'local') return { input: 0, output: 0 };
    const t = this.current();
    return (endpoint ? t.endpoint(endpoint) : null) ?? (model ? t.model(model) : null);
  }

  cost(kind: ProviderKind, endpoint: string | null, model: string | null, usage: Usage, durationSec?: number): Cost {
    const price = this.priceFor(kind, endpoint, model);
    return price ? { usd: costOf(price, usage, durationSec), known: true } : { usd: 0, known: false };
  }

  isKnownModel(model: string): boolean {
    return this.current().knows(model);
  }

  state(issues: ConfigIssue[] = []): PriceState {
    const stored = this.stored();
    const t = this.current();
    return { yaml: stored?.body ?? this.defaultYaml(), source: stored ? 'custom' : 'default', updatedAt: stored?.updated_at ?? null, ...t.entries(), issues };
  }

  validate(yaml: string): ConfigIssue[] {
    const parsed = parseYaml(yaml, priceDocument);
    return parsed.issues;
  }

  /** Saves a new table; a document with errors is refused whole. */
  set(yaml: string, by: string | null): PriceState {
    const issues = this.validate(yaml);
    if (issues.some((i) => i.severity === 'error')) throw documentError('The price table', issues);
    this.appDb.transaction(() => {
      this.appDb
        .prepare("INSERT INTO gateway_documents (key, body, updated_at, updated_by) VALUES ('prices', ?, ?, ?) ON CONFLICT(key) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at, updated_by = excluded.updated_by")
        .run(yaml, this.now().toISOString(), by);
      this.revs.bump('prices');
    })();
    return this.state(issues);
  }
}
