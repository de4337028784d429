import { cleanMarkup } from './text/clean';

/**
 * What the vector store indexes, per entity type: a data-driven registry. Each source turns a root record (and its
 * child rows, e.g. a ticket's comments) into one document of titled sections with markup cleaned out. Every entity
 * type of the schema is either a source, a child folded into its parent's document, or excluded with a reason
 * (numeric series and event logs belong to SQL, not to text retrieval); an invariant test keeps this complete.
 */

export type AccessLevel = 'standard' | 'internal' | 'restricted';
export const ACCESS_LEVELS: readonly AccessLevel[] = ['standard', 'internal', 'restricted'];
/** Stored as an integer in the vec0 metadata column, so a filter is a cheap comparison. */
export const accessCode = (a: string): bigint => BigInt(Math.max(0, ACCESS_LEVELS.indexOf(a as AccessLevel)));

export interface DocSection {
  field: string;
  text: string;
  access: AccessLevel;
}

export interface SourceDocument {
  sourceType: string;
  entityId: number;
  title: string;
  /** Unix seconds of the record's main date (created, occurred, responded …); 0 when it has none. */
  ts: number;
  sections: DocSection[];
}

type Row = Record<string, unknown>;

interface ChildSpec {
  key: string;
  /** Selects child rows with a `parent_id` column, for parent ids given as a JSON array in the one parameter. */
  sql: string;
  sections(row: Row): DocSection[];
}

export interface SourceSpec {
  /** Entity key (src/shared/entities.ts). */
  type: string;
  /** Stable small integer stored in vec0 metadata. Never renumber: existing indexes hold these. */
  code: number;
  label: string;
  table: string;
  /** Selects root rows aliased r; the loader appends WHERE/ORDER/LIMIT on r.id. */
  select: string;
  /** Column with the record's main date, for date filters ('' when it has none). */
  date: string;
  title(row: Row): string;
  sections(row: Row): DocSection[];
  children?: ChildSpec[];
  /** Child entity keys whose rows end up in this source's documents. */
  childEntities?: string[];
}

/** Entity types with no text worth retrieving; their numbers are queried with SQL by the engine. */
export const EXCLUDED_ENTITIES: Readonly<Record<string, string>> = {
  ticket_sla_events: 'SLA timestamps and breach flags: structured, queried with SQL',
  ticket_status_history: 'status transitions: structured, queried with SQL',
  campaign_metrics_daily: 'daily numeric series',
  agent_metrics_daily: 'daily numeric series',
  customer_usage_daily: 'daily numeric series',
  kpi_progress: 'numeric series',
};

const s = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const clean = (v: unknown): string => cleanMarkup(s(v));
const money = (v: unknown): string => (typeof v === 'number' ? `${Math.round(v).toLocaleString('en-US')} USD` : '');
const day = (v: unknown): string => s(v).slice(0, 10);
const pct = (v: unknown): string => (typeof v === 'number' ? `${Math.round(v * 100)}%` : '');
const label = (v: unknown): string => s(v).replace(/_/g, ' ');

/** "Status: open · Priority: high" from pairs, skipping empty values. */
function facts(pairs: [string, string][]): string {
  return pairs
    .filter(([, v]) => v.trim() !== '')
    .map(([k, v]) => `${k}: ${v}`)
    .join(' · ');
}

const sec = (field: string, text: string, access: AccessLevel = 'standard'): DocSection[] => (text.trim() ? [{ field, text, access }] : []);

/** JSON list or plain text (business_foundation.core_values). */
function listText(v: unknown): string {
  const t = s(v);
  try {
    const parsed = JSON.parse(t) as unknown;
    if (Array.isArray(parsed)) return parsed.map(String).join('; ');
  } catch {
    // Not JSON: plain text.
  }
  return clean(t);
}

export const SOURCES: readonly SourceSpec[] = [
  {
    type: 'tickets', code: 1, label: 'Ticket', table: 'tickets', date: 'created_at',
    select: 'SELECT r.*, a.name AS account_name, g.name AS agent_name FROM tickets r LEFT JOIN accounts a ON a.id = r.account_id LEFT JOIN agents g ON g.id = r.agent_id',
    title: (r) => `${s(r.code)} ${clean(r.subject)}`,
    sections: (r) => [
      ...sec('description', clean(r.description)),
      ...sec('details', facts([['Status', label(r.status)], ['Priority', s(r.priority)], ['Category', s(r.category)], ['Channel', s(r.channel)], ['Account', s(r.account_name)], ['Agent', s(r.agent_name)], ['CSAT', s(r.csat)], ['Resolved', day(r.resolved_at)]])),
    ],
    childEntities: ['ticket_comments'],
    children: [
      {
        key: 'comments',
        sql: 'SELECT c.*, c.ticket_id AS parent_id FROM ticket_comments c WHERE c.ticket_id IN (SELECT value FROM json_each(?)) ORDER BY c.ticket_id, c.created_at, c.id',
        sections: (c) => sec(`comment:${s(c.id)}`, `${s(c.author_name) || s(c.author_type)} (${s(c.author_type)}${c.internal ? ', internal note' : ''}): ${clean(c.body)}`, c.internal ? 'internal' : 'standard'),
      },
    ],
  },
  {
    type: 'conversations', code: 2, label: 'Conversation', table: 'conversations', date: 'created_at',
    select: 'SELECT r.*, a.name AS account_name, g.name AS agent_name, trim(coalesce(ct.first_name, \'\') || \' \' || coalesce(ct.last_name, \'\')) AS contact_name FROM conversations r LEFT JOIN accounts a ON a.id = r.account_id LEFT JOIN agents g ON g.id = r.agent_id LEFT JOIN contacts ct ON ct.id = r.contact_id',
    title: (r) => clean(r.subject),
    sections: (r) => sec('details', facts([['Channel', s(r.channel)], ['Status', s(r.status)], ['Contact', s(r.contact_name)], ['Account', s(r.account_name)], ['Agent', s(r.agent_name)]])),
    childEntities: ['messages'],
    children: [
      {
        key: 'messages',
        sql: 'SELECT m.*, m.conversation_id AS parent_id FROM messages m WHERE m.conversation_id IN (SELECT value FROM json_each(?)) ORDER BY m.conversation_id, m.sent_at, m.id',
        sections: (m) => sec(`message:${s(m.id)}`, `${s(m.sender) || s(m.direction)} (${s(m.direction)}): ${clean(m.body)}`),
      },
    ],
  },
  {
    type: 'accounts', code: 3, label: 'Account', table: 'accounts', date: 'created_at',
    select: 'SELECT r.*, u.name AS owner_name FROM accounts r LEFT JOIN users u ON u.id = r.owner_id',
    title: (r) => clean(r.name),
    sections: (r) => sec('details', facts([['Domain', s(r.domain)], ['Industry', s(r.industry)], ['Tier', label(r.tier)], ['Region', s(r.region)], ['Lifecycle', s(r.lifecycle)], ['Employees', s(r.employees)], ['ARR', money(r.arr)], ['Owner', s(r.owner_name)]])),
  },
  {
    type: 'contacts', code: 4, label: 'Contact', table: 'contacts', date: 'created_at',
    select: 'SELECT r.*, a.name AS account_name FROM contacts r LEFT JOIN accounts a ON a.id = r.account_id',
    title: (r) => `${s(r.first_name)} ${s(r.last_name)}`.trim(),
    sections: (r) => sec('details', facts([['Title', s(r.title)], ['Account', s(r.account_name)], ['Stage', s(r.lifecycle_stage)], ['Email', s(r.email)], ['Phone', s(r.phone)]])),
  },
  {
    type: 'deals', code: 5, label: 'Deal', table: 'deals', date: 'created_at',
    select: 'SELECT r.*, a.name AS account_name FROM deals r LEFT JOIN accounts a ON a.id = r.account_id',
    title: (r) => clean(r.name),
    sections: (r) => sec('details', facts([['Stage', label(r.stage)], ['Amount', money(r.amount)], ['Probability', pct(r.probability)], ['Close date', day(r.close_date)], ['Account', s(r.account_name)], ['Source', s(r.source)]])),
  },
  {
    type: 'activities', code: 6, label: 'Activity', table: 'activities', date: 'occurred_at',
    select: 'SELECT r.*, a.name AS account_name, d.name AS deal_name FROM activities r LEFT JOIN accounts a ON a.id = r.account_id LEFT JOIN deals d ON d.id = r.deal_id',
    title: (r) => clean(r.subject),
    sections: (r) => [...sec('body', clean(r.body)), ...sec('details', facts([['Type', s(r.type)], ['Account', s(r.account_name)], ['Deal', s(r.deal_name)]]))],
  },
  {
    type: 'tasks', code: 7, label: 'Task', table: 'tasks', date: 'created_at',
    select: 'SELECT r.*, a.name AS account_name FROM tasks r LEFT JOIN accounts a ON a.id = r.account_id',
    title: (r) => clean(r.title),
    sections: (r) => [...sec('description', clean(r.description)), ...sec('details', facts([['Status', label(r.status)], ['Priority', s(r.priority)], ['Due', day(r.due_date)], ['Account', s(r.account_name)]]))],
  },
  {
    type: 'projects', code: 8, label: 'Project', table: 'projects', date: 'created_at',
    select: 'SELECT r.*, a.name AS account_name FROM projects r LEFT JOIN accounts a ON a.id = r.account_id',
    title: (r) => `${s(r.code)} ${clean(r.name)}`,
    sections: (r) => [
      ...sec('description', clean(r.description)),
      ...sec('details', facts([['Status', label(r.status)], ['Budget', money(r.budget)], ['Spent', money(r.spent)], ['Start', day(r.start_date)], ['Due', day(r.due_date)], ['Account', s(r.account_name)]])),
    ],
    childEntities: ['project_milestones', 'project_tasks'],
    children: [
      {
        key: 'milestones',
        sql: 'SELECT m.*, m.project_id AS parent_id FROM project_milestones m WHERE m.project_id IN (SELECT value FROM json_each(?)) ORDER BY m.project_id, m.due_date, m.id',
        sections: (m) => sec(`milestone:${s(m.id)}`, `Milestone ${clean(m.name)} (${facts([['status', s(m.status)], ['due', day(m.due_date)]])})`),
      },
      {
        key: 'tasks',
        sql: 'SELECT t.*, t.project_id AS parent_id FROM project_tasks t WHERE t.project_id IN (SELECT value FROM json_each(?)) ORDER BY t.project_id, t.id',
        sections: (t) => sec(`task:${s(t.id)}`, `Task ${clean(t.title)} (${label(t.status)})${t.blocked_reason ? `: blocked because ${clean(t.blocked_reason)}` : ''}`),
      },
    ],
  },
  {
    type: 'campaigns', code: 9, label: 'Campaign', table: 'campaigns', date: 'created_at',
    select: 'SELECT r.* FROM campaigns r',
    title: (r) => clean(r.name),
    sections: (r) => [...sec('objective', clean(r.objective)), ...sec('details', facts([['Channel', s(r.channel)], ['Status', s(r.status)], ['Audience', clean(r.audience)], ['Budget', money(r.budget)], ['Start', day(r.start_date)], ['End', day(r.end_date)]]))],
  },
  {
    type: 'vendors', code: 10, label: 'Vendor', table: 'vendors', date: 'created_at',
    select: 'SELECT r.* FROM vendors r',
    title: (r) => clean(r.name),
    sections: (r) => sec('details', facts([['Category', s(r.category)], ['Status', s(r.status)], ['Rating', s(r.rating)], ['Contract end', day(r.contract_end)], ['Email', s(r.contact_email)]])),
    childEntities: ['vendor_quality_incidents'],
    children: [
      {
        key: 'incidents',
        sql: 'SELECT i.*, i.vendor_id AS parent_id FROM vendor_quality_incidents i WHERE i.vendor_id IN (SELECT value FROM json_each(?)) ORDER BY i.vendor_id, i.occurred_at, i.id',
        sections: (i) => sec(`incident:${s(i.id)}`, `Quality incident (${s(i.severity)}, ${day(i.occurred_at)}${i.resolved_at ? `, resolved ${day(i.resolved_at)}` : ', unresolved'}): ${clean(i.description)}`),
      },
    ],
  },
  {
    type: 'purchase_orders', code: 11, label: 'Purchase order', table: 'purchase_orders', date: 'ordered_at',
    select: 'SELECT r.*, v.name AS vendor_name FROM purchase_orders r LEFT JOIN vendors v ON v.id = r.vendor_id',
    title: (r) => `${s(r.code)} ${s(r.vendor_name)}`.trim(),
    sections: (r) => [...sec('description', clean(r.description)), ...sec('details', facts([['Status', label(r.status)], ['Amount', money(r.amount)], ['Ordered', day(r.ordered_at)], ['Expected', day(r.expected_at)]]))],
    childEntities: ['deliveries'],
    children: [
      {
        key: 'deliveries',
        sql: 'SELECT d.*, d.purchase_order_id AS parent_id FROM deliveries d WHERE d.purchase_order_id IN (SELECT value FROM json_each(?)) ORDER BY d.purchase_order_id, d.delivered_at, d.id',
        sections: (d) => sec(`delivery:${s(d.id)}`, `Delivery ${day(d.delivered_at)} (${d.on_time === 0 ? 'late' : d.on_time === 1 ? 'on time' : 'timing unknown'}, quantity ${s(d.quantity)})${d.notes ? `: ${clean(d.notes)}` : ''}`),
      },
    ],
  },
  {
    type: 'dispatch_jobs', code: 12, label: 'Dispatch job', table: 'dispatch_jobs', date: 'created_at',
    select: 'SELECT r.*, a.name AS account_name, l.name AS location_name, l.city AS city, t.name AS technician_name FROM dispatch_jobs r LEFT JOIN accounts a ON a.id = r.account_id LEFT JOIN locations l ON l.id = r.location_id LEFT JOIN technicians t ON t.id = r.technician_id',
    title: (r) => `${s(r.code)} ${label(r.job_type)}`.trim(),
    sections: (r) => [
      ...sec('description', clean(r.description)),
      ...sec('details', facts([['Status', label(r.status)], ['Priority', s(r.priority)], ['Location', [s(r.location_name), s(r.city)].filter(Boolean).join(', ')], ['Technician', s(r.technician_name)], ['Account', s(r.account_name)], ['Window', day(r.window_start)]])),
    ],
  },
  {
    type: 'technicians', code: 13, label: 'Technician', table: 'technicians', date: 'created_at',
    select: 'SELECT r.* FROM technicians r',
    title: (r) => clean(r.name),
    sections: (r) => sec('details', facts([['Skills', s(r.skills)], ['Region', s(r.region)], ['Email', s(r.email)]])),
  },
  {
    type: 'locations', code: 14, label: 'Location', table: 'locations', date: '',
    select: 'SELECT r.*, a.name AS account_name FROM locations r LEFT JOIN accounts a ON a.id = r.account_id',
    title: (r) => clean(r.name),
    sections: (r) => sec('details', facts([['Address', s(r.address)], ['City', s(r.city)], ['Region', s(r.region)], ['Account', s(r.account_name)]])),
  },
  {
    type: 'agents', code: 15, label: 'Agent', table: 'agents', date: 'hire_date',
    select: 'SELECT r.* FROM agents r',
    title: (r) => clean(r.name),
    sections: (r) => sec('details', facts([['Team', s(r.team)], ['Email', s(r.email)], ['Hired', day(r.hire_date)], ['Active', r.active ? 'yes' : 'no']])),
  },
  {
    type: 'agent_reviews', code: 16, label: 'Agent review', table: 'agent_reviews', date: 'created_at',
    select: 'SELECT r.*, g.name AS agent_name, u.name AS reviewer_name FROM agent_reviews r LEFT JOIN agents g ON g.id = r.agent_id LEFT JOIN users u ON u.id = r.reviewer_id',
    title: (r) => `Review of ${s(r.agent_name)} (${s(r.period)})`,
    sections: (r) => [
      ...sec('strengths', clean(r.strengths) && `Strengths: ${clean(r.strengths)}`, 'restricted'),
      ...sec('improvements', clean(r.improvements) && `Improvements: ${clean(r.improvements)}`, 'restricted'),
      ...sec('details', facts([['Score', s(r.score)], ['Reviewer', s(r.reviewer_name)]]), 'restricted'),
    ],
  },
  {
    type: 'nps_responses', code: 17, label: 'NPS response', table: 'nps_responses', date: 'responded_at',
    select: 'SELECT r.*, a.name AS account_name, trim(coalesce(ct.first_name, \'\') || \' \' || coalesce(ct.last_name, \'\')) AS contact_name FROM nps_responses r LEFT JOIN accounts a ON a.id = r.account_id LEFT JOIN contacts ct ON ct.id = r.contact_id',
    title: (r) => `NPS ${s(r.score)} from ${s(r.account_name) || 'an account'}`,
    sections: (r) => [...sec('comment', clean(r.comment)), ...sec('details', facts([['Contact', s(r.contact_name)], ['Responded', day(r.responded_at)]]))],
  },
  {
    type: 'renewals', code: 18, label: 'Renewal', table: 'renewals', date: 'renewal_date',
    select: 'SELECT r.*, a.name AS account_name FROM renewals r LEFT JOIN accounts a ON a.id = r.account_id',
    title: (r) => `Renewal of ${s(r.account_name) || 'an account'} on ${day(r.renewal_date)}`,
    sections: (r) => sec('details', facts([['Status', label(r.status)], ['Amount', money(r.amount)]])),
  },
  {
    type: 'business_foundation', code: 19, label: 'Business foundation', table: 'business_foundation', date: 'updated_at',
    select: 'SELECT r.* FROM business_foundation r',
    title: () => 'Business foundation',
    sections: (r) => [
      ...sec('vision', clean(r.vision) && `Vision: ${clean(r.vision)}`),
      ...sec('purpose', clean(r.purpose) && `Purpose: ${clean(r.purpose)}`),
      ...sec('core_values', listText(r.core_values) && `Core values: ${listText(r.core_values)}`),
      ...sec('target_market', clean(r.target_market) && `Target market: ${clean(r.target_market)}`),
      ...sec('value_proposition', clean(r.value_proposition) && `Value proposition: ${clean(r.value_proposition)}`),
    ],
  },
  {
    type: 'goals', code: 20, label: 'Goal', table: 'goals', date: 'created_at',
    select: 'SELECT r.*, u.name AS owner_name FROM goals r LEFT JOIN users u ON u.id = r.owner_id',
    title: (r) => clean(r.title),
    sections: (r) => [
      ...sec('description', clean(r.description)),
      ...sec('details', facts([['Category', s(r.category)], ['Status', label(r.status)], ['Progress', pct(r.progress)], ['Target date', day(r.target_date)], ['Owner', s(r.owner_name)]])),
    ],
    childEntities: ['goal_strategies'],
    children: [
      {
        key: 'strategies',
        sql: 'SELECT g.*, g.goal_id AS parent_id FROM goal_strategies g WHERE g.goal_id IN (SELECT value FROM json_each(?)) ORDER BY g.goal_id, g.id',
        sections: (g) => sec(`strategy:${s(g.id)}`, `Strategy ${clean(g.title)} (${s(g.status)})${g.description ? `: ${clean(g.description)}` : ''}`),
      },
    ],
  },
  {
    type: 'kpis', code: 21, label: 'KPI', table: 'kpis', date: 'created_at',
    select: 'SELECT r.*, g.title AS goal_title FROM kpis r LEFT JOIN goals g ON g.id = r.goal_id',
    title: (r) => clean(r.name),
    sections: (r) => sec('details', facts([['Unit', s(r.unit)], ['Target', s(r.target)], ['Current', s(r.current)], ['Better when', r.direction === 'down' ? 'lower' : 'higher'], ['Goal', s(r.goal_title)]])),
  },
  {
    type: 'actions', code: 22, label: 'Action', table: 'actions', date: 'created_at',
    select: 'SELECT r.*, g.title AS goal_title, u.name AS owner_name FROM actions r LEFT JOIN goals g ON g.id = r.goal_id LEFT JOIN users u ON u.id = r.owner_id',
    title: (r) => clean(r.title),
    sections: (r) => [...sec('description', clean(r.description)), ...sec('details', facts([['Status', label(r.status)], ['Due', day(r.due_date)], ['Owner', s(r.owner_name)], ['Goal', s(r.goal_title)]]))],
  },
  {
    type: 'issues', code: 23, label: 'Issue', table: 'issues', date: 'created_at',
    select: 'SELECT r.*, u.name AS owner_name FROM issues r LEFT JOIN users u ON u.id = r.owner_id',
    title: (r) => clean(r.title),
    sections: (r) => [...sec('description', clean(r.description)), ...sec('details', facts([['Severity', s(r.severity)], ['Status', s(r.status)], ['Owner', s(r.owner_name)], ['Resolved', day(r.resolved_at)]]))],
  },
  {
    type: 'notes', code: 24, label: 'Note', table: 'notes', date: 'created_at',
    select: 'SELECT r.*, u.name AS author_name FROM notes r LEFT JOIN users u ON u.id = r.author_id',
    title: (r) => `Note on ${label(r.entity_type)} #${s(r.entity_id)}`,
    sections: (r) => sec('body', `${s(r.author_name) ? `${s(r.author_name)}: ` : ''}${clean(r.body)}`, 'internal'),
  },
  {
    type: 'users', code: 25, label: 'User', table: 'users', date: 'created_at',
    select: 'SELECT r.* FROM users r',
    title: (r) => clean(r.name),
    sections: (r) => sec('details', facts([['Role', s(r.role)], ['Team', s(r.team)], ['Email', s(r.email)]])),
  },
];

const byType = new Map(SOURCES.map((src) => [src.type, src]));
const byCode = new Map(SOURCES.map((src) => [src.code, src]));
export const SOURCE_TYPES = SOURCES.map((src) => src.type);
export const getSource = (type: string): SourceSpec | undefined => byType.get(type);
export const sourceByCode = (code: number): SourceSpec | undefined => byCode.get(code);
