import { z } from 'zod';
import { ENUMS } from '@shared/entities';
import { checkRefs, defineAction, defined, loadRecord, recordRef, resolveId, titleOf, updateChange } from '../common';
import type { ActionContext, ActionSpec } from '../types';

const CLOSED = new Set(['solved', 'closed']);

const ticketInput = z
  .object({
    ticket: recordRef('ticket (e.g. TCK-000575)'),
    status: z.enum(ENUMS.ticketStatus).optional(),
    priority: z.enum(ENUMS.ticketPriority).optional(),
    agentId: z.number().int().positive().optional().describe('The support agent to assign (an agents row id)'),
  })
  .refine((a) => a.status !== undefined || a.priority !== undefined || a.agentId !== undefined, { message: 'Give a new status, priority or agent.' });

/** The ticket's new values: a move to solved/closed also stamps resolved_at, as the help desk does. */
async function ticketPlan(ctx: ActionContext, a: z.output<typeof ticketInput>) {
  await checkRefs(ctx, { agentId: a.agentId }, { agentId: 'agents' });
  const id = await resolveId(ctx, 'tickets', a.ticket);
  const row = await loadRecord(ctx, 'tickets', id);
  const patch: Record<string, unknown> = defined({ status: a.status, priority: a.priority, agent_id: a.agentId });
  if (a.status && CLOSED.has(a.status) && !row.resolved_at) patch.resolved_at = '(on approval)';
  const change = updateChange('tickets', id, row, patch);
  return { id, row, change };
}

const updateTicket = defineAction({
  name: 'update_ticket',
  description: 'Change a support ticket’s status, priority or assigned agent. A status change is recorded in the ticket’s status history.',
  group: 'support',
  role: 'member',
  risk: 'write',
  domain: ['tickets', 'ticket_status_history', 'agents'],
  input: ticketInput,
  preview: async (ctx, a) => {
    const { row, change } = await ticketPlan(ctx, a);
    const what = change.fields.map((f) => `${f.name} ${String(f.before ?? '—')} → ${String(f.after)}`).join(', ');
    return { summary: change.fields.length ? `Update ticket ${titleOf('tickets', row)}: ${what}` : `Ticket ${titleOf('tickets', row)} already has these values; nothing would change`, changes: change.fields.length ? [change] : [] };
  },
  execute: async (ctx, a) => {
    const { id, row, change } = await ticketPlan(ctx, a);
    if (change.fields.length === 0) return { result: { entity: 'tickets', id, changed: [] }, touched: [] };
    const at = ctx.deps.now().toISOString();
    const patch = Object.fromEntries(change.fields.map((f) => [f.name, f.name === 'resolved_at' ? at : f.after]));
    await ctx.repos.actionRecords.update('tickets', id, { ...patch, updated_at: at });
    const touched: { entity: string; id: number }[] = [{ entity: 'tickets', id }];
    if (patch.status !== undefined) {
      const historyId = await ctx.repos.actionRecords.insert('ticket_status_history', { ticket_id: id, from_status: row.status ?? null, to_status: patch.status, changed_by: ctx.profile.name, changed_at: at });
      touched.push({ entity: 'ticket_status_history', id: historyId });
    }
    return { result: { entity: 'tickets', id, changed: Object.keys(patch) }, touched };
  },
});

export const supportActions: readonly ActionSpec[] = [updateTicket];
