import type { Handlers } from '../router';
import type { Services } from '../services';

export const modelHandlers = (s: Services): Pick<Handlers, 'models.list' | 'models.add' | 'models.download' | 'models.remove' | 'models.unload' | 'models.test'> => ({
  'models.list': () => s.models.list(),
  'models.add': async (args, ctx) => ({ model: await s.models.add(args.path, { name: args.name, kind: args.kind, createdBy: ctx.profile.id }) }),
  'models.download': (args, ctx) => s.models.startDownload(args.source, { name: args.name, sha256: args.sha256, createdBy: ctx.profile.id }),
  'models.remove': (args) => s.models.remove(args.id),
  'models.unload': async (args) => ({ unloaded: await s.models.unload(args.id) }),
  'models.test': (args) => s.models.test(args.id, args.prompt),
});
