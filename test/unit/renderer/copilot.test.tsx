import { MantineProvider } from '@mantine/core';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setTransport } from '../../../src/renderer/src/api/client';
import { CopilotPage, errorState } from '../../../src/renderer/src/features/copilot/CopilotPage';
import { linkCitations } from '../../../src/renderer/src/features/copilot/MessageView';
import { useCopilotStore } from '../../../src/renderer/src/stores/copilotStore';
import { useWorkspaceStore } from '../../../src/renderer/src/stores/workspaceStore';
import { AppError } from '../../../src/shared/errors';
import { fakeTransport } from './fakeTransport';

const agent = (key: string, name: string, available = true) => ({ key, name, description: `${name} agent for tests`, role: available ? 'member' : 'admin', useCase: `copilot.${key}`, maxToolIterations: 4, allowedActions: [], available });
const conv = { id: 'c1', agent: 'sales', title: 'Follow-ups', pinned: false, model: 'm', tokensIn: 1, tokensOut: 1, costUsd: 0, summary: null, context: null, createdAt: '2026-06-15T00:00:00Z', updatedAt: '2026-06-15T00:00:00Z' };
const msg = (over: Record<string, unknown>) => ({ id: 'm', seq: 1, role: 'assistant', content: '', toolCalls: [], citations: [], droppedCitations: 0, proposals: [], status: 'done', model: 'm', tokensIn: 1, tokensOut: 1, costUsd: 0, createdAt: '2026-06-15T00:00:00Z', ...over });
const proposal = { id: 'apr_1', action: 'create_task', summary: 'Create task “Call Ann”', arguments: { title: 'Call Ann' }, diff: { summary: 'x', changes: [{ entity: 'tasks', id: null, fields: [{ name: 'title', before: null, after: 'Call Ann' }] }] }, status: 'pending', afterUntrusted: false };

describe('copilot pieces', () => {
  it('turns [table:id] citations into record links and leaves other brackets alone', () => {
    expect(linkCitations('See [tickets:42, deals:7] and [note] and [x](http://a)')).toBe('See [tickets:42](#ref:tickets:42) [deals:7](#ref:deals:7) and [note] and [x](http://a)');
  });

  it('names the empty and error states', () => {
    expect(errorState(new AppError('unavailable', 'The model endpoint tiny cannot call tools', { reason: 'no_tools' }).toJSON()).title).toBe('This model cannot call tools');
    expect(errorState(new AppError('unavailable', 'No model provider is configured. Add one…').toJSON()).title).toBe('No model provider yet');
    expect(errorState(new AppError('budget_exceeded', 'Daily budget reached').toJSON()).title).toBe('Budget reached');
    expect(errorState(new AppError('provider_error', 'Too many requests', { status: 429 }).toJSON()).title).toBe('Rate limited');
  });
});

describe('the Copilot page', () => {
  let fake: ReturnType<typeof fakeTransport>;
  let sent: { turnId: string; message: string }[];
  let stored: ReturnType<typeof msg>[];

  beforeEach(async () => {
    // jsdom has no FontFaceSet; Mantine's autosize textarea listens on it.
    if (!('fonts' in document)) Object.defineProperty(document, 'fonts', { configurable: true, value: { addEventListener: () => undefined, removeEventListener: () => undefined } });
    sent = [];
    stored = [];
    fake = fakeTransport({
      'workspace.list': () => ({ workspaces: [{ id: 'ws_1', name: 'Acme', kind: 'sqlite', createdAt: '2026-01-01T00:00:00Z', schemaVersion: 1, sizeBytes: 1, demo: null, status: 'ready' }] }),
      'copilot.agents': () => ({ agents: [agent('sales', 'Sales'), agent('builder', 'Builder', false)] }),
      'conversations.list': () => ({ conversations: stored.length ? [conv] : [] }),
      'memory.list': () => ({ items: [{ id: 'mem1', type: 'chat_fact', retention: 'permanent', content: 'Ann prefers calls', source: null, redactions: 0, createdAt: '2026-06-15T00:00:00Z', expiresAt: null }] }),
      'memory.forget': () => ({ ok: true }),
      'copilot.send': (input: { turnId: string; message: string }) => {
        sent.push(input);
        // The turn streams, then is stored.
        fake.emit('copilot.stream', { turnId: input.turnId, conversationId: 'c1', seq: 0, type: 'delta', text: 'Proposing a task [tickets:4].' });
        stored = [msg({ id: 'u', seq: 1, role: 'user', content: input.message }), msg({ id: 'a', seq: 2, content: 'Proposing a task [tickets:4].', citations: [{ entity: 'tickets', id: 4 }], proposals: [proposal] })];
        return { conversationId: 'c1', turnId: input.turnId, message: stored[1], iterations: 2, endpoint: 'e', summarized: false };
      },
      'conversations.get': () => ({ conversation: conv, messages: stored }),
      'actions.approve': () => ({ status: 'executed', approval: { ...proposal, status: 'executed' }, result: {}, touched: [], auditId: 'aud' }),
    });
    setTransport(fake.transport);
    useCopilotStore.setState({ workspace: null, conversationId: null, messages: [], live: null, status: 'idle', error: null, decisions: {}, context: null, query: '' });
    await useWorkspaceStore.getState().load();
  });
  afterEach(() => setTransport(null));

  const renderPage = () => {
    const router = createMemoryRouter([{ path: '/copilot', element: <CopilotPage /> }], { initialEntries: ['/copilot'] });
    return render(
      <MantineProvider>
        <RouterProvider router={router} />
      </MantineProvider>,
    );
  };

  it('owns Ctrl/Cmd+K, sends on Enter (not Shift+Enter), shows citations, references and an approval that approves', async () => {
    renderPage();
    const page = await screen.findByTestId('copilot-page');
    expect(page.getAttribute('data-owns-shortcuts')).toBe('mod+k');
    await screen.findByText('Ann prefers calls');
    const box = screen.getByTestId('composer');
    fireEvent.change(box, { target: { value: 'Make a task to call Ann' } });
    fireEvent.keyDown(box, { key: 'Enter', shiftKey: true });
    expect(sent).toHaveLength(0);
    fireEvent.keyDown(box, { key: 'Enter' });
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]!.message).toBe('Make a task to call Ann');
    const card = await screen.findByTestId('approval-card');
    expect(card.getAttribute('data-status')).toBe('pending');
    expect(screen.getByTestId('approval-diff').textContent).toContain('Call Ann');
    expect(screen.getAllByTestId('citation')[0]!.getAttribute('data-ref')).toBe('tickets:4');
    expect(screen.getAllByTestId('reference')).toHaveLength(1);
    fireEvent.click(screen.getByRole('button', { name: 'Approve' }));
    await waitFor(() => expect(screen.getByTestId('approval-card').getAttribute('data-status')).toBe('executed'));
    expect(fake.calls.find((c) => c.route === 'actions.approve')!.input).toEqual({ workspace: 'Acme', id: 'apr_1' });
    // Ctrl+K: a new, empty conversation.
    act(() => {
      fireEvent.keyDown(screen.getByTestId('composer'), { key: 'k', ctrlKey: true });
    });
    await waitFor(() => expect(screen.queryByTestId('approval-card')).toBeNull());
    expect(useCopilotStore.getState().conversationId).toBeNull();
  });
});
