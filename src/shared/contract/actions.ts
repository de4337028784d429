import { z } from 'zod';
import { defineRoute } from './define';
import { id, isoDateTime, workspaceName } from './common';

export const actionRisk = z.enum(['read', 'write', 'destructive']);
export type ActionRisk = z.infer<typeof actionRisk>;
export const actionSource = z.enum(['copilot', 'voice', 'cli', 'ui']);
export type ActionSource = z.infer<typeof actionSource>;
/** `executing` is transient: an approved action whose effect lives outside the workspace transaction is running. */
export const approvalStatus = z.enum(['pending', 'changed', 'executing', 'executed', 'rejected', 'failed']);
export type ApprovalStatus = z.infer<typeof approvalStatus>;

const jsonValue = z.unknown();

export const fieldChange = z.object({ name: z.string(), before: jsonValue, after: jsonValue });
export const recordChange = z.object({
  entity: z.string(),
  /** Null for a record that does not exist yet; text for stores keyed by text ids (insights, schedules). */
  id: z.union([z.number().int(), z.string()]).nullable(),
  op: z.enum(['create', 'update', 'delete']),
  /** The record's name, where one exists ("Acme renewal", "TCK-000575"). */
  title: z.string().nullable().optional(),
  fields: z.array(fieldChange),
});
export const actionPreview = z.object({ summary: z.string(), changes: z.array(recordChange) });
export type ActionPreview = z.infer<typeof actionPreview>;
export type RecordChange = z.infer<typeof recordChange>;

export const actionTouched = z.object({ entity: z.string(), id: z.union([z.number().int(), z.string()]) });
export type ActionTouched = z.infer<typeof actionTouched>;

export const actionInfo = z.object({
  name: z.string(),
  description: z.string(),
  group: z.string(),
  role: z.enum(['member', 'admin']),
  risk: actionRisk,
  domain: z.array(z.string()),
  inputSchema: z.record(z.string(), z.unknown()),
});

export const actionApproval = z.object({
  id,
  action: z.string(),
  risk: actionRisk,
  args: jsonValue,
  preview: actionPreview,
  status: approvalStatus,
  /** The proposer had read record text before proposing; the card says so. */
  untrusted: z.boolean(),
  source: actionSource,
  agent: z.string().nullable(),
  conversationId: z.string().nullable(),
  proposedBy: z.object({ id: z.string(), name: z.string() }),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  decidedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  decidedAt: isoDateTime.nullable(),
  /** Why it failed, or why it was rejected. */
  note: z.string().nullable(),
  auditId: z.string().nullable(),
});
export type ActionApproval = z.infer<typeof actionApproval>;

export const auditEntry = z.object({
  id,
  at: isoDateTime,
  action: z.string(),
  risk: actionRisk,
  profile: z.object({ id: z.string(), name: z.string(), role: z.enum(['member', 'admin']) }),
  source: actionSource,
  agent: z.string().nullable(),
  conversationId: z.string().nullable(),
  approvalId: z.string().nullable(),
  untrusted: z.boolean(),
  args: jsonValue,
  result: jsonValue,
  touched: z.array(actionTouched),
  status: z.enum(['ok', 'failed']),
  error: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof auditEntry>;

const actionName = z.string().trim().min(1, 'Name an action (intelligence-desk actions list).').max(64);
const callMeta = {
  agent: z.string().max(64).nullable().optional(),
  conversationId: z.string().max(128).nullable().optional(),
  source: actionSource.default('ui'),
  untrusted: z.boolean().default(false),
};

export const actionRoutes = {
  'actions.list': defineRoute({
    summary: 'List the actions (typed tools) your role may call, with their input schemas',
    role: 'member',
    input: z.object({}),
    output: z.object({ actions: z.array(actionInfo) }),
  }),
  'actions.preview': defineRoute({
    summary: 'Show exactly what an action would change, without changing anything',
    role: 'member',
    input: z.object({ workspace: workspaceName, name: actionName, args: z.record(z.string(), z.unknown()).default({}) }),
    output: actionPreview,
  }),
  'actions.execute': defineRoute({
    summary: 'Run a read action now; a write becomes a pending approval',
    role: 'member',
    input: z.object({ workspace: workspaceName, name: actionName, args: z.record(z.string(), z.unknown()).default({}), ...callMeta }),
    output: z.discriminatedUnion('status', [
      z.object({ status: z.literal('done'), name: z.string(), risk: actionRisk, result: jsonValue, touched: z.array(actionTouched), auditId: z.string() }),
      z.object({ status: z.literal('pending'), approval: actionApproval }),
    ]),
  }),
  'actions.pending': defineRoute({
    summary: 'Approvals waiting for a decision (or, with status, any of them)',
    role: 'member',
    input: z.object({ workspace: workspaceName, status: z.array(approvalStatus).optional(), limit: z.number().int().min(1).max(500).default(100) }),
    output: z.object({ approvals: z.array(actionApproval) }),
  }),
  'actions.approve': defineRoute({
    summary: 'Approve a pending action (optionally with edited arguments); if its records changed, shows the new diff instead',
    role: 'member',
    input: z.object({ workspace: workspaceName, id, args: z.record(z.string(), z.unknown()).optional() }),
    output: z.discriminatedUnion('status', [
      z.object({ status: z.literal('executed'), approval: actionApproval, result: jsonValue, touched: z.array(actionTouched), auditId: z.string() }),
      z.object({ status: z.literal('changed'), approval: actionApproval }),
    ]),
  }),
  'actions.reject': defineRoute({
    summary: 'Reject a pending action; nothing is written',
    role: 'member',
    input: z.object({ workspace: workspaceName, id, reason: z.string().trim().max(500).optional() }),
    output: z.object({ approval: actionApproval }),
  }),
  'audit.list': defineRoute({
    summary: 'Executed actions: who, when, agent, conversation, arguments, result, records touched',
    role: 'member',
    input: z.object({
      workspace: workspaceName,
      action: z.string().max(64).optional(),
      profileId: z.string().max(128).optional(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(500).default(50),
    }),
    output: z.object({ entries: z.array(auditEntry), total: z.number().int() }),
  }),
} as const;
