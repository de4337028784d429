import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { getEntity, type EntitySpec } from '@shared/entities';
import { AppError } from '@shared/errors';
import { recordTitle } from '@shared/records';
import type { RecordChange } from '@shared/contract/actions';
import type { ActionContext, ActionSpec } from './types';

/** Keeps each spec's argument type for its own preview/execute while the registry holds them as one list. */
export const defineAction = <S extends z.ZodType>(spec: ActionSpec<S>): ActionSpec => spec as unknown as ActionSpec;

/** A record as people name it: its id, or the code they see (TCK-000575) or its name. */
export const recordRef = (what: string) =>
  z.union([z.number().int().positive(), z.string().trim().min(1).max(120)]).describe(`The ${what}: its numeric id, or the code or exact name people see`);

export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use YYYY-MM-DD.');
export const isoDateTime = z.string().datetime({ offset: true, message: 'Use an ISO date and time such as 2026-06-15T14:00:00Z.' });
export const limit = (max = 50, dflt = 20) => z.number().int().min(1).max(max).default(dflt).describe(`How many rows to return (at most ${max})`);
export const userId = (what: string) => z.number().int().positive().describe(`The id of the ${what} (a users row)`);

export const entityOf = (key: string): EntitySpec => {
  const spec = getEntity(key);
  if (!spec) throw new AppError('internal', `The action registry names an unknown entity "${key}".`);
  return spec;
};

/** Turns an id or code into a record id; not_found (with the close matches) when there is none. */
export const resolveId = (ctx: ActionContext, entity: string, ref: number | string): Promise<number> => ctx.deps.records.resolve(ctx.repos.records, entity, ref);

export async function loadRecord(ctx: ActionContext, entity: string, id: number): Promise<Record<string, unknown>> {
  const spec = entityOf(entity);
  const row = await ctx.repos.records.byId(spec.table, id);
  if (!row) throw new AppError('not_found', `There is no ${spec.singular.toLowerCase()} #${id} in this workspace.`, { entity, id });
  return row;
}

/** Checks that the records an argument points at exist, so a proposal never names a dangling id. */
export async function checkRefs(ctx: ActionContext, refs: Record<string, number | undefined | null>, entities: Record<string, string>): Promise<void> {
  for (const [arg, value] of Object.entries(refs)) {
    if (value === undefined || value === null) continue;
    await loadRecord(ctx, entities[arg]!, value);
  }
}

export const titleOf = (entity: string, row: Record<string, unknown>): string => recordTitle(entityOf(entity), row);

/** The change a create makes: every field it sets, from nothing. */
export function createChange(entity: string, values: Record<string, unknown>): RecordChange {
  return {
    entity,
    id: null,
    op: 'create',
    title: titleOf(entity, values),
    fields: Object.entries(values)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([name, after]) => ({ name, before: null, after })),
  };
}

/** The change an update makes: only the fields whose value differs. */
export function updateChange(entity: string, id: number, row: Record<string, unknown>, patch: Record<string, unknown>): RecordChange {
  return {
    entity,
    id,
    op: 'update',
    title: titleOf(entity, row),
    fields: Object.entries(patch)
      .filter(([name, after]) => after !== undefined && !sameValue(row[name], after))
      .map(([name, after]) => ({ name, before: row[name] ?? null, after })),
  };
}

/** The change a delete makes: every field, to nothing. */
export function deleteChange(entity: string, id: number, row: Record<string, unknown>): RecordChange {
  return { entity, id, op: 'delete', title: titleOf(entity, row), fields: Object.entries(row).map(([name, before]) => ({ name, before, after: null })) };
}

/** Numbers from PostgreSQL bigint/numeric columns may arrive as strings; compare by value. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  if (typeof a === 'number' || typeof b === 'number') return a !== null && b !== null && Number(a) === Number(b);
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Drops undefined values (optional arguments left out). */
export const defined = (values: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));

/** Ids that sort by creation time: a millisecond timestamp in base 36, then randomness. */
export function timeOrderedId(prefix: string, at: Date): string {
  return `${prefix}_${at.getTime().toString(36).padStart(9, '0')}${randomBytes(6).toString('hex')}`;
}

export const noChanges = (summary: string): { summary: string; changes: RecordChange[] } => ({ summary, changes: [] });
