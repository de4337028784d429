import { z } from 'zod';

/** Pages a command can open (the app's routes). */
export const VOICE_PAGES = { dashboard: '/', insights: '/insights', copilot: '/copilot', search: '/search', analytics: '/analytics', reports: '/reports', voice: '/voice', data: '/data', configuration: '/configuration' } as const;
export type VoicePage = keyof typeof VOICE_PAGES;

/** Records a command can name, as the speaker says them; each maps to an entity of the catalog. */
export const VOICE_ENTITIES = { ticket: 'tickets', deal: 'deals', account: 'accounts', contact: 'contacts', task: 'tasks', project: 'projects', campaign: 'campaigns', vendor: 'vendors', user: 'users', agent: 'agents', insight: 'insights' } as const;
export type VoiceEntityWord = keyof typeof VOICE_ENTITIES;

/**
 * The write and read actions a voice command may ask for: a closed subset of the action registry (ADR 0060) whose
 * arguments can be said in a sentence. Anything else is a navigation, a search, or unclear.
 */
export const VOICE_ACTIONS = ['create_task', 'log_activity', 'schedule_meeting', 'update_deal', 'update_ticket', 'draft_email', 'acknowledge_insight', 'dismiss_insight', 'action_insight', 'list_tickets', 'list_deals', 'list_tasks', 'pipeline_summary'] as const;
export type VoiceActionName = (typeof VOICE_ACTIONS)[number];

const mention = z.object({
  /** The action argument the record goes into (accountId, dealId, contactId, ticket, …). */
  field: z.string().min(1).max(40),
  entity: z.enum(Object.keys(VOICE_ENTITIES) as [VoiceEntityWord, ...VoiceEntityWord[]]),
  /** The words that name it: a name ("Acme"), a code ("TCK-000042") or a number ("42"). */
  text: z.string().min(1).max(200),
});

const spokenTime = z.object({
  /** The argument the time goes into (dueDate, at, occurredAt, closeDate). */
  field: z.string().min(1).max(40),
  /** The words as said ("tomorrow at nine"). */
  text: z.string().min(1).max(120),
});

/**
 * What the model (use case `voice.intent`) or the built-in patterns make of a transcript. Names and times stay as
 * words here; the resolver turns them into record ids and instants against the workspace and the speaker's zone.
 */
export const voiceIntent = z.object({
  kind: z.enum(['navigate', 'open_record', 'search', 'filter_insights', 'action', 'unclear']),
  /** How sure the reading is (0–1); below the confirmation threshold the app asks instead of acting. */
  confidence: z.number().min(0).max(1),
  page: z.enum(Object.keys(VOICE_PAGES) as [VoicePage, ...VoicePage[]]).nullable().optional(),
  /** open_record: which kind of record, and its words. */
  entity: mention.shape.entity.nullable().optional(),
  reference: z.string().max(200).nullable().optional(),
  /** search: what to look for. */
  query: z.string().max(300).nullable().optional(),
  /** filter_insights. */
  severity: z.array(z.enum(['critical', 'high', 'medium', 'low'])).max(4).optional(),
  /** action: which one, its literal arguments, and the names and times in it still to resolve. */
  action: z.enum(VOICE_ACTIONS).nullable().optional(),
  args: z.record(z.string(), z.unknown()).optional(),
  mentions: z.array(mention).max(6).optional(),
  times: z.array(spokenTime).max(3).optional(),
  /** unclear: the short question to ask back. */
  question: z.string().max(300).nullable().optional(),
});
export type VoiceIntent = z.infer<typeof voiceIntent>;
export type VoiceMention = z.infer<typeof mention>;
