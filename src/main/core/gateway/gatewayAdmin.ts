import type {
  BudgetState,
  EffectivePolicy,
  LimitValue,
  PolicyState,
  PriceState,
  ProviderAddInput,
  ProviderInfo,
  ProviderTestResult,
  ProviderUpdateInput,
  UsageRow,
  UsageSummary,
} from '@shared/contract';
import { KNOWN_USE_CASES } from '@shared/contract';
import { AppError } from '@shared/errors';
import type { EventBus } from '../eventBus';
import type { WorkspaceService } from '../workspaces/workspaceService';
import type { GatewayService } from './gatewayService';
import type { BudgetScope } from './ledger';
import type { Limit, Policy } from './policyConfig';
import type { BudgetPatch } from './policyStore';
import { usageList, usageSummary } from './usageQueries';
import type { ConfigIssue } from './yamlDoc';

const TEST_TIMEOUT_MS = 15_000;

const limitOut = (l: Limit | undefined): LimitValue | null => (l ? { ...(l.usd !== undefined ? { usd: l.usd } : {}), ...(l.tokens !== undefined ? { tokens: l.tokens } : {}) } : null);

/**
 * Configuration and reporting around the gateway, shaped for the contract: providers (masked), connection tests,
 * effective policies, budgets with today's spend, usage reports and the price table.
 */
export class GatewayAdmin {
  constructor(
    private readonly gateway: GatewayService,
    private readonly workspaces: WorkspaceService,
    private readonly events: EventBus,
    private readonly now: () => Date,
    private readonly profileName: (id: string) => string | null,
  ) {}

  private changed(what: 'providers' | 'policies' | 'prices' | 'budgets', workspace: string | null = null): void {
    this.events.emit('gateway.changed', { workspace, what });
  }

  providers(): ProviderInfo[] {
    return this.gateway.endpoints.list().map((e) => this.gateway.endpoints.info(e, this.gateway.pool.breakerState(e.config.id)));
  }

  provider(name: string): ProviderInfo {
    const e = this.gateway.endpoints.get(name);
    return this.gateway.endpoints.info(e, this.gateway.pool.breakerState(e.config.id));
  }

  addProvider(input: ProviderAddInput): ProviderInfo {
    const e = this.gateway.endpoints.add(input);
    this.changed('providers');
    return this.provider(e.config.name);
  }

  updateProvider(input: ProviderUpdateInput): ProviderInfo {
    const e = this.gateway.endpoints.update(input);
    this.changed('providers');
    return this.provider(e.config.name);
  }

  removeProvider(name: string): string {
    const removed = this.gateway.endpoints.remove(name);
    this.changed('providers');
    return removed;
  }

  setRole(name: string, role: ProviderInfo['role']): ProviderInfo[] {
    this.gateway.endpoints.setRole(name, role);
    this.changed('providers');
    return this.providers();
  }

  /**
   * Lists the endpoint's models and times it. Servers without a model list (some gateways) are tried with a
   * one-token chat instead. A success also closes the endpoint's circuit breaker.
   */
  async testProvider(name: string, signal?: AbortSignal): Promise<ProviderTestResult> {
    const e = this.gateway.endpoints.get(name);
    const slot = this.gateway.pool.slot(e.config);
    const testedAt = this.now().toISOString();
    const t0 = performance.now();
    let result: ProviderTestResult;
    if (!slot.adapter) {
      result = { ok: false, latencyMs: 0, method: 'models', models: [], error: (slot.error ?? new AppError('unavailable', 'The adapter could not be built.')).toJSON(), testedAt };
    } else {
      try {
        const models = await slot.adapter.listModels({ signal, timeoutMs: TEST_TIMEOUT_MS });
        result = { ok: true, latencyMs: Math.round(performance.now() - t0), method: 'models', models, error: null, testedAt };
      } catch (error) {
        const status = (AppError.is(error) ? error.details?.status : undefined) as number | undefined;
        if ((status === 404 || status === 405 || status === 501) && e.config.model) {
          const t1 = performance.now();
          try {
            await slot.adapter.chat({ model: e.config.model, messages: [{ role: 'user', content: 'ping' }], maxTokens: 1 }, { signal, timeoutMs: TEST_TIMEOUT_MS });
            result = { ok: true, latencyMs: Math.round(performance.now() - t1), method: 'chat', models: [{ id: e.config.model, kind: 'chat' }], error: null, testedAt };
          } catch (chatError) {
            result = { ok: false, latencyMs: Math.round(performance.now() - t1), method: 'chat', models: [], error: AppError.wrap(chatError).toJSON(), testedAt };
          }
        } else {
          result = { ok: false, latencyMs: Math.round(performance.now() - t0), method: 'models', models: [], error: AppError.wrap(error).toJSON(), testedAt };
        }
      }
    }
    if (result.error) result.error = { code: result.error.code, message: slot.sanitizer.clean(result.error.message) };
    if (result.ok) this.gateway.pool.breaker(e.config.id).success();
    this.gateway.endpoints.recordTest(e.config.id, result);
    this.changed('providers');
    return result;
  }

  private effective(p: Policy, cap: 'chat' | 'embed' | 'transcribe'): EffectivePolicy {
    const { hops } = this.gateway.pool.resolve(p, cap);
    return {
      useCase: p.useCase,
      label: KNOWN_USE_CASES.find((u) => u.key === p.useCase)?.label ?? null,
      from: p.from,
      model: p.model,
      temperature: p.temperature ?? null,
      maxTokens: p.maxTokens,
      topP: p.topP ?? null,
      timeoutMs: p.timeoutMs,
      retries: p.retries,
      backoff: p.backoff,
      fallback: p.fallback.map((r) => ('role' in r ? { role: r.role, ...(r.model ? { model: r.model } : {}) } : { endpoint: r.endpoint, ...(r.model ? { model: r.model } : {}) })),
      chain: hops.map((h) => ({ endpoint: h.endpoint.name, kind: h.endpoint.kind, model: h.model, breaker: h.breaker.state })),
      cache: p.cache,
      stream: p.stream,
      budget: { perRequest: limitOut(p.budget.perRequest), daily: limitOut(p.budget.daily) },
    };
  }

  policyState(workspace: string, useCase?: string): PolicyState {
    const row = this.workspaces.resolve(workspace);
    const db = this.workspaces.openRow(row);
    const stored = this.gateway.policies.get(db);
    const keys = useCase ? [useCase] : stored.compiled.useCases();
    const capOf = (k: string): 'chat' | 'embed' | 'transcribe' => {
      const op = KNOWN_USE_CASES.find((u) => u.key === k)?.operation ?? 'chat';
      return op === 'embed' ? 'embed' : op === 'transcribe' ? 'transcribe' : 'chat';
    };
    // Re-check the stored document against today's endpoints and prices: a removed endpoint shows up here.
    const issues: ConfigIssue[] = this.gateway.policies.validate(stored.yaml);
    return {
      workspace: row.name,
      yaml: stored.yaml,
      rev: stored.rev,
      source: stored.source,
      updatedAt: stored.updatedAt,
      updatedBy: stored.updatedBy ? (this.profileName(stored.updatedBy) ?? stored.updatedBy) : null,
      policies: keys.map((k) => this.effective(stored.compiled.resolve(k), capOf(k))),
      issues,
    };
  }

  validatePolicies(yaml: string): { ok: boolean; issues: ConfigIssue[] } {
    const issues = this.gateway.policies.validate(yaml);
    return { ok: !issues.some((i) => i.severity === 'error'), issues };
  }

  setPolicies(workspace: string, yaml: string, by: string | null): PolicyState {
    this.gateway.policies.set(this.workspaces.open(workspace), yaml, by);
    this.changed('policies', workspace);
    return this.policyState(workspace);
  }

  resetPolicies(workspace: string): PolicyState {
    this.gateway.policies.reset(this.workspaces.open(workspace));
    this.changed('policies', workspace);
    return this.policyState(workspace);
  }

  budgetState(workspace: string, profileId: string | null): BudgetState {
    const row = this.workspaces.resolve(workspace);
    const db = this.workspaces.openRow(row);
    const compiled = this.gateway.policies.compiled(db);
    const ledger = this.gateway.ledger(db);
    ledger.flush();
    ledger.sweep();
    const now = this.now();
    const day = now.toISOString().slice(0, 10);
    const resetsAt = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1)).toISOString();
    const state = (scope: BudgetScope, key: string, limit: Limit | undefined): BudgetState['workspaceDaily'] => {
      const spent = ledger.spent(day, scope, key);
      const clean = { usd: Math.max(0, Math.round(spent.usd * 1e6) / 1e6), tokens: Math.max(0, spent.tokens) };
      return {
        limit: limitOut(limit),
        spent: clean,
        remaining: { usd: limit?.usd !== undefined ? Math.max(0, limit.usd - clean.usd) : null, tokens: limit?.tokens !== undefined ? Math.max(0, limit.tokens - clean.tokens) : null },
      };
    };
    const spentToday = db.prepare("SELECT DISTINCT key FROM gateway_budget_counters WHERE day = ? AND scope = 'use_case'").pluck().all(day) as string[];
    const named = Object.entries(compiled.doc.use_cases ?? {})
      .filter(([k, v]) => !k.includes('*') && v?.budget)
      .map(([k]) => k);
    const useCases = [...new Set([...named, ...spentToday])].sort();
    return {
      workspace: row.name,
      day,
      resetsAt,
      perRequest: limitOut(compiled.budgets.perRequest),
      workspaceDaily: state('workspace', '*', compiled.budgets.workspaceDaily),
      perUserDaily: state('user', profileId ?? 'system', compiled.budgets.perUserDaily),
      useCases: useCases.map((uc) => {
        const p = compiled.resolve(uc);
        return { useCase: uc, perRequest: limitOut(p.budget.perRequest), daily: state('use_case', uc, p.budget.daily) };
      }),
    };
  }

  setBudgets(workspace: string, patch: BudgetPatch, by: string | null): BudgetState {
    this.gateway.policies.patchBudgets(this.workspaces.open(workspace), patch, by);
    this.changed('budgets', workspace);
    return this.budgetState(workspace, by);
  }

  usageSummary(workspace: string, range: UsageSummary['range']): UsageSummary {
    const row = this.workspaces.resolve(workspace);
    const db = this.workspaces.openRow(row);
    this.gateway.ledger(db).flush();
    this.gateway.ledger(db).sweep();
    return usageSummary(db, row.name, range, this.now());
  }

  usageList(workspace: string, filter: { offset: number; limit: number; useCase?: string | undefined; status?: UsageRow['status'] | undefined }): { rows: UsageRow[]; total: number } {
    const db = this.workspaces.open(workspace);
    this.gateway.ledger(db).flush();
    this.gateway.ledger(db).sweep();
    return usageList(db, filter, this.profileName);
  }

  prices(): PriceState {
    return this.gateway.prices.state();
  }

  setPrices(yaml: string, dryRun: boolean, by: string | null): PriceState & { ok: boolean } {
    if (dryRun) {
      const issues = this.gateway.prices.validate(yaml);
      return { ...this.gateway.prices.state(issues), yaml, ok: !issues.some((i) => i.severity === 'error') };
    }
    const state = this.gateway.prices.set(yaml, by);
    this.changed('prices');
    return { ...state, ok: true };
  }
}
