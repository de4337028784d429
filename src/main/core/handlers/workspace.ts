import type { Handlers } from '../router';
import type { Services } from '../services';

export const workspaceHandlers = (s: Services): Pick<Handlers, 'workspace.list' | 'workspace.create' | 'workspace.delete' | 'workspace.attach' | 'workspace.testConnection' | 'workspace.detach'> => ({
  'workspace.list': () => ({ workspaces: s.workspaces.list() }),
  'workspace.create': (args, ctx) => s.workspaces.create(args.name, args.demo, ctx.profile.id, args.postgres ? { engine: 'postgres', url: args.postgres.url } : undefined),
  'workspace.delete': async (args) => ({ deleted: await s.workspaces.delete(args.workspace) }),
  'workspace.attach': (args, ctx) => s.workspaces.attach(args.name, args.postgres.url, args.postgres.schema, ctx.profile.id),
  'workspace.testConnection': (args) => s.workspaces.testConnection(args.postgres.url, args.postgres.schema),
  'workspace.detach': async (args) => ({ detached: await s.workspaces.detach(args.workspace) }),
});
