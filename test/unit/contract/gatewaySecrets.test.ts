import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ROUTE_NAMES, routes, type RouteName } from '../../../src/shared/contract';
import { events } from '../../../src/shared/events';
import { makeTestCore, type TestCore } from '../../fixtures/core';
import { testPolicy } from '../../fixtures/gateway';

/** Secrets given to the core; none may come back through any gateway route, error or event. */
const SECRETS = {
  openai: 'sk-proj-CONTRACT-openai-0000000000',
  compat: 'sk-CONTRACT-compat-1111111111',
  azure: 'azkey-CONTRACT-2222222222222222',
  anthropic: 'sk-ant-CONTRACT-3333333333',
  gemini: 'AIzaCONTRACT44444444444444444444',
  header: 'hdr-CONTRACT-55555555555555',
  updated: 'sk-CONTRACT-updated-6666666666',
};
const secretValues = Object.values(SECRETS);
/** Every distinctive fragment, so a partly masked leak is caught too. */
const fragments = secretValues.flatMap((s) => [s, s.slice(4, 20)]);
const leaked = (text: string): string[] => fragments.filter((f) => text.includes(f));

const GATEWAY_DOMAINS = ['providers.', 'policies.', 'gateway.', 'usage.', 'budgets.', 'prices.'];
const gatewayRoutes = ROUTE_NAMES.filter((r) => GATEWAY_DOMAINS.some((d) => r.startsWith(d)));

/** Property names anywhere in a JSON schema. */
function propertyNames(schema: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) schema.forEach((s) => propertyNames(s, out));
  else if (schema && typeof schema === 'object') {
    const o = schema as Record<string, unknown>;
    if (o.properties && typeof o.properties === 'object') for (const k of Object.keys(o.properties)) out.add(k);
    for (const v of Object.values(o)) propertyNames(v, out);
  }
  return out;
}

describe('gateway contract: secrets never reach renderer payloads', () => {
  it('no route output or event declares a field that could carry a secret unmasked', () => {
    const suspicious = /(api.?key|secret|password|token(?!s?(In|Out)$)|authorization|credential)/i;
    const offenders: string[] = [];
    const check = (where: string, schema: z.ZodType): void => {
      for (const name of propertyNames(z.toJSONSchema(schema, { unrepresentable: 'any', io: 'output' }))) {
        if (suspicious.test(name) && !/Masked$/.test(name) && !/^(cachedTokens|tokens|maxTokens|tokensIn|tokensOut|remainingTokens)$/.test(name)) offenders.push(`${where}: ${name}`);
      }
    };
    for (const r of gatewayRoutes) check(`${r} output`, routes[r].output);
    check('gateway.stream event', events['gateway.stream']);
    check('gateway.changed event', events['gateway.changed']);
    expect(offenders).toEqual([]);
  });

  describe('every gateway route, called with real secrets configured', () => {
    let t: TestCore;
    const seen: string[] = [];
    const called = new Set<RouteName>();
    const record = (route: RouteName, value: unknown): void => {
      called.add(route);
      seen.push(`${route}: ${JSON.stringify(value)}`);
    };
    /** Calls a route and records its answer or its error, whichever comes back. */
    const call = async (route: RouteName, input: unknown): Promise<unknown> => {
      try {
        const out = await t.core.invoke(route, input);
        record(route, out);
        return out;
      } catch (error) {
        record(route, { error: (error as { toJSON?: () => unknown }).toJSON?.() ?? String(error) });
        return null;
      }
    };
    const emitted: string[] = [];

    beforeAll(async () => {
      t = makeTestCore();
      t.core.events.subscribe((name, payload) => emitted.push(`${name}: ${JSON.stringify(payload)}`));
      await t.core.call('workspace.create', { name: 'w' });
      // Nothing listens on port 1: every network call fails fast, and nothing leaves this machine.
      const dead = 'http://127.0.0.1:1';
      await call('providers.add', { name: 'oa', kind: 'openai', baseUrl: `${dead}/v1`, apiKey: SECRETS.openai, model: 'gpt-4o-mini', headers: { 'X-Api-Key': SECRETS.header } });
      await call('providers.add', { name: 'compat', kind: 'openai-compatible', baseUrl: `${dead}/v1`, apiKey: SECRETS.compat, model: 'fake-chat', role: 'secondary' });
      await call('providers.add', { name: 'az', kind: 'azure', baseUrl: dead, apiKey: SECRETS.azure, model: 'gpt4o-deployment' });
      await call('providers.add', { name: 'claude', kind: 'anthropic', baseUrl: dead, apiKey: SECRETS.anthropic, model: 'claude-haiku-4-5' });
      await call('providers.add', { name: 'gem', kind: 'gemini', baseUrl: dead, apiKey: SECRETS.gemini, model: 'gemini-2.5-flash' });
      await call('providers.add', { name: 'offline', kind: 'local', modelPath: '/models/tiny.gguf' });
    });
    afterAll(() => t.cleanup());

    it('answers, errors and events hold no secret', async () => {
      await call('providers.list', {});
      for (const name of ['oa', 'compat', 'az', 'claude', 'gem', 'offline']) await call('providers.test', { name });
      await call('providers.update', { name: 'compat', apiKey: SECRETS.updated, headers: { Authorization: `Bearer ${SECRETS.header}` } });
      await call('providers.setRole', { name: 'az', role: 'tertiary' });
      await call('policies.get', { workspace: 'w' });
      await call('policies.validate', { workspace: 'w', yaml: testPolicy({ fallback: ['oa', 'compat'] }) });
      await call('policies.set', { workspace: 'w', yaml: testPolicy({ fallback: ['oa', 'compat', 'az', 'claude', 'gem'] }) });
      await call('policies.reset', { workspace: 'w' });
      await call('policies.set', { workspace: 'w', yaml: testPolicy({ fallback: ['oa', 'compat', 'az', 'claude', 'gem'] }) });
      await call('gateway.ask', { workspace: 'w', useCase: 'copilot.chat', prompt: 'hello' });
      const started = (await call('gateway.streamStart', { workspace: 'w', useCase: 'copilot.chat', prompt: 'hello', streamId: 'contract-stream-1' })) as { streamId: string } | null;
      expect(started?.streamId).toBe('contract-stream-1');
      await new Promise<void>((resolve) => {
        const stop = t.core.events.on('gateway.stream', (ev) => {
          if (ev.type !== 'delta') {
            stop();
            resolve();
          }
        });
      });
      await call('gateway.streamCancel', { streamId: 'contract-stream-1' });
      await call('usage.summary', { workspace: 'w', range: '1d' });
      await call('usage.list', { workspace: 'w' });
      await call('budgets.get', { workspace: 'w' });
      await call('budgets.set', { workspace: 'w', workspaceDaily: { usd: 5 } });
      await call('prices.get', {});
      await call('prices.set', { yaml: 'version: 1\nmodels: {}\n', dryRun: true });
      await call('prices.set', { yaml: 'version: 1\nmodels:\n  fake-chat: { input: 1 }\n' });
      await call('providers.remove', { name: 'gem' });

      // Every gateway route was exercised: a new route must be added here, and so gets checked too.
      expect(gatewayRoutes.filter((r) => !called.has(r))).toEqual([]);
      const all = [...seen, ...emitted].join('\n');
      expect(all).toMatch(/answered|Could not reach|did not answer|not installed/);
      expect(leaked(all)).toEqual([]);
      // The masked forms are what the renderer sees.
      expect(all).toContain('sk-…0000');
      expect(all).toContain('sk-…6666');
    });
  });
});
