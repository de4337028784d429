import { z } from 'zod';
import { AppError } from '@shared/errors';
import { adminActions } from './groups/admin';
import { crmActions } from './groups/crm';
import { figureActions } from './groups/figures';
import { insightActions } from './groups/insights';
import { recordActions } from './groups/records';
import { supportActions } from './groups/support';
import type { ActionSpec } from './types';

/**
 * Every action, as data (ADR 0060). Copilot agents, voice commands, the CLI and the contract routes all call these
 * through ActionService; none writes records any other way. Adding an action: add a spec to its group file (or a new
 * group) — the invariant tests check names, schemas, previews, roles and domains.
 */
export const ACTIONS: readonly ActionSpec[] = [...recordActions, ...figureActions, ...insightActions, ...crmActions, ...supportActions, ...adminActions];

const byName = new Map(ACTIONS.map((a) => [a.name, a]));

export const ACTION_NAMES: readonly string[] = ACTIONS.map((a) => a.name);

export const findAction = (name: string): ActionSpec | undefined => byName.get(name);

export function getAction(name: string): ActionSpec {
  const spec = byName.get(name);
  if (!spec) throw new AppError('not_found', `There is no action "${name}". See the list: intelligence-desk actions list.`, { name });
  return spec;
}

const schemaCache = new WeakMap<ActionSpec, Record<string, unknown>>();

/** The JSON Schema a model sees for an action's arguments (input side: defaults are optional). */
export function actionJsonSchema(spec: ActionSpec): Record<string, unknown> {
  const hit = schemaCache.get(spec);
  if (hit) return hit;
  const { $schema: _ignored, ...schema } = z.toJSONSchema(spec.input, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  schemaCache.set(spec, schema);
  return schema;
}
