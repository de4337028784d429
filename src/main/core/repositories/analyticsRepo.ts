import type { CompiledQuery, Kysely } from 'kysely';
import type { Dialect } from '../db/dialect';
import type { WorkspaceDatabase } from '../db/schema/workspace';
import type { Group, StatementWindow, ValidatedSpec } from '../analytics/validate';
import { compileGroup, type Row } from './analytics/compileSql';

export { PART_PREFIX, STATEMENT_ROW_CAP, type Row } from './analytics/compileSql';

/**
 * Read-only analytics statements over the workspace's business tables (ADR 0081): the metrics catalog's groups of
 * measures compiled to one SELECT each. The service (core/analytics) validates specs and merges results; this repo
 * owns the SQL.
 */
export interface AnalyticsRepo {
  /** Runs one group's statement: grouped rows, or with `totals` the single row over everything selected. */
  run(v: ValidatedSpec, group: Group, window: StatementWindow, options?: { totals?: boolean }): Promise<{ rows: Row[]; ms: number }>;
  /** The statement as SQL text and parameters (tests, `analytics query --explain`). */
  compile(v: ValidatedSpec, group: Group, window: StatementWindow, options?: { totals?: boolean }): CompiledQuery;
}

export class KyselyAnalyticsRepo implements AnalyticsRepo {
  constructor(
    private readonly db: Kysely<WorkspaceDatabase>,
    private readonly dialect: Dialect,
  ) {}

  async run(v: ValidatedSpec, group: Group, window: StatementWindow, options: { totals?: boolean } = {}): Promise<{ rows: Row[]; ms: number }> {
    const { query } = compileGroup(this.dialect, v, group, window, options);
    const t0 = performance.now();
    const { rows } = await query.execute(this.db);
    return { rows, ms: performance.now() - t0 };
  }

  compile(v: ValidatedSpec, group: Group, window: StatementWindow, options: { totals?: boolean } = {}): CompiledQuery {
    return compileGroup(this.dialect, v, group, window, options).query.compile(this.db);
  }
}
