import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_VOICE_SETTINGS, type CatalogEntry, type LocalModelInfo } from '../../../src/shared/contract';
import { setTransport } from '../../../src/renderer/src/api/client';
import { VoiceButton } from '../../../src/renderer/src/features/voice/VoiceButton';
import { VoicePage } from '../../../src/renderer/src/features/voice/VoicePage';
import { useLocalModelsStore } from '../../../src/renderer/src/stores/localModelsStore';
import { useVoiceStore } from '../../../src/renderer/src/stores/voiceStore';
import { fakeTransport } from './fakeTransport';
import { renderHub, selectWorkspace, signIn } from './hub/helpers';

const entry = (id: string, purpose: CatalogEntry['purpose']): CatalogEntry => ({ id, name: id, purpose, description: `${id} model.`, url: `https://example.test/${id}`, sizeBytes: 148e6, sha256: null, license: 'MIT', parameters: '74M', contextLength: 448, status: 'available', modelId: null, jobId: null });
const whisper: LocalModelInfo = { id: 'whisper-base.en', name: 'Whisper base.en', file: '/data/models/ggml-base.en.bin', source: 'download', catalogId: 'whisper-base.en', url: null, status: 'ready', jobId: null, error: null, sizeBytes: 147_964_211, sha256: null, verification: 'catalog', kind: 'whisper', architecture: 'whisper', parameters: 74e6, contextLength: 448, embeddingLength: 512, quantization: 'F16', license: 'MIT', loaded: false, inUse: 0, createdAt: '2026-01-01T00:00:00Z' };
const engineStatus = { running: false, pid: null, starts: 0, crashes: 0, lastCrash: null, loadedModel: null, busy: false, queued: 0, rssBytes: null, localSupported: true };

const nav = navigator as unknown as { mediaDevices?: unknown };
const originalMedia = nav.mediaDevices;

beforeEach(() => {
  signIn('admin');
  selectWorkspace('Acme');
  useVoiceStore.setState({ settings: DEFAULT_VOICE_SETTINGS, settingsLoaded: true, overlayOpen: false });
  useVoiceStore.getState().cancel();
  useVoiceStore.getState().dismiss();
  useLocalModelsStore.setState({ models: [], catalog: [], loaded: false, busy: {}, tests: {} });
});
afterEach(() => {
  Object.defineProperty(navigator, 'mediaDevices', { configurable: true, value: originalMedia });
  delete (globalThis as { AudioWorkletNode?: unknown }).AudioWorkletNode;
});

describe('header microphone', () => {
  it('says clearly when microphone access is blocked, and shows the blocked icon state', async () => {
    setTransport(fakeTransport({ 'voice.settings.get': () => DEFAULT_VOICE_SETTINGS }).transport);
    (globalThis as { AudioWorkletNode?: unknown }).AudioWorkletNode = class {};
    Object.defineProperty(navigator, 'mediaDevices', { configurable: true, value: { getUserMedia: () => Promise.reject(Object.assign(new Error('denied'), { name: 'NotAllowedError' })) } });
    renderHub(<VoiceButton />, '/');
    fireEvent.click(screen.getByTestId('voice-button'));
    const error = await screen.findByTestId('voice-error');
    expect(error.getAttribute('data-kind')).toBe('permission-denied');
    expect(error.textContent).toMatch(/Microphone access is blocked/);
    expect(screen.getByTestId('voice-overlay').getAttribute('data-phase')).toBe('error');
  });

  it('says when there is no microphone', async () => {
    setTransport(fakeTransport({ 'voice.settings.get': () => DEFAULT_VOICE_SETTINGS }).transport);
    (globalThis as { AudioWorkletNode?: unknown }).AudioWorkletNode = class {};
    Object.defineProperty(navigator, 'mediaDevices', { configurable: true, value: { getUserMedia: () => Promise.reject(Object.assign(new Error('none'), { name: 'NotFoundError' })) } });
    renderHub(<VoiceButton />, '/');
    fireEvent.click(screen.getByTestId('voice-button'));
    expect((await screen.findByTestId('voice-error')).getAttribute('data-kind')).toBe('no-microphone');
    // Closing the overlay returns to idle.
    fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(screen.queryByTestId('voice-overlay')).toBeNull());
  });

  it('push-to-talk: holding the shortcut starts a command, Esc cancels it', async () => {
    setTransport(fakeTransport({ 'voice.settings.get': () => DEFAULT_VOICE_SETTINGS }).transport);
    (globalThis as { AudioWorkletNode?: unknown }).AudioWorkletNode = class {};
    // A microphone that never answers keeps the command in 'opening'.
    Object.defineProperty(navigator, 'mediaDevices', { configurable: true, value: { getUserMedia: () => new Promise(() => undefined) } });
    renderHub(<VoiceButton />, '/');
    fireEvent.keyDown(window, { key: ' ', code: 'Space', ctrlKey: true, shiftKey: true });
    expect(await screen.findByTestId('voice-overlay')).toBeTruthy();
    expect(useVoiceStore.getState().capture).toMatchObject({ phase: 'opening', mode: 'push' });
    fireEvent.keyDown(window, { key: 'Escape', code: 'Escape' });
    await waitFor(() => expect(useVoiceStore.getState().capture.phase).toBe('idle'));
  });
});

describe('Voice page', () => {
  it('lists speech models only, and adds a whisper file with kind whisper', async () => {
    const t = fakeTransport({
      'voice.settings.get': () => DEFAULT_VOICE_SETTINGS,
      'voice.engine.status': () => engineStatus,
      'models.list': () => ({ models: [whisper, { ...whisper, id: 'qwen', name: 'Qwen chat', kind: 'chat' }], catalog: [entry('whisper-tiny.en', 'transcription'), entry('qwen2.5-0.5b', 'analysis')], folder: '/data/models' }),
      'models.add': (input: { path: string }) => ({ model: { ...whisper, id: 'mine', name: 'Mine', file: input.path, source: 'file' } }),
    });
    setTransport(t.transport);
    renderHub(<VoicePage />, '/voice');
    expect(await screen.findByTestId('speech-catalog-whisper-tiny.en')).toBeTruthy();
    expect(screen.queryByTestId('speech-catalog-qwen2.5-0.5b')).toBeNull();
    expect(await screen.findByTestId('speech-model-whisper-base.en')).toBeTruthy();
    expect(screen.queryByTestId('speech-model-qwen')).toBeNull();
    fireEvent.change(screen.getByLabelText('Add a model file you have'), { target: { value: '/home/me/ggml-small.en.bin' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add file' }));
    await waitFor(() => expect(t.calls.find((c) => c.route === 'models.add')?.input).toEqual({ path: '/home/me/ggml-small.en.bin', kind: 'whisper' }));
  });
});
