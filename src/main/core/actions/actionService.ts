import type { Profile } from '@shared/contract';
import type { ActionApproval, ActionPreview, ApprovalStatus, AuditEntry } from '@shared/contract/actions';
import { AppError } from '@shared/errors';
import { MASK, sensitiveColumns } from '@shared/masking';
import type { ToolSpec } from '../gateway/types';
import type { ApprovalRow, AuditRow, WorkspaceRepos } from '../repositories';
import { describeZodError } from '../router';
import type { WorkspaceContext } from '../workspaces/workspaceContext';
import { sameValue, timeOrderedId } from './common';
import { ACTIONS, actionJsonSchema, getAction } from './registry';
import type { ActionCall, ActionContext, ActionDeps, ActionInfo, ActionService, ActionSpec, ActionTouched, ApproveOutcome, ExecuteOutcome } from './types';

type Role = Profile['role'];
const OPEN: readonly ApprovalStatus[] = ['pending', 'changed'];
/** Audit rows keep a write's result whole; beyond this size (a read's rows) only its size is kept. */
const AUDIT_RESULT_CHARS = 4000;

const json = (v: unknown): string => JSON.stringify(v ?? null);
const parse = <T>(text: string | null): T => (text === null ? (null as T) : (JSON.parse(text) as T));

function roleCheck(spec: ActionSpec, profile: Profile): void {
  if (spec.role === 'admin' && profile.role !== 'admin') {
    throw new AppError('forbidden', `Only an admin can run ${spec.name}; ${profile.name} is a member. Ask an admin, or switch to an admin profile.`, { action: spec.name });
  }
}

function parseArgs(spec: ActionSpec, args: unknown): unknown {
  const parsed = spec.input.safeParse(args ?? {});
  if (!parsed.success) throw new AppError('validation', `${spec.name}: ${describeZodError(parsed.error)}`, { action: spec.name, issues: parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })) });
  return parsed.data;
}

/** Sensitive values in a diff are masked for members, like everywhere else record text is returned. */
export function maskPreview(preview: ActionPreview, role: Role): ActionPreview {
  if (role === 'admin') return preview;
  return {
    summary: preview.summary,
    changes: preview.changes.map((c) => {
      const hidden = new Set(sensitiveColumns(c.entity));
      if (hidden.size === 0) return c;
      const m = (v: unknown) => (v === null || v === undefined || v === '' ? v : MASK);
      return { ...c, fields: c.fields.map((f) => (hidden.has(f.name) ? { name: f.name, before: m(f.before), after: m(f.after) } : f)) };
    }),
  };
}

/**
 * True when the records a proposal showed have changed since: a field's current value differs from the `before` the
 * person saw, or a record the proposal changed is no longer part of the plan (deleted, or already changed to the
 * target). Fields only the new plan touches (edited arguments) do not count: the approver chose them.
 */
export function recordsChanged(seen: ActionPreview, now: ActionPreview): boolean {
  const key = (entity: string, id: string | number, field: string) => `${entity}\u0000${String(id)}\u0000${field}`;
  const current = new Map<string, unknown>();
  for (const c of now.changes) if (c.id !== null) for (const f of c.fields) current.set(key(c.entity, c.id, f.name), f.before);
  for (const c of seen.changes) {
    if (c.id === null) continue;
    for (const f of c.fields) {
      const k = key(c.entity, c.id, f.name);
      if (!current.has(k) || !sameValue(current.get(k), f.before)) return true;
    }
  }
  return false;
}

function toApproval(r: ApprovalRow, role: Role): ActionApproval {
  return {
    id: r.id,
    action: r.action,
    risk: r.risk as ActionApproval['risk'],
    args: parse(r.args),
    preview: maskPreview(parse<ActionPreview>(r.preview), role),
    status: r.status as ApprovalStatus,
    untrusted: Boolean(Number(r.untrusted)),
    source: r.source as ActionApproval['source'],
    agent: r.agent,
    conversationId: r.conversation_id,
    proposedBy: { id: r.proposed_by, name: r.proposed_by_name },
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    decidedBy: r.decided_by ? { id: r.decided_by, name: r.decided_by_name ?? r.decided_by } : null,
    decidedAt: r.decided_at,
    note: r.note,
    auditId: r.audit_id,
  };
}

function toAudit(r: AuditRow): AuditEntry {
  return {
    id: r.id,
    at: r.at,
    action: r.action,
    risk: r.risk as AuditEntry['risk'],
    profile: { id: r.profile_id, name: r.profile_name, role: r.profile_role as Role },
    source: r.source as AuditEntry['source'],
    agent: r.agent,
    conversationId: r.conversation_id,
    approvalId: r.approval_id,
    untrusted: Boolean(Number(r.untrusted)),
    args: parse(r.args),
    result: parse(r.result),
    touched: parse<ActionTouched[]>(r.touched) ?? [],
    status: r.status as AuditEntry['status'],
    error: r.error,
  };
}

/** Keeps small results whole; a read's rows are not copied into the audit trail (they are in the records). */
function auditResult(result: unknown): string {
  const text = json(result);
  return text.length <= AUDIT_RESULT_CHARS ? text : json({ omitted: true, chars: text.length });
}

/** The action layer (ADR 0060): registry lookups, previews, approvals, transactional execution and the audit trail. */
export class RegistryActionService implements ActionService {
  constructor(private readonly deps: ActionDeps) {}

  private ctx(workspace: WorkspaceContext, profile: Profile, repos: WorkspaceRepos, signal?: AbortSignal): ActionContext {
    return { workspace, repos, profile, deps: this.deps, signal };
  }

  private iso(): string {
    return this.deps.now().toISOString();
  }

  list(role: Role): ActionInfo[] {
    return ACTIONS.filter((a) => role === 'admin' || a.role === 'member').map((a) => ({
      name: a.name,
      description: a.description,
      group: a.group,
      role: a.role,
      risk: a.risk,
      domain: [...a.domain],
      inputSchema: actionJsonSchema(a),
    }));
  }

  toolDefinitions(names: readonly string[], role: Role): ToolSpec[] {
    const specs = names.length ? names.map(getAction) : ACTIONS;
    return specs.filter((a) => role === 'admin' || a.role === 'member').map((a) => ({ name: a.name, description: a.description, parameters: actionJsonSchema(a) }));
  }

  async preview(call: Pick<ActionCall, 'workspace' | 'profile' | 'name' | 'args' | 'signal'>): Promise<ActionPreview> {
    const spec = getAction(call.name);
    roleCheck(spec, call.profile);
    const args = parseArgs(spec, call.args);
    if (!spec.preview) return { summary: `${spec.name} only reads; it changes nothing.`, changes: [] };
    return maskPreview(await spec.preview(this.ctx(call.workspace, call.profile, call.workspace.repos, call.signal), args), call.profile.role);
  }

  async execute(call: ActionCall): Promise<ExecuteOutcome> {
    const spec = getAction(call.name);
    roleCheck(spec, call.profile);
    if (spec.risk !== 'read') return { status: 'pending', approval: await this.propose(call) };
    const args = parseArgs(spec, call.args);
    const repos = call.workspace.repos;
    const at = this.iso();
    const auditId = timeOrderedId('aud', this.deps.now());
    try {
      const out = await spec.execute(this.ctx(call.workspace, call.profile, repos, call.signal), args);
      await repos.audit.insert(this.auditRow(auditId, at, spec, call, null, args, { status: 'ok', result: out.result, touched: out.touched }));
      return { status: 'done', name: spec.name, risk: spec.risk, result: out.result, touched: out.touched, auditId };
    } catch (error) {
      const e = AppError.wrap(error);
      await repos.audit.insert(this.auditRow(auditId, at, spec, call, null, args, { status: 'failed', error: e.message }));
      throw e;
    }
  }

  async propose(call: ActionCall): Promise<ActionApproval> {
    const spec = getAction(call.name);
    roleCheck(spec, call.profile);
    if (spec.risk === 'read' || !spec.preview) throw new AppError('validation', `${spec.name} only reads; run it instead of proposing it.`, { action: spec.name });
    const args = parseArgs(spec, call.args);
    const preview = await spec.preview(this.ctx(call.workspace, call.profile, call.workspace.repos, call.signal), args);
    const at = this.iso();
    const row: ApprovalRow = {
      id: timeOrderedId('apr', this.deps.now()),
      action: spec.name,
      risk: spec.risk,
      args: json(args),
      preview: json(preview),
      status: 'pending',
      untrusted: call.untrusted ? 1 : 0,
      source: call.source,
      agent: call.agent ?? null,
      conversation_id: call.conversationId ?? null,
      proposed_by: call.profile.id,
      proposed_by_name: call.profile.name,
      created_at: at,
      updated_at: at,
      decided_by: null,
      decided_by_name: null,
      decided_at: null,
      note: null,
      audit_id: null,
    };
    await call.workspace.repos.actions.insert(row);
    return toApproval(row, call.profile.role);
  }

  async pending(workspace: WorkspaceContext, options: { statuses?: ApprovalStatus[] | undefined; limit?: number | undefined; role?: Role } = {}): Promise<ActionApproval[]> {
    const rows = await workspace.repos.actions.list({ statuses: options.statuses ?? OPEN, limit: options.limit ?? 100 });
    return rows.map((r) => toApproval(r, options.role ?? 'member'));
  }

  async getApproval(workspace: WorkspaceContext, id: string, role: Role = 'member'): Promise<ActionApproval> {
    return toApproval(await this.row(workspace, id), role);
  }

  private async row(workspace: WorkspaceContext, id: string): Promise<ApprovalRow> {
    const row = await workspace.repos.actions.get(id);
    if (!row) throw new AppError('not_found', `There is no approval "${id}" in workspace "${workspace.name}".`, { id });
    return row;
  }

  async approve(workspace: WorkspaceContext, profile: Profile, id: string, options: { args?: unknown; signal?: AbortSignal | undefined } = {}): Promise<ApproveOutcome> {
    const row = await this.row(workspace, id);
    if (!OPEN.includes(row.status as ApprovalStatus)) throw new AppError('conflict', `This approval is already ${row.status}; nothing was done.`, { id, status: row.status });
    const spec = getAction(row.action);
    // The role is checked again: the approver may not be the proposer, and roles change.
    roleCheck(spec, profile);
    const args = parseArgs(spec, options.args ?? parse(row.args));
    const ctx = this.ctx(workspace, profile, workspace.repos, options.signal);
    const seen = parse<ActionPreview>(row.preview);
    const at = this.iso();
    const call: ActionCall = { workspace, profile, name: spec.name, args, source: row.source as ActionCall['source'], agent: row.agent, conversationId: row.conversation_id, untrusted: Boolean(Number(row.untrusted)) };
    const auditId = timeOrderedId('aud', this.deps.now());
    try {
      // The preview is recomputed: it fails (and closes the approval) when a record it needs is gone.
      const fresh = await spec.preview!(ctx, args);
      if (recordsChanged(seen, fresh)) {
        // The person must see what approving does now: keep the new diff (and edited arguments) and ask again.
        await workspace.repos.actions.update(id, OPEN, { status: 'changed', preview: json(fresh), args: json(args), updated_at: at });
        return { status: 'changed', approval: toApproval(await this.row(workspace, id), profile.role) };
      }
      const decided = { status: 'executed', args: json(args), preview: json(fresh), updated_at: at, decided_by: profile.id, decided_by_name: profile.name, decided_at: at, audit_id: auditId };
      let out: { result: unknown; touched: ActionTouched[] };
      if (spec.external) {
        // Effects outside the workspace transaction (legacy insight store, jobs, app schedules): claim, run, record.
        if (!(await workspace.repos.actions.update(id, OPEN, { status: 'executing', updated_at: at }))) throw this.raced(id);
        try {
          out = await spec.execute(ctx, args);
        } catch (error) {
          await workspace.repos.actions.update(id, ['executing'], { status: row.status });
          throw error;
        }
        await workspace.transaction(async (tx) => {
          await tx.repos.audit.insert(this.auditRow(auditId, at, spec, call, id, args, { status: 'ok', result: out.result, touched: out.touched }));
          await tx.repos.actions.update(id, ['executing'], decided);
        });
      } else {
        // The record change, the approval's decision and the audit row commit together or not at all.
        out = await workspace.transaction(async (tx) => {
          if (!(await tx.repos.actions.update(id, OPEN, decided))) throw this.raced(id);
          const res = await spec.execute(this.ctx(workspace, profile, tx.repos, options.signal), args);
          await tx.repos.audit.insert(this.auditRow(auditId, at, spec, call, id, args, { status: 'ok', result: res.result, touched: res.touched }));
          return res;
        });
      }
      return { status: 'executed', approval: toApproval(await this.row(workspace, id), profile.role), result: out.result, touched: out.touched, auditId };
    } catch (error) {
      const e = AppError.wrap(error);
      // A cancelled call or a busy database leaves the approval open to try again; other failures close it.
      const retry = e.code === 'cancelled' || e.code === 'unavailable' || (e.code === 'conflict' && e.details?.reason === 'raced');
      if (!retry) {
        // Nothing was written; the failure is recorded and the approval closed with the reason.
        await workspace.repos.audit.insert(this.auditRow(auditId, at, spec, call, id, args, { status: 'failed', error: e.message }));
        await workspace.repos.actions.update(id, [...OPEN, 'executing'], { status: 'failed', note: e.message, updated_at: at, decided_by: profile.id, decided_by_name: profile.name, decided_at: at, audit_id: auditId });
      }
      throw e;
    }
  }

  private raced(id: string): AppError {
    return new AppError('conflict', 'Someone decided on this approval a moment ago; refresh to see what happened.', { id, reason: 'raced' });
  }

  async reject(workspace: WorkspaceContext, profile: Profile, id: string, options: { reason?: string | null | undefined } = {}): Promise<ActionApproval> {
    const row = await this.row(workspace, id);
    const at = this.iso();
    const done = await workspace.repos.actions.update(id, OPEN, { status: 'rejected', note: options.reason?.trim() || null, updated_at: at, decided_by: profile.id, decided_by_name: profile.name, decided_at: at });
    if (!done) throw new AppError('conflict', `This approval is already ${row.status}; nothing was done.`, { id, status: row.status });
    return toApproval(await this.row(workspace, id), profile.role);
  }

  readonly audit = {
    list: async (workspace: WorkspaceContext, query: { action?: string | undefined; profileId?: string | undefined; offset?: number | undefined; limit?: number | undefined } = {}) => {
      const page = await workspace.repos.audit.list({ action: query.action, profileId: query.profileId, offset: query.offset ?? 0, limit: query.limit ?? 50 });
      return { entries: page.rows.map(toAudit), total: page.total };
    },
  };

  private auditRow(
    id: string,
    at: string,
    spec: ActionSpec,
    call: ActionCall,
    approvalId: string | null,
    args: unknown,
    outcome: { status: 'ok'; result: unknown; touched: ActionTouched[] } | { status: 'failed'; error: string },
  ): AuditRow {
    return {
      id,
      at,
      action: spec.name,
      risk: spec.risk,
      profile_id: call.profile.id,
      profile_name: call.profile.name,
      profile_role: call.profile.role,
      source: call.source,
      agent: call.agent ?? null,
      conversation_id: call.conversationId ?? null,
      approval_id: approvalId,
      untrusted: call.untrusted ? 1 : 0,
      args: json(args),
      result: outcome.status === 'ok' ? auditResult(outcome.result) : null,
      touched: json(outcome.status === 'ok' ? outcome.touched : []),
      status: outcome.status,
      error: outcome.status === 'failed' ? outcome.error : null,
    };
  }
}
