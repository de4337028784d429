import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeWav } from '@shared/audio/wav';
import { makeTestCore, tempDir, type TestCore } from '../../../fixtures/core';
import { startFakeOpenAI, type FakeOpenAI } from '../../../fixtures/fakeOpenAI';
import { rejection, testPolicy, usageRows } from '../../../fixtures/gateway';
import { speak, speechAvailable, SPEECH_MISSING, toneWav } from '../../../fixtures/speech';
import { writeWhisperGgml } from '../../../fixtures/tinyGgml';
import { nodeEngineLauncher } from '../../../../src/main/core/voice/engine/nodeLauncher';

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

describe('voice transcription (services.voice through the contract)', () => {
  let t: TestCore;
  let fake: FakeOpenAI;
  let files: string;
  let command: Uint8Array;

  beforeAll(async () => {
    files = tempDir('voice-files-');
    t = makeTestCore({ launchVoiceEngine: nodeEngineLauncher });
    fake = await startFakeOpenAI();
    await t.core.call('workspace.create', { name: 'w', demo: { scale: 0.05, seed: 3, anchorDate: '2026-06-15' } }).then(async (r) => r.jobId && (await t.core.services.jobs.waitFor(r.jobId)));
    await t.core.call('providers.add', { name: 'cloud', kind: 'openai-compatible', baseUrl: fake.url, model: 'fake-chat', transcriptionModel: 'fake-whisper', role: 'primary' });
    await t.core.call('prices.set', { yaml: 'version: 1\nmodels:\n  fake-whisper: { per_minute: 0.6 }\n' });
    const model = join(files, 'ggml-micro.bin');
    writeWhisperGgml(model, 'micro');
    await t.core.call('models.add', { path: model, name: 'whisper-micro' });
    command = speechAvailable ? readFileSync(speak(files, 'Create a task for Acme to call back tomorrow at nine')) : toneWav(2500);
    if (!speechAvailable) console.warn(SPEECH_MISSING);
  });
  afterAll(async () => {
    await t.cleanup();
    await fake.close();
  });
  beforeEach(() => fake.reset());

  it('registers a whisper GGML file as a speech model and refuses files that are not one', async () => {
    const { models } = await t.core.call('models.list', {});
    expect(models.find((m) => m.id === 'whisper-micro')).toMatchObject({ kind: 'whisper', architecture: 'whisper', status: 'ready', contextLength: 448 });
    const text = join(files, 'notes.bin');
    (await import('node:fs')).writeFileSync(text, 'not a model at all, just text '.repeat(10));
    const error = await rejection(t.core.call('models.add', { path: text }));
    expect(error.code).toBe('validation');
  });

  it('provider engine: the voice.transcribe policy sends the WAV with the vocabulary prompt; usage is billed in audio seconds', async () => {
    await t.core.call('policies.set', { workspace: 'w', yaml: testPolicy({ fallback: ['cloud'] }) });
    fake.enqueue('transcriptions', { text: ' Create a task for Acme. ' });
    const r = await t.core.call('voice.transcribe', { workspace: 'w', audio: b64(command), engine: 'provider', language: 'en' });
    expect(r).toMatchObject({ text: 'Create a task for Acme.', engine: 'provider', model: 'fake-whisper', endpoint: 'cloud', language: 'en', fallbackUsed: false });
    expect(r.audioMs).toBeGreaterThan(1000);
    expect(r.elapsedMs).toBeGreaterThan(0);
    expect(r.costUsd).toBeCloseTo((0.6 * r.audioMs) / 60_000, 4);
    expect(r.vocabularyTerms).toBeGreaterThan(3);
    const sent = fake.requests.find((q) => q.route === 'transcriptions')!;
    const fields = sent.body.fields as Record<string, string>;
    expect(fields.language).toBe('en');
    expect(fields.prompt).toMatch(/TCK-\d+/);
    expect(fields.prompt!.length).toBeLessThanOrEqual(600);
    const row = (await usageRows(t.core, 'w'))[0]!;
    expect(row).toMatchObject({ useCase: 'voice.transcribe', operation: 'transcribe', status: 'ok', model: 'fake-whisper' });
  });

  it('provider engine: a failing provider is retried per policy, and the error is clear when it keeps failing', async () => {
    await t.core.call('policies.set', { workspace: 'w', yaml: testPolicy({ fallback: ['cloud'], retries: 1 }) });
    fake.enqueue('transcriptions', { status: 500 }, { text: 'second try' });
    const r = await t.core.call('voice.transcribe', { workspace: 'w', audio: b64(command), engine: 'provider' });
    expect(r.text).toBe('second try');
    expect(fake.count('transcriptions')).toBe(2);
    fake.enqueue('transcriptions', { status: 500 }, { status: 500 });
    const error = await rejection(t.core.call('voice.transcribe', { workspace: 'w', audio: b64(command), engine: 'provider' }));
    expect(error.code).toBe('provider_error');
  });

  it('local engine: transcribes in the speech engine process with the registered model, with timings', async () => {
    const r = await t.core.call('voice.transcribe', { workspace: 'w', audio: b64(command), engine: 'local', model: 'whisper-micro' });
    expect(r).toMatchObject({ engine: 'local', model: 'whisper-micro', endpoint: null, costUsd: 0, usageId: null });
    expect(typeof r.text).toBe('string');
    expect(r.timings.inferenceMs).toBeGreaterThan(0);
    expect(r.realTimeFactor).toBeGreaterThan(0);
    const status = await t.core.call('voice.engine.status', {});
    expect(status).toMatchObject({ running: true, loadedModel: 'whisper-micro', crashes: 0, localSupported: true });
    expect(status.pid).not.toBe(process.pid);
    expect(fake.count('transcriptions')).toBe(0);
  });

  it('the policy can name a local whisper endpoint; engine "provider" skips it', async () => {
    await t.core.call('providers.add', { name: 'on-device', kind: 'local', modelPath: 'whisper-micro', role: 'standby' });
    await t.core.call('policies.set', { workspace: 'w', yaml: testPolicy({ fallback: ['on-device', 'cloud'] }) });
    const local = await t.core.call('voice.transcribe', { workspace: 'w', audio: b64(command) });
    expect(local).toMatchObject({ engine: 'local', endpoint: 'on-device', model: 'whisper-micro', costUsd: 0, fallbackUsed: false });
    // 'provider' skips the local endpoint even though the policy lists it first.
    fake.enqueue('transcriptions', { text: 'from the cloud' });
    const remote = await t.core.call('voice.transcribe', { workspace: 'w', audio: b64(command), engine: 'provider' });
    expect(remote).toMatchObject({ engine: 'provider', endpoint: 'cloud', text: 'from the cloud' });
    await t.core.call('providers.remove', { name: 'on-device' });
  });

  it('auto without any provider that can transcribe uses the local engine', async () => {
    await t.core.call('policies.set', { workspace: 'w', yaml: testPolicy({ fallback: ['@tertiary'] }) });
    const r = await t.core.call('voice.transcribe', { workspace: 'w', audio: b64(command) });
    expect(r.engine).toBe('local');
  });

  it('refuses what is not a usable recording, with reasons', async () => {
    expect((await rejection(t.core.call('voice.transcribe', { audio: b64(new TextEncoder().encode('hello, this is not audio')) }))).message).toMatch(/not a WAV/);
    expect((await rejection(t.core.call('voice.transcribe', { audio: b64(encodeWav(new Float32Array(800))) }))).message).toMatch(/too short/);
    expect((await rejection(t.core.call('voice.transcribe', { audio: 'this is not base64!' }))).code).toBe('validation');
    expect((await rejection(t.core.call('voice.transcribe', { audio: b64(command), engine: 'provider' }))).message).toMatch(/needs a workspace/);
    expect((await rejection(t.core.call('voice.transcribe', { audio: b64(command), engine: 'local', model: 'nope' }))).code).toBe('not_found');
  });

  it('settings round-trip and validate the shortcut and lengths', async () => {
    const s = await t.core.call('voice.settings.update', { shortcut: 'Alt+Shift+V', silenceMs: 1200, localModel: 'whisper-micro' });
    expect(s).toMatchObject({ shortcut: 'Alt+Shift+V', silenceMs: 1200, localModel: 'whisper-micro', maxMs: 15_000 });
    expect((await rejection(t.core.call('voice.settings.update', { shortcut: 'Space' }))).code).toBe('validation');
    expect((await rejection(t.core.call('voice.settings.update', { maxMs: 120_000 }))).code).toBe('validation');
    expect(await t.core.call('voice.settings.get', {})).toMatchObject({ shortcut: 'Alt+Shift+V' });
  });
});
