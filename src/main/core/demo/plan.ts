/**
 * How many of each thing a scale asks for. Transactional data grows linearly with the scale; reference data (users,
 * agents, technicians, vendors, campaigns) grows with its square root, as staff and suppliers do not grow one-for-one
 * with volume. Floors keep tiny scales complete: every table gets rows and every plant has something to stand on.
 */
export interface Plan {
  scale: number;
  salesReps: number;
  agents: number;
  technicians: number;
  marketers: number;
  analysts: number;
  viewers: number;
  accounts: number;
  deals: number;
  activities: number;
  crmTasks: number;
  notes: number;
  projects: number;
  tickets: number;
  conversations: number;
  campaigns: number;
  locations: number;
  dispatchJobs: number;
  vendors: number;
  purchaseOrders: number;
  trackedAccounts: number;
  nps: number;
  actions: number;
  issues: number;
  /** Expected rows per table (for the progress bar; the generated counts differ a little). */
  expected: Record<string, number>;
}

const lin = (base: number, s: number, min: number): number => Math.max(min, Math.round(base * s));
const sub = (base: number, s: number, min: number): number => Math.max(min, Math.round(base * Math.sqrt(s)));

export function makePlan(scale: number): Plan {
  const s = scale;
  const p = {
    scale: s,
    salesReps: sub(3, s, 2),
    agents: sub(2.4, s, 2),
    technicians: sub(5, s, 3),
    marketers: sub(1, s, 1),
    analysts: sub(1, s, 1),
    viewers: sub(1, s, 1),
    accounts: lin(46, s, 14),
    deals: lin(82, s, 24),
    activities: lin(230, s, 30),
    crmTasks: lin(80, s, 12),
    notes: lin(110, s, 12),
    projects: lin(8, s, 5),
    tickets: lin(270, s, 60),
    conversations: lin(68, s, 10),
    campaigns: sub(4, s, 4),
    locations: lin(26, s, 5),
    dispatchJobs: lin(145, s, 20),
    vendors: sub(5, s, 4),
    purchaseOrders: lin(75, s, 24),
    trackedAccounts: lin(4, s, 3),
    nps: lin(55, s, 8),
    actions: sub(12, s, 6),
    issues: sub(8, s, 5),
  };
  const customers = Math.round(p.accounts * 0.66);
  const expected: Record<string, number> = {
    users: 2 + 5 + p.salesReps + p.agents + p.technicians + p.marketers + p.analysts + p.viewers,
    accounts: p.accounts,
    contacts: Math.round(p.accounts * 2.6),
    deals: p.deals,
    activities: p.activities,
    tasks: p.crmTasks,
    projects: p.projects,
    project_milestones: p.projects * 4,
    project_tasks: p.projects * 13,
    agents: p.agents,
    tickets: p.tickets,
    ticket_comments: Math.round(p.tickets * 2.1),
    ticket_sla_events: p.tickets * 2,
    ticket_status_history: Math.round(p.tickets * 4.45),
    conversations: p.conversations,
    messages: Math.round(p.conversations * 3.6),
    campaigns: p.campaigns,
    campaign_metrics_daily: p.campaigns * 70,
    technicians: p.technicians,
    locations: p.locations,
    dispatch_jobs: p.dispatchJobs,
    vendors: p.vendors,
    purchase_orders: p.purchaseOrders,
    deliveries: Math.round(p.purchaseOrders * 1.05),
    vendor_quality_incidents: Math.round(p.purchaseOrders * 0.1),
    agent_metrics_daily: p.agents * 120,
    agent_reviews: p.agents * 2,
    customer_usage_daily: p.trackedAccounts * 180,
    nps_responses: p.nps,
    renewals: customers,
    business_foundation: 1,
    goals: 8,
    goal_strategies: 16,
    kpis: 8,
    kpi_progress: 8 * 13,
    actions: p.actions,
    issues: p.issues,
    notes: p.notes,
  };
  return { ...p, expected };
}

export const expectedTotal = (plan: Plan): number => Object.values(plan.expected).reduce((a, b) => a + b, 0);
