import type { Handlers } from '../router';
import type { Services } from '../services';

export const actionHandlers = (s: Services): Pick<Handlers, 'actions.list' | 'actions.preview' | 'actions.execute' | 'actions.pending' | 'actions.approve' | 'actions.reject' | 'audit.list'> => ({
  'actions.list': (_args, ctx) => ({ actions: s.actions.list(ctx.profile.role) }),
  'actions.preview': (args, ctx) => s.actions.preview({ workspace: ctx.workspace, profile: ctx.profile, name: args.name, args: args.args, signal: ctx.signal }),
  'actions.execute': (args, ctx) =>
    s.actions.execute({
      workspace: ctx.workspace,
      profile: ctx.profile,
      name: args.name,
      args: args.args,
      source: args.source,
      agent: args.agent,
      conversationId: args.conversationId,
      untrusted: args.untrusted,
      signal: ctx.signal,
    }),
  'actions.pending': async (args, ctx) => ({ approvals: await s.actions.pending(ctx.workspace, { statuses: args.status, limit: args.limit, role: ctx.profile.role }) }),
  'actions.approve': (args, ctx) => s.actions.approve(ctx.workspace, ctx.profile, args.id, { args: args.args, signal: ctx.signal }),
  'actions.reject': async (args, ctx) => ({ approval: await s.actions.reject(ctx.workspace, ctx.profile, args.id, { reason: args.reason }) }),
  'audit.list': (args, ctx) => s.actions.audit.list(ctx.workspace, args),
});
