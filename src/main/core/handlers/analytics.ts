import { runEval } from '../analytics/eval/runEval';
import { EVAL_QUESTIONS } from '../analytics/eval/questions';
import type { Handlers } from '../router';
import type { Services } from '../services';

type AnalyticsRoutes = 'analytics.catalog' | 'analytics.query' | 'analytics.ask' | 'analytics.chart' | 'analytics.history.list' | 'analytics.history.clear' | 'analytics.tiles' | 'analytics.tiles.set' | 'analytics.eval';

export const analyticsHandlers = (s: Services): Pick<Handlers, AnalyticsRoutes> => ({
  'analytics.catalog': () => s.analytics.catalog(),
  'analytics.query': (args, ctx) => s.analytics.query(ctx.workspace, args.spec),
  'analytics.ask': (args, ctx) => s.analytics.ask(ctx.workspace, { question: args.question, mode: args.mode, record: args.record, profileId: ctx.profile.id, signal: ctx.signal }),
  'analytics.chart': (args, ctx) => s.analytics.chart(ctx.workspace, args.spec, args.title),
  'analytics.eval': (args, ctx) =>
    runEval(
      {
        ask: (question) => s.analytics.ask(ctx.workspace, { question, mode: args.mode, record: false, profileId: ctx.profile.id, signal: ctx.signal }),
        query: (spec) => s.analytics.query(ctx.workspace, spec),
      },
      args.limit ? EVAL_QUESTIONS.slice(0, args.limit) : EVAL_QUESTIONS,
    ),
  'analytics.history.list': async (args, ctx) => ({ items: await s.analytics.history(ctx.workspace, ctx.profile.id, args.limit) }),
  'analytics.history.clear': async (_args, ctx) => ({ removed: await s.analytics.clearHistory(ctx.workspace, ctx.profile.id) }),
  'analytics.tiles': (args, ctx) => s.analytics.tiles(ctx.workspace, args.timeRange),
  'analytics.tiles.set': async (args) => ({ measures: await s.analytics.setTileMeasures(args.measures) }),
});
