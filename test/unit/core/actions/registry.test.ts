import { describe, expect, it } from 'vitest';
import { ENTITY_KEYS } from '@shared/entities';
import { ACTIONS, actionJsonSchema, findAction, getAction } from '../../../../src/main/core/actions/registry';
import { NON_ENTITY_DOMAINS } from '../../../../src/main/core/actions/types';
import { RegistryActionService, recordsChanged } from '../../../../src/main/core/actions/actionService';

const known = new Set<string>([...ENTITY_KEYS, ...NON_ENTITY_DOMAINS]);
const service = new RegistryActionService({} as never);

describe('the action registry (invariants)', () => {
  it('has unique, snake_case names and a description for each', () => {
    const names = ACTIONS.map((a) => a.name);
    expect(new Set(names).size).toBe(names.length);
    for (const a of ACTIONS) {
      expect(a.name, a.name).toMatch(/^[a-z][a-z0-9_]{2,63}$/);
      expect(a.description.length, a.name).toBeGreaterThan(20);
    }
  });

  it('turns every input schema into an object JSON schema a model can read', () => {
    for (const a of ACTIONS) {
      const schema = actionJsonSchema(a);
      expect(schema.type, a.name).toBe('object');
      expect(schema.properties, a.name).toEqual(expect.any(Object));
      expect(JSON.stringify(schema), a.name).not.toContain('$schema');
      // Arguments with defaults are optional for the model.
      for (const key of (schema.required as string[] | undefined) ?? []) expect(Object.keys(schema.properties as object), a.name).toContain(key);
    }
  });

  it('gives every write and destructive action a preview, and only those', () => {
    for (const a of ACTIONS) {
      expect(['read', 'write', 'destructive'], a.name).toContain(a.risk);
      if (a.risk === 'read') expect(a.preview, a.name).toBeUndefined();
      else expect(a.preview, a.name).toEqual(expect.any(Function));
    }
  });

  it('names a role for each, and only member or admin', () => {
    for (const a of ACTIONS) expect(['member', 'admin'], a.name).toContain(a.role);
    expect(getAction('schedule_scan').role).toBe('admin');
  });

  it('names only known entities (or known non-record stores) as its domain', () => {
    for (const a of ACTIONS) {
      expect(a.domain.length, a.name).toBeGreaterThan(0);
      for (const d of a.domain) expect(known.has(d), `${a.name}: ${d}`).toBe(true);
    }
  });

  it('covers the actions issue 10 asks for', () => {
    const wanted = [
      ['search_records', 'read'],
      ['get_record', 'read'],
      ['list_deals', 'read'],
      ['list_tasks', 'read'],
      ['list_tickets', 'read'],
      ['list_projects', 'read'],
      ['pipeline_summary', 'read'],
      ['kpi_figures', 'read'],
      ['list_insights', 'read'],
      ['get_insight', 'read'],
      ['create_task', 'write'],
      ['log_activity', 'write'],
      ['schedule_meeting', 'write'],
      ['update_deal', 'write'],
      ['update_ticket', 'write'],
      ['draft_email', 'write'],
      ['acknowledge_insight', 'write'],
      ['action_insight', 'write'],
      ['dismiss_insight', 'write'],
      ['run_persona', 'write'],
      ['schedule_scan', 'write'],
      ['delete_task', 'destructive'],
      ['delete_note', 'destructive'],
    ] as const;
    for (const [name, risk] of wanted) expect(findAction(name)?.risk, name).toBe(risk);
  });

  it('offers models only the tools the role may call', () => {
    const member = service.toolDefinitions([], 'member').map((t) => t.name);
    const admin = service.toolDefinitions([], 'admin').map((t) => t.name);
    expect(admin).toHaveLength(ACTIONS.length);
    expect(member).not.toContain('schedule_scan');
    expect(member).toContain('create_task');
    expect(service.toolDefinitions(['get_record', 'schedule_scan'], 'member')).toEqual([{ name: 'get_record', description: getAction('get_record').description, parameters: actionJsonSchema(getAction('get_record')) }]);
    expect(() => service.toolDefinitions(['nope'], 'admin')).toThrow(/no action "nope"/);
  });
});

describe('recordsChanged', () => {
  const seen = { summary: '', changes: [{ entity: 'deals', id: 8, op: 'update' as const, fields: [{ name: 'stage', before: 'qualification', after: 'proposal' }] }] };
  it('is false for the same before values (numbers as text too), true when one moved or the change vanished', () => {
    expect(recordsChanged(seen, seen)).toBe(false);
    const numeric = { summary: '', changes: [{ entity: 'deals', id: 8, op: 'update' as const, fields: [{ name: 'amount', before: 5, after: 6 }] }] };
    expect(recordsChanged(numeric, { summary: '', changes: [{ ...numeric.changes[0]!, fields: [{ name: 'amount', before: '5', after: 6 }] }] })).toBe(false);
    expect(recordsChanged(seen, { summary: '', changes: [{ ...seen.changes[0]!, fields: [{ name: 'stage', before: 'negotiation', after: 'proposal' }] }] })).toBe(true);
    expect(recordsChanged(seen, { summary: '', changes: [] })).toBe(true);
    // Creates have nothing to compare.
    expect(recordsChanged({ summary: '', changes: [{ entity: 'tasks', id: null, op: 'create', fields: [{ name: 'title', before: null, after: 'a' }] }] }, { summary: '', changes: [] })).toBe(false);
  });
});
