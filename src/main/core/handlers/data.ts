import { getEntity } from '@shared/entities';
import type { InsightSummary } from '@shared/insights';
import { maskRecord, maskRecords, maskText } from '@shared/masking';
import type { Handlers } from '../router';
import type { Services } from '../services';

/**
 * The insights about one record. The engine still reads SQLite files directly (issue 9), so on a PostgreSQL
 * workspace the drawer shows the record without them rather than failing; the engine's port lifts this.
 */
function insightsAbout(s: Services, engine: string, workspace: string, entity: string, id: number): { items: InsightSummary[]; total: number } {
  if (engine !== 'sqlite') return { items: [], total: 0 };
  return s.insights.list(workspace, { entityType: entity, entityId: id, sort: { column: 'createdAt', desc: true }, offset: 0, limit: 20 });
}

export const dataHandlers = (
  s: Services,
): Pick<Handlers, 'data.stats' | 'data.browse' | 'data.get' | 'data.record' | 'data.lookup' | 'import.stage' | 'import.analyze' | 'import.run' | 'import.discard'> => ({
  'data.stats': async (_args, ctx) => ({ counts: await s.data.stats(ctx.workspace.repos.records) }),
  'data.browse': async (args, ctx) => {
    const repo = ctx.workspace.repos.records;
    const page = await s.data.browse(repo, args);
    const refs = await s.records.refTitles(repo, getEntity(args.entity)!, page.rows);
    // Sensitive fields (the catalog's `sensitive` columns) are masked for members (ADR 0062).
    return { ...page, rows: maskRecords(args.entity, page.rows, ctx.profile.role), refs };
  },
  'data.record': async (args, ctx) => {
    const repo = ctx.workspace.repos.records;
    const id = typeof args.id === 'number' ? args.id : await s.records.resolve(repo, args.entity, args.id);
    const detail = await s.records.record(repo, args.entity, id, args.childLimit);
    const role = ctx.profile.role;
    return {
      ...detail,
      subtitle: maskText(detail.entity, detail.record, detail.subtitle, role),
      record: maskRecord(detail.entity, detail.record, role),
      children: detail.children.map((c) => ({ ...c, rows: maskRecords(c.entity, c.rows, role) })),
      insights: insightsAbout(s, ctx.workspace.engine, args.workspace, args.entity, id),
    };
  },
  'data.lookup': async (args, ctx) => ({ matches: await s.records.lookup(ctx.workspace.repos.records, args.entity, args.query, args.limit, ctx.profile.role) }),
  'data.get': async (args, ctx) => {
    const got = await s.data.get(ctx.workspace.repos.records, args.entity, args.id);
    return { ...got, record: maskRecord(args.entity, got.record, ctx.profile.role) };
  },
  'import.stage': (args) => s.imports.stage(args.uploadId, args.chunk),
  // The context resolved the workspace already (not_found if it does not exist).
  'import.analyze': (args) => s.imports.analyze(args.entity, args.uploadId, args.delimiter),
  'import.run': (args, ctx) => ({ jobId: s.imports.run(args, ctx.profile.id) }),
  'import.discard': (args) => {
    s.imports.discard(args.uploadId);
    return { ok: true as const };
  },
});
