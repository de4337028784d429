import { describe, expect, it } from 'vitest';
import { AGENT_KEYS } from '../../../../src/shared/contract';
import { ACTIONS, findAction } from '../../../../src/main/core/actions/registry';
import { AGENTS, agentAllows, DEFAULT_COPILOT_USE_CASE } from '../../../../src/main/core/copilot/agents';
import { checkCitations } from '../../../../src/main/core/copilot/citations';
import { USE_CASE_KEY } from '../../../../src/main/core/gateway/policyConfig';

/** Invariants of the agent registry: every spec is complete, consistent with the action registry and the policies. */
describe('copilot agents as data', () => {
  it('has one spec per agent key, in the contract order, with unique names', () => {
    expect(AGENTS.map((a) => a.key)).toEqual([...AGENT_KEYS]);
    expect(new Set(AGENTS.map((a) => a.name)).size).toBe(AGENTS.length);
  });

  for (const a of AGENTS) {
    describe(a.key, () => {
      it('has a description, a prompt that asks for [table:id] citations, and a bounded tool loop', () => {
        expect(a.description.length).toBeGreaterThan(20);
        expect(a.systemPrompt).toContain('[table:id]');
        expect(a.maxToolIterations).toBeGreaterThanOrEqual(2);
        expect(a.maxToolIterations).toBeLessThanOrEqual(10);
      });

      it('names a copilot.<agent> use case the policy grammar accepts', () => {
        expect(a.useCase).toBe(`copilot.${a.key}`);
        expect(USE_CASE_KEY.test(a.useCase)).toBe(true);
        expect(DEFAULT_COPILOT_USE_CASE).toBe('copilot.chat');
      });

      it('allows only actions the registry has, without duplicates, and at least the search and get reads', () => {
        expect(new Set(a.allowedActions).size).toBe(a.allowedActions.length);
        for (const name of a.allowedActions) expect(findAction(name), `${a.key} allows unknown action ${name}`).toBeDefined();
        expect(agentAllows(a, 'search_records')).toBe(true);
        expect(agentAllows(a, 'get_record')).toBe(true);
      });

      it('a member agent allows no admin-only action', () => {
        if (a.role !== 'member') return;
        for (const name of a.allowedActions) expect(findAction(name)!.role, `${a.key}: ${name}`).toBe('member');
      });
    });
  }

  it('Builder is the only admin agent and the only one that schedules scans', () => {
    expect(AGENTS.filter((a) => a.role === 'admin').map((a) => a.key)).toEqual(['builder']);
    const schedulers = AGENTS.filter((a) => agentAllows(a, 'schedule_scan')).map((a) => a.key);
    expect(schedulers).toEqual(['builder']);
    expect(ACTIONS.find((x) => x.name === 'schedule_scan')).toBeDefined();
  });
});

describe('citations', () => {
  it('keeps read records, drops the others from the text and counts them', () => {
    const read = new Set(['tickets:42', 'deals:7']);
    const r = checkCitations('Open [tickets:42]. Also [deals:7, tickets:5] and [accounts:1].', read);
    expect(r.text).toBe('Open [tickets:42]. Also [deals:7] and.');
    expect(r.citations).toEqual([
      { entity: 'tickets', id: 42 },
      { entity: 'deals', id: 7 },
    ]);
    expect(r.dropped).toBe(2);
    expect(checkCitations('No refs [here] or [x:y].', read)).toEqual({ text: 'No refs [here] or [x:y].', citations: [], dropped: 0 });
  });
});
