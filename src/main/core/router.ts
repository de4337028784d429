import type { z } from 'zod';
import { isRouteName, roleAllows, routes, type Profile, type RouteArgs, type RouteName, type RouteOutput } from '@shared/contract';
import { AppError } from '@shared/errors';
import type { Logger } from './logger';

export interface CallContext {
  profile: Profile;
  host: 'electron' | 'web' | 'cli' | 'test';
  signal?: AbortSignal | undefined;
}

export type Handler<R extends RouteName> = (args: RouteArgs<R>, ctx: CallContext) => Promise<RouteOutput<R>> | RouteOutput<R>;
export type Handlers = { [R in RouteName]: Handler<R> };

/** "name: Use at most 64 characters; demo.scale: Scale is at most 200." */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}

/**
 * The one entry point every host uses: checks the route exists, parses the input against its schema, checks the
 * caller's role, runs the handler, and parses the output too, which strips any field the contract does not name
 * (so nothing private reaches a renderer by accident). Every failure comes out as an AppError.
 */
export async function dispatch(handlers: Handlers, route: unknown, input: unknown, ctx: CallContext, logger: Logger): Promise<unknown> {
  if (!isRouteName(route)) throw new AppError('not_found', `Unknown route "${String(route)}".`);
  const spec = routes[route];
  const parsed = spec.input.safeParse(input ?? {});
  if (!parsed.success) {
    throw new AppError('validation', describeZodError(parsed.error), {
      route,
      issues: parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
    });
  }
  if (!roleAllows(ctx.profile.role, spec.role)) {
    throw new AppError('forbidden', `Only an admin can do this (${route}); ${ctx.profile.name} is a member. Ask an admin, or switch to an admin profile.`, { route });
  }
  const handler = handlers[route] as (args: unknown, ctx: CallContext) => unknown;
  let result: unknown;
  try {
    result = await handler(parsed.data, ctx);
  } catch (error) {
    const appError = AppError.wrap(error);
    if (appError.code === 'internal') logger.error('handler failed', { route, error: error instanceof Error ? { message: error.message, stack: error.stack } : String(error) });
    throw appError;
  }
  const out = spec.output.safeParse(result);
  if (!out.success) {
    logger.error('handler returned data outside its contract', { route, problem: describeZodError(out.error) });
    throw new AppError('internal', `The ${route} answer did not match the contract.`);
  }
  return out.data;
}
