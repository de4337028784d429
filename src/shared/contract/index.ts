import type { z } from 'zod';
import { dataRoutes } from './data';
import { gatewayRoutes } from './gateway';
import { engineRoutes } from './engine';
import { insightRoutes } from './insights';
import { jobRoutes } from './jobs';
import { modelRoutes } from './models';
import { systemRoutes } from './system';
import { vectorRoutes } from './vectors';
import { workspaceRoutes } from './workspace';
import { voiceRoutes } from './voice';
import { actionRoutes } from './actions';
import { copilotRoutes } from './copilot';
import { reportRoutes } from './reports';
import { analyticsRoutes } from './analytics';

/**
 * The one contract between the renderer, the preload bridge, the web host and the CLI.
 * Adding a domain: write contract/<domain>.ts with defineRoute entries and spread it here.
 */
export const routes = {
  ...systemRoutes,
  ...workspaceRoutes,
  ...dataRoutes,
  ...jobRoutes,
  ...vectorRoutes,
  ...gatewayRoutes,
  ...modelRoutes,
  ...insightRoutes,
  ...engineRoutes,
  ...voiceRoutes,
  ...actionRoutes,
  ...copilotRoutes,
  ...reportRoutes,
  ...analyticsRoutes,
} as const;

export type Routes = typeof routes;
export type RouteName = keyof Routes;
/** What a caller may send (defaults not yet applied). */
export type RouteInput<R extends RouteName> = z.input<Routes[R]['input']>;
/** What a handler receives after parsing (defaults applied). */
export type RouteArgs<R extends RouteName> = z.output<Routes[R]['input']>;
export type RouteOutput<R extends RouteName> = z.output<Routes[R]['output']>;

export const ROUTE_NAMES = Object.keys(routes) as RouteName[];
export const isRouteName = (name: unknown): name is RouteName => typeof name === 'string' && Object.hasOwn(routes, name);

export { defineRoute, roleAllows, type Role, type RouteSpec } from './define';
export * from './common';
export * from './system';
export * from './workspace';
export * from './data';
export * from './jobs';
export * from './vectors';
export * from './gateway';
export * from './models';
export * from './insights';
export * from './engine';
export * from './voice';
export * from './actions';
export * from './copilot';
export * from './reports';
export * from './analytics';
