import type { z } from 'zod';
import type { Profile } from '@shared/contract';
import type { ActionApproval, ActionPreview, ActionRisk, AuditEntry, ActionSource, ActionTouched } from '@shared/contract/actions';
import type { DataService } from '../data/dataService';
import type { RecordService } from '../data/recordService';
import type { InsightService } from '../engine/insightService';
import type { ScanService } from '../engine/scanService';
import type { ToolSpec } from '../gateway/types';
import type { WorkspaceRepos } from '../repositories';
import type { SchedulerService } from '../scheduler/schedulerService';
import type { VectorService } from '../vectors/vectorService';
import type { WorkspaceContext } from '../workspaces/workspaceContext';

export type { ActionApproval, ActionPreview, ActionRisk, AuditEntry, ActionSource, ActionTouched };

/** The services actions reach. Actions never hold a driver handle: record writes go through `ctx.repos`. */
export interface ActionDeps {
  records: RecordService;
  data: DataService;
  insights: InsightService;
  scans: ScanService;
  vectors: VectorService;
  scheduler: SchedulerService;
  now: () => Date;
}

/**
 * What an action's preview and execute receive. For a write's execute, `repos` is bound to the transaction that also
 * writes the audit row, so the record change and its audit entry commit or roll back together.
 */
export interface ActionContext {
  workspace: WorkspaceContext;
  repos: WorkspaceRepos;
  profile: Profile;
  deps: ActionDeps;
  signal?: AbortSignal | undefined;
}

export interface ActionResult {
  /** JSON-serialisable; masked for members before it leaves the service. */
  result: unknown;
  touched: ActionTouched[];
}

/**
 * One typed tool, as data. `domain` lists the entity keys (src/shared/entities.ts) the action reads or writes, or one
 * of NON_ENTITY_DOMAINS for stores outside the record catalog. Writes and destructive actions must have a preview.
 */
export interface ActionSpec<S extends z.ZodType = z.ZodType> {
  name: string;
  /** What the model and the person read: one or two sentences, imperative. */
  description: string;
  group: 'records' | 'figures' | 'crm' | 'support' | 'insights' | 'admin';
  input: S;
  role: 'member' | 'admin';
  risk: ActionRisk;
  domain: readonly string[];
  preview?: (ctx: ActionContext, args: z.output<S>) => Promise<ActionPreview>;
  execute: (ctx: ActionContext, args: z.output<S>) => Promise<ActionResult>;
  /**
   * Writes whose effect lives outside the workspace's transaction (insight lifecycle on the legacy store, jobs, the
   * app database's schedules): the audit row is written after them rather than in the same transaction.
   */
  external?: boolean;
}

/** Stores an action may name in `domain` that are not records of the entity catalog. */
export const NON_ENTITY_DOMAINS = ['insights', 'schedules', 'search_index'] as const;

/** The caller of ActionService: who acts, where, through which feature. */
export interface ActionCall {
  workspace: WorkspaceContext;
  profile: Profile;
  name: string;
  args: unknown;
  source: ActionSource;
  agent?: string | null | undefined;
  conversationId?: string | null | undefined;
  /** The proposer had read record text (ticket bodies, emails, notes) before proposing: shown on the approval card. */
  untrusted?: boolean | undefined;
  signal?: AbortSignal | undefined;
}

export type ExecuteOutcome =
  | { status: 'done'; name: string; risk: ActionRisk; result: unknown; touched: ActionTouched[]; auditId: string }
  | { status: 'pending'; approval: ActionApproval };

export type ApproveOutcome =
  | { status: 'executed'; approval: ActionApproval; result: unknown; touched: ActionTouched[]; auditId: string }
  /** The records changed since the proposal (or since the last look): the approval now carries the new diff. */
  | { status: 'changed'; approval: ActionApproval };

export interface ActionInfo {
  name: string;
  description: string;
  group: ActionSpec['group'];
  role: 'member' | 'admin';
  risk: ActionRisk;
  domain: string[];
  inputSchema: Record<string, unknown>;
}

/**
 * The one way AI features (copilot, voice, automations) and the CLI change records: preview → approve → execute →
 * audit. Kept stable for the copilot and voice features that build on it.
 */
export interface ActionService {
  /** Actions the role may call, as data for lists and help. */
  list(role: 'member' | 'admin'): ActionInfo[];
  /** Tool definitions for a model: the named actions (all allowed ones when `names` is empty) the role may call. */
  toolDefinitions(names: readonly string[], role: 'member' | 'admin'): ToolSpec[];
  preview(call: Pick<ActionCall, 'workspace' | 'profile' | 'name' | 'args' | 'signal'>): Promise<ActionPreview>;
  /** Reads run at once (and are audited); writes become a pending approval and never run here. */
  execute(call: ActionCall): Promise<ExecuteOutcome>;
  /** Stores a pending approval for a write (reads are refused: run them). */
  propose(call: ActionCall): Promise<ActionApproval>;
  /** Open approvals (pending or changed) newest first; `role` masks sensitive values in the diffs for members. */
  pending(workspace: WorkspaceContext, options?: { statuses?: ActionApproval['status'][] | undefined; limit?: number | undefined; role?: 'member' | 'admin' }): Promise<ActionApproval[]>;
  getApproval(workspace: WorkspaceContext, id: string, role?: 'member' | 'admin'): Promise<ActionApproval>;
  approve(workspace: WorkspaceContext, profile: Profile, id: string, options?: { args?: unknown; signal?: AbortSignal | undefined }): Promise<ApproveOutcome>;
  reject(workspace: WorkspaceContext, profile: Profile, id: string, options?: { reason?: string | null | undefined }): Promise<ActionApproval>;
  audit: {
    list(workspace: WorkspaceContext, query?: { action?: string | undefined; profileId?: string | undefined; offset?: number | undefined; limit?: number | undefined }): Promise<{ entries: AuditEntry[]; total: number }>;
  };
}
