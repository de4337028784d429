import { z } from 'zod';
import { ENUMS } from '@shared/entities';
import { AppError } from '@shared/errors';
import { checkRefs, createChange, defineAction, defined, deleteChange, isoDate, isoDateTime, loadRecord, recordRef, resolveId, titleOf, updateChange, userId } from '../common';
import type { ActionContext, ActionSpec } from '../types';

const links = {
  accountId: z.number().int().positive().optional().describe('The account it belongs to (id)'),
  contactId: z.number().int().positive().optional().describe('The contact it concerns (id)'),
  dealId: z.number().int().positive().optional().describe('The deal it concerns (id)'),
};
const LINK_ENTITIES = { accountId: 'accounts', contactId: 'contacts', dealId: 'deals', assigneeId: 'users', userId: 'users' };

const checkLinks = (ctx: ActionContext, a: { accountId?: number | undefined; contactId?: number | undefined; dealId?: number | undefined; assigneeId?: number | undefined; userId?: number | undefined }) =>
  checkRefs(ctx, { accountId: a.accountId, contactId: a.contactId, dealId: a.dealId, assigneeId: a.assigneeId, userId: a.userId }, LINK_ENTITIES);

const iso = (ctx: ActionContext): string => ctx.deps.now().toISOString();

// ---- create task ---------------------------------------------------------------------------------------------------

const taskInput = z.object({
  title: z.string().trim().min(1).max(200).describe('What needs doing'),
  description: z.string().trim().max(4000).optional(),
  dueDate: isoDate.optional().describe('Due date (YYYY-MM-DD)'),
  priority: z.enum(ENUMS.priority4).default('medium'),
  assigneeId: userId('assignee').optional(),
  ...links,
});
const taskValues = (a: z.output<typeof taskInput>) =>
  defined({
    title: a.title,
    description: a.description,
    status: 'open',
    priority: a.priority,
    due_date: a.dueDate,
    assignee_id: a.assigneeId,
    account_id: a.accountId,
    contact_id: a.contactId,
    deal_id: a.dealId,
  });

const createTask = defineAction({
  name: 'create_task',
  description: 'Create a CRM task (a follow-up, a call to make), optionally linked to an account, contact or deal and assigned to a user.',
  group: 'crm',
  role: 'member',
  risk: 'write',
  domain: ['tasks'],
  input: taskInput,
  preview: async (ctx, a) => {
    await checkLinks(ctx, a);
    return { summary: `Create task “${a.title}”${a.dueDate ? ` due ${a.dueDate}` : ''}`, changes: [createChange('tasks', taskValues(a))] };
  },
  execute: async (ctx, a) => {
    await checkLinks(ctx, a);
    const id = await ctx.repos.actionRecords.insert('tasks', { ...taskValues(a), created_at: iso(ctx) });
    return { result: { entity: 'tasks', id, title: a.title }, touched: [{ entity: 'tasks', id }] };
  },
});

// ---- activities ----------------------------------------------------------------------------------------------------

const activityInput = z.object({
  type: z.enum(ENUMS.activityType).describe('call, email, meeting or note'),
  subject: z.string().trim().min(1).max(200),
  body: z.string().trim().max(8000).optional(),
  occurredAt: isoDateTime.optional().describe('When it happened (defaults to now)'),
  userId: userId('user who did it').optional(),
  ...links,
});
const activityValues = (a: z.output<typeof activityInput>, at: string) =>
  defined({ type: a.type, subject: a.subject, body: a.body, account_id: a.accountId, contact_id: a.contactId, deal_id: a.dealId, user_id: a.userId, occurred_at: a.occurredAt ?? at });

const logActivity = defineAction({
  name: 'log_activity',
  description: 'Log an activity that happened (a call, an email, a meeting or a note) on an account, contact or deal.',
  group: 'crm',
  role: 'member',
  risk: 'write',
  domain: ['activities'],
  input: activityInput,
  preview: async (ctx, a) => {
    await checkLinks(ctx, a);
    const values = activityValues(a, a.occurredAt ?? '(now)');
    return { summary: `Log ${a.type} “${a.subject}”`, changes: [createChange('activities', values)] };
  },
  execute: async (ctx, a) => {
    await checkLinks(ctx, a);
    const id = await ctx.repos.actionRecords.insert('activities', activityValues(a, iso(ctx)));
    return { result: { entity: 'activities', id, subject: a.subject }, touched: [{ entity: 'activities', id }] };
  },
});

const meetingInput = z.object({
  subject: z.string().trim().min(1).max(200),
  at: isoDateTime.describe('When the meeting takes place (ISO date and time)'),
  agenda: z.string().trim().max(8000).optional(),
  userId: userId('user who attends').optional(),
  ...links,
});

const scheduleMeeting = defineAction({
  name: 'schedule_meeting',
  description: 'Schedule a meeting: a meeting activity at a given time on an account, contact or deal.',
  group: 'crm',
  role: 'member',
  risk: 'write',
  domain: ['activities'],
  input: meetingInput,
  preview: async (ctx, a) => {
    await checkLinks(ctx, a);
    return { summary: `Schedule meeting “${a.subject}” at ${a.at}`, changes: [createChange('activities', activityValues({ ...a, type: 'meeting', body: a.agenda, occurredAt: a.at }, a.at))] };
  },
  execute: async (ctx, a) => {
    await checkLinks(ctx, a);
    const id = await ctx.repos.actionRecords.insert('activities', activityValues({ ...a, type: 'meeting', body: a.agenda, occurredAt: a.at }, a.at));
    return { result: { entity: 'activities', id, subject: a.subject, at: a.at }, touched: [{ entity: 'activities', id }] };
  },
});

// ---- deals ---------------------------------------------------------------------------------------------------------

const dealInput = z
  .object({
    deal: recordRef('deal'),
    stage: z.enum(ENUMS.dealStage).optional(),
    amount: z.number().min(0).optional().describe('Amount in USD'),
    closeDate: isoDate.optional().describe('Expected close date (YYYY-MM-DD)'),
  })
  .refine((a) => a.stage !== undefined || a.amount !== undefined || a.closeDate !== undefined, { message: 'Give a new stage, amount or close date.' });

async function dealPlan(ctx: ActionContext, a: z.output<typeof dealInput>) {
  const id = await resolveId(ctx, 'deals', a.deal);
  const row = await loadRecord(ctx, 'deals', id);
  const change = updateChange('deals', id, row, defined({ stage: a.stage, amount: a.amount, close_date: a.closeDate }));
  return { id, row, change };
}

const updateDeal = defineAction({
  name: 'update_deal',
  description: 'Change a deal’s stage, amount or expected close date.',
  group: 'crm',
  role: 'member',
  risk: 'write',
  domain: ['deals'],
  input: dealInput,
  preview: async (ctx, a) => {
    const { row, change } = await dealPlan(ctx, a);
    const what = change.fields.map((f) => `${f.name} ${String(f.before ?? '—')} → ${String(f.after)}`).join(', ');
    return { summary: change.fields.length ? `Update deal “${titleOf('deals', row)}”: ${what}` : `Deal “${titleOf('deals', row)}” already has these values; nothing would change`, changes: change.fields.length ? [change] : [] };
  },
  execute: async (ctx, a) => {
    const { id, change } = await dealPlan(ctx, a);
    if (change.fields.length === 0) return { result: { entity: 'deals', id, changed: [] }, touched: [] };
    const patch = Object.fromEntries(change.fields.map((f) => [f.name, f.after]));
    await ctx.repos.actionRecords.update('deals', id, { ...patch, updated_at: iso(ctx) });
    return { result: { entity: 'deals', id, changed: Object.keys(patch) }, touched: [{ entity: 'deals', id }] };
  },
});

// ---- draft email ---------------------------------------------------------------------------------------------------

const draftInput = z.object({
  about: z.enum(['contacts', 'deals']).describe('Whether the draft is kept on a contact or a deal'),
  record: recordRef('contact or deal'),
  subject: z.string().trim().min(1).max(200),
  body: z.string().trim().min(1).max(8000),
});
const draftBody = (a: z.output<typeof draftInput>): string => `[Draft email — not sent]\nSubject: ${a.subject}\n\n${a.body}`;

const draftEmail = defineAction({
  name: 'draft_email',
  description: 'Draft an email to a contact or about a deal. It is stored as a draft note on the record and never sent.',
  group: 'crm',
  role: 'member',
  risk: 'write',
  domain: ['notes', 'contacts', 'deals'],
  input: draftInput,
  preview: async (ctx, a) => {
    const id = await resolveId(ctx, a.about, a.record);
    const title = titleOf(a.about, await loadRecord(ctx, a.about, id));
    return { summary: `Keep a draft email “${a.subject}” on ${title} (not sent)`, changes: [createChange('notes', { entity_type: a.about, entity_id: id, body: draftBody(a) })] };
  },
  execute: async (ctx, a) => {
    const entityId = await resolveId(ctx, a.about, a.record);
    const id = await ctx.repos.actionRecords.insert('notes', { entity_type: a.about, entity_id: entityId, body: draftBody(a), created_at: iso(ctx) });
    return { result: { entity: 'notes', id, about: { entity: a.about, id: entityId }, sent: false }, touched: [{ entity: 'notes', id }] };
  },
});

// ---- destructive ---------------------------------------------------------------------------------------------------

const deleter = (entity: 'tasks' | 'notes', name: string, description: string): ActionSpec =>
  defineAction({
    name,
    description,
    group: 'crm',
    role: 'member',
    risk: 'destructive',
    domain: [entity],
    input: z.object({ id: z.number().int().positive().describe(`The ${entity === 'tasks' ? 'task' : 'note'} id`) }),
    preview: async (ctx, a) => {
      const row = await loadRecord(ctx, entity, a.id);
      return { summary: `Delete ${entity === 'tasks' ? 'task' : 'note'} ${titleOf(entity, row)}`, changes: [deleteChange(entity, a.id, row)] };
    },
    execute: async (ctx, a) => {
      if (!(await ctx.repos.actionRecords.delete(entity, a.id))) throw new AppError('not_found', `There is no ${entity === 'tasks' ? 'task' : 'note'} #${a.id} any more.`, { entity, id: a.id });
      return { result: { entity, id: a.id, deleted: true }, touched: [{ entity, id: a.id }] };
    },
  });

export const crmActions: readonly ActionSpec[] = [
  createTask,
  logActivity,
  scheduleMeeting,
  updateDeal,
  draftEmail,
  deleter('tasks', 'delete_task', 'Delete a CRM task for good.'),
  deleter('notes', 'delete_note', 'Delete a note for good (draft emails are notes too).'),
];
