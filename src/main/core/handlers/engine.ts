import type { PersonaInfo } from '@shared/contract';
import { AppError } from '@shared/errors';
import { outputJsonSchema } from '../personas/common';
import { getPersona, PERSONAS } from '../personas/registry';
import type { PersonaSpec } from '../personas/types';
import type { Handlers } from '../router';
import type { Services } from '../services';

function personaInfo(s: Services, p: PersonaSpec): PersonaInfo {
  return {
    key: p.key,
    name: p.name,
    domain: p.domain,
    description: p.description,
    version: p.version,
    entityType: p.entityType,
    enabled: s.engineSettings.personaEnabled(p),
    settingsFlag: p.settingsFlag,
    schedule: p.schedule,
    ttlHours: p.ttlHours,
    fields: Object.entries(p.fields.shape).map(([name, schema]) => ({ name, description: (schema as { description?: string }).description ?? '' })),
    outputSchema: outputJsonSchema(p),
    defaultPolicy: { ...p.defaultPolicy },
  };
}

export const engineHandlers = (
  s: Services,
): Pick<Handlers, 'personas.list' | 'personas.setEnabled' | 'engine.settings' | 'engine.configure' | 'schedule.list' | 'schedule.runDue' | 'schedule.setEnabled'> => ({
  'personas.list': () => ({ personas: PERSONAS.map((p) => personaInfo(s, p)) }),
  'personas.setEnabled': async (args) => {
    const spec = getPersona(args.persona);
    await s.engineSettings.setPersonaEnabled(spec, args.enabled);
    return personaInfo(s, spec);
  },
  'engine.settings': () => s.engineSettings.get(),
  'engine.configure': (args) => {
    // Unknown keys in the event-trigger list would silently never fire: refuse them with the keys that exist.
    const unknown = (args.events?.personas ?? []).filter((k) => !PERSONAS.some((p) => p.key === k));
    if (unknown.length) throw new AppError('validation', `Unknown persona ${unknown.map((k) => `"${k}"`).join(', ')} in events.personas. Known: ${PERSONAS.map((p) => p.key).join(', ')}.`, { unknown });
    return s.engineSettings.update(args);
  },
  'schedule.list': (args) => ({ schedules: s.scheduler.list(args.workspace) }),
  'schedule.runDue': (args) => s.scheduler.runDue({ workspace: args.workspace }),
  'schedule.setEnabled': (args) => s.scheduler.setEnabled(args.id, args.enabled),
});
