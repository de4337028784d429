import type { Migration } from '../../migrate';

/**
 * The operational domain: CRM, support, inbox, projects, marketing, dispatch, vendors, agent performance,
 * customer success and the business foundation. Enumerations are validated by the app (src/shared/entities.ts),
 * not by CHECK constraints, so that later migrations can add values without rebuilding tables.
 * Times are ISO-8601 UTC text ('2026-01-31T09:30:00Z'), dates 'YYYY-MM-DD', money REAL in USD.
 */
export const migration001Domain: Migration = {
  version: 1,
  name: 'domain',
  sql: /* sql */ `
CREATE TABLE workspace_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE users (
  id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT, role TEXT NOT NULL, team TEXT,
  active INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL
);

CREATE TABLE accounts (
  id INTEGER PRIMARY KEY, name TEXT NOT NULL, domain TEXT, industry TEXT, tier TEXT, region TEXT, employees INTEGER,
  arr REAL, lifecycle TEXT, owner_id INTEGER REFERENCES users(id) ON DELETE SET NULL, created_at TEXT NOT NULL
);
CREATE TABLE contacts (
  id INTEGER PRIMARY KEY, account_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL, first_name TEXT NOT NULL,
  last_name TEXT NOT NULL, email TEXT, phone TEXT, title TEXT, lifecycle_stage TEXT,
  owner_id INTEGER REFERENCES users(id) ON DELETE SET NULL, created_at TEXT NOT NULL
);
CREATE INDEX contacts_account ON contacts(account_id);
CREATE TABLE deals (
  id INTEGER PRIMARY KEY, name TEXT NOT NULL, account_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
  contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL, stage TEXT NOT NULL, amount REAL, probability REAL,
  close_date TEXT, owner_id INTEGER REFERENCES users(id) ON DELETE SET NULL, source TEXT, created_at TEXT NOT NULL, updated_at TEXT
);
CREATE INDEX deals_account ON deals(account_id);
CREATE INDEX deals_stage_close ON deals(stage, close_date);
CREATE TABLE activities (
  id INTEGER PRIMARY KEY, type TEXT NOT NULL, subject TEXT NOT NULL, body TEXT,
  account_id INTEGER REFERENCES accounts(id) ON DELETE CASCADE, contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
  deal_id INTEGER REFERENCES deals(id) ON DELETE SET NULL, user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  occurred_at TEXT NOT NULL
);
CREATE INDEX activities_account ON activities(account_id, occurred_at);
CREATE INDEX activities_deal ON activities(deal_id);
CREATE TABLE tasks (
  id INTEGER PRIMARY KEY, title TEXT NOT NULL, description TEXT, status TEXT NOT NULL, priority TEXT, due_date TEXT,
  assignee_id INTEGER REFERENCES users(id) ON DELETE SET NULL, account_id INTEGER REFERENCES accounts(id) ON DELETE CASCADE,
  contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL, deal_id INTEGER REFERENCES deals(id) ON DELETE SET NULL,
  created_at TEXT NOT NULL, completed_at TEXT
);
CREATE INDEX tasks_due ON tasks(status, due_date);

CREATE TABLE projects (
  id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, name TEXT NOT NULL, description TEXT, status TEXT NOT NULL,
  owner_id INTEGER REFERENCES users(id) ON DELETE SET NULL, account_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
  budget REAL, spent REAL, start_date TEXT, due_date TEXT, created_at TEXT NOT NULL
);
CREATE TABLE project_milestones (
  id INTEGER PRIMARY KEY, project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE, name TEXT NOT NULL,
  due_date TEXT, status TEXT NOT NULL, completed_at TEXT
);
CREATE INDEX project_milestones_project ON project_milestones(project_id);
CREATE TABLE project_tasks (
  id INTEGER PRIMARY KEY, project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  milestone_id INTEGER REFERENCES project_milestones(id) ON DELETE SET NULL, title TEXT NOT NULL, status TEXT NOT NULL,
  assignee_id INTEGER REFERENCES users(id) ON DELETE SET NULL, estimate_hours REAL, actual_hours REAL, due_date TEXT,
  blocked_reason TEXT, created_at TEXT NOT NULL, completed_at TEXT
);
CREATE INDEX project_tasks_project ON project_tasks(project_id, status);

CREATE TABLE agents (
  id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id) ON DELETE SET NULL, name TEXT NOT NULL, email TEXT,
  team TEXT, hire_date TEXT, active INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE tickets (
  id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, subject TEXT NOT NULL, description TEXT, status TEXT NOT NULL,
  priority TEXT NOT NULL, category TEXT, channel TEXT, account_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
  contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL, agent_id INTEGER REFERENCES agents(id) ON DELETE SET NULL,
  created_at TEXT NOT NULL, updated_at TEXT, first_response_at TEXT, resolved_at TEXT, sla_due_at TEXT, csat INTEGER
);
CREATE INDEX tickets_created ON tickets(created_at);
CREATE INDEX tickets_status ON tickets(status, priority);
CREATE INDEX tickets_account ON tickets(account_id);
CREATE INDEX tickets_agent ON tickets(agent_id);
CREATE TABLE ticket_comments (
  id INTEGER PRIMARY KEY, ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE, author_type TEXT NOT NULL,
  author_name TEXT, agent_id INTEGER REFERENCES agents(id) ON DELETE SET NULL, body TEXT NOT NULL,
  internal INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL
);
CREATE INDEX ticket_comments_ticket ON ticket_comments(ticket_id, created_at);
CREATE TABLE ticket_sla_events (
  id INTEGER PRIMARY KEY, ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE, metric TEXT NOT NULL,
  target_at TEXT NOT NULL, achieved_at TEXT, breached INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ticket_sla_events_ticket ON ticket_sla_events(ticket_id);
CREATE INDEX ticket_sla_events_target ON ticket_sla_events(target_at, breached);
CREATE TABLE ticket_status_history (
  id INTEGER PRIMARY KEY, ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE, from_status TEXT,
  to_status TEXT NOT NULL, changed_by TEXT, changed_at TEXT NOT NULL
);
CREATE INDEX ticket_status_history_ticket ON ticket_status_history(ticket_id, changed_at);

CREATE TABLE conversations (
  id INTEGER PRIMARY KEY, channel TEXT NOT NULL, subject TEXT NOT NULL,
  contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL, account_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
  agent_id INTEGER REFERENCES agents(id) ON DELETE SET NULL, status TEXT NOT NULL, created_at TEXT NOT NULL, last_message_at TEXT
);
CREATE INDEX conversations_last ON conversations(last_message_at);
CREATE TABLE messages (
  id INTEGER PRIMARY KEY, conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  direction TEXT NOT NULL, sender TEXT, body TEXT NOT NULL, sent_at TEXT NOT NULL
);
CREATE INDEX messages_conversation ON messages(conversation_id, sent_at);

CREATE TABLE campaigns (
  id INTEGER PRIMARY KEY, name TEXT NOT NULL, channel TEXT NOT NULL, objective TEXT, status TEXT NOT NULL, budget REAL,
  start_date TEXT, end_date TEXT, audience TEXT, owner_id INTEGER REFERENCES users(id) ON DELETE SET NULL, created_at TEXT NOT NULL
);
CREATE TABLE campaign_metrics_daily (
  campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE, date TEXT NOT NULL, impressions INTEGER,
  clicks INTEGER, conversions INTEGER, spend REAL, revenue REAL, PRIMARY KEY (campaign_id, date)
) WITHOUT ROWID;
CREATE INDEX campaign_metrics_daily_date ON campaign_metrics_daily(date);

CREATE TABLE technicians (
  id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT, phone TEXT, skills TEXT, region TEXT,
  active INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL
);
CREATE TABLE locations (
  id INTEGER PRIMARY KEY, name TEXT NOT NULL, address TEXT, city TEXT, region TEXT, lat REAL, lng REAL,
  account_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL
);
CREATE TABLE dispatch_jobs (
  id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, account_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
  location_id INTEGER REFERENCES locations(id) ON DELETE SET NULL, technician_id INTEGER REFERENCES technicians(id) ON DELETE SET NULL,
  job_type TEXT, priority TEXT, status TEXT NOT NULL, window_start TEXT, window_end TEXT, scheduled_start TEXT,
  scheduled_end TEXT, completed_at TEXT, sla_due_at TEXT, description TEXT, created_at TEXT NOT NULL
);
CREATE INDEX dispatch_jobs_tech ON dispatch_jobs(technician_id, scheduled_start);
CREATE INDEX dispatch_jobs_window ON dispatch_jobs(window_start);

CREATE TABLE vendors (
  id INTEGER PRIMARY KEY, name TEXT NOT NULL, category TEXT, contact_email TEXT, phone TEXT, status TEXT NOT NULL,
  rating REAL, contract_end TEXT, created_at TEXT NOT NULL
);
CREATE TABLE purchase_orders (
  id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, vendor_id INTEGER NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
  amount REAL, ordered_at TEXT NOT NULL, expected_at TEXT, status TEXT NOT NULL, description TEXT
);
CREATE INDEX purchase_orders_vendor ON purchase_orders(vendor_id, ordered_at);
CREATE TABLE deliveries (
  id INTEGER PRIMARY KEY, purchase_order_id INTEGER NOT NULL REFERENCES purchase_orders(id) ON DELETE CASCADE,
  delivered_at TEXT NOT NULL, quantity INTEGER, on_time INTEGER, notes TEXT
);
CREATE INDEX deliveries_po ON deliveries(purchase_order_id);
CREATE TABLE vendor_quality_incidents (
  id INTEGER PRIMARY KEY, vendor_id INTEGER NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
  purchase_order_id INTEGER REFERENCES purchase_orders(id) ON DELETE SET NULL, severity TEXT NOT NULL, description TEXT,
  occurred_at TEXT NOT NULL, resolved_at TEXT
);
CREATE INDEX vendor_quality_incidents_vendor ON vendor_quality_incidents(vendor_id, occurred_at);

CREATE TABLE agent_metrics_daily (
  agent_id INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE, date TEXT NOT NULL, tickets_handled INTEGER,
  avg_handle_minutes REAL, first_response_minutes REAL, csat REAL, qa_score REAL, PRIMARY KEY (agent_id, date)
) WITHOUT ROWID;
CREATE INDEX agent_metrics_daily_date ON agent_metrics_daily(date);
CREATE TABLE agent_reviews (
  id INTEGER PRIMARY KEY, agent_id INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  reviewer_id INTEGER REFERENCES users(id) ON DELETE SET NULL, period TEXT NOT NULL, score REAL, strengths TEXT,
  improvements TEXT, created_at TEXT NOT NULL
);
CREATE INDEX agent_reviews_agent ON agent_reviews(agent_id);

CREATE TABLE customer_usage_daily (
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE, date TEXT NOT NULL, active_users INTEGER,
  sessions INTEGER, feature_adoption REAL, PRIMARY KEY (account_id, date)
) WITHOUT ROWID;
CREATE INDEX customer_usage_daily_date ON customer_usage_daily(date);
CREATE TABLE nps_responses (
  id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL, score INTEGER NOT NULL, comment TEXT, responded_at TEXT NOT NULL
);
CREATE INDEX nps_responses_account ON nps_responses(account_id, responded_at);
CREATE TABLE renewals (
  id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE, renewal_date TEXT NOT NULL,
  amount REAL, status TEXT NOT NULL, created_at TEXT NOT NULL
);
CREATE INDEX renewals_account ON renewals(account_id, renewal_date);

CREATE TABLE business_foundation (
  id INTEGER PRIMARY KEY CHECK (id = 1), vision TEXT, purpose TEXT, core_values TEXT, target_market TEXT,
  value_proposition TEXT, updated_at TEXT NOT NULL
);
CREATE TABLE goals (
  id INTEGER PRIMARY KEY, title TEXT NOT NULL, description TEXT, category TEXT NOT NULL,
  owner_id INTEGER REFERENCES users(id) ON DELETE SET NULL, start_date TEXT, target_date TEXT, status TEXT NOT NULL,
  progress REAL, created_at TEXT NOT NULL
);
CREATE TABLE goal_strategies (
  id INTEGER PRIMARY KEY, goal_id INTEGER NOT NULL REFERENCES goals(id) ON DELETE CASCADE, title TEXT NOT NULL,
  description TEXT, status TEXT NOT NULL
);
CREATE TABLE kpis (
  id INTEGER PRIMARY KEY, goal_id INTEGER REFERENCES goals(id) ON DELETE SET NULL, name TEXT NOT NULL, unit TEXT,
  target REAL, current REAL, direction TEXT NOT NULL, created_at TEXT NOT NULL
);
CREATE TABLE kpi_progress (
  kpi_id INTEGER NOT NULL REFERENCES kpis(id) ON DELETE CASCADE, date TEXT NOT NULL, value REAL NOT NULL,
  PRIMARY KEY (kpi_id, date)
) WITHOUT ROWID;
CREATE TABLE actions (
  id INTEGER PRIMARY KEY, goal_id INTEGER REFERENCES goals(id) ON DELETE SET NULL, title TEXT NOT NULL, description TEXT,
  owner_id INTEGER REFERENCES users(id) ON DELETE SET NULL, status TEXT NOT NULL, due_date TEXT, created_at TEXT NOT NULL,
  completed_at TEXT
);
CREATE TABLE issues (
  id INTEGER PRIMARY KEY, title TEXT NOT NULL, description TEXT, severity TEXT NOT NULL, status TEXT NOT NULL,
  owner_id INTEGER REFERENCES users(id) ON DELETE SET NULL, created_at TEXT NOT NULL, resolved_at TEXT
);
CREATE TABLE notes (
  id INTEGER PRIMARY KEY, entity_type TEXT NOT NULL, entity_id INTEGER NOT NULL, body TEXT NOT NULL,
  author_id INTEGER REFERENCES users(id) ON DELETE SET NULL, created_at TEXT NOT NULL
);
CREATE INDEX notes_entity ON notes(entity_type, entity_id);
`,
  // The same tables on PostgreSQL: INTEGER → bigint (integer primary keys become identity columns), REAL → double precision.
  postgres: {
    sql: /* sql */ `
CREATE TABLE workspace_meta (key text PRIMARY KEY, value text NOT NULL);

CREATE TABLE users (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, name text NOT NULL, email text, role text NOT NULL, team text,
  active bigint NOT NULL DEFAULT 1, created_at text NOT NULL
);

CREATE TABLE accounts (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, name text NOT NULL, domain text, industry text, tier text, region text, employees bigint,
  arr double precision, lifecycle text, owner_id bigint REFERENCES users(id) ON DELETE SET NULL, created_at text NOT NULL
);
CREATE TABLE contacts (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, account_id bigint REFERENCES accounts(id) ON DELETE SET NULL, first_name text NOT NULL,
  last_name text NOT NULL, email text, phone text, title text, lifecycle_stage text,
  owner_id bigint REFERENCES users(id) ON DELETE SET NULL, created_at text NOT NULL
);
CREATE INDEX contacts_account ON contacts(account_id);
CREATE TABLE deals (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, name text NOT NULL, account_id bigint REFERENCES accounts(id) ON DELETE SET NULL,
  contact_id bigint REFERENCES contacts(id) ON DELETE SET NULL, stage text NOT NULL, amount double precision, probability double precision,
  close_date text, owner_id bigint REFERENCES users(id) ON DELETE SET NULL, source text, created_at text NOT NULL, updated_at text
);
CREATE INDEX deals_account ON deals(account_id);
CREATE INDEX deals_stage_close ON deals(stage, close_date);
CREATE TABLE activities (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, type text NOT NULL, subject text NOT NULL, body text,
  account_id bigint REFERENCES accounts(id) ON DELETE CASCADE, contact_id bigint REFERENCES contacts(id) ON DELETE SET NULL,
  deal_id bigint REFERENCES deals(id) ON DELETE SET NULL, user_id bigint REFERENCES users(id) ON DELETE SET NULL,
  occurred_at text NOT NULL
);
CREATE INDEX activities_account ON activities(account_id, occurred_at);
CREATE INDEX activities_deal ON activities(deal_id);
CREATE TABLE tasks (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, title text NOT NULL, description text, status text NOT NULL, priority text, due_date text,
  assignee_id bigint REFERENCES users(id) ON DELETE SET NULL, account_id bigint REFERENCES accounts(id) ON DELETE CASCADE,
  contact_id bigint REFERENCES contacts(id) ON DELETE SET NULL, deal_id bigint REFERENCES deals(id) ON DELETE SET NULL,
  created_at text NOT NULL, completed_at text
);
CREATE INDEX tasks_due ON tasks(status, due_date);

CREATE TABLE projects (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, code text NOT NULL UNIQUE, name text NOT NULL, description text, status text NOT NULL,
  owner_id bigint REFERENCES users(id) ON DELETE SET NULL, account_id bigint REFERENCES accounts(id) ON DELETE SET NULL,
  budget double precision, spent double precision, start_date text, due_date text, created_at text NOT NULL
);
CREATE TABLE project_milestones (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, project_id bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE, name text NOT NULL,
  due_date text, status text NOT NULL, completed_at text
);
CREATE INDEX project_milestones_project ON project_milestones(project_id);
CREATE TABLE project_tasks (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, project_id bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  milestone_id bigint REFERENCES project_milestones(id) ON DELETE SET NULL, title text NOT NULL, status text NOT NULL,
  assignee_id bigint REFERENCES users(id) ON DELETE SET NULL, estimate_hours double precision, actual_hours double precision, due_date text,
  blocked_reason text, created_at text NOT NULL, completed_at text
);
CREATE INDEX project_tasks_project ON project_tasks(project_id, status);

CREATE TABLE agents (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, user_id bigint REFERENCES users(id) ON DELETE SET NULL, name text NOT NULL, email text,
  team text, hire_date text, active bigint NOT NULL DEFAULT 1
);
CREATE TABLE tickets (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, code text NOT NULL UNIQUE, subject text NOT NULL, description text, status text NOT NULL,
  priority text NOT NULL, category text, channel text, account_id bigint REFERENCES accounts(id) ON DELETE SET NULL,
  contact_id bigint REFERENCES contacts(id) ON DELETE SET NULL, agent_id bigint REFERENCES agents(id) ON DELETE SET NULL,
  created_at text NOT NULL, updated_at text, first_response_at text, resolved_at text, sla_due_at text, csat bigint
);
CREATE INDEX tickets_created ON tickets(created_at);
CREATE INDEX tickets_status ON tickets(status, priority);
CREATE INDEX tickets_account ON tickets(account_id);
CREATE INDEX tickets_agent ON tickets(agent_id);
CREATE TABLE ticket_comments (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, ticket_id bigint NOT NULL REFERENCES tickets(id) ON DELETE CASCADE, author_type text NOT NULL,
  author_name text, agent_id bigint REFERENCES agents(id) ON DELETE SET NULL, body text NOT NULL,
  internal bigint NOT NULL DEFAULT 0, created_at text NOT NULL
);
CREATE INDEX ticket_comments_ticket ON ticket_comments(ticket_id, created_at);
CREATE TABLE ticket_sla_events (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, ticket_id bigint NOT NULL REFERENCES tickets(id) ON DELETE CASCADE, metric text NOT NULL,
  target_at text NOT NULL, achieved_at text, breached bigint NOT NULL DEFAULT 0
);
CREATE INDEX ticket_sla_events_ticket ON ticket_sla_events(ticket_id);
CREATE INDEX ticket_sla_events_target ON ticket_sla_events(target_at, breached);
CREATE TABLE ticket_status_history (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, ticket_id bigint NOT NULL REFERENCES tickets(id) ON DELETE CASCADE, from_status text,
  to_status text NOT NULL, changed_by text, changed_at text NOT NULL
);
CREATE INDEX ticket_status_history_ticket ON ticket_status_history(ticket_id, changed_at);

CREATE TABLE conversations (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, channel text NOT NULL, subject text NOT NULL,
  contact_id bigint REFERENCES contacts(id) ON DELETE SET NULL, account_id bigint REFERENCES accounts(id) ON DELETE SET NULL,
  agent_id bigint REFERENCES agents(id) ON DELETE SET NULL, status text NOT NULL, created_at text NOT NULL, last_message_at text
);
CREATE INDEX conversations_last ON conversations(last_message_at);
CREATE TABLE messages (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, conversation_id bigint NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  direction text NOT NULL, sender text, body text NOT NULL, sent_at text NOT NULL
);
CREATE INDEX messages_conversation ON messages(conversation_id, sent_at);

CREATE TABLE campaigns (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, name text NOT NULL, channel text NOT NULL, objective text, status text NOT NULL, budget double precision,
  start_date text, end_date text, audience text, owner_id bigint REFERENCES users(id) ON DELETE SET NULL, created_at text NOT NULL
);
CREATE TABLE campaign_metrics_daily (
  campaign_id bigint NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE, date text NOT NULL, impressions bigint,
  clicks bigint, conversions bigint, spend double precision, revenue double precision, PRIMARY KEY (campaign_id, date)
);
CREATE INDEX campaign_metrics_daily_date ON campaign_metrics_daily(date);

CREATE TABLE technicians (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, name text NOT NULL, email text, phone text, skills text, region text,
  active bigint NOT NULL DEFAULT 1, created_at text NOT NULL
);
CREATE TABLE locations (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, name text NOT NULL, address text, city text, region text, lat double precision, lng double precision,
  account_id bigint REFERENCES accounts(id) ON DELETE SET NULL
);
CREATE TABLE dispatch_jobs (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, code text NOT NULL UNIQUE, account_id bigint REFERENCES accounts(id) ON DELETE SET NULL,
  location_id bigint REFERENCES locations(id) ON DELETE SET NULL, technician_id bigint REFERENCES technicians(id) ON DELETE SET NULL,
  job_type text, priority text, status text NOT NULL, window_start text, window_end text, scheduled_start text,
  scheduled_end text, completed_at text, sla_due_at text, description text, created_at text NOT NULL
);
CREATE INDEX dispatch_jobs_tech ON dispatch_jobs(technician_id, scheduled_start);
CREATE INDEX dispatch_jobs_window ON dispatch_jobs(window_start);

CREATE TABLE vendors (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, name text NOT NULL, category text, contact_email text, phone text, status text NOT NULL,
  rating double precision, contract_end text, created_at text NOT NULL
);
CREATE TABLE purchase_orders (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, code text NOT NULL UNIQUE, vendor_id bigint NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
  amount double precision, ordered_at text NOT NULL, expected_at text, status text NOT NULL, description text
);
CREATE INDEX purchase_orders_vendor ON purchase_orders(vendor_id, ordered_at);
CREATE TABLE deliveries (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, purchase_order_id bigint NOT NULL REFERENCES purchase_orders(id) ON DELETE CASCADE,
  delivered_at text NOT NULL, quantity bigint, on_time bigint, notes text
);
CREATE INDEX deliveries_po ON deliveries(purchase_order_id);
CREATE TABLE vendor_quality_incidents (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, vendor_id bigint NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
  purchase_order_id bigint REFERENCES purchase_orders(id) ON DELETE SET NULL, severity text NOT NULL, description text,
  occurred_at text NOT NULL, resolved_at text
);
CREATE INDEX vendor_quality_incidents_vendor ON vendor_quality_incidents(vendor_id, occurred_at);

CREATE TABLE agent_metrics_daily (
  agent_id bigint NOT NULL REFERENCES agents(id) ON DELETE CASCADE, date text NOT NULL, tickets_handled bigint,
  avg_handle_minutes double precision, first_response_minutes double precision, csat double precision, qa_score double precision, PRIMARY KEY (agent_id, date)
);
CREATE INDEX agent_metrics_daily_date ON agent_metrics_daily(date);
CREATE TABLE agent_reviews (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, agent_id bigint NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  reviewer_id bigint REFERENCES users(id) ON DELETE SET NULL, period text NOT NULL, score double precision, strengths text,
  improvements text, created_at text NOT NULL
);
CREATE INDEX agent_reviews_agent ON agent_reviews(agent_id);

CREATE TABLE customer_usage_daily (
  account_id bigint NOT NULL REFERENCES accounts(id) ON DELETE CASCADE, date text NOT NULL, active_users bigint,
  sessions bigint, feature_adoption double precision, PRIMARY KEY (account_id, date)
);
CREATE INDEX customer_usage_daily_date ON customer_usage_daily(date);
CREATE TABLE nps_responses (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, account_id bigint NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  contact_id bigint REFERENCES contacts(id) ON DELETE SET NULL, score bigint NOT NULL, comment text, responded_at text NOT NULL
);
CREATE INDEX nps_responses_account ON nps_responses(account_id, responded_at);
CREATE TABLE renewals (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, account_id bigint NOT NULL REFERENCES accounts(id) ON DELETE CASCADE, renewal_date text NOT NULL,
  amount double precision, status text NOT NULL, created_at text NOT NULL
);
CREATE INDEX renewals_account ON renewals(account_id, renewal_date);

CREATE TABLE business_foundation (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY CHECK (id = 1), vision text, purpose text, core_values text, target_market text,
  value_proposition text, updated_at text NOT NULL
);
CREATE TABLE goals (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, title text NOT NULL, description text, category text NOT NULL,
  owner_id bigint REFERENCES users(id) ON DELETE SET NULL, start_date text, target_date text, status text NOT NULL,
  progress double precision, created_at text NOT NULL
);
CREATE TABLE goal_strategies (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, goal_id bigint NOT NULL REFERENCES goals(id) ON DELETE CASCADE, title text NOT NULL,
  description text, status text NOT NULL
);
CREATE TABLE kpis (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, goal_id bigint REFERENCES goals(id) ON DELETE SET NULL, name text NOT NULL, unit text,
  target double precision, current double precision, direction text NOT NULL, created_at text NOT NULL
);
CREATE TABLE kpi_progress (
  kpi_id bigint NOT NULL REFERENCES kpis(id) ON DELETE CASCADE, date text NOT NULL, value double precision NOT NULL,
  PRIMARY KEY (kpi_id, date)
);
CREATE TABLE actions (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, goal_id bigint REFERENCES goals(id) ON DELETE SET NULL, title text NOT NULL, description text,
  owner_id bigint REFERENCES users(id) ON DELETE SET NULL, status text NOT NULL, due_date text, created_at text NOT NULL,
  completed_at text
);
CREATE TABLE issues (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, title text NOT NULL, description text, severity text NOT NULL, status text NOT NULL,
  owner_id bigint REFERENCES users(id) ON DELETE SET NULL, created_at text NOT NULL, resolved_at text
);
CREATE TABLE notes (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, entity_type text NOT NULL, entity_id bigint NOT NULL, body text NOT NULL,
  author_id bigint REFERENCES users(id) ON DELETE SET NULL, created_at text NOT NULL
);
CREATE INDEX notes_entity ON notes(entity_type, entity_id);
`,
  },
};
