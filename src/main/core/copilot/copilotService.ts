import { randomBytes, randomUUID } from 'node:crypto';
import type { Profile, RouteArgs } from '@shared/contract';
import type { AgentInfo, ConversationInfo, CopilotMessage, CopilotStreamPayload, MemoryItem, ProposalView, RecordRef, ToolCallView, TurnResult } from '@shared/contract/copilot';
import { AppError } from '@shared/errors';
import type { RecordService } from '../data/recordService';
import type { EventBus } from '../eventBus';
import type { Gateway } from '../gateway/types';
import type { Logger } from '../logger';
import { runModelStep, textOutput } from '../model/modelStep';
import { neutralize, UNTRUSTED_NOTE, untrustedBlock } from '../prompt/untrusted';
import type { ConversationRecord, MessageRecord, NewMessage } from '../repositories';
import type { WorkspaceContext } from '../workspaces/workspaceContext';
import { AGENTS, agentSpec, DEFAULT_COPILOT_USE_CASE, type AgentSpec } from './agents';
import { parseRefKey, refKey } from './citations';
import { conversationMarkdown } from './markdown';
import { newMemory, recall, sweepAndList, toMemoryItem } from './memory';
import type { CopilotTools } from './tools';
import { promptContent, runTurn, type TurnOutcome } from './turn';

/** Tokens a conversation's history may take in the prompt before older turns are summarised (ADR 0063). */
export const CONTEXT_BUDGET_TOKENS = 6_000;
/** Tokens of memory recalled into a prompt. */
export const MEMORY_BUDGET_TOKENS = 600;
/** Newest memories considered for recall in one turn. */
const RECALL_CANDIDATES = 200;
const SWEEP_EVERY_MS = 60_000;
/** Messages always sent whole after a summary (the recent turns). */
const KEEP_RECENT = 6;

export interface CopilotServiceOptions {
  gateway: () => Gateway;
  /** Whether the workspace's policy has an entry of exactly this use case (GatewayService.hasPolicyEntry). */
  hasPolicyEntry: (workspace: string, useCase: string) => boolean;
  tools: () => CopilotTools;
  records: RecordService;
  events: EventBus;
  logger: Logger;
  now: () => Date;
  tokens: (text: string) => number;
}

export interface SendResult extends TurnResult {
  /** Overhead figures for the bench: total time, and what the model and tools took of it. */
  timings: { totalMs: number; modelMs: number; toolMs: number };
}

const title = (text: string): string => {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 60 ? `${one.slice(0, 57)}…` : one;
};

export const toConversationInfo = (c: ConversationRecord): ConversationInfo => ({
  id: c.id,
  agent: c.agent as ConversationInfo['agent'],
  title: c.title,
  pinned: c.pinned,
  model: c.model,
  tokensIn: c.tokensIn,
  tokensOut: c.tokensOut,
  costUsd: c.costUsd,
  summary: c.summary,
  context: c.contextRef ? parseRefKey(c.contextRef) : null,
  createdAt: c.createdAt,
  updatedAt: c.updatedAt,
});

export const toCopilotMessage = (m: MessageRecord): CopilotMessage => ({
  id: m.id,
  seq: m.seq,
  role: m.role,
  content: m.content,
  toolCalls: (m.toolCalls ?? []) as ToolCallView[],
  citations: m.citations,
  droppedCitations: m.droppedCitations,
  proposals: m.proposals as ProposalView[],
  status: m.status,
  model: m.model,
  tokensIn: m.tokensIn,
  tokensOut: m.tokensOut,
  costUsd: m.costUsd,
  createdAt: m.createdAt,
});

/**
 * The copilot: agents, turns (streamed as copilot.stream events), conversations and memory. Storage goes through
 * the workspace's copilot and memory repositories; records change only through the action layer (tools port).
 */
export class CopilotService {
  private readonly active = new Map<string, AbortController>();
  private readonly swept = new Map<string, number>();

  constructor(private readonly o: CopilotServiceOptions) {}

  agents(role: Profile['role']): AgentInfo[] {
    return AGENTS.map((a) => ({
      key: a.key,
      name: a.name,
      description: a.description,
      role: a.role,
      useCase: a.useCase,
      maxToolIterations: a.maxToolIterations,
      allowedActions: [...a.allowedActions],
      available: a.role === 'member' || role === 'admin',
    }));
  }

  /** copilot.<agent> when the policy has an entry for it, else copilot.chat. */
  useCaseFor(workspace: string, agent: AgentSpec): string {
    try {
      return this.o.hasPolicyEntry(workspace, agent.useCase) ? agent.useCase : DEFAULT_COPILOT_USE_CASE;
    } catch {
      return DEFAULT_COPILOT_USE_CASE;
    }
  }

  stop(turnId: string): boolean {
    const c = this.active.get(turnId);
    if (!c) return false;
    c.abort();
    return true;
  }

  private async conversation(ws: WorkspaceContext, profileId: string, id: string): Promise<ConversationRecord> {
    const c = await ws.repos.copilot.get(profileId, id);
    if (!c) throw new AppError('not_found', `There is no conversation ${id} for this profile in workspace "${ws.name}".`, { conversationId: id });
    return c;
  }

  async send(ws: WorkspaceContext, profile: Profile, args: RouteArgs<'copilot.send'>, signal?: AbortSignal): Promise<SendResult> {
    const t0 = performance.now();
    const agent = agentSpec(args.agent);
    if (agent.role === 'admin' && profile.role !== 'admin') {
      throw new AppError('forbidden', `The ${agent.name} agent is for admins; ${profile.name} is a member. Ask an admin, or pick another agent.`, { agent: agent.key });
    }
    const turnId = args.turnId ?? randomBytes(12).toString('base64url');
    if (this.active.has(turnId)) throw new AppError('conflict', `A turn with id ${turnId} is already running.`);
    const now = this.o.now();
    const repos = ws.repos;
    let conv = args.conversationId ? await this.conversation(ws, profile.id, args.conversationId) : null;
    if (conv && conv.agent !== agent.key) throw new AppError('validation', `Conversation ${conv.id} belongs to the ${agentSpec(conv.agent as AgentSpec['key']).name} agent; start a new conversation to talk to ${agent.name}.`);
    conv ??= await repos.copilot.create({ id: randomUUID(), profileId: profile.id, agent: agent.key, title: title(args.message), contextRef: args.context ? refKey(args.context) : null, createdAt: now.toISOString() });
    const conversationId = conv.id;

    let seq = 0;
    const emit = (ev: Omit<CopilotStreamPayload, 'turnId' | 'conversationId' | 'seq'>): void => this.o.events.emit('copilot.stream', { ...ev, turnId, conversationId, seq: seq++ });
    const ctrl = new AbortController();
    const onAbort = (): void => ctrl.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    this.active.set(turnId, ctrl);
    try {
      let all = await repos.copilot.messages(conversationId);
      if (args.regenerate) {
        const lastUser = [...all].reverse().find((m) => m.role === 'user');
        if (lastUser) {
          await repos.copilot.truncate(conversationId, lastUser.seq);
          all = all.filter((m) => m.seq < lastUser.seq);
        }
      }
      const useCase = this.useCaseFor(ws.name, agent);
      const summarized = await this.summarizeIfLong(ws, profile, conv, all, useCase, ctrl.signal);
      if (summarized) {
        conv = summarized;
        emit({ type: 'summary', text: conv.summary ?? '' });
      }
      const history = all.filter((m) => m.seq > conv!.summaryThrough);
      const memories = await this.liveMemories(ws, profile.id, now);
      const recalled = recall(args.message, memories, now, MEMORY_BUDGET_TOKENS, this.o.tokens);
      const context = args.context ? await this.contextFor(ws, args.context) : conv.contextRef ? await this.contextFor(ws, parseRefKey(conv.contextRef)) : null;
      const userMsg = { ...blank(conversationId, 'user', now), content: args.message };

      const outcome = await runTurn(
        { gateway: this.o.gateway(), tools: this.o.tools(), now: this.o.now },
        { workspace: ws, profile, agent, useCase, conversation: conv, history, userText: args.message, memories: recalled, context, signal: ctrl.signal, emit },
      );
      const stored = await this.persist(ws, profile, conv, userMsg, outcome, args.message);
      this.o.events.emit('copilot.changed', { workspace: ws.name, what: 'conversations' });
      if (outcome.error) throw outcome.error;
      const result: TurnResult = { conversationId, turnId, message: toCopilotMessage(stored), iterations: outcome.iterations, endpoint: outcome.endpoint, summarized: summarized !== null };
      emit({ type: 'done', result });
      return { ...result, timings: { totalMs: performance.now() - t0, modelMs: outcome.modelMs, toolMs: outcome.toolMs } };
    } catch (error) {
      const e = AppError.wrap(error);
      emit({ type: 'error', error: { code: e.code, message: e.message } });
      throw e;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.active.delete(turnId);
    }
  }

  /** The user's message and the turn's messages, the conversation's totals and read records, and a memory of the exchange, in one transaction. */
  private async persist(ws: WorkspaceContext, profile: Profile, conv: ConversationRecord, userMsg: NewMessage, outcome: TurnOutcome, userText: string): Promise<MessageRecord> {
    const at = this.o.now();
    return ws.transaction(async (tx) => {
      const saved = await tx.repos.copilot.append(conv.id, [userMsg, ...outcome.messages, outcome.final]);
      await tx.repos.copilot.update(profile.id, conv.id, { readRefs: outcome.readRefs, model: outcome.model ?? conv.model, endpoint: outcome.endpoint ?? conv.endpoint });
      await tx.repos.copilot.addUsage(conv.id, outcome.usage, at.toISOString());
      if (outcome.final.status === 'done' && outcome.final.content) {
        await tx.repos.memory.insert(newMemory({ profileId: profile.id, type: 'interaction', retention: '30d', content: `Asked the ${conv.agent} agent: ${userText.slice(0, 300)}`, source: `conversation:${conv.id}` }, at));
      }
      return saved[saved.length - 1]!;
    });
  }

  /** The record the page was opened from, as short text for the prompt (null when it cannot be read). */
  private async contextFor(ws: WorkspaceContext, ref: RecordRef | null): Promise<{ ref: RecordRef; text: string } | null> {
    if (!ref) return null;
    try {
      const d = await this.o.records.record(ws.repos.records, ref.entity, ref.id, 5);
      const fields = Object.entries(d.record)
        .filter(([, v]) => v !== null && v !== '')
        .map(([k, v]) => `${k}: ${String(v).slice(0, 400)}`)
        .join('\n');
      return { ref, text: `${d.title}${d.subtitle ? ` — ${d.subtitle}` : ''}\n${fields}`.slice(0, 4000) };
    } catch (error) {
      this.o.logger.warn('copilot context record could not be read', { ref, error: error instanceof Error ? error.message : String(error) });
      return null;
    }
  }

  /**
   * When the history no longer fits the context budget, everything but the recent turns is summarised (one model
   * step) and the summary stored on the conversation; later prompts carry the summary instead of those messages.
   */
  private async summarizeIfLong(ws: WorkspaceContext, profile: Profile, conv: ConversationRecord, all: readonly MessageRecord[], useCase: string, signal: AbortSignal): Promise<ConversationRecord | null> {
    const live = all.filter((m) => m.seq > conv.summaryThrough);
    const size = live.reduce((n, m) => n + this.o.tokens(promptContent(m)) + 4, conv.summary ? this.o.tokens(conv.summary) : 0);
    if (size <= CONTEXT_BUDGET_TOKENS || live.length <= KEEP_RECENT) return null;
    // Cut before a user message, so a tool call and its result are never split.
    let cut = live.length - KEEP_RECENT;
    while (cut > 0 && live[cut]!.role !== 'user') cut--;
    if (cut <= 0) return null;
    const older = live.slice(0, cut);
    const transcript = older
      .filter((m) => m.role !== 'tool')
      .map((m) => `${m.role}: ${m.content}`)
      .join('\n')
      .slice(-40_000);
    const step = await runModelStep(this.o.gateway(), {
      meta: { workspace: ws.name, useCase, profileId: profile.id, subject: `copilot:${conv.id}:summary` },
      messages: [
        { role: 'system', content: `Summarise the conversation below for the assistant's own later use: the person's goals, facts established, records cited as [table:id], and open questions. At most 200 words.\n\n${UNTRUSTED_NOTE}` },
        { role: 'user', content: `${conv.summary ? `Earlier summary:\n${untrustedBlock('context', neutralize(conv.summary).text)}\n\n` : ''}${untrustedBlock('transcript', neutralize(transcript).text)}` },
      ],
      output: textOutput(),
      retries: 0,
      signal,
    });
    const through = older[older.length - 1]!.seq;
    await ws.repos.copilot.update(profile.id, conv.id, { summary: step.value.trim(), summaryThrough: through });
    await ws.repos.copilot.addUsage(conv.id, { tokensIn: step.tally.tokensIn, tokensOut: step.tally.tokensOut, costUsd: step.tally.costUsd }, this.o.now().toISOString());
    return (await ws.repos.copilot.get(profile.id, conv.id)) ?? null;
  }

  /** Memories for recall; expired ones are swept at most once a minute per workspace (a turn should not always write). */
  private async liveMemories(ws: WorkspaceContext, profileId: string, now: Date) {
    const last = this.swept.get(ws.id) ?? 0;
    if (now.getTime() - last >= SWEEP_EVERY_MS || now.getTime() < last) {
      await ws.repos.memory.sweep(now.toISOString());
      this.swept.set(ws.id, now.getTime());
    }
    return ws.repos.memory.list(profileId, { now: now.toISOString(), limit: RECALL_CANDIDATES });
  }

  // Conversations

  async list(ws: WorkspaceContext, profileId: string, limit: number): Promise<ConversationInfo[]> {
    return (await ws.repos.copilot.list(profileId, limit)).map(toConversationInfo);
  }

  async search(ws: WorkspaceContext, profileId: string, query: string, limit: number): Promise<ConversationInfo[]> {
    return (await ws.repos.copilot.search(profileId, query, limit)).map(toConversationInfo);
  }

  async get(ws: WorkspaceContext, profileId: string, id: string): Promise<{ conversation: ConversationInfo; messages: CopilotMessage[] }> {
    const c = await this.conversation(ws, profileId, id);
    return { conversation: toConversationInfo(c), messages: (await ws.repos.copilot.messages(id)).map(toCopilotMessage) };
  }

  async rename(ws: WorkspaceContext, profileId: string, id: string, newTitle: string): Promise<ConversationInfo> {
    await this.conversation(ws, profileId, id);
    await ws.repos.copilot.update(profileId, id, { title: newTitle });
    this.o.events.emit('copilot.changed', { workspace: ws.name, what: 'conversations' });
    return toConversationInfo(await this.conversation(ws, profileId, id));
  }

  async pin(ws: WorkspaceContext, profileId: string, id: string, pinned: boolean): Promise<ConversationInfo> {
    await this.conversation(ws, profileId, id);
    await ws.repos.copilot.update(profileId, id, { pinned });
    this.o.events.emit('copilot.changed', { workspace: ws.name, what: 'conversations' });
    return toConversationInfo(await this.conversation(ws, profileId, id));
  }

  async delete(ws: WorkspaceContext, profileId: string, id: string): Promise<void> {
    await this.conversation(ws, profileId, id);
    await ws.transaction((tx) => tx.repos.copilot.delete(profileId, id));
    this.o.events.emit('copilot.changed', { workspace: ws.name, what: 'conversations' });
  }

  async export(ws: WorkspaceContext, profileId: string, id: string): Promise<{ markdown: string; fileName: string }> {
    const { conversation, messages } = await this.get(ws, profileId, id);
    const slug = conversation.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'conversation';
    return { markdown: conversationMarkdown(conversation, messages, agentSpec(conversation.agent).name), fileName: `${slug}.md` };
  }

  // Memory

  async memories(ws: WorkspaceContext, profileId: string, opts: { type?: MemoryItem['type'] | undefined; limit: number }): Promise<MemoryItem[]> {
    return (await sweepAndList(ws.repos.memory, profileId, this.o.now(), opts)).map(toMemoryItem);
  }

  async remember(ws: WorkspaceContext, profileId: string, input: { type: MemoryItem['type']; retention: MemoryItem['retention']; content: string; source?: string | undefined }): Promise<MemoryItem> {
    const item = newMemory({ profileId, ...input }, this.o.now());
    await ws.repos.memory.insert(item);
    this.o.events.emit('copilot.changed', { workspace: ws.name, what: 'memory' });
    return toMemoryItem(item);
  }

  async forget(ws: WorkspaceContext, profileId: string, id: string): Promise<void> {
    if (!(await ws.repos.memory.delete(profileId, id))) throw new AppError('not_found', `There is no memory ${id} for this profile.`, { memoryId: id });
    this.o.events.emit('copilot.changed', { workspace: ws.name, what: 'memory' });
  }

  dispose(): void {
    for (const c of this.active.values()) c.abort();
  }
}

function blank(conversationId: string, role: 'user', now: Date) {
  return {
    id: randomUUID(),
    conversationId,
    role,
    content: '',
    toolCalls: null,
    toolCallId: null,
    toolName: null,
    toolStatus: null,
    citations: [],
    droppedCitations: 0,
    proposals: [],
    status: 'done' as const,
    model: null,
    endpoint: null,
    tokensIn: 0,
    tokensOut: 0,
    costUsd: 0,
    createdAt: now.toISOString(),
  };
}
