import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Profile } from '@shared/contract';
import type { CopilotStreamPayload, ProposalView, RecordRef, ToolCallView } from '@shared/contract/copilot';
import { AppError } from '@shared/errors';
import type { ChatMessage, Gateway, GatewayAnswerMeta, ToolCall, ToolSpec } from '../gateway/types';
import { describeThreats, neutralize, toolResultContent, UNTRUSTED_NOTE, untrustedBlock, THREAT_RULES } from '../prompt/untrusted';
import type { ConversationRecord, MemoryRecord, MessageRecord, NewMessage } from '../repositories';
import type { WorkspaceContext } from '../workspaces/workspaceContext';
import { agentAllows, type AgentSpec } from './agents';
import { checkCitations, refKey } from './citations';
import { refsIn, type CopilotTools, type CopilotToolInfo } from './tools';

/** Longest tool result (characters of JSON) that enters the prompt; the rest is cut with a note. */
const TOOL_RESULT_CHARS = 12_000;
/** How much of a tool result the stored card keeps for the person. */
const CARD_RESULT_CHARS = 2_000;

export interface TurnInput {
  workspace: WorkspaceContext;
  profile: Profile;
  agent: AgentSpec;
  useCase: string;
  conversation: ConversationRecord;
  /** Stored messages after the summary (the ones sent whole). */
  history: readonly MessageRecord[];
  userText: string;
  memories: readonly MemoryRecord[];
  /** The record the page was opened from, as text already fetched for it (or null). */
  context: { ref: RecordRef; text: string } | null;
  signal: AbortSignal;
  emit: (ev: Omit<CopilotStreamPayload, 'turnId' | 'conversationId' | 'seq'>) => void;
}

export interface TurnOutcome {
  /** Messages to store after the user's: assistant tool rounds, tool results, the final answer. */
  messages: NewMessage[];
  final: NewMessage;
  readRefs: string[];
  iterations: number;
  usage: { tokensIn: number; tokensOut: number; costUsd: number };
  endpoint: string | null;
  model: string | null;
  /** Time spent waiting for the model (the bench subtracts it). */
  modelMs: number;
  /** Time spent inside tools (reads and proposals). */
  toolMs: number;
  /** Why the turn failed (its partial messages are still returned, to be stored). */
  error: AppError | null;
}

export interface TurnDeps {
  gateway: Gateway;
  tools: CopilotTools;
  now: () => Date;
}

const CITATION_RULE = 'Cite records as [table:id], e.g. [tickets:42]; cite only records a tool returned in this conversation.';

/** The system message: the agent's prompt, how citations look, and the untrusted-data note. */
export function systemMessage(agent: AgentSpec, hasTools: boolean): string {
  return [agent.systemPrompt, CITATION_RULE, hasTools ? '' : 'No tools are available in this workspace right now: answer from the conversation and memory, and say what you cannot look up.', UNTRUSTED_NOTE]
    .filter(Boolean)
    .join('\n\n');
}

/**
 * What a stored message costs in the prompt: tool results of earlier turns are sent as a short stub (their records
 * stay citable through the conversation's read list), so a long conversation is not dominated by old tool output.
 */
export function promptContent(m: MessageRecord): string {
  if (m.role !== 'tool') return m.content;
  return untrustedBlock('tool_result', JSON.stringify({ elided: `result of ${m.toolName ?? 'a tool'} from an earlier turn (${m.content.length} characters); ask again to see it` }));
}

/** Stored history → gateway messages. Tool messages were neutralised when they were stored. */
export function historyMessages(history: readonly MessageRecord[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  // Everything in `history` precedes the new user message, so every tool result in it is from an earlier turn.
  for (const m of history) {
    if (m.status === 'failed' && m.role === 'assistant' && !m.content) continue;
    if (m.role === 'tool') out.push({ role: 'tool', content: promptContent(m), toolCallId: m.toolCallId ?? '' });
    else if (m.role === 'assistant') {
      const calls = (m.toolCalls ?? []) as ToolCallView[];
      out.push(calls.length ? { role: 'assistant', content: m.content, toolCalls: calls.map((c) => ({ id: c.id, name: c.name, arguments: c.arguments })) } : { role: 'assistant', content: m.content });
    } else out.push({ role: 'user', content: m.content });
  }
  // A stopped turn can leave an assistant call without its result: providers refuse that, so answer it.
  const answered = new Set(out.filter((m) => m.role === 'tool').map((m) => m.toolCallId));
  return out.flatMap((m) =>
    m.role === 'assistant' && m.toolCalls?.length ? [m, ...m.toolCalls.filter((c) => !answered.has(c.id)).map((c): ChatMessage => ({ role: 'tool', toolCallId: c.id, content: untrustedBlock('tool_result', '"not run: the turn was stopped"') }))] : [m],
  );
}

/** Memory, summary and record context: all record-derived text, so all of it goes in untrusted blocks. */
export function contextMessages(conversation: ConversationRecord, memories: readonly MemoryRecord[], context: TurnInput['context']): ChatMessage[] {
  const parts: string[] = [];
  if (memories.length) parts.push(`What you remember about this person's work (oldest facts may be stale):\n${untrustedBlock('context', memories.map((m) => `- (${m.type}) ${neutralize(m.content).text}`).join('\n'))}`);
  if (conversation.summary) parts.push(`Summary of the earlier part of this conversation:\n${untrustedBlock('context', neutralize(conversation.summary).text)}`);
  if (context) parts.push(`The person opened the copilot from the record [${refKey(context.ref)}]:\n${untrustedBlock('data', neutralize(context.text).text)}`);
  return parts.length ? [{ role: 'system', content: parts.join('\n\n') }] : [];
}

export const toolSpecs = (tools: readonly CopilotToolInfo[]): ToolSpec[] => tools.map((t) => ({ name: t.name, description: t.description, parameters: t.parameters }));

/** The agent's tools: what its spec allows, of what the action layer offers the caller's role. */
export function agentTools(tools: CopilotTools, agent: AgentSpec, role: 'member' | 'admin'): CopilotToolInfo[] {
  return tools.list(role).filter((t) => agentAllows(agent, t.name) && (t.role === 'member' || role === 'admin'));
}

const parseArgs = (text: string): Record<string, unknown> | null => {
  try {
    const v = JSON.parse(text || '{}') as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
};

const short = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max)}…` : text);

/**
 * One copilot turn: the agent's system prompt, memory, summary and history, then up to `maxToolIterations` model
 * calls. Each call streams; read tools run at once and their results (neutralised, in tool_result blocks) go back
 * to the model; write tools are proposed to the action layer and left pending for a person's approval. The answer's
 * citations are checked against the records the tools returned in this conversation.
 */
export async function runTurn(deps: TurnDeps, input: TurnInput): Promise<TurnOutcome> {
  const { agent } = input;
  const tools = agentTools(deps.tools, agent, input.profile.role);
  const byName = new Map(tools.map((t) => [t.name, t]));
  const specs = toolSpecs(tools);
  const read = new Set(input.conversation.readRefs);
  if (input.context) read.add(refKey(input.context.ref));
  let afterUntrusted = input.history.some((m) => m.role === 'tool' && m.toolStatus === 'done');
  const messages: ChatMessage[] = [
    { role: 'system', content: systemMessage(agent, specs.length > 0) },
    ...contextMessages(input.conversation, input.memories, input.context),
    ...historyMessages(input.history),
    { role: 'user', content: input.userText },
  ];
  const stored: NewMessage[] = [];
  const usage = { tokensIn: 0, tokensOut: 0, costUsd: 0 };
  let endpoint: string | null = null;
  let model: string | null = null;
  let modelMs = 0;
  let toolMs = 0;
  let text = '';
  let iterations = 0;
  const at = (): string => deps.now().toISOString();
  const meta = { workspace: input.workspace.name, useCase: input.useCase, profileId: input.profile.id, subject: `copilot:${input.conversation.id}` };
  const base = (role: NewMessage['role']): NewMessage => ({
    id: randomUUID(),
    conversationId: input.conversation.id,
    role,
    content: '',
    toolCalls: null,
    toolCallId: null,
    toolName: null,
    toolStatus: null,
    citations: [],
    droppedCitations: 0,
    proposals: [],
    status: 'done',
    model: null,
    endpoint: null,
    tokensIn: 0,
    tokensOut: 0,
    costUsd: 0,
    createdAt: at(),
  });
  const proposals: ProposalView[] = [];
  let status: NewMessage['status'] = 'done';
  let failure: AppError | null = null;

  try {
    for (;;) {
      iterations++;
      // The last allowed call must answer: no more tools.
      const lastCall = iterations >= agent.maxToolIterations;
      const withTools = specs.length > 0 && !lastCall;
      text = '';
      let calls: ToolCall[] = [];
      let answer: GatewayAnswerMeta | null = null;
      const t0 = performance.now();
      for await (const ev of deps.gateway.streamChat(meta, { messages, ...(withTools ? { tools: specs, toolChoice: 'auto' as const } : {}) }, { signal: input.signal })) {
        if (ev.type === 'delta') {
          text += ev.text;
          input.emit({ type: 'delta', text: ev.text });
        } else if (ev.type === 'done') calls = ev.result.toolCalls;
        else if (ev.type === 'meta') answer = ev.meta;
      }
      modelMs += performance.now() - t0;
      if (answer) {
        usage.tokensIn += answer.usage.inputTokens;
        usage.tokensOut += answer.usage.outputTokens;
        usage.costUsd += answer.costUsd;
        endpoint = answer.endpoint;
        model = answer.model;
      }
      if (calls.length === 0 || !withTools) break;

      const views: ToolCallView[] = calls.map((c) => ({ id: c.id, name: c.name, arguments: c.arguments, status: 'running', result: null }));
      const assistant: NewMessage = { ...base('assistant'), content: text, toolCalls: views, model, endpoint };
      stored.push(assistant);
      messages.push({ role: 'assistant', content: text, toolCalls: calls });
      for (const [i, call] of calls.entries()) {
        const view = views[i]!;
        input.emit({ type: 'tool', tool: { ...view } });
        const t1 = performance.now();
        const outcome = await runTool(deps.tools, byName.get(call.name), call, { workspace: input.workspace, profile: input.profile, agent: agent.key, conversationId: input.conversation.id, afterUntrusted });
        toolMs += performance.now() - t1;
        for (const r of outcome.records) read.add(refKey(r));
        if (outcome.untrusted) afterUntrusted = true;
        view.status = outcome.status;
        view.result = short(outcome.cardText, CARD_RESULT_CHARS);
        if (outcome.proposal) {
          const p: ProposalView = { ...outcome.proposal, afterUntrusted };
          proposals.push(p);
          input.emit({ type: 'proposal', proposal: p });
        }
        input.emit({ type: 'tool', tool: { ...view } });
        const toolMsg: NewMessage = { ...base('tool'), content: outcome.content, toolCallId: call.id, toolName: call.name, toolStatus: outcome.status };
        stored.push(toolMsg);
        messages.push({ role: 'tool', content: outcome.content, toolCallId: call.id });
      }
      if (input.signal.aborted) throw new AppError('cancelled', 'Stopped.');
    }
  } catch (error) {
    const e = AppError.wrap(error);
    if (e.code === 'cancelled' || input.signal.aborted) status = 'stopped';
    else {
      status = 'failed';
      failure = e;
    }
  }

  const checked = checkCitations(text, read);
  const final: NewMessage = {
    ...base('assistant'),
    content: checked.text,
    citations: checked.citations,
    droppedCitations: checked.dropped,
    proposals,
    status,
    model,
    endpoint,
    tokensIn: usage.tokensIn,
    tokensOut: usage.tokensOut,
    costUsd: usage.costUsd,
  };
  return { messages: stored, final, readRefs: [...read], iterations, usage, endpoint, model, modelMs, toolMs, error: failure };
}

interface ToolRun {
  status: ToolCallView['status'];
  /** The tool message the model sees. */
  content: string;
  cardText: string;
  records: RecordRef[];
  untrusted: boolean;
  proposal: Omit<ProposalView, 'afterUntrusted'> | null;
}

async function runTool(tools: CopilotTools, info: CopilotToolInfo | undefined, call: ToolCall, ctx: Parameters<CopilotTools['read']>[2]): Promise<ToolRun> {
  const fail = (message: string): ToolRun => ({ status: 'failed', content: untrustedBlock('tool_result', JSON.stringify({ error: message })), cardText: message, records: [], untrusted: false, proposal: null });
  if (!info) return fail(`There is no tool "${call.name}" for this agent.`);
  const args = parseArgs(call.arguments);
  if (!args) return fail('The arguments were not a JSON object.');
  try {
    if (info.risk === 'read') {
      const r = await tools.read(info.name, args, ctx);
      let json = JSON.stringify(r.result) ?? 'null';
      const value = json.length > TOOL_RESULT_CHARS ? { truncated: true, partial: json.slice(0, TOOL_RESULT_CHARS) } : r.result;
      const safe = toolResultContent(value);
      json = safe.content;
      const records = r.records.length ? r.records : refsIn(r.result);
      const threats = describeThreats(safe.events);
      return { status: 'done', content: json, cardText: JSON.stringify(r.result) ?? 'null', records, untrusted: records.length > 0 || safe.events.some((e) => THREAT_RULES.has(e.rule)) || threats !== null, proposal: null };
    }
    const p = await tools.propose(info.name, args, ctx);
    const note = { proposed: true, proposalId: p.id, summary: p.summary, status: p.status, note: 'Not done yet: the person must approve it. Tell them what you proposed.' };
    return { status: 'proposed', content: toolResultContent(note).content, cardText: p.summary, records: [], untrusted: false, proposal: p };
  } catch (error) {
    const e = AppError.wrap(error);
    return fail(e.message);
  }
}
