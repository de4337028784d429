import { create } from 'zustand';
import type { AgentInfo, AgentKey, ConversationInfo, CopilotMessage, CopilotStreamPayload, MemoryItem, ProposalView, RecordRef, ToolCallView } from '@shared/contract';
import { AppError, type SerializedAppError } from '@shared/errors';
import { call, on } from '../api/client';

export type TurnStatus = 'idle' | 'running' | 'error';

/** The answer being streamed: text so far, tool cards and proposals as they arrive. */
export interface LiveTurn {
  turnId: string;
  userText: string;
  text: string;
  tools: ToolCallView[];
  proposals: ProposalView[];
}

interface CopilotState {
  workspace: string | null;
  agents: AgentInfo[];
  agent: AgentKey;
  conversations: ConversationInfo[];
  query: string;
  conversationId: string | null;
  conversation: ConversationInfo | null;
  messages: CopilotMessage[];
  live: LiveTurn | null;
  status: TurnStatus;
  error: SerializedAppError | null;
  memory: MemoryItem[];
  /** Proposal id → its decision, once approved or rejected here. */
  decisions: Record<string, string>;
  /** Proposal id → the diff the action layer recomputed at approval time. */
  revised: Record<string, unknown>;
  context: RecordRef | null;
  init(workspace: string): Promise<void>;
  setAgent(agent: AgentKey): void;
  setContext(ref: RecordRef | null): void;
  refreshList(): Promise<void>;
  search(query: string): Promise<void>;
  open(id: string): Promise<void>;
  newConversation(): void;
  send(message: string, options?: { regenerate?: boolean }): Promise<void>;
  stop(): Promise<void>;
  rename(id: string, title: string): Promise<void>;
  pin(id: string, pinned: boolean): Promise<void>;
  remove(id: string): Promise<void>;
  exportMarkdown(id: string): Promise<{ markdown: string; fileName: string }>;
  loadMemory(): Promise<void>;
  forget(id: string): Promise<void>;
  decide(proposal: ProposalView, decision: 'approve' | 'reject', args?: Record<string, unknown>): Promise<void>;
}

const newTurnId = (): string => {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return `cp_${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
};

let unsubscribe: (() => void) | null = null;

export const useCopilotStore = create<CopilotState>((set, get) => ({
  workspace: null,
  agents: [],
  agent: 'sales',
  conversations: [],
  query: '',
  conversationId: null,
  conversation: null,
  messages: [],
  live: null,
  status: 'idle',
  error: null,
  memory: [],
  decisions: {},
  revised: {},
  context: null,

  async init(workspace) {
    if (get().workspace !== workspace) set({ workspace, conversationId: null, conversation: null, messages: [], live: null, error: null, status: 'idle' });
    const { agents } = await call('copilot.agents', {});
    set({ agents });
    await Promise.all([get().refreshList(), get().loadMemory()]);
  },
  setAgent(agent) {
    if (agent !== get().agent) set({ agent, conversationId: null, conversation: null, messages: [], live: null, error: null });
  },
  setContext(context) {
    set({ context });
  },
  async refreshList() {
    const ws = get().workspace;
    if (!ws) return;
    const q = get().query.trim();
    const { conversations } = q ? await call('conversations.search', { workspace: ws, query: q }) : await call('conversations.list', { workspace: ws });
    set({ conversations });
  },
  async search(query) {
    set({ query });
    await get().refreshList();
  },
  async open(id) {
    const ws = get().workspace;
    if (!ws) return;
    const r = await call('conversations.get', { workspace: ws, conversationId: id });
    set({ conversationId: id, conversation: r.conversation, messages: r.messages, agent: r.conversation.agent, live: null, error: null, context: r.conversation.context });
  },
  newConversation() {
    if (get().status === 'running') return;
    set({ conversationId: null, conversation: null, messages: [], live: null, error: null });
  },
  async send(message, options = {}) {
    const { workspace, agent, conversationId, context } = get();
    if (!workspace || get().status === 'running' || !message.trim()) return;
    unsubscribe?.();
    const turnId = newTurnId();
    set({ status: 'running', error: null, live: { turnId, userText: message, text: '', tools: [], proposals: [] } });
    if (options.regenerate) set((s) => ({ messages: dropLastTurn(s.messages) }));
    // Events carry a sequence number; a late one waits until the gap before it is filled.
    const pending = new Map<number, CopilotStreamPayload>();
    let next = 0;
    const apply = (ev: CopilotStreamPayload): void => {
      set((s) => {
        if (!s.live || s.live.turnId !== turnId) return {};
        if (ev.type === 'delta') return { live: { ...s.live, text: s.live.text + (ev.text ?? '') } };
        if (ev.type === 'tool' && ev.tool) {
          const tools = s.live.tools.some((t) => t.id === ev.tool!.id) ? s.live.tools.map((t) => (t.id === ev.tool!.id ? ev.tool! : t)) : [...s.live.tools, ev.tool];
          // A new model round starts its text afresh (what came before the tool call stays on the card).
          return { live: { ...s.live, tools, text: ev.tool.status === 'running' ? '' : s.live.text } };
        }
        if (ev.type === 'proposal' && ev.proposal) return { live: { ...s.live, proposals: [...s.live.proposals, ev.proposal] } };
        return {};
      });
    };
    unsubscribe = on('copilot.stream', (ev) => {
      if (ev.turnId !== turnId) return;
      pending.set(ev.seq, ev);
      while (pending.has(next)) {
        const e = pending.get(next)!;
        pending.delete(next);
        next++;
        apply(e);
      }
    });
    try {
      const r = await call('copilot.send', { workspace, agent, message, conversationId: conversationId ?? undefined, turnId, context: context ?? undefined, regenerate: options.regenerate ?? false });
      const full = await call('conversations.get', { workspace, conversationId: r.conversationId });
      set({ conversationId: r.conversationId, conversation: full.conversation, messages: full.messages, live: null, status: 'idle' });
    } catch (error) {
      const e = error instanceof AppError ? error.toJSON() : { code: 'internal' as const, message: String(error) };
      // A stopped or failed turn is still stored when the conversation exists: show what was kept.
      const id = get().conversationId;
      if (id) await get().open(id).catch(() => undefined);
      set({ status: e.code === 'cancelled' ? 'idle' : 'error', error: e.code === 'cancelled' ? null : e, live: null });
    } finally {
      unsubscribe?.();
      unsubscribe = null;
      void get().refreshList();
      void get().loadMemory();
    }
  },
  async stop() {
    const live = get().live;
    if (live) await call('copilot.stop', { turnId: live.turnId });
  },
  async rename(id, title) {
    const ws = get().workspace;
    if (!ws) return;
    await call('conversations.rename', { workspace: ws, conversationId: id, title });
    await get().refreshList();
  },
  async pin(id, pinned) {
    const ws = get().workspace;
    if (!ws) return;
    await call('conversations.pin', { workspace: ws, conversationId: id, pinned });
    await get().refreshList();
  },
  async remove(id) {
    const ws = get().workspace;
    if (!ws) return;
    await call('conversations.delete', { workspace: ws, conversationId: id });
    if (get().conversationId === id) get().newConversation();
    await get().refreshList();
  },
  async exportMarkdown(id) {
    const ws = get().workspace;
    if (!ws) throw new AppError('validation', 'Open a workspace first.');
    return call('conversations.export', { workspace: ws, conversationId: id });
  },
  async loadMemory() {
    const ws = get().workspace;
    if (!ws) return;
    set({ memory: (await call('memory.list', { workspace: ws })).items });
  },
  async forget(id) {
    const ws = get().workspace;
    if (!ws) return;
    await call('memory.forget', { workspace: ws, memoryId: id });
    await get().loadMemory();
  },
  async decide(proposal, decision, args) {
    const ws = get().workspace;
    if (!ws) return;
    // Through the action layer: the role is checked again and the diff recomputed; a changed record shows the new diff.
    const approval =
      decision === 'approve'
        ? (await call('actions.approve', { workspace: ws, id: proposal.id, ...(args ? { args } : {}) })).approval
        : (await call('actions.reject', { workspace: ws, id: proposal.id })).approval;
    // 'changed': the records moved since the proposal; the card shows the recomputed diff for a second look.
    set((s) => ({ decisions: { ...s.decisions, [proposal.id]: approval.status }, revised: { ...s.revised, [proposal.id]: approval.preview } }));
  },
}));

/** Messages without the last user message and what followed it (regenerate). */
export function dropLastTurn(messages: readonly CopilotMessage[]): CopilotMessage[] {
  const i = messages.map((m) => m.role).lastIndexOf('user');
  return i < 0 ? [...messages] : messages.slice(0, i);
}
