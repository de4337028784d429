import { getPersona } from '../personas/registry';
import type { Handlers } from '../router';
import type { Services } from '../services';

export const insightHandlers = (
  s: Services,
): Pick<
  Handlers,
  | 'insights.list'
  | 'insights.get'
  | 'insights.acknowledge'
  | 'insights.action'
  | 'insights.dismiss'
  | 'insights.undo'
  | 'insights.analyze'
  | 'insights.scan'
  | 'insights.expire'
  | 'insights.retry'
  | 'insights.delete'
  | 'coaching.get'
  | 'coaching.refresh'
  | 'detectors.run'
  | 'dashboard.summary'
> => ({
  'insights.list': ({ workspace, type, domain, persona, severity, status, ...rest }) =>
    s.insights.list(workspace, { ...rest, types: type, domains: domain, personas: persona, severities: severity, statuses: status }),
  'insights.get': (args) => s.insights.get(args.workspace, args.id),
  'insights.acknowledge': (args, ctx) => s.insights.act(args.workspace, args.id, 'acknowledge', ctx.profile.id, args.note ?? null),
  'insights.action': (args, ctx) => s.insights.act(args.workspace, args.id, 'action', ctx.profile.id, args.note ?? null),
  'insights.dismiss': (args, ctx) => s.insights.act(args.workspace, args.id, 'dismiss', ctx.profile.id, args.note ?? null),
  'insights.undo': (args, ctx) => s.insights.undo(args.workspace, args.id, args.status, ctx.profile.id),
  'insights.analyze': async (args, ctx) => {
    // A code (TCK-000575) or "#12" becomes the record's id here, so the CLI, voice and copilot accept what people see.
    const entityId = typeof args.entityId === 'number' ? args.entityId : await s.records.resolve(ctx.workspace.repos.records, getPersona(args.persona).entityType, args.entityId);
    return { jobId: s.scans.startAnalyze(args.workspace, args.persona, entityId, ctx.profile.id, { force: args.force }) };
  },
  'insights.retry': (args, ctx) => ({ jobId: s.scans.startRetry(args.workspace, args.id, ctx.profile.id) }),
  'insights.delete': (args, ctx) => ({ deleted: s.insights.remove(args.workspace, args.id, ctx.profile.id) }),
  'insights.scan': (args, ctx) => ({ jobId: s.scans.startScan(args.workspace, args.persona, { limit: args.limit, force: args.force, trigger: 'on_demand', actor: ctx.profile.id }) }),
  'insights.expire': (args, ctx) => ({ expired: s.insights.expire(args.workspace, ctx.profile.id) }),
  'coaching.get': (args) => s.coaching.get(args.workspace),
  'coaching.refresh': (args, ctx) => ({ jobId: s.coaching.startRefresh(args.workspace, ctx.profile.id) }),
  'detectors.run': (args, ctx) => ({ jobId: s.detectors.start(args.workspace, 'on_demand', ctx.profile.id) }),
  'dashboard.summary': (args) =>
    s.insights.dashboard(args.workspace, { lastDetectorsRunAt: s.detectors.lastRunAt(args.workspace), coaching: s.coaching.get(args.workspace).report?.summary ?? null }),
});
