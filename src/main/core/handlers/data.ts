import type { Handlers } from '../router';
import type { Services } from '../services';

export const dataHandlers = (
  s: Services,
): Pick<Handlers, 'data.stats' | 'data.browse' | 'data.get' | 'import.stage' | 'import.analyze' | 'import.run' | 'import.discard'> => ({
  'data.stats': (args) => ({ counts: s.data.stats(s.workspaces.open(args.workspace)) }),
  'data.browse': (args) => s.data.browse(s.workspaces.open(args.workspace), args),
  'data.get': (args) => s.data.get(s.workspaces.open(args.workspace), args.entity, args.id),
  'import.stage': (args) => s.imports.stage(args.uploadId, args.chunk),
  'import.analyze': (args) => {
    s.workspaces.resolve(args.workspace);
    return s.imports.analyze(args.entity, args.uploadId);
  },
  'import.run': (args, ctx) => ({ jobId: s.imports.run(args, ctx.profile.id) }),
  'import.discard': (args) => {
    s.imports.discard(args.uploadId);
    return { ok: true as const };
  },
});
