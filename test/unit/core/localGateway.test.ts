import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meta, testPolicy } from '../../fixtures/gateway';
import { makeTestCore, tempDir, type TestCore } from '../../fixtures/core';
import { writeTinyGguf } from '../../fixtures/tinyGguf';
import { localModelName } from '../../../src/main/core/gateway/endpointStore';

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
    // No model named: a local endpoint's default model is its own.
    const endpoint = await t.core.call('providers.add', { name: 'offline', kind: 'local', modelPath: modelId });
    expect(endpoint.model).toBe(modelId);
    await t.core.call('policies.set', { workspace: 'w', yaml: testPolicy({ fallback: ['offline'] }).replace('max_tokens: 64', 'max_tokens: 48') });
    const schema = { type: 'object', properties: { urgent: { type: 'boolean' }, label: { type: 'string', maxLength: 8 } }, required: ['urgent', 'label'], additionalProperties: false };
    const res = await t.core.services.gateway.chat(meta('w', 'copilot.chat', null), {
      messages: [{ role: 'user', content: 'Is ticket TCK-000042 urgent? Answer as JSON.' }],
      responseSchema: { name: 'triage', schema },
    });
    const parsed = JSON.parse(res.text) as { urgent: unknown; label: unknown };
    expect(typeof parsed.urgent).toBe('boolean');
    expect(typeof parsed.label).toBe('string');
    expect(res).toMatchObject({ endpoint: 'offline', providerKind: 'local', model: modelId, fallbackUsed: false, costUsd: 0 });
    expect(res.usage.outputTokens).toBeGreaterThan(0);
  });

  it('names a file-path endpoint after its file', () => {
    expect(localModelName('/models/My-Model.Q4_K_M.gguf')).toBe('My-Model.Q4_K_M');
    expect(localModelName('C:\\models\\a.gguf')).toBe('a');
    expect(localModelName('qwen2.5-1.5b')).toBe('qwen2.5-1.5b');
  });
});
