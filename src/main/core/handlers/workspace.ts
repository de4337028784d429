import type { Handlers } from '../router';
import type { Services } from '../services';

export const workspaceHandlers = (s: Services): Pick<Handlers, 'workspace.list' | 'workspace.create' | 'workspace.delete'> => ({
  'workspace.list': () => ({ workspaces: s.workspaces.list() }),
  'workspace.create': (args, ctx) => s.workspaces.create(args.name, args.demo, ctx.profile.id),
  'workspace.delete': async (args) => ({ deleted: await s.workspaces.delete(args.workspace) }),
});
