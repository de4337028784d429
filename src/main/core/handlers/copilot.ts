import type { Handlers } from '../router';
import type { Services } from '../services';
import { answerFromSearch } from '../copilot/searchAnswer';

type CopilotRoutes =
  | 'copilot.agents'
  | 'copilot.send'
  | 'copilot.stop'
  | 'conversations.list'
  | 'conversations.search'
  | 'conversations.get'
  | 'conversations.rename'
  | 'conversations.pin'
  | 'conversations.delete'
  | 'conversations.export'
  | 'memory.list'
  | 'memory.add'
  | 'memory.forget'
  | 'search.answer';

export const copilotHandlers = (s: Services): Pick<Handlers, CopilotRoutes> => ({
  'copilot.agents': (_args, ctx) => ({ agents: s.copilot.agents(ctx.profile.role) }),
  'copilot.send': async (args, ctx) => {
    const { timings: _timings, ...result } = await s.copilot.send(ctx.workspace, ctx.profile, args, ctx.signal);
    return result;
  },
  'copilot.stop': (args) => ({ stopped: s.copilot.stop(args.turnId) }),
  'conversations.list': async (args, ctx) => ({ conversations: await s.copilot.list(ctx.workspace, ctx.profile.id, args.limit) }),
  'conversations.search': async (args, ctx) => ({ conversations: await s.copilot.search(ctx.workspace, ctx.profile.id, args.query, args.limit) }),
  'conversations.get': (args, ctx) => s.copilot.get(ctx.workspace, ctx.profile.id, args.conversationId),
  'conversations.rename': (args, ctx) => s.copilot.rename(ctx.workspace, ctx.profile.id, args.conversationId, args.title),
  'conversations.pin': (args, ctx) => s.copilot.pin(ctx.workspace, ctx.profile.id, args.conversationId, args.pinned),
  'conversations.delete': async (args, ctx) => {
    await s.copilot.delete(ctx.workspace, ctx.profile.id, args.conversationId);
    return { ok: true as const };
  },
  'conversations.export': (args, ctx) => s.copilot.export(ctx.workspace, ctx.profile.id, args.conversationId),
  'memory.list': async (args, ctx) => ({ items: await s.copilot.memories(ctx.workspace, ctx.profile.id, { type: args.type, limit: args.limit }) }),
  'memory.add': (args, ctx) => s.copilot.remember(ctx.workspace, ctx.profile.id, args),
  'memory.forget': async (args, ctx) => {
    await s.copilot.forget(ctx.workspace, ctx.profile.id, args.memoryId);
    return { ok: true as const };
  },
  'search.answer': async (args, ctx) => {
    const search = await s.vectors.search({ workspace: args.workspace, query: args.query, mode: 'hybrid', k: Math.max(10, args.k * 2), filters: {}, prefilter: 'auto' }, ctx.profile.id, ctx.signal);
    return answerFromSearch(s.engineGateway(), { workspace: args.workspace, profileId: ctx.profile.id, query: args.query, signal: ctx.signal }, search, args.k);
  },
});
