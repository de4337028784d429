import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meta, testPolicy } from '../../fixtures/gateway';
import { makeTestCore, tempDir, type TestCore } from '../../fixtures/core';
import { writeTinyGguf } from '../../fixtures/tinyGguf';

/** The offline path end to end: a registered GGUF model behind a 'local' gateway endpoint, through a policy. */
describe('gateway → local model', () => {
  let t: TestCore;
  let modelId: string;
  beforeAll(async () => {
    t = makeTestCore({ localModels: { inProcess: true, threads: 1, idleUnloadMs: 0 } });
    const file = join(tempDir(), 'tiny-chat.gguf');
    writeTinyGguf(file, { seed: 3 });
    modelId = (await t.core.call('models.add', { path: file })).model.id;
    await t.core.call('workspace.create', { name: 'w' });
  });
  afterAll(() => t.cleanup());

  it('serves schema-valid structured output from a model registered by id', async () => {
    await t.core.call('providers.add', { name: 'offline', kind: 'local', modelPath: modelId, model: modelId });
    await t.core.call('policies.set', { workspace: 'w', yaml: testPolicy({ fallback: ['offline'] }).replace('max_tokens: 64', 'max_tokens: 48') });
    const schema = { type: 'object', properties: { urgent: { type: 'boolean' }, label: { type: 'string', maxLength: 8 } }, required: ['urgent', 'label'], additionalProperties: false };
    const res = await t.core.services.gateway.chat(meta('w', 'copilot.chat', null), {
      messages: [{ role: 'user', content: 'Is ticket TCK-000042 urgent? Answer as JSON.' }],
      responseSchema: { name: 'triage', schema },
    });
    const parsed = JSON.parse(res.text) as { urgent: unknown; label: unknown };
    expect(typeof parsed.urgent).toBe('boolean');
    expect(typeof parsed.label).toBe('string');
    expect(res).toMatchObject({ endpoint: 'offline', providerKind: 'local', fallbackUsed: false, costUsd: 0 });
    expect(res.usage.outputTokens).toBeGreaterThan(0);
  });
});
