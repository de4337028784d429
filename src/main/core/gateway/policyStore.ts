import type { Statement } from 'better-sqlite3';
import { isMap, parseDocument } from 'yaml';
import type { LimitValue } from '@shared/contract';
import { AppError } from '@shared/errors';
import type { Db } from '../db/open';
import type { Logger } from '../logger';
import type { EndpointStore } from './endpointStore';
import { checkPolicyDocument, CompiledPolicies, policyDocument, type PolicyDocument } from './policyConfig';
import type { PriceBook } from './priceBook';
import { documentError, parseYaml, type ConfigIssue } from './yamlDoc';

interface PolicyRow {
  yaml: string;
  rev: number;
  updated_at: string;
  updated_by: string | null;
}

interface Slot {
  revStmt: Statement<[], number>;
  rev: number;
  compiled: CompiledPolicies;
}

export interface StoredPolicy {
  yaml: string;
  rev: number;
  source: 'default' | 'workspace';
  updatedAt: string | null;
  updatedBy: string | null;
  compiled: CompiledPolicies;
}

export interface BudgetPatch {
  perRequest?: LimitValue | null | undefined;
  perUserDaily?: LimitValue | null | undefined;
  workspaceDaily?: LimitValue | null | undefined;
  useCases?: Record<string, { perRequest?: LimitValue | null | undefined; daily?: LimitValue | null | undefined }> | undefined;
}

/**
 * Policy documents, one per workspace (table gateway_policy), with the default from resources/ until a workspace
 * saves its own. The hot path reads one revision number per call and reuses the compiled document; YAML is parsed
 * only when the revision moves, which is how edits (from the hub, the CLI or another process) are hot-reloaded.
 * Saving validates first: a document with errors is refused with line numbers and the old one stays in force.
 */
export class PolicyStore {
  private readonly slots = new WeakMap<Db, Slot>();
  private defaultCompiled: CompiledPolicies | null = null;

  constructor(
    private readonly endpoints: EndpointStore,
    private readonly prices: PriceBook,
    private readonly defaultYaml: () => string,
    private readonly now: () => Date,
    private readonly logger: Logger,
  ) {}

  private compileDefault(): CompiledPolicies {
    if (!this.defaultCompiled) {
      const parsed = parseYaml(this.defaultYaml(), policyDocument);
      if (!parsed.ok) throw new AppError('internal', `The default policy file is invalid: ${parsed.issues.map((i) => `line ${i.line}: ${i.message}`).join('; ')}`);
      this.defaultCompiled = new CompiledPolicies(parsed.parsed.value, 0);
    }
    return this.defaultCompiled;
  }

  /** The policies in force for a workspace database (hot path). */
  compiled(db: Db): CompiledPolicies {
    let slot = this.slots.get(db);
    if (!slot) {
      slot = { revStmt: db.prepare<[], number>('SELECT rev FROM gateway_policy WHERE id = 1').pluck(), rev: -1, compiled: this.compileDefault() };
      this.slots.set(db, slot);
    }
    const rev = slot.revStmt.get() ?? 0;
    if (rev !== slot.rev) {
      slot.compiled = rev === 0 ? this.compileDefault() : this.compileStored(db, rev);
      slot.rev = rev;
    }
    return slot.compiled;
  }

  private compileStored(db: Db, rev: number): CompiledPolicies {
    const row = this.row(db);
    if (!row) return this.compileDefault();
    const parsed = parseYaml(row.yaml, policyDocument);
    if (parsed.ok) return new CompiledPolicies(parsed.parsed.value, rev);
    // Only possible if something other than set() wrote the row; keep working on the defaults and say so.
    this.logger.warn('stored policy document is invalid; using the defaults', { issues: parsed.issues.slice(0, 3) });
    return this.compileDefault();
  }

  private row(db: Db): PolicyRow | undefined {
    return db.prepare('SELECT yaml, rev, updated_at, updated_by FROM gateway_policy WHERE id = 1').get() as PolicyRow | undefined;
  }

  get(db: Db): StoredPolicy {
    const compiled = this.compiled(db);
    const row = this.row(db);
    return row
      ? { yaml: row.yaml, rev: row.rev, source: 'workspace', updatedAt: row.updated_at, updatedBy: row.updated_by, compiled }
      : { yaml: this.defaultYaml(), rev: 0, source: 'default', updatedAt: null, updatedBy: null, compiled };
  }

  /** Syntax, schema and semantic checks (endpoints exist, models are known), each with its line. */
  validate(yaml: string): ConfigIssue[] {
    const parsed = parseYaml<PolicyDocument>(yaml, policyDocument);
    if (!parsed.ok) return parsed.issues;
    return checkPolicyDocument(parsed.parsed, {
      endpoints: this.endpoints.list().map((e) => ({ name: e.config.name, role: e.config.role, models: e.models })),
      isKnownModel: (m) => this.isKnownModel(m),
    });
  }

  isKnownModel(model: string): boolean {
    if (this.prices.isKnownModel(model)) return true;
    const lower = model.toLowerCase();
    return this.endpoints.list().some((e) => {
      const c = e.config;
      return [c.model, c.embeddingModel, c.transcriptionModel].some((m) => m?.toLowerCase() === lower) || e.models.some((m) => m.toLowerCase() === lower);
    });
  }

  set(db: Db, yaml: string, by: string | null): { issues: ConfigIssue[] } {
    const issues = this.validate(yaml);
    if (issues.some((i) => i.severity === 'error')) throw documentError('The policy document', issues);
    const at = this.now().toISOString();
    db.transaction(() => {
      const rev = ((db.prepare('SELECT max(rev) AS r FROM gateway_policy_history').get() as { r: number | null }).r ?? 0) + 1;
      db.prepare('INSERT INTO gateway_policy_history (rev, yaml, updated_at, updated_by) VALUES (?, ?, ?, ?)').run(rev, yaml, at, by);
      db.prepare('INSERT INTO gateway_policy (id, yaml, rev, updated_at, updated_by) VALUES (1, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET yaml = excluded.yaml, rev = excluded.rev, updated_at = excluded.updated_at, updated_by = excluded.updated_by').run(yaml, rev, at, by);
      // Keep the last 50 versions.
      db.prepare('DELETE FROM gateway_policy_history WHERE rev <= ?').run(rev - 50);
    })();
    return { issues };
  }

  /** Back to the default document; the history keeps what was there. */
  reset(db: Db): void {
    db.prepare('DELETE FROM gateway_policy WHERE id = 1').run();
  }

  /**
   * Edits budget limits inside the YAML document, keeping its comments and layout, then saves it through the same
   * validation as any other edit.
   */
  patchBudgets(db: Db, patch: BudgetPatch, by: string | null): { issues: ConfigIssue[] } {
    const doc = parseDocument(this.get(db).yaml);
    const ensureMap = (path: string[]): void => {
      for (let n = 1; n <= path.length; n++) {
        const sub = path.slice(0, n);
        if (!isMap(doc.getIn(sub, true))) doc.setIn(sub, doc.createNode({}));
      }
    };
    const setLimit = (path: string[], value: LimitValue | null | undefined): void => {
      if (value === undefined) return;
      const clean: Record<string, number> = {};
      if (value?.usd !== undefined) clean.usd = value.usd;
      if (value?.tokens !== undefined) clean.tokens = value.tokens;
      if (Object.keys(clean).length === 0) {
        if (doc.hasIn(path)) doc.deleteIn(path);
        return;
      }
      ensureMap(path.slice(0, -1));
      doc.setIn(path, doc.createNode(clean, { flow: true }));
    };
    setLimit(['budgets', 'per_request'], patch.perRequest);
    setLimit(['budgets', 'per_user_daily'], patch.perUserDaily);
    setLimit(['budgets', 'workspace_daily'], patch.workspaceDaily);
    for (const [useCase, p] of Object.entries(patch.useCases ?? {})) {
      setLimit(['use_cases', useCase, 'budget', 'per_request'], p.perRequest);
      setLimit(['use_cases', useCase, 'budget', 'daily'], p.daily);
    }
    return this.set(db, doc.toString(), by);
  }
}
