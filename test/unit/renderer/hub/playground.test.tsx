import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setTransport } from '../../../../src/renderer/src/api/client';
import { PlaygroundPanel } from '../../../../src/renderer/src/features/configuration/playground/PlaygroundPanel';
import { usePlaygroundStore } from '../../../../src/renderer/src/stores/playgroundStore';
import { usePoliciesStore } from '../../../../src/renderer/src/stores/policiesStore';
import { useProvidersStore } from '../../../../src/renderer/src/stores/providersStore';
import { fakeTransport } from '../fakeTransport';
import { provider, renderHub, selectWorkspace, signIn } from './helpers';

const answer = { text: 'Hello there, world', provider: 'openai-compatible', model: 'fake-chat-2024', endpoint: 'corp', fallbackUsed: true, cached: false, attempts: 2, tokensIn: 12, tokensOut: 5, costUsd: 0.000042, latencyMs: 321, usageId: 'u_1' };

describe('Playground', () => {
  let fake: ReturnType<typeof fakeTransport>;
  let providers: ReturnType<typeof provider>[];
  beforeEach(() => {
    signIn('member');
    selectWorkspace('Acme');
    providers = [provider({ name: 'corp' })];
    useProvidersStore.setState({ providers: [], loaded: false });
    usePoliciesStore.setState({ workspace: null, saved: null });
    usePlaygroundStore.getState().clear();
    fake = fakeTransport({
      'providers.list': () => ({ providers }),
      'policies.get': () => ({ workspace: 'Acme', yaml: 'version: 1\n', rev: 0, source: 'default', updatedAt: null, updatedBy: null, policies: [], issues: [] }),
      'gateway.streamStart': (input: { streamId: string }) => ({ streamId: input.streamId }),
      'gateway.streamCancel': () => ({ cancelled: true }),
    });
    setTransport(fake.transport);
  });
  afterEach(() => setTransport(null));

  const start = async (): Promise<string> => {
    renderHub(<PlaygroundPanel />);
    fireEvent.change(await screen.findByRole('textbox', { name: /^Prompt/ }), { target: { value: 'Say hello' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(fake.calls.some((c) => c.route === 'gateway.streamStart')).toBe(true));
    return fake.calls.find((c) => c.route === 'gateway.streamStart')!.input.streamId as string;
  };

  it('streams the answer as it arrives, in order, then shows who answered, tokens, cost and latency', async () => {
    const streamId = await start();
    expect(fake.calls.find((c) => c.route === 'gateway.streamStart')!.input).toMatchObject({ workspace: 'Acme', useCase: 'copilot.chat', prompt: 'Say hello' });
    act(() => fake.emit('gateway.stream', { streamId, seq: 0, type: 'delta', text: 'Hello' }));
    expect((await screen.findByTestId('playground-output')).textContent).toBe('Hello');
    // A later piece that arrives early waits for the one before it.
    act(() => fake.emit('gateway.stream', { streamId, seq: 2, type: 'delta', text: ', world' }));
    expect(screen.getByTestId('playground-output').textContent).toBe('Hello');
    act(() => fake.emit('gateway.stream', { streamId, seq: 1, type: 'delta', text: ' there' }));
    expect(screen.getByTestId('playground-output').textContent).toBe('Hello there, world');
    // Another stream's events are not ours.
    act(() => fake.emit('gateway.stream', { streamId: 'someone-else', seq: 3, type: 'delta', text: 'NOPE' }));
    expect(screen.getByRole('button', { name: 'Stop' })).toBeTruthy();
    act(() => fake.emit('gateway.stream', { streamId, seq: 3, type: 'done', answer }));
    expect(await screen.findByTestId('meta-endpoint')).toHaveProperty('textContent', 'corp');
    expect(screen.getByTestId('meta-model').textContent).toBe('fake-chat-2024');
    expect(screen.getByTestId('meta-tokens').textContent).toBe('12 / 5');
    expect(screen.getByTestId('meta-cost').textContent).toBe('$0.000042');
    expect(screen.getByTestId('meta-latency').textContent).toBe('321 ms');
    expect(screen.getByTestId('meta-fallback').textContent).toBe('yes');
    expect(screen.getByTestId('playground-output').textContent).toBe('Hello there, world');
    expect(screen.getByRole('button', { name: 'Send' })).toBeTruthy();
  });

  it('stops a stream with Stop, and says so', async () => {
    const streamId = await start();
    act(() => fake.emit('gateway.stream', { streamId, seq: 0, type: 'delta', text: 'Partial' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Stop' }));
    await waitFor(() => expect(fake.calls.some((c) => c.route === 'gateway.streamCancel' && c.input.streamId === streamId)).toBe(true));
    act(() => fake.emit('gateway.stream', { streamId, seq: 1, type: 'error', error: { code: 'cancelled', message: 'The answer was cancelled.' } }));
    expect(await screen.findByText('Stopped')).toBeTruthy();
    expect(screen.getByTestId('playground-output').getAttribute('data-status')).toBe('cancelled');
    expect(screen.getByTestId('playground-output').textContent).toBe('Partial');
  });

  it('shows a budget refusal with what to do about it', async () => {
    const streamId = await start();
    act(() => fake.emit('gateway.stream', { streamId, seq: 0, type: 'error', error: { code: 'budget_exceeded', message: 'The workspace daily budget of $1.00 would be exceeded.' } }));
    expect(await screen.findByText('Over budget')).toBeTruthy();
    expect(screen.getByText(/would be exceeded/)).toBeTruthy();
    expect(screen.getByText(/Raise the limit under Configuration → Budgets/)).toBeTruthy();
  });

  it('asks for a prompt before sending', async () => {
    renderHub(<PlaygroundPanel />);
    fireEvent.click(await screen.findByRole('button', { name: 'Send' }));
    expect(await screen.findByText('Write a prompt.')).toBeTruthy();
    expect(fake.calls.some((c) => c.route === 'gateway.streamStart')).toBe(false);
  });

  it('explains that a provider is needed first', async () => {
    providers = [];
    renderHub(<PlaygroundPanel />);
    expect(await screen.findByText(/No providers yet — add one to start/)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Go to Providers' }).getAttribute('href')).toBe('/configuration?tab=providers');
  });
});
