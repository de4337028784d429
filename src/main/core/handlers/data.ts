import type { Handlers } from '../router';
import type { Services } from '../services';

export const dataHandlers = (
  s: Services,
): Pick<Handlers, 'data.stats' | 'data.browse' | 'data.get' | 'import.stage' | 'import.analyze' | 'import.run' | 'import.discard'> => ({
  'data.stats': async (_args, ctx) => ({ counts: await s.data.stats(ctx.workspace.repos.records) }),
  'data.browse': (args, ctx) => s.data.browse(ctx.workspace.repos.records, args),
  'data.get': (args, ctx) => s.data.get(ctx.workspace.repos.records, args.entity, args.id),
  'import.stage': (args) => s.imports.stage(args.uploadId, args.chunk),
  // The context resolved the workspace already (not_found if it does not exist).
  'import.analyze': (args) => s.imports.analyze(args.entity, args.uploadId),
  'import.run': (args, ctx) => ({ jobId: s.imports.run(args, ctx.profile.id) }),
  'import.discard': (args) => {
    s.imports.discard(args.uploadId);
    return { ok: true as const };
  },
});
