import { z } from 'zod';
import { defineRoute } from './define';
import { id, ok, workspaceName } from './common';
import { serializedError } from './jobs';

/** The copilot's agents (src/main/core/copilot/agents.ts holds their specs). */
export const AGENT_KEYS = ['sales', 'operations', 'success', 'builder', 'analyst'] as const;
export const agentKey = z.enum(AGENT_KEYS);
export type AgentKey = z.infer<typeof agentKey>;

/**
 * A record the copilot read or cites: the table (entity) and its id. In answers a citation is written
 * `[tickets:42]`: a table name, a colon, the numeric id, in square brackets (ADR 0063).
 */
export const recordRef = z.object({ entity: z.string().regex(/^[a-z][a-z0-9_]*$/).max(64), id: z.number().int().min(0) });
export type RecordRef = z.infer<typeof recordRef>;

export const agentInfo = z.object({
  key: agentKey,
  name: z.string(),
  description: z.string(),
  role: z.enum(['member', 'admin']),
  useCase: z.string(),
  maxToolIterations: z.number().int(),
  allowedActions: z.array(z.string()),
  /** False when the caller's role may not use the agent (Builder for members). */
  available: z.boolean(),
});
export type AgentInfo = z.infer<typeof agentInfo>;

export const toolCallView = z.object({
  id: z.string(),
  name: z.string(),
  arguments: z.string(),
  status: z.enum(['running', 'done', 'failed', 'proposed']),
  /** The result as the model saw it (shortened), or the error. */
  result: z.string().nullable(),
});
export type ToolCallView = z.infer<typeof toolCallView>;

/** A write the agent proposed: pending until someone approves or rejects it through actions.approve / actions.reject. */
export const proposalView = z.object({
  id: z.string(),
  action: z.string(),
  summary: z.string(),
  arguments: z.record(z.string(), z.unknown()),
  /** What would change, as the action layer's preview describes it. */
  diff: z.unknown(),
  status: z.string(),
  /** The agent had read record text (untrusted content) before proposing this. */
  afterUntrusted: z.boolean(),
});
export type ProposalView = z.infer<typeof proposalView>;

export const copilotMessage = z.object({
  id: z.string(),
  seq: z.number().int(),
  role: z.enum(['user', 'assistant', 'tool']),
  content: z.string(),
  toolCalls: z.array(toolCallView),
  citations: z.array(recordRef),
  droppedCitations: z.number().int(),
  proposals: z.array(proposalView),
  status: z.enum(['done', 'stopped', 'failed']),
  model: z.string().nullable(),
  tokensIn: z.number().int(),
  tokensOut: z.number().int(),
  costUsd: z.number(),
  createdAt: z.string(),
});
export type CopilotMessage = z.infer<typeof copilotMessage>;

export const conversationInfo = z.object({
  id: z.string(),
  agent: agentKey,
  title: z.string(),
  pinned: z.boolean(),
  model: z.string().nullable(),
  tokensIn: z.number().int(),
  tokensOut: z.number().int(),
  costUsd: z.number(),
  /** The stored summary of earlier turns, when the conversation grew past the context budget. */
  summary: z.string().nullable(),
  context: recordRef.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ConversationInfo = z.infer<typeof conversationInfo>;

export const MEMORY_TYPES = ['interaction', 'email_thread', 'meeting_summary', 'campaign_result', 'chat_fact'] as const;
export const memoryType = z.enum(MEMORY_TYPES);
export const RETENTION_CLASSES = ['1h', '30d', '1y', 'permanent'] as const;
export const retentionClass = z.enum(RETENTION_CLASSES);
export type MemoryType = z.infer<typeof memoryType>;
export type RetentionClass = z.infer<typeof retentionClass>;

export const memoryItem = z.object({
  id: z.string(),
  type: memoryType,
  retention: retentionClass,
  content: z.string(),
  source: z.string().nullable(),
  redactions: z.number().int(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
});
export type MemoryItem = z.infer<typeof memoryItem>;

export const turnResult = z.object({
  conversationId: z.string(),
  turnId: z.string(),
  message: copilotMessage,
  iterations: z.number().int(),
  endpoint: z.string().nullable(),
  summarized: z.boolean(),
});
export type TurnResult = z.infer<typeof turnResult>;

/** copilot.stream events: one turn's progress (text deltas, tool calls, proposals), then 'done' or 'error'. */
export const copilotStreamEvent = z.object({
  turnId: z.string(),
  conversationId: z.string(),
  seq: z.number().int(),
  type: z.enum(['delta', 'tool', 'proposal', 'summary', 'done', 'error']),
  text: z.string().optional(),
  tool: toolCallView.optional(),
  proposal: proposalView.optional(),
  result: turnResult.optional(),
  error: serializedError.optional(),
});
export type CopilotStreamPayload = z.infer<typeof copilotStreamEvent>;

const conversationRef = z.object({ workspace: workspaceName, conversationId: id });
const message = z.string().trim().min(1, 'Type a message.').max(20_000, 'Keep a message under 20,000 characters.');

export const searchAnswer = z.object({
  text: z.string(),
  sources: z.array(recordRef.extend({ title: z.string(), snippet: z.string() })),
  droppedCitations: z.number().int(),
  model: z.string(),
  endpoint: z.string(),
  costUsd: z.number(),
});
export type SearchAnswer = z.infer<typeof searchAnswer>;

export const copilotRoutes = {
  'copilot.agents': defineRoute({
    summary: 'The copilot agents (Sales, Operations, Success, Builder, Analyst) and whether the caller may use each',
    role: 'member',
    input: z.object({}).default({}),
    output: z.object({ agents: z.array(agentInfo) }),
  }),
  'copilot.send': defineRoute({
    summary: 'Send a message to an agent; the answer streams as copilot.stream events and the finished turn is returned',
    role: 'member',
    input: z.object({
      workspace: workspaceName,
      agent: agentKey,
      message,
      /** Continue this conversation; a new one starts without it. */
      conversationId: id.optional(),
      /** The caller may choose the turn id, so it can subscribe before starting (and stop it). */
      turnId: z.string().min(8).max(64).optional(),
      /** The record the page was opened from ("Ask copilot" in the record drawer). */
      context: recordRef.optional(),
      /** Replace the last answer: the last user message is asked again (the message field repeats it). */
      regenerate: z.boolean().default(false),
    }),
    output: turnResult,
  }),
  'copilot.stop': defineRoute({
    summary: 'Stop a running copilot turn (what arrived so far is kept)',
    role: 'member',
    input: z.object({ turnId: z.string().min(1).max(64) }),
    output: z.object({ stopped: z.boolean() }),
  }),
  'conversations.list': defineRoute({
    summary: "The caller's copilot conversations, pinned first, newest first",
    role: 'member',
    input: z.object({ workspace: workspaceName, limit: z.number().int().min(1).max(500).default(100) }),
    output: z.object({ conversations: z.array(conversationInfo) }),
  }),
  'conversations.search': defineRoute({
    summary: "Full-text search of the caller's conversations (titles and messages)",
    role: 'member',
    input: z.object({ workspace: workspaceName, query: z.string().trim().min(1, 'Type something to search for.').max(200), limit: z.number().int().min(1).max(200).default(50) }),
    output: z.object({ conversations: z.array(conversationInfo) }),
  }),
  'conversations.get': defineRoute({
    summary: 'One conversation with its messages',
    role: 'member',
    input: conversationRef,
    output: z.object({ conversation: conversationInfo, messages: z.array(copilotMessage) }),
  }),
  'conversations.rename': defineRoute({
    summary: 'Rename a conversation',
    role: 'member',
    input: conversationRef.extend({ title: z.string().trim().min(1, 'Give the conversation a title.').max(200) }),
    output: conversationInfo,
  }),
  'conversations.pin': defineRoute({
    summary: 'Pin or unpin a conversation',
    role: 'member',
    input: conversationRef.extend({ pinned: z.boolean() }),
    output: conversationInfo,
  }),
  'conversations.delete': defineRoute({
    summary: 'Delete a conversation and its messages',
    role: 'member',
    input: conversationRef,
    output: ok,
  }),
  'conversations.export': defineRoute({
    summary: 'A conversation as Markdown',
    role: 'member',
    input: conversationRef,
    output: z.object({ markdown: z.string(), fileName: z.string() }),
  }),
  'memory.list': defineRoute({
    summary: "The caller's copilot memories in a workspace (expired ones are swept first)",
    role: 'member',
    input: z.object({ workspace: workspaceName, type: memoryType.optional(), limit: z.number().int().min(1).max(1000).default(200) }),
    output: z.object({ items: z.array(memoryItem) }),
  }),
  'memory.add': defineRoute({
    summary: 'Remember something (PII is redacted before it is stored)',
    role: 'member',
    input: z.object({ workspace: workspaceName, type: memoryType, retention: retentionClass, content: z.string().trim().min(1).max(4000), source: z.string().max(200).optional() }),
    output: memoryItem,
  }),
  'memory.forget': defineRoute({
    summary: 'Delete a memory',
    role: 'member',
    input: z.object({ workspace: workspaceName, memoryId: id }),
    output: ok,
  }),
  'search.answer': defineRoute({
    summary: 'A one-shot answer with sources over the search index',
    role: 'member',
    input: z.object({ workspace: workspaceName, query: z.string().trim().min(1, 'Type a question.').max(2000), k: z.number().int().min(1).max(20).default(6) }),
    output: searchAnswer,
  }),
} as const;
