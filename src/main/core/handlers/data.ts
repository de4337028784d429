import { getEntity } from '@shared/entities';
import type { Handlers } from '../router';
import type { Services } from '../services';

export const dataHandlers = (
  s: Services,
): Pick<Handlers, 'data.stats' | 'data.browse' | 'data.get' | 'data.record' | 'data.lookup' | 'import.stage' | 'import.analyze' | 'import.run' | 'import.discard'> => ({
  'data.stats': (args) => ({ counts: s.data.stats(s.workspaces.open(args.workspace)) }),
  'data.browse': (args) => {
    const db = s.workspaces.open(args.workspace);
    const page = s.data.browse(db, args);
    return { ...page, refs: s.records.refTitles(db, getEntity(args.entity)!, page.rows) };
  },
  'data.record': (args) => {
    const db = s.workspaces.open(args.workspace);
    const id = typeof args.id === 'number' ? args.id : s.records.resolve(db, args.entity, args.id);
    return {
      ...s.records.record(db, args.entity, id, args.childLimit),
      insights: s.insights.list(args.workspace, { entityType: args.entity, entityId: id, sort: { column: 'createdAt', desc: true }, offset: 0, limit: 20 }),
    };
  },
  'data.lookup': (args) => ({ matches: s.records.lookup(s.workspaces.open(args.workspace), args.entity, args.query, args.limit) }),
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
