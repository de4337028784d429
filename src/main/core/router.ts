import type { z } from 'zod';
import { isRouteName, roleAllows, ROUTE_NAMES, routes, type Profile, type RouteArgs, type RouteName, type RouteOutput } from '@shared/contract';
import { AppError } from '@shared/errors';
import type { Logger } from './logger';
import type { RateLimiter } from './rateLimit';
import type { WorkspaceContext, WorkspaceLease } from './workspaces/workspaceContext';

export interface CallContext {
  profile: Profile;
  host: 'electron' | 'web' | 'cli' | 'test';
  signal?: AbortSignal | undefined;
}

/** Routes that name a workspace but manage the workspace itself, so they must not hold it (deleting waits for holders). */
const UNSCOPED_ROUTES = ['workspace.delete'] as const;
type UnscopedRoute = (typeof UNSCOPED_ROUTES)[number];

/**
 * What a handler receives besides its arguments: routes whose input requires a `workspace` also get that workspace
 * resolved once into a held context (ADR 0050), released when the handler's promise settles.
 */
export type HandlerContext<R extends RouteName> = R extends UnscopedRoute
  ? CallContext
  : RouteArgs<R> extends { workspace: string }
    ? CallContext & { workspace: WorkspaceContext }
    : CallContext;

export type Handler<R extends RouteName> = (args: RouteArgs<R>, ctx: HandlerContext<R>) => Promise<RouteOutput<R>> | RouteOutput<R>;
export type Handlers = { [R in RouteName]: Handler<R> };

/** How dispatch turns a workspace name into a held context (WorkspaceService.acquire). */
export interface WorkspaceResolver {
  acquire(name: string): Promise<WorkspaceLease>;
}

interface ZodLike {
  _zod: { def: { type: string; innerType?: ZodLike; shape?: Record<string, ZodLike> } };
  safeParse(value: unknown): { success: boolean };
}

/** True when the route's input object has a `workspace` string field that must be present. */
function requiresWorkspace(schema: ZodLike): boolean {
  let s: ZodLike | undefined = schema;
  while (s && (s._zod.def.type === 'default' || s._zod.def.type === 'prefault')) s = s._zod.def.innerType;
  const field = s?._zod.def.type === 'object' ? s._zod.def.shape?.workspace : undefined;
  return field !== undefined && !field.safeParse(undefined).success && field.safeParse('w').success;
}

/** Routes that get a workspace context, read off the contract once (the same rule HandlerContext states in types). */
export const WORKSPACE_ROUTES: ReadonlySet<RouteName> = new Set(
  ROUTE_NAMES.filter((r) => !(UNSCOPED_ROUTES as readonly string[]).includes(r) && requiresWorkspace(routes[r].input as unknown as ZodLike)),
);

/** "name: Use at most 64 characters; demo.scale: Scale is at most 200." */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}

/**
 * The one entry point every host uses: checks the route exists, checks the caller's role, parses the input against
 * its schema, runs the handler, and parses the output too, which strips any field the contract does not name
 * (so nothing private reaches a renderer by accident). Every failure comes out as an AppError.
 */
export async function dispatch(
  handlers: Handlers,
  route: unknown,
  input: unknown,
  ctx: CallContext,
  logger: Logger,
  workspaces?: WorkspaceResolver,
  limiter?: RateLimiter,
): Promise<unknown> {
  if (!isRouteName(route)) throw new AppError('not_found', `Unknown route "${String(route)}".`);
  const spec = routes[route];
  // The role first: a member is refused an admin route whatever the input (and learns nothing from its validation).
  if (!roleAllows(ctx.profile.role, spec.role)) {
    throw new AppError('forbidden', `Only an admin can do this (${route}); ${ctx.profile.name} is a member. Ask an admin, or switch to an admin profile.`, { route });
  }
  const parsed = spec.input.safeParse(input ?? {});
  if (!parsed.success) {
    throw new AppError('validation', describeZodError(parsed.error), {
      route,
      issues: parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
    });
  }
  // One rate limit for every route, per workspace (ADR 0061); only valid, permitted calls count.
  if (limiter) {
    const ws = (parsed.data as { workspace?: unknown }).workspace;
    limiter.check(route, typeof ws === 'string' ? ws : null);
  }
  const handler = handlers[route] as (args: unknown, ctx: CallContext & { workspace?: WorkspaceContext }) => unknown;
  let result: unknown;
  let lease: WorkspaceLease | null = null;
  try {
    if (workspaces && WORKSPACE_ROUTES.has(route)) lease = await workspaces.acquire((parsed.data as { workspace: string }).workspace);
    result = await handler(parsed.data, lease ? { ...ctx, workspace: lease.context } : ctx);
  } catch (error) {
    const appError = AppError.wrap(error);
    if (appError.code === 'internal') logger.error('handler failed', { route, error: error instanceof Error ? { message: error.message, stack: error.stack } : String(error) });
    throw appError;
  } finally {
    lease?.release();
  }
  const out = spec.output.safeParse(result);
  if (!out.success) {
    logger.error('handler returned data outside its contract', { route, problem: describeZodError(out.error) });
    throw new AppError('internal', `The ${route} answer did not match the contract.`);
  }
  return out.data;
}
