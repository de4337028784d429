import { maskSearchHits } from '../data/masking';
import type { Handlers } from '../router';
import type { Services } from '../services';

type VectorRoutes =
  | 'vectors.sources'
  | 'vectors.embedders'
  | 'vectors.status'
  | 'vectors.versions'
  | 'vectors.build'
  | 'vectors.update'
  | 'vectors.switch'
  | 'vectors.rollback'
  | 'vectors.deleteVersion'
  | 'vectors.quality'
  | 'vectors.evaluate'
  | 'vectors.evaluations'
  | 'vectors.related'
  | 'search.query';

export const vectorHandlers = (s: Services): Pick<Handlers, VectorRoutes> => ({
  'vectors.sources': () => s.vectors.sources(),
  'vectors.embedders': () => s.vectors.embedders(),
  'vectors.status': (args) => s.vectors.status(args.workspace),
  'vectors.versions': (args) => ({ versions: s.vectors.versions(args.workspace) }),
  'vectors.build': (args, ctx) => s.vectors.build(args.workspace, args, ctx.profile.id),
  'vectors.update': (args, ctx) => s.vectors.update(args.workspace, ctx.profile.id),
  'vectors.switch': (args, ctx) => s.vectors.switchTo(args.workspace, args.version, ctx.profile.id),
  'vectors.rollback': (args, ctx) => s.vectors.rollback(args.workspace, ctx.profile.id),
  'vectors.deleteVersion': (args) => ({ deleted: s.vectors.deleteVersion(args.workspace, args.version) }),
  'vectors.quality': (args) => s.vectors.quality(args.workspace, args.version, args.recompute),
  'vectors.evaluate': (args, ctx) => ({ jobId: s.vectors.evaluate(args.workspace, args, ctx.profile.id) }),
  'vectors.evaluations': (args) => ({ evaluations: s.vectors.evaluations(args.workspace, args.limit) }),
  'vectors.related': (args, ctx) => s.vectors.related(args.workspace, args, ctx.profile.id, ctx.signal),
  'search.query': async (args, ctx) => {
    const res = await s.vectors.search(args, ctx.profile.id, ctx.signal);
    // The index holds record text as written; members get sensitive values blanked out (ADR 0062).
    return { ...res, results: await maskSearchHits(ctx.workspace.repos.records, res.results, ctx.profile.role) };
  },
});
