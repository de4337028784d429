import type { RouteArgs } from '@shared/contract';
import type { Handlers } from '../router';
import type { Services } from '../services';
import type { GatewayChatRequest } from '../gateway/types';
import { toAskAnswer } from '../gateway/streamHub';

type GatewayRoutes =
  | 'providers.list'
  | 'providers.add'
  | 'providers.update'
  | 'providers.remove'
  | 'providers.test'
  | 'providers.setRole'
  | 'policies.get'
  | 'policies.validate'
  | 'policies.set'
  | 'policies.reset'
  | 'gateway.ask'
  | 'gateway.streamStart'
  | 'gateway.streamCancel'
  | 'usage.summary'
  | 'usage.list'
  | 'budgets.get'
  | 'budgets.set'
  | 'prices.get'
  | 'prices.set';

const chatRequest = (a: RouteArgs<'gateway.ask'>): GatewayChatRequest => ({
  messages: [...(a.system ? [{ role: 'system' as const, content: a.system }] : []), { role: 'user' as const, content: a.prompt }],
  ...(a.model ? { model: a.model } : {}),
  ...(a.temperature !== undefined ? { temperature: a.temperature } : {}),
  ...(a.maxTokens !== undefined ? { maxTokens: a.maxTokens } : {}),
});

export const gatewayHandlers = (s: Services): Pick<Handlers, GatewayRoutes> => {
  const admin = s.gatewayAdmin;
  return {
    'providers.list': () => ({ providers: admin.providers() }),
    'providers.add': (args) => admin.addProvider(args),
    'providers.update': (args) => admin.updateProvider(args),
    'providers.remove': (args) => ({ removed: admin.removeProvider(args.name) }),
    'providers.test': (args, ctx) => admin.testProvider(args.name, ctx.signal),
    'providers.setRole': (args) => ({ providers: admin.setRole(args.name, args.role) }),

    'policies.get': (args) => admin.policyState(args.workspace, args.useCase),
    'policies.validate': (args) => {
      s.workspaces.resolve(args.workspace);
      return admin.validatePolicies(args.yaml);
    },
    'policies.set': (args, ctx) => admin.setPolicies(args.workspace, args.yaml, ctx.profile.id),
    'policies.reset': (args) => admin.resetPolicies(args.workspace),

    'gateway.ask': async (args, ctx) => {
      const r = await s.gateway.chat({ workspace: args.workspace, useCase: args.useCase, profileId: ctx.profile.id, subject: 'playground' }, chatRequest(args), { signal: ctx.signal });
      return toAskAnswer(r);
    },
    'gateway.streamStart': (args, ctx) => {
      s.workspaces.resolve(args.workspace);
      const streamId = s.streams.start({ workspace: args.workspace, useCase: args.useCase, profileId: ctx.profile.id, subject: 'playground' }, chatRequest(args), args.streamId);
      return { streamId };
    },
    'gateway.streamCancel': (args) => ({ cancelled: s.streams.cancel(args.streamId) }),

    'usage.summary': (args) => admin.usageSummary(args.workspace, args.range),
    'usage.list': (args) => admin.usageList(args.workspace, args),

    'budgets.get': (args, ctx) => admin.budgetState(args.workspace, ctx.profile.id),
    'budgets.set': (args, ctx) => admin.setBudgets(args.workspace, args, ctx.profile.id),

    'prices.get': () => admin.prices(),
    'prices.set': (args, ctx) => admin.setPrices(args.yaml, args.dryRun, ctx.profile.id),
  };
};
