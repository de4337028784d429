import type { Handlers } from '../router';
import type { Services } from '../services';
import { nextRuns } from '../reports/schedule';

type ReportRoutes =
  | 'reports.templates'
  | 'reports.run'
  | 'reports.rerun'
  | 'reports.preview'
  | 'reports.history'
  | 'reports.get'
  | 'reports.delete'
  | 'reports.open'
  | 'reports.download'
  | 'reports.schedules.list'
  | 'reports.schedules.add'
  | 'reports.schedules.remove'
  | 'reports.schedules.preview';

export const reportHandlers = (s: Services): Pick<Handlers, ReportRoutes> => ({
  'reports.templates': () => ({
    templates: s.reportRuns.templates().map((t) => ({
      key: t.key,
      name: t.name,
      description: t.description,
      parameters: t.parameters,
      defaultRange: t.defaultRange,
      compareWith: t.compareWith,
      sections: t.sections.map((x) => ({ kind: x.kind, id: x.id, title: x.title })),
    })),
  }),
  'reports.run': (args, ctx) =>
    s.reportRuns.run(ctx.workspace, args.template, args.params, { out: args.out, format: args.format, csvDir: args.csvDir, trigger: ctx.host === 'cli' ? 'cli' : 'manual', createdBy: ctx.profile.id }),
  'reports.rerun': (args, ctx) => s.reportRuns.rerun(ctx.workspace, args.id, ctx.profile.id),
  'reports.preview': (args, ctx) => s.reportRuns.preview(ctx.workspace, args.template, args.params, args.theme, ctx.signal),
  'reports.history': async (args, ctx) => ({ runs: await s.reportRuns.history(ctx.workspace, { template: args.template, limit: args.limit }) }),
  'reports.get': (args, ctx) => s.reportRuns.get(ctx.workspace, args.id),
  'reports.delete': (args, ctx) => s.reportRuns.delete(ctx.workspace, args.id, args.keepFiles),
  'reports.open': (args, ctx) => s.reportRuns.open(ctx.workspace, args.id, args.reveal),
  'reports.download': (args, ctx) => s.reportRuns.download(ctx.workspace, args.id),
  'reports.schedules.list': async (_args, ctx) => ({ schedules: await s.reportRuns.schedules(ctx.workspace) }),
  'reports.schedules.add': (args, ctx) =>
    s.reportRuns.addSchedule(ctx.workspace, { template: args.template, params: args.params, cron: args.cron, timezone: args.timezone, outDir: args.outDir, createdBy: ctx.profile.id }),
  'reports.schedules.remove': async (args, ctx) => ({ removed: await s.reportRuns.removeSchedule(ctx.workspace, args.id) }),
  'reports.schedules.preview': (args) => ({ next: nextRuns(args.cron, args.timezone, s.now(), args.count) }),
});
