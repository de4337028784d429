/**
 * The catalog of workspace entity types: what the Data page browses, what CSV import maps and validates, and what
 * `data stats` counts. It mirrors the SQL schema in src/main/core/db/migrations/workspace; an invariant test keeps
 * the two in step.
 */
export type ColumnType = 'id' | 'text' | 'longtext' | 'integer' | 'number' | 'boolean' | 'date' | 'datetime' | 'enum';

export interface ColumnSpec {
  name: string;
  label: string;
  type: ColumnType;
  required?: boolean;
  values?: readonly string[];
  /** Entity key this column points at (a foreign key). */
  ref?: string;
  /** A reference whose entity type is held in another column of the row (notes: entity_type + entity_id). */
  refTypeColumn?: string;
  min?: number;
  max?: number;
  /** Hidden from the table browser by default (long bodies, internal links). */
  hidden?: boolean;
  /** Value stored when the cell is empty (mirrors the SQL DEFAULT). */
  default?: string | number;
  /**
   * Personal data members must not see (personal emails and phone numbers, national ids, salaries): masked for them
   * wherever record text is returned (src/shared/masking.ts).
   */
  sensitive?: boolean;
}

export type EntityGroup = 'crm' | 'support' | 'inbox' | 'projects' | 'marketing' | 'dispatch' | 'vendors' | 'performance' | 'success' | 'business' | 'people';

export interface EntitySpec {
  key: string;
  table: string;
  label: string;
  group: EntityGroup;
  /** Main entity types can be imported from CSV. Child rows (comments, metrics) come with their parents. */
  importable: boolean;
  /** One record, for links and headings ("Ticket", "Activity"). */
  singular: string;
  /** Column holding a human-facing code or name, used for titles and search. */
  titleColumn: string;
  /** When a record's name spans columns (a contact's first and last name), they are joined with spaces. */
  titleColumns?: readonly string[];
  /** The code people quote (TCK-000575, PRJ-0007): matched exactly by the record picker and `data.lookup`. */
  codeColumn?: string;
  /** A second line under the title in pickers and link tooltips (a ticket's subject). */
  subtitleColumn?: string;
  searchColumns: readonly string[];
  /** Default sort of the browser. */
  defaultSort: { column: string; desc: boolean };
  /** Tables keyed by a composite primary key (daily metrics) have no single id column. */
  primaryKey: readonly string[];
  columns: readonly ColumnSpec[];
}

const c = {
  id: (): ColumnSpec => ({ name: 'id', label: 'ID', type: 'id' }),
  text: (name: string, label: string, extra: Partial<ColumnSpec> = {}): ColumnSpec => ({ name, label, type: 'text', ...extra }),
  long: (name: string, label: string, extra: Partial<ColumnSpec> = {}): ColumnSpec => ({ name, label, type: 'longtext', hidden: true, ...extra }),
  int: (name: string, label: string, extra: Partial<ColumnSpec> = {}): ColumnSpec => ({ name, label, type: 'integer', ...extra }),
  num: (name: string, label: string, extra: Partial<ColumnSpec> = {}): ColumnSpec => ({ name, label, type: 'number', ...extra }),
  bool: (name: string, label: string, extra: Partial<ColumnSpec> = {}): ColumnSpec => ({ name, label, type: 'boolean', ...extra }),
  date: (name: string, label: string, extra: Partial<ColumnSpec> = {}): ColumnSpec => ({ name, label, type: 'date', ...extra }),
  dt: (name: string, label: string, extra: Partial<ColumnSpec> = {}): ColumnSpec => ({ name, label, type: 'datetime', ...extra }),
  en: (name: string, label: string, values: readonly string[], extra: Partial<ColumnSpec> = {}): ColumnSpec => ({ name, label, type: 'enum', values, ...extra }),
  ref: (name: string, label: string, ref: string, extra: Partial<ColumnSpec> = {}): ColumnSpec => ({ name, label, type: 'integer', ref, ...extra }),
};

const created = c.dt('created_at', 'Created', { required: true });
const single = ['id'] as const;
const byId = { column: 'id', desc: true };

export const ENUMS = {
  userRole: ['admin', 'manager', 'agent', 'sales', 'technician', 'analyst', 'viewer'],
  tier: ['smb', 'mid_market', 'enterprise'],
  accountLifecycle: ['prospect', 'customer', 'churned'],
  contactStage: ['lead', 'mql', 'sql', 'opportunity', 'customer', 'evangelist', 'other'],
  dealStage: ['prospecting', 'qualification', 'proposal', 'negotiation', 'closed_won', 'closed_lost'],
  activityType: ['call', 'email', 'meeting', 'note'],
  taskStatus: ['open', 'in_progress', 'done', 'cancelled'],
  priority4: ['low', 'medium', 'high', 'urgent'],
  projectStatus: ['planned', 'active', 'on_hold', 'completed', 'cancelled'],
  milestoneStatus: ['pending', 'done', 'missed'],
  projectTaskStatus: ['todo', 'in_progress', 'blocked', 'done'],
  ticketStatus: ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'],
  ticketPriority: ['low', 'normal', 'high', 'urgent'],
  ticketChannel: ['email', 'chat', 'phone', 'web', 'social'],
  authorType: ['customer', 'agent', 'system'],
  slaMetric: ['first_response', 'resolution'],
  conversationChannel: ['email', 'chat', 'sms', 'whatsapp', 'social'],
  conversationStatus: ['open', 'snoozed', 'closed'],
  direction: ['inbound', 'outbound'],
  campaignChannel: ['email', 'search', 'social', 'display', 'events'],
  campaignStatus: ['draft', 'active', 'paused', 'completed'],
  jobStatus: ['unscheduled', 'scheduled', 'en_route', 'in_progress', 'completed', 'cancelled'],
  vendorStatus: ['active', 'probation', 'inactive'],
  poStatus: ['open', 'partially_delivered', 'delivered', 'cancelled'],
  incidentSeverity: ['minor', 'major', 'critical'],
  renewalStatus: ['upcoming', 'renewed', 'churned', 'at_risk'],
  goalCategory: ['strategy', 'operations', 'finance', 'marketing', 'leadership', 'sales', 'customer'],
  goalStatus: ['not_started', 'on_track', 'at_risk', 'off_track', 'achieved'],
  strategyStatus: ['proposed', 'active', 'done', 'dropped'],
  kpiDirection: ['up', 'down'],
  actionStatus: ['open', 'in_progress', 'done', 'blocked'],
  issueSeverity: ['low', 'medium', 'high', 'critical'],
  issueStatus: ['open', 'investigating', 'resolved'],
} as const;

export const ENTITIES: readonly EntitySpec[] = [
  // People
  {
    key: 'users', table: 'users', label: 'Users', singular: 'User', subtitleColumn: 'email', group: 'people', importable: true, titleColumn: 'name',
    searchColumns: ['name', 'email', 'team'], defaultSort: { column: 'name', desc: false }, primaryKey: single,
    columns: [c.id(), c.text('name', 'Name', { required: true }), c.text('email', 'Email'), c.en('role', 'Role', ENUMS.userRole, { required: true }), c.text('team', 'Team'), c.bool('active', 'Active', { default: 1 }), created],
  },
  // CRM
  {
    key: 'accounts', table: 'accounts', label: 'Accounts', singular: 'Account', subtitleColumn: 'domain', group: 'crm', importable: true, titleColumn: 'name',
    searchColumns: ['name', 'domain', 'industry', 'region'], defaultSort: { column: 'name', desc: false }, primaryKey: single,
    columns: [c.id(), c.text('name', 'Name', { required: true }), c.text('domain', 'Domain'), c.text('industry', 'Industry'), c.en('tier', 'Tier', ENUMS.tier), c.text('region', 'Region'), c.int('employees', 'Employees', { min: 0 }), c.num('arr', 'ARR (USD)', { min: 0 }), c.en('lifecycle', 'Lifecycle', ENUMS.accountLifecycle), c.ref('owner_id', 'Owner', 'users'), created],
  },
  {
    key: 'contacts', table: 'contacts', label: 'Contacts', singular: 'Contact', titleColumns: ['first_name', 'last_name'], subtitleColumn: 'email', group: 'crm', importable: true, titleColumn: 'last_name',
    searchColumns: ['first_name', 'last_name', 'email', 'title'], defaultSort: { column: 'last_name', desc: false }, primaryKey: single,
    columns: [c.id(), c.ref('account_id', 'Account', 'accounts'), c.text('first_name', 'First name', { required: true }), c.text('last_name', 'Last name', { required: true }), c.text('email', 'Email'), c.text('phone', 'Phone'), c.text('title', 'Title'), c.en('lifecycle_stage', 'Stage', ENUMS.contactStage), c.ref('owner_id', 'Owner', 'users'), created],
  },
  {
    key: 'deals', table: 'deals', label: 'Deals', singular: 'Deal', group: 'crm', importable: true, titleColumn: 'name',
    searchColumns: ['name', 'source'], defaultSort: { column: 'close_date', desc: false }, primaryKey: single,
    columns: [c.id(), c.text('name', 'Name', { required: true }), c.ref('account_id', 'Account', 'accounts'), c.ref('contact_id', 'Contact', 'contacts'), c.en('stage', 'Stage', ENUMS.dealStage, { required: true }), c.num('amount', 'Amount (USD)', { min: 0 }), c.num('probability', 'Probability', { min: 0, max: 1 }), c.date('close_date', 'Close date'), c.ref('owner_id', 'Owner', 'users'), c.text('source', 'Source'), created, c.dt('updated_at', 'Updated')],
  },
  {
    key: 'activities', table: 'activities', label: 'Activities', singular: 'Activity', group: 'crm', importable: true, titleColumn: 'subject',
    searchColumns: ['subject', 'body'], defaultSort: { column: 'occurred_at', desc: true }, primaryKey: single,
    columns: [c.id(), c.en('type', 'Type', ENUMS.activityType, { required: true }), c.text('subject', 'Subject', { required: true }), c.long('body', 'Body'), c.ref('account_id', 'Account', 'accounts'), c.ref('contact_id', 'Contact', 'contacts'), c.ref('deal_id', 'Deal', 'deals'), c.ref('user_id', 'User', 'users'), c.dt('occurred_at', 'Occurred', { required: true })],
  },
  {
    key: 'tasks', table: 'tasks', label: 'Tasks', singular: 'Task', group: 'crm', importable: true, titleColumn: 'title',
    searchColumns: ['title', 'description'], defaultSort: { column: 'due_date', desc: false }, primaryKey: single,
    columns: [c.id(), c.text('title', 'Title', { required: true }), c.long('description', 'Description'), c.en('status', 'Status', ENUMS.taskStatus, { required: true }), c.en('priority', 'Priority', ENUMS.priority4), c.date('due_date', 'Due'), c.ref('assignee_id', 'Assignee', 'users'), c.ref('account_id', 'Account', 'accounts'), c.ref('contact_id', 'Contact', 'contacts'), c.ref('deal_id', 'Deal', 'deals'), created, c.dt('completed_at', 'Completed')],
  },
  // Projects
  {
    key: 'projects', table: 'projects', label: 'Projects', singular: 'Project', codeColumn: 'code', group: 'projects', importable: true, titleColumn: 'name',
    searchColumns: ['code', 'name', 'description'], defaultSort: { column: 'due_date', desc: false }, primaryKey: single,
    columns: [c.id(), c.text('code', 'Code', { required: true }), c.text('name', 'Name', { required: true }), c.long('description', 'Description'), c.en('status', 'Status', ENUMS.projectStatus, { required: true }), c.ref('owner_id', 'Owner', 'users'), c.ref('account_id', 'Account', 'accounts'), c.num('budget', 'Budget (USD)', { min: 0 }), c.num('spent', 'Spent (USD)', { min: 0 }), c.date('start_date', 'Start'), c.date('due_date', 'Due'), created],
  },
  {
    key: 'project_milestones', table: 'project_milestones', label: 'Milestones', singular: 'Milestone', group: 'projects', importable: false, titleColumn: 'name',
    searchColumns: ['name'], defaultSort: { column: 'due_date', desc: false }, primaryKey: single,
    columns: [c.id(), c.ref('project_id', 'Project', 'projects', { required: true }), c.text('name', 'Name', { required: true }), c.date('due_date', 'Due'), c.en('status', 'Status', ENUMS.milestoneStatus, { required: true }), c.dt('completed_at', 'Completed')],
  },
  {
    key: 'project_tasks', table: 'project_tasks', label: 'Project tasks', singular: 'Project task', group: 'projects', importable: false, titleColumn: 'title',
    searchColumns: ['title', 'blocked_reason'], defaultSort: byId, primaryKey: single,
    columns: [c.id(), c.ref('project_id', 'Project', 'projects', { required: true }), c.ref('milestone_id', 'Milestone', 'project_milestones'), c.text('title', 'Title', { required: true }), c.en('status', 'Status', ENUMS.projectTaskStatus, { required: true }), c.ref('assignee_id', 'Assignee', 'users'), c.num('estimate_hours', 'Estimate (h)', { min: 0 }), c.num('actual_hours', 'Actual (h)', { min: 0 }), c.date('due_date', 'Due'), c.text('blocked_reason', 'Blocked because'), created, c.dt('completed_at', 'Completed')],
  },
  // Support
  {
    key: 'agents', table: 'agents', label: 'Agents', singular: 'Agent', group: 'performance', importable: true, titleColumn: 'name',
    searchColumns: ['name', 'email', 'team'], defaultSort: { column: 'name', desc: false }, primaryKey: single,
    columns: [c.id(), c.ref('user_id', 'User', 'users'), c.text('name', 'Name', { required: true }), c.text('email', 'Email'), c.text('team', 'Team'), c.date('hire_date', 'Hired'), c.bool('active', 'Active', { default: 1 })],
  },
  {
    key: 'tickets', table: 'tickets', label: 'Tickets', singular: 'Ticket', codeColumn: 'code', subtitleColumn: 'subject', group: 'support', importable: true, titleColumn: 'code',
    searchColumns: ['code', 'subject', 'description', 'category'], defaultSort: { column: 'created_at', desc: true }, primaryKey: single,
    columns: [c.id(), c.text('code', 'Code', { required: true }), c.text('subject', 'Subject', { required: true }), c.long('description', 'Description'), c.en('status', 'Status', ENUMS.ticketStatus, { required: true }), c.en('priority', 'Priority', ENUMS.ticketPriority, { required: true }), c.text('category', 'Category'), c.en('channel', 'Channel', ENUMS.ticketChannel), c.ref('account_id', 'Account', 'accounts'), c.ref('contact_id', 'Contact', 'contacts'), c.ref('agent_id', 'Agent', 'agents'), created, c.dt('updated_at', 'Updated'), c.dt('first_response_at', 'First response'), c.dt('resolved_at', 'Resolved'), c.dt('sla_due_at', 'SLA due'), c.int('csat', 'CSAT', { min: 1, max: 5 })],
  },
  {
    key: 'ticket_comments', table: 'ticket_comments', label: 'Ticket comments', singular: 'Comment', group: 'support', importable: false, titleColumn: 'id',
    searchColumns: ['body', 'author_name'], defaultSort: { column: 'created_at', desc: true }, primaryKey: single,
    columns: [c.id(), c.ref('ticket_id', 'Ticket', 'tickets', { required: true }), c.en('author_type', 'Author type', ENUMS.authorType, { required: true }), c.text('author_name', 'Author'), c.ref('agent_id', 'Agent', 'agents'), c.long('body', 'Body', { required: true, hidden: false }), c.bool('internal', 'Internal', { default: 0 }), created],
  },
  {
    key: 'ticket_sla_events', table: 'ticket_sla_events', label: 'SLA events', singular: 'SLA event', group: 'support', importable: false, titleColumn: 'metric',
    searchColumns: ['metric'], defaultSort: { column: 'target_at', desc: true }, primaryKey: single,
    columns: [c.id(), c.ref('ticket_id', 'Ticket', 'tickets', { required: true }), c.en('metric', 'Metric', ENUMS.slaMetric, { required: true }), c.dt('target_at', 'Target', { required: true }), c.dt('achieved_at', 'Achieved'), c.bool('breached', 'Breached', { default: 0 })],
  },
  {
    key: 'ticket_status_history', table: 'ticket_status_history', label: 'Ticket status history', singular: 'Status change', group: 'support', importable: false, titleColumn: 'to_status',
    searchColumns: ['from_status', 'to_status', 'changed_by'], defaultSort: { column: 'changed_at', desc: true }, primaryKey: single,
    columns: [c.id(), c.ref('ticket_id', 'Ticket', 'tickets', { required: true }), c.text('from_status', 'From'), c.text('to_status', 'To', { required: true }), c.text('changed_by', 'Changed by'), c.dt('changed_at', 'Changed', { required: true })],
  },
  // Inbox
  {
    key: 'conversations', table: 'conversations', label: 'Conversations', singular: 'Conversation', group: 'inbox', importable: true, titleColumn: 'subject',
    searchColumns: ['subject'], defaultSort: { column: 'last_message_at', desc: true }, primaryKey: single,
    columns: [c.id(), c.en('channel', 'Channel', ENUMS.conversationChannel, { required: true }), c.text('subject', 'Subject', { required: true }), c.ref('contact_id', 'Contact', 'contacts'), c.ref('account_id', 'Account', 'accounts'), c.ref('agent_id', 'Agent', 'agents'), c.en('status', 'Status', ENUMS.conversationStatus, { required: true }), created, c.dt('last_message_at', 'Last message')],
  },
  {
    key: 'messages', table: 'messages', label: 'Messages', singular: 'Message', group: 'inbox', importable: false, titleColumn: 'id',
    searchColumns: ['sender', 'body'], defaultSort: { column: 'sent_at', desc: true }, primaryKey: single,
    columns: [c.id(), c.ref('conversation_id', 'Conversation', 'conversations', { required: true }), c.en('direction', 'Direction', ENUMS.direction, { required: true }), c.text('sender', 'Sender'), c.long('body', 'Body', { required: true, hidden: false }), c.dt('sent_at', 'Sent', { required: true })],
  },
  // Marketing
  {
    key: 'campaigns', table: 'campaigns', label: 'Campaigns', singular: 'Campaign', group: 'marketing', importable: true, titleColumn: 'name',
    searchColumns: ['name', 'objective', 'audience'], defaultSort: { column: 'start_date', desc: true }, primaryKey: single,
    columns: [c.id(), c.text('name', 'Name', { required: true }), c.en('channel', 'Channel', ENUMS.campaignChannel, { required: true }), c.text('objective', 'Objective'), c.en('status', 'Status', ENUMS.campaignStatus, { required: true }), c.num('budget', 'Budget (USD)', { min: 0 }), c.date('start_date', 'Start'), c.date('end_date', 'End'), c.text('audience', 'Audience'), c.ref('owner_id', 'Owner', 'users'), created],
  },
  {
    key: 'campaign_metrics_daily', table: 'campaign_metrics_daily', label: 'Campaign daily metrics', singular: 'Daily metrics', group: 'marketing', importable: false, titleColumn: 'date',
    searchColumns: [], defaultSort: { column: 'date', desc: true }, primaryKey: ['campaign_id', 'date'],
    columns: [c.ref('campaign_id', 'Campaign', 'campaigns', { required: true }), c.date('date', 'Date', { required: true }), c.int('impressions', 'Impressions', { min: 0 }), c.int('clicks', 'Clicks', { min: 0 }), c.int('conversions', 'Conversions', { min: 0 }), c.num('spend', 'Spend (USD)', { min: 0 }), c.num('revenue', 'Revenue (USD)', { min: 0 })],
  },
  // Dispatch
  {
    key: 'technicians', table: 'technicians', label: 'Technicians', singular: 'Technician', group: 'dispatch', importable: true, titleColumn: 'name',
    searchColumns: ['name', 'skills', 'region'], defaultSort: { column: 'name', desc: false }, primaryKey: single,
    columns: [c.id(), c.text('name', 'Name', { required: true }), c.text('email', 'Email'), c.text('phone', 'Phone'), c.text('skills', 'Skills'), c.text('region', 'Region'), c.bool('active', 'Active', { default: 1 }), created],
  },
  {
    key: 'locations', table: 'locations', label: 'Locations', singular: 'Location', group: 'dispatch', importable: true, titleColumn: 'name',
    searchColumns: ['name', 'address', 'city', 'region'], defaultSort: { column: 'name', desc: false }, primaryKey: single,
    columns: [c.id(), c.text('name', 'Name', { required: true }), c.text('address', 'Address'), c.text('city', 'City'), c.text('region', 'Region'), c.num('lat', 'Latitude', { min: -90, max: 90 }), c.num('lng', 'Longitude', { min: -180, max: 180 }), c.ref('account_id', 'Account', 'accounts')],
  },
  {
    key: 'dispatch_jobs', table: 'dispatch_jobs', label: 'Dispatch jobs', singular: 'Dispatch job', codeColumn: 'code', subtitleColumn: 'job_type', group: 'dispatch', importable: true, titleColumn: 'code',
    searchColumns: ['code', 'job_type', 'description'], defaultSort: { column: 'window_start', desc: true }, primaryKey: single,
    columns: [c.id(), c.text('code', 'Code', { required: true }), c.ref('account_id', 'Account', 'accounts'), c.ref('location_id', 'Location', 'locations'), c.ref('technician_id', 'Technician', 'technicians'), c.text('job_type', 'Type'), c.en('priority', 'Priority', ENUMS.priority4), c.en('status', 'Status', ENUMS.jobStatus, { required: true }), c.dt('window_start', 'Window start'), c.dt('window_end', 'Window end'), c.dt('scheduled_start', 'Scheduled start'), c.dt('scheduled_end', 'Scheduled end'), c.dt('completed_at', 'Completed'), c.dt('sla_due_at', 'SLA due'), c.long('description', 'Description'), created],
  },
  // Vendors
  {
    key: 'vendors', table: 'vendors', label: 'Vendors', singular: 'Vendor', group: 'vendors', importable: true, titleColumn: 'name',
    searchColumns: ['name', 'category'], defaultSort: { column: 'name', desc: false }, primaryKey: single,
    columns: [c.id(), c.text('name', 'Name', { required: true }), c.text('category', 'Category'), c.text('contact_email', 'Contact email'), c.text('phone', 'Phone'), c.en('status', 'Status', ENUMS.vendorStatus, { required: true }), c.num('rating', 'Rating', { min: 0, max: 5 }), c.date('contract_end', 'Contract end'), created],
  },
  {
    key: 'purchase_orders', table: 'purchase_orders', label: 'Purchase orders', singular: 'Purchase order', codeColumn: 'code', group: 'vendors', importable: true, titleColumn: 'code',
    searchColumns: ['code', 'description'], defaultSort: { column: 'ordered_at', desc: true }, primaryKey: single,
    columns: [c.id(), c.text('code', 'Code', { required: true }), c.ref('vendor_id', 'Vendor', 'vendors', { required: true }), c.num('amount', 'Amount (USD)', { min: 0 }), c.dt('ordered_at', 'Ordered', { required: true }), c.dt('expected_at', 'Expected'), c.en('status', 'Status', ENUMS.poStatus, { required: true }), c.long('description', 'Description')],
  },
  {
    key: 'deliveries', table: 'deliveries', label: 'Deliveries', singular: 'Delivery', group: 'vendors', importable: false, titleColumn: 'id',
    searchColumns: ['notes'], defaultSort: { column: 'delivered_at', desc: true }, primaryKey: single,
    columns: [c.id(), c.ref('purchase_order_id', 'Purchase order', 'purchase_orders', { required: true }), c.dt('delivered_at', 'Delivered', { required: true }), c.int('quantity', 'Quantity', { min: 0 }), c.bool('on_time', 'On time'), c.text('notes', 'Notes')],
  },
  {
    key: 'vendor_quality_incidents', table: 'vendor_quality_incidents', label: 'Quality incidents', singular: 'Quality incident', group: 'vendors', importable: false, titleColumn: 'severity',
    searchColumns: ['description'], defaultSort: { column: 'occurred_at', desc: true }, primaryKey: single,
    columns: [c.id(), c.ref('vendor_id', 'Vendor', 'vendors', { required: true }), c.ref('purchase_order_id', 'Purchase order', 'purchase_orders'), c.en('severity', 'Severity', ENUMS.incidentSeverity, { required: true }), c.long('description', 'Description', { hidden: false }), c.dt('occurred_at', 'Occurred', { required: true }), c.dt('resolved_at', 'Resolved')],
  },
  // Agent performance
  {
    key: 'agent_metrics_daily', table: 'agent_metrics_daily', label: 'Agent daily metrics', singular: 'Daily metrics', group: 'performance', importable: false, titleColumn: 'date',
    searchColumns: [], defaultSort: { column: 'date', desc: true }, primaryKey: ['agent_id', 'date'],
    columns: [c.ref('agent_id', 'Agent', 'agents', { required: true }), c.date('date', 'Date', { required: true }), c.int('tickets_handled', 'Tickets handled', { min: 0 }), c.num('avg_handle_minutes', 'Avg handle (min)', { min: 0 }), c.num('first_response_minutes', 'First response (min)', { min: 0 }), c.num('csat', 'CSAT', { min: 1, max: 5 }), c.num('qa_score', 'QA score', { min: 0, max: 100 })],
  },
  {
    key: 'agent_reviews', table: 'agent_reviews', label: 'Agent reviews', singular: 'Review', group: 'performance', importable: false, titleColumn: 'period',
    searchColumns: ['strengths', 'improvements'], defaultSort: { column: 'created_at', desc: true }, primaryKey: single,
    columns: [c.id(), c.ref('agent_id', 'Agent', 'agents', { required: true }), c.ref('reviewer_id', 'Reviewer', 'users'), c.text('period', 'Period', { required: true }), c.num('score', 'Score', { min: 0, max: 100 }), c.long('strengths', 'Strengths'), c.long('improvements', 'Improvements'), created],
  },
  // Customer success
  {
    key: 'customer_usage_daily', table: 'customer_usage_daily', label: 'Customer usage', singular: 'Daily usage', group: 'success', importable: false, titleColumn: 'date',
    searchColumns: [], defaultSort: { column: 'date', desc: true }, primaryKey: ['account_id', 'date'],
    columns: [c.ref('account_id', 'Account', 'accounts', { required: true }), c.date('date', 'Date', { required: true }), c.int('active_users', 'Active users', { min: 0 }), c.int('sessions', 'Sessions', { min: 0 }), c.num('feature_adoption', 'Feature adoption', { min: 0, max: 1 })],
  },
  {
    key: 'nps_responses', table: 'nps_responses', label: 'NPS responses', singular: 'NPS response', group: 'success', importable: true, titleColumn: 'score',
    searchColumns: ['comment'], defaultSort: { column: 'responded_at', desc: true }, primaryKey: single,
    columns: [c.id(), c.ref('account_id', 'Account', 'accounts', { required: true }), c.ref('contact_id', 'Contact', 'contacts'), c.int('score', 'Score', { required: true, min: 0, max: 10 }), c.long('comment', 'Comment', { hidden: false }), c.dt('responded_at', 'Responded', { required: true })],
  },
  {
    key: 'renewals', table: 'renewals', label: 'Renewals', singular: 'Renewal', group: 'success', importable: true, titleColumn: 'renewal_date',
    searchColumns: [], defaultSort: { column: 'renewal_date', desc: false }, primaryKey: single,
    columns: [c.id(), c.ref('account_id', 'Account', 'accounts', { required: true }), c.date('renewal_date', 'Renewal date', { required: true }), c.num('amount', 'Amount (USD)', { min: 0 }), c.en('status', 'Status', ENUMS.renewalStatus, { required: true }), created],
  },
  // Business foundation, goals, KPIs
  {
    key: 'business_foundation', table: 'business_foundation', label: 'Business foundation', singular: 'Business foundation', group: 'business', importable: false, titleColumn: 'vision',
    searchColumns: ['vision', 'purpose', 'target_market', 'value_proposition'], defaultSort: byId, primaryKey: single,
    columns: [c.id(), c.long('vision', 'Vision', { hidden: false }), c.long('purpose', 'Purpose', { hidden: false }), c.long('core_values', 'Core values (JSON list)'), c.long('target_market', 'Target market'), c.long('value_proposition', 'Value proposition'), c.dt('updated_at', 'Updated', { required: true })],
  },
  {
    key: 'goals', table: 'goals', label: 'Goals', singular: 'Goal', group: 'business', importable: true, titleColumn: 'title',
    searchColumns: ['title', 'description'], defaultSort: { column: 'target_date', desc: false }, primaryKey: single,
    columns: [c.id(), c.text('title', 'Title', { required: true }), c.long('description', 'Description'), c.en('category', 'Category', ENUMS.goalCategory, { required: true }), c.ref('owner_id', 'Owner', 'users'), c.date('start_date', 'Start'), c.date('target_date', 'Target date'), c.en('status', 'Status', ENUMS.goalStatus, { required: true }), c.num('progress', 'Progress', { min: 0, max: 1 }), created],
  },
  {
    key: 'goal_strategies', table: 'goal_strategies', label: 'Strategies', singular: 'Strategy', group: 'business', importable: false, titleColumn: 'title',
    searchColumns: ['title', 'description'], defaultSort: byId, primaryKey: single,
    columns: [c.id(), c.ref('goal_id', 'Goal', 'goals', { required: true }), c.text('title', 'Title', { required: true }), c.long('description', 'Description'), c.en('status', 'Status', ENUMS.strategyStatus, { required: true })],
  },
  {
    key: 'kpis', table: 'kpis', label: 'KPIs', singular: 'KPI', group: 'business', importable: true, titleColumn: 'name',
    searchColumns: ['name'], defaultSort: { column: 'name', desc: false }, primaryKey: single,
    columns: [c.id(), c.ref('goal_id', 'Goal', 'goals'), c.text('name', 'Name', { required: true }), c.text('unit', 'Unit'), c.num('target', 'Target'), c.num('current', 'Current'), c.en('direction', 'Better when', ENUMS.kpiDirection, { required: true }), created],
  },
  {
    key: 'kpi_progress', table: 'kpi_progress', label: 'KPI progress', singular: 'KPI reading', group: 'business', importable: false, titleColumn: 'date',
    searchColumns: [], defaultSort: { column: 'date', desc: true }, primaryKey: ['kpi_id', 'date'],
    columns: [c.ref('kpi_id', 'KPI', 'kpis', { required: true }), c.date('date', 'Date', { required: true }), c.num('value', 'Value', { required: true })],
  },
  {
    key: 'actions', table: 'actions', label: 'Actions', singular: 'Action', group: 'business', importable: true, titleColumn: 'title',
    searchColumns: ['title', 'description'], defaultSort: { column: 'due_date', desc: false }, primaryKey: single,
    columns: [c.id(), c.ref('goal_id', 'Goal', 'goals'), c.text('title', 'Title', { required: true }), c.long('description', 'Description'), c.ref('owner_id', 'Owner', 'users'), c.en('status', 'Status', ENUMS.actionStatus, { required: true }), c.date('due_date', 'Due'), created, c.dt('completed_at', 'Completed')],
  },
  {
    key: 'issues', table: 'issues', label: 'Issues', singular: 'Issue', group: 'business', importable: true, titleColumn: 'title',
    searchColumns: ['title', 'description'], defaultSort: { column: 'created_at', desc: true }, primaryKey: single,
    columns: [c.id(), c.text('title', 'Title', { required: true }), c.long('description', 'Description'), c.en('severity', 'Severity', ENUMS.issueSeverity, { required: true }), c.en('status', 'Status', ENUMS.issueStatus, { required: true }), c.ref('owner_id', 'Owner', 'users'), created, c.dt('resolved_at', 'Resolved')],
  },
  {
    key: 'notes', table: 'notes', label: 'Notes', singular: 'Note', group: 'crm', importable: true, titleColumn: 'id',
    searchColumns: ['body'], defaultSort: { column: 'created_at', desc: true }, primaryKey: single,
    columns: [c.id(), c.text('entity_type', 'About (entity type)', { required: true }), c.int('entity_id', 'About (id)', { required: true, refTypeColumn: 'entity_type' }), c.long('body', 'Body', { required: true, hidden: false }), c.ref('author_id', 'Author', 'users'), created],
  },
];

const byKey = new Map(ENTITIES.map((e) => [e.key, e]));
export const ENTITY_KEYS = ENTITIES.map((e) => e.key);
export const IMPORTABLE_ENTITY_KEYS = ENTITIES.filter((e) => e.importable).map((e) => e.key);

export const getEntity = (key: string): EntitySpec | undefined => byKey.get(key);
