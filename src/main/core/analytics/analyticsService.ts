import type { QueryResult, QuerySpecInput } from '@shared/analytics/spec';
import type { WorkspaceContext } from '../workspaces/workspaceContext';

/**
 * The analytics service: catalog, query (spec → result) and ask (question → spec → result → chart + summary).
 * `query(ctx, spec)` is the entry point reports and the copilot use; its signature and QueryResult stay stable.
 */
export interface AnalyticsQueries {
  query(ctx: WorkspaceContext, spec: QuerySpecInput): Promise<QueryResult>;
}
