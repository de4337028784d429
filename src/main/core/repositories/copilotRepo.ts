import type { Kysely } from 'kysely';
import type { Dialect } from '../db/dialect';
import type { CopilotConversationsRow, CopilotMessagesRow, WorkspaceDatabase } from '../db/schema/workspace';

/** A conversation row as the copilot service reads it (JSON columns parsed, flags as booleans). */
export interface ConversationRecord {
  id: string;
  profileId: string;
  agent: string;
  title: string;
  pinned: boolean;
  model: string | null;
  endpoint: string | null;
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
  summary: string | null;
  /** Messages up to this seq are covered by the summary and no longer sent whole. */
  summaryThrough: number;
  contextRef: string | null;
  /** Records tools returned in this conversation ("tickets:42"): the only ones an answer may cite. */
  readRefs: string[];
  createdAt: string;
  updatedAt: string;
}

export interface MessageRecord {
  id: string;
  conversationId: string;
  seq: number;
  role: 'user' | 'assistant' | 'tool';
  content: string;
  /** Assistant: the calls it made, with status and result (JSON as stored). */
  toolCalls: unknown[] | null;
  toolCallId: string | null;
  toolName: string | null;
  toolStatus: string | null;
  citations: { entity: string; id: number }[];
  droppedCitations: number;
  proposals: unknown[];
  status: 'done' | 'stopped' | 'failed';
  model: string | null;
  endpoint: string | null;
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
  createdAt: string;
}

export type NewMessage = Omit<MessageRecord, 'seq'>;

/** Copilot conversations and messages of one workspace, always scoped to a profile (ADR 0063). */
export interface CopilotRepo {
  create(c: Pick<ConversationRecord, 'id' | 'profileId' | 'agent' | 'title' | 'contextRef' | 'createdAt'>): Promise<ConversationRecord>;
  get(profileId: string, id: string): Promise<ConversationRecord | undefined>;
  /** Pinned first, then the most recently updated. */
  list(profileId: string, limit: number): Promise<ConversationRecord[]>;
  /** Titles, summaries and message text containing `query` (case-insensitive; LIKE/ILIKE, not a ranked index). */
  search(profileId: string, query: string, limit: number): Promise<ConversationRecord[]>;
  update(profileId: string, id: string, patch: Partial<Pick<ConversationRecord, 'title' | 'pinned' | 'summary' | 'summaryThrough' | 'readRefs' | 'model' | 'endpoint' | 'updatedAt'>>): Promise<boolean>;
  /** Adds a turn's tokens and cost to the conversation's totals. */
  addUsage(id: string, usage: { tokensIn: number; tokensOut: number; costUsd: number }, at: string): Promise<void>;
  delete(profileId: string, id: string): Promise<boolean>;
  messages(conversationId: string): Promise<MessageRecord[]>;
  /** Appends messages after the last one, numbering them in order. */
  append(conversationId: string, messages: readonly NewMessage[]): Promise<MessageRecord[]>;
  /** Removes messages from `fromSeq` on (regenerate). */
  truncate(conversationId: string, fromSeq: number): Promise<number>;
}

const parse = <T>(text: string | null, fallback: T): T => {
  if (text === null || text === '') return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
};

const conversation = (r: CopilotConversationsRow): ConversationRecord => ({
  id: r.id,
  profileId: r.profile_id,
  agent: r.agent,
  title: r.title,
  pinned: Number(r.pinned) === 1,
  model: r.model,
  endpoint: r.endpoint,
  tokensIn: Number(r.tokens_in),
  tokensOut: Number(r.tokens_out),
  costUsd: Number(r.cost_usd),
  summary: r.summary,
  summaryThrough: Number(r.summary_through),
  contextRef: r.context_ref,
  readRefs: parse<string[]>(r.read_refs, []),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const message = (r: CopilotMessagesRow): MessageRecord => ({
  id: r.id,
  conversationId: r.conversation_id,
  seq: Number(r.seq),
  role: r.role as MessageRecord['role'],
  content: r.content,
  toolCalls: parse<unknown[] | null>(r.tool_calls, null),
  toolCallId: r.tool_call_id,
  toolName: r.tool_name,
  toolStatus: r.tool_status,
  citations: parse(r.citations, []),
  droppedCitations: Number(r.dropped_citations),
  proposals: parse(r.proposals, []),
  status: r.status as MessageRecord['status'],
  model: r.model,
  endpoint: r.endpoint,
  tokensIn: Number(r.tokens_in),
  tokensOut: Number(r.tokens_out),
  costUsd: Number(r.cost_usd),
  createdAt: r.created_at,
});

export class KyselyCopilotRepo implements CopilotRepo {
  constructor(
    private readonly db: Kysely<WorkspaceDatabase>,
    private readonly dialect: Dialect,
  ) {}

  async create(c: Pick<ConversationRecord, 'id' | 'profileId' | 'agent' | 'title' | 'contextRef' | 'createdAt'>): Promise<ConversationRecord> {
    await this.db
      .insertInto('copilot_conversations')
      .values({ id: c.id, profile_id: c.profileId, agent: c.agent, title: c.title, context_ref: c.contextRef, created_at: c.createdAt, updated_at: c.createdAt })
      .execute();
    return (await this.get(c.profileId, c.id))!;
  }

  async get(profileId: string, id: string): Promise<ConversationRecord | undefined> {
    const row = await this.db.selectFrom('copilot_conversations').selectAll().where('id', '=', id).where('profile_id', '=', profileId).executeTakeFirst();
    return row ? conversation(row) : undefined;
  }

  async list(profileId: string, limit: number): Promise<ConversationRecord[]> {
    const rows = await this.db
      .selectFrom('copilot_conversations')
      .selectAll()
      .where('profile_id', '=', profileId)
      .orderBy('pinned', 'desc')
      .orderBy('updated_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(conversation);
  }

  async search(profileId: string, query: string, limit: number): Promise<ConversationRecord[]> {
    const d = this.dialect;
    const rows = await this.db
      .selectFrom('copilot_conversations as c')
      .selectAll('c')
      .where('c.profile_id', '=', profileId)
      .where((eb) =>
        eb.or([
          d.containsIgnoreCase(eb.ref('c.title'), query),
          d.containsIgnoreCase(eb.ref('c.summary'), query),
          eb.exists(
            eb
              .selectFrom('copilot_messages as m')
              .select('m.id')
              .whereRef('m.conversation_id', '=', 'c.id')
              .where('m.role', 'in', ['user', 'assistant'])
              .where((inner) => d.containsIgnoreCase(inner.ref('m.content'), query)),
          ),
        ]),
      )
      .orderBy('c.pinned', 'desc')
      .orderBy('c.updated_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map(conversation);
  }

  async update(
    profileId: string,
    id: string,
    patch: Partial<Pick<ConversationRecord, 'title' | 'pinned' | 'summary' | 'summaryThrough' | 'readRefs' | 'model' | 'endpoint' | 'updatedAt'>>,
  ): Promise<boolean> {
    const values: Record<string, unknown> = {};
    if (patch.title !== undefined) values.title = patch.title;
    if (patch.pinned !== undefined) values.pinned = this.dialect.flag(patch.pinned);
    if (patch.summary !== undefined) values.summary = patch.summary;
    if (patch.summaryThrough !== undefined) values.summary_through = patch.summaryThrough;
    if (patch.readRefs !== undefined) values.read_refs = JSON.stringify(patch.readRefs);
    if (patch.model !== undefined) values.model = patch.model;
    if (patch.endpoint !== undefined) values.endpoint = patch.endpoint;
    if (patch.updatedAt !== undefined) values.updated_at = patch.updatedAt;
    if (Object.keys(values).length === 0) return (await this.get(profileId, id)) !== undefined;
    const r = await this.db.updateTable('copilot_conversations').set(values).where('id', '=', id).where('profile_id', '=', profileId).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async addUsage(id: string, usage: { tokensIn: number; tokensOut: number; costUsd: number }, at: string): Promise<void> {
    await this.db
      .updateTable('copilot_conversations')
      .set((eb) => ({
        tokens_in: eb('tokens_in', '+', usage.tokensIn),
        tokens_out: eb('tokens_out', '+', usage.tokensOut),
        cost_usd: eb('cost_usd', '+', usage.costUsd),
        updated_at: at,
      }))
      .where('id', '=', id)
      .execute();
  }

  async delete(profileId: string, id: string): Promise<boolean> {
    const owned = await this.get(profileId, id);
    if (!owned) return false;
    await this.db.deleteFrom('copilot_messages').where('conversation_id', '=', id).execute();
    const r = await this.db.deleteFrom('copilot_conversations').where('id', '=', id).where('profile_id', '=', profileId).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async messages(conversationId: string): Promise<MessageRecord[]> {
    const rows = await this.db.selectFrom('copilot_messages').selectAll().where('conversation_id', '=', conversationId).orderBy('seq').execute();
    return rows.map(message);
  }

  async append(conversationId: string, messages: readonly NewMessage[]): Promise<MessageRecord[]> {
    if (messages.length === 0) return [];
    const last = await this.db.selectFrom('copilot_messages').select((eb) => eb.fn.max('seq').as('seq')).where('conversation_id', '=', conversationId).executeTakeFirst();
    const start = Number(last?.seq ?? 0) + 1;
    const out = messages.map((m, i) => ({ ...m, conversationId, seq: start + i }));
    await this.db
      .insertInto('copilot_messages')
      .values(
        out.map((m) => ({
          id: m.id,
          conversation_id: conversationId,
          seq: m.seq,
          role: m.role,
          content: m.content,
          tool_calls: m.toolCalls ? JSON.stringify(m.toolCalls) : null,
          tool_call_id: m.toolCallId,
          tool_name: m.toolName,
          tool_status: m.toolStatus,
          citations: JSON.stringify(m.citations),
          dropped_citations: m.droppedCitations,
          proposals: JSON.stringify(m.proposals),
          status: m.status,
          model: m.model,
          endpoint: m.endpoint,
          tokens_in: m.tokensIn,
          tokens_out: m.tokensOut,
          cost_usd: m.costUsd,
          created_at: m.createdAt,
        })),
      )
      .execute();
    return out;
  }

  async truncate(conversationId: string, fromSeq: number): Promise<number> {
    const r = await this.db.deleteFrom('copilot_messages').where('conversation_id', '=', conversationId).where('seq', '>=', fromSeq).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
