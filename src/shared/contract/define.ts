import type { z } from 'zod';

/** Who may call a route. Admin routes change configuration others depend on (providers, budgets, profiles). */
export type Role = 'member' | 'admin';

export interface RouteSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  role: Role;
  /** One line for the CLI help and the docs. */
  summary: string;
}

export const defineRoute = <I extends z.ZodType, O extends z.ZodType>(spec: RouteSpec<I, O>): RouteSpec<I, O> => spec;

export const roleAllows = (callerRole: Role, required: Role): boolean => required === 'member' || callerRole === 'admin';
