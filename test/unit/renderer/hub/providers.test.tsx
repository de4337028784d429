import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../../src/shared/errors';
import { setTransport } from '../../../../src/renderer/src/api/client';
import { ProvidersPanel } from '../../../../src/renderer/src/features/configuration/providers/ProvidersPanel';
import { toUpdateInput, validateProvider, valuesFrom, emptyValues } from '../../../../src/renderer/src/features/configuration/providers/providerForm';
import { useProvidersStore } from '../../../../src/renderer/src/stores/providersStore';
import { fakeTransport } from '../fakeTransport';
import { provider, renderHub, signIn } from './helpers';

const resetStore = () => useProvidersStore.setState({ providers: [], loaded: false, loading: false, error: null, testing: {}, lastResult: null });

describe('provider form values', () => {
  it('sends only what changed on edit, keeps the stored key unless a new one is typed, and null removes a cleared field', () => {
    const p = provider({ embeddingModel: 'text-embedding-3-small' });
    const v = valuesFrom(p);
    expect(v.apiKey).toBe('');
    expect(toUpdateInput(v, p)).toEqual({ name: 'corp' });
    expect(toUpdateInput({ ...v, embeddingModel: '', model: 'gpt-4o' }, p)).toEqual({ name: 'corp', embeddingModel: null, model: 'gpt-4o' });
    expect(toUpdateInput({ ...v, apiKey: 'sk-new-0123456789' }, p)).toEqual({ name: 'corp', apiKey: 'sk-new-0123456789' });
    expect(toUpdateInput({ ...v, removeKey: true }, p)).toEqual({ name: 'corp', apiKey: null });
  });

  it('renames a local endpoint’s model with its file when the file changes, unless it was named by hand', () => {
    const local = provider({ kind: 'local', baseUrl: null, apiKeyMasked: null, modelPath: 'tiny-chat', model: 'tiny-chat' });
    expect(toUpdateInput({ ...valuesFrom(local), modelPath: '/models/Other.Q4_K_M.gguf' }, local)).toEqual({ name: 'corp', modelPath: '/models/Other.Q4_K_M.gguf', model: 'Other.Q4_K_M' });
    const named = { ...local, model: 'my-label' };
    expect(toUpdateInput({ ...valuesFrom(named), modelPath: 'qwen' }, named)).toEqual({ name: 'corp', modelPath: 'qwen' });
  });

  it('checks what each kind needs, as the core would', () => {
    expect(validateProvider({ ...emptyValues('openai'), name: 'main' })).toMatchObject({ apiKey: expect.stringContaining('API key') });
    expect(validateProvider({ ...emptyValues('azure'), name: 'az', apiKey: 'k' })).toMatchObject({ baseUrl: expect.stringContaining('resource URL') });
    expect(validateProvider({ ...emptyValues('local'), name: 'offline' })).toMatchObject({ modelPath: expect.any(String) });
    expect(validateProvider({ ...emptyValues('openai-compatible'), name: 'bad name!', baseUrl: 'ftp://x' })).toMatchObject({
      name: expect.stringContaining('letters, digits'),
      baseUrl: expect.stringContaining('http'),
    });
    // An existing endpoint with a stored key does not need the key typed again.
    expect(validateProvider(valuesFrom(provider({ kind: 'openai', baseUrl: null })), provider({ kind: 'openai', baseUrl: null })).apiKey).toBeUndefined();
  });
});

describe('Providers tab', () => {
  let fake: ReturnType<typeof fakeTransport>;
  let stored: ReturnType<typeof provider>[];
  beforeEach(() => {
    signIn('admin');
    resetStore();
    stored = [];
    fake = fakeTransport({
      'providers.list': () => ({ providers: stored }),
      'providers.add': (input: { name: string; kind: 'openai-compatible'; baseUrl?: string; apiKey?: string }) => {
        if (stored.some((p) => p.name === input.name)) throw new AppError('conflict', `A provider named "${input.name}" already exists; pick another name or update it.`);
        const p = provider({ name: input.name, kind: input.kind, baseUrl: input.baseUrl ?? null, apiKeyMasked: input.apiKey ? `${input.apiKey.slice(0, 3)}…${input.apiKey.slice(-4)}` : null });
        stored.push(p);
        return p;
      },
      'providers.update': (input: { name: string }) => ({ ...stored.find((p) => p.name === input.name)! }),
      'providers.test': () => ({ ok: true, latencyMs: 42, method: 'models', models: [{ id: 'fake-chat', kind: 'chat' }, { id: 'fake-embed', kind: 'embedding' }], error: null, testedAt: new Date().toISOString() }),
      'models.list': () => ({ models: [], catalog: [], folder: '/tmp/models' }),
    });
    setTransport(fake.transport);
  });
  afterEach(() => setTransport(null));

  it('explains what to do when there are no providers', async () => {
    renderHub(<ProvidersPanel />);
    expect(await screen.findByText(/No providers yet — add one to start analysing/)).toBeTruthy();
  });

  it('shows field errors inline instead of sending an incomplete provider', async () => {
    renderHub(<ProvidersPanel />);
    fireEvent.click((await screen.findAllByRole('button', { name: 'Add provider' }))[0]!);
    const dialog = await screen.findByRole('dialog', { name: 'Add a provider' });
    fireEvent.click(within(dialog).getByRole('radio', { name: 'OpenAI-compatible' }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add provider' }));
    expect(await within(dialog).findByText('Give the provider a name.')).toBeTruthy();
    expect(within(dialog).getByText(/Give the server’s base URL/)).toBeTruthy();
    // A custom header without a valid name is flagged on its row.
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add header' }));
    fireEvent.change(within(dialog).getByLabelText('Header 1 name'), { target: { value: 'X Team' } });
    expect(await within(dialog).findByText('Header names use letters, digits and dashes.')).toBeTruthy();
    expect(fake.calls.some((c) => c.route === 'providers.add')).toBe(false);
  });

  it('puts a refusal from the core next to the field it concerns', async () => {
    stored.push(provider({ name: 'ollama' }));
    renderHub(<ProvidersPanel />);
    fireEvent.click(await screen.findByRole('button', { name: 'Add provider' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add a provider' });
    fireEvent.change(within(dialog).getByRole('textbox', { name: /Name/ }), { target: { value: 'ollama' } });
    fireEvent.change(within(dialog).getByRole('textbox', { name: /Base URL/ }), { target: { value: 'http://127.0.0.1:11434/v1' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add provider' }));
    expect(await within(dialog).findByText(/already exists/)).toBeTruthy();
    expect(within(dialog).getByRole('textbox', { name: /Name/ }).getAttribute('aria-invalid')).toBe('true');
  });

  it('never shows a stored key: the list and the edit form show it masked, and saving without a new key keeps it', async () => {
    stored.push(provider({ name: 'corp', apiKeyMasked: 'sk-…cdef', headersMasked: { 'X-Team': '••••' } }));
    renderHub(<ProvidersPanel />);
    const row = (await screen.findAllByTestId('provider-row'))[0]!;
    expect(within(row).getByText('sk-…cdef')).toBeTruthy();
    fireEvent.click(within(row).getByRole('button', { name: 'Edit corp' }));
    const dialog = await screen.findByRole('dialog', { name: /Edit provider/ });
    const key = within(dialog).getByLabelText(/API key/) as HTMLInputElement;
    expect(key.value).toBe('');
    expect(key.placeholder).toContain('sk-…cdef');
    expect((within(dialog).getByLabelText('Header 1 value') as HTMLInputElement).value).toBe('••••');
    fireEvent.change(within(dialog).getByLabelText(/Default chat model/), { target: { value: 'gpt-4o' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(fake.calls.some((c) => c.route === 'providers.update')).toBe(true));
    const sent = fake.calls.find((c) => c.route === 'providers.update')!.input;
    expect(sent).toEqual({ name: 'corp', model: 'gpt-4o' });
  });

  it('adds a provider, then tests it and shows latency and the model list', async () => {
    renderHub(<ProvidersPanel />);
    fireEvent.click(await screen.findByRole('button', { name: 'Add provider' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add a provider' });
    fireEvent.change(within(dialog).getByRole('textbox', { name: /Name/ }), { target: { value: 'fake' } });
    fireEvent.change(within(dialog).getByRole('textbox', { name: /Base URL/ }), { target: { value: 'http://127.0.0.1:5288/v1' } });
    fireEvent.change(within(dialog).getByLabelText(/API key/), { target: { value: 'sk-test-0123456789abcdef' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add provider' }));
    await waitFor(() => expect(fake.calls.some((c) => c.route === 'providers.add')).toBe(true));
    expect(fake.calls.find((c) => c.route === 'providers.add')!.input).toEqual({ name: 'fake', kind: 'openai-compatible', enabled: true, baseUrl: 'http://127.0.0.1:5288/v1', apiKey: 'sk-test-0123456789abcdef' });
    const row = (await screen.findAllByTestId('provider-row'))[0]!;
    // The list shows the masked form the core returned, never what was typed.
    expect(within(row).queryByText(/0123456789abcdef/)).toBeNull();
    fireEvent.click(within(row).getByRole('button', { name: 'Test fake' }));
    const result = await screen.findByTestId('provider-test-result');
    expect(result.textContent).toContain('fake: connected in 42 ms');
    expect(within(result).getByText('fake-chat')).toBeTruthy();
    expect(within(result).getByText('fake-embed')).toBeTruthy();
    expect(within(row).getByText(/42 ms · 2 models/)).toBeTruthy();
  });

  it('"Save and test" against a dead endpoint keeps the dialog open with one message, and can not keep the endpoint', async () => {
    fake.handlers['providers.test'] = () => ({ ok: false, latencyMs: 3, method: 'models', models: [], error: { code: 'provider_error', message: 'Could not reach dead (Connection error). Check the base URL and that the server is running.' }, testedAt: new Date().toISOString() });
    fake.handlers['providers.remove'] = (input: { name: string }) => {
      stored = stored.filter((p) => p.name !== input.name);
      return { removed: true };
    };
    renderHub(<ProvidersPanel />);
    fireEvent.click(await screen.findByRole('button', { name: 'Add provider' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add a provider' });
    fireEvent.change(within(dialog).getByRole('textbox', { name: /Name/ }), { target: { value: 'dead' } });
    fireEvent.change(within(dialog).getByRole('textbox', { name: /Base URL/ }), { target: { value: 'http://127.0.0.1:1/v1' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save and test' }));
    const failed = await within(dialog).findByTestId('save-test-failed');
    expect(failed.textContent).toContain('dead was saved, but did not answer');
    expect(failed.textContent).toContain('Could not reach dead (Connection error). Check');
    expect(screen.getByRole('dialog', { name: 'Add a provider' })).toBeTruthy();
    fireEvent.click(within(failed).getByRole('button', { name: 'Do not keep it' }));
    await waitFor(() => expect(fake.calls.some((c) => c.route === 'providers.remove' && (c.input as { name: string }).name === 'dead')).toBe(true));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Add a provider' })).toBeNull());
    expect(stored).toEqual([]);
  });

  it('is read-only for members', async () => {
    signIn('member');
    stored.push(provider());
    renderHub(<ProvidersPanel />);
    expect(await screen.findByText('Read-only for members')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Add provider' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Edit corp' })).toBeNull();
  });
});
