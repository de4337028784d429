import { AppError } from '@shared/errors';
import { campaignOptimizer } from './specs/campaignOptimizer';
import { customerSuccess } from './specs/customerSuccess';
import { dispatchPlanner } from './specs/dispatchPlanner';
import { inboxAnalyst } from './specs/inboxAnalyst';
import { performanceCoach } from './specs/performanceCoach';
import { projectAdvisor } from './specs/projectAdvisor';
import { ticketAnalyst } from './specs/ticketAnalyst';
import { vendorAnalyst } from './specs/vendorAnalyst';
import type { PersonaSpec } from './types';

/** Every persona the engine knows, in display order. */
export const PERSONAS: readonly PersonaSpec[] = [
  ticketAnalyst,
  projectAdvisor,
  inboxAnalyst,
  campaignOptimizer,
  dispatchPlanner,
  vendorAnalyst,
  performanceCoach,
  customerSuccess,
];

const byKey = new Map(PERSONAS.map((p) => [p.key, p]));

export const findPersona = (key: string): PersonaSpec | undefined => byKey.get(key);

export function getPersona(key: string): PersonaSpec {
  const spec = byKey.get(key);
  if (!spec) throw new AppError('not_found', `There is no persona "${key}". Personas: ${PERSONAS.map((p) => p.key).join(', ')}.`, { persona: key });
  return spec;
}
