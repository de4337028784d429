import { plantedWinRate } from './crmDeals';
import { COMPANY } from './pools';
import { clamp, round2, type Rand } from './random';
import { DAY, HOUR, MINUTE } from './time';
import { past, rand, usersWithRole, type UserRef, type World } from './world';

interface GoalSpec {
  title: string;
  description: string;
  category: string;
  team: string;
  status: string;
  progress: number;
  strategies: readonly [string, string];
  kpi: { name: string; unit: string; direction: 'up' | 'down'; target: number; series: (week: number, day: number) => number };
  actions: readonly string[];
}

/** Mission, goals with strategies and KPIs (weekly progress), actions and issues: the business layer. */
export function generateBusiness(w: World): void {
  const r = rand(w, 'business');
  const { cal, sink } = w;
  const A = cal.anchorDay;
  const managers = usersWithRole(w, 'manager');
  const ownerOf = (team: string): UserRef => managers.find((u) => u.team === team) ?? managers[0]!;
  const arr = w.customers.reduce((s, a) => s + a.arr, 0);
  const [wr0] = w.windows.winRate;
  const [s0, s1] = w.windows.slaSurge;
  const [v0] = w.windows.vendorDrop;
  const lateVendor = w.vendors.find((v) => v.id === w.facts.lateVendorId)!;
  const noise = (sd: number): number => r.gauss(0, sd);
  const inSurge = (day: number): boolean => day >= s0 && day <= s1 + 6;

  sink.insert('business_foundation', ['id', 'vision', 'purpose', 'core_values', 'target_market', 'value_proposition', 'updated_at']).add(
    1,
    `Every perishable product, medicine and machine monitored in real time, so nothing spoils, fails or goes unnoticed.`,
    `${COMPANY.name} helps operations teams protect what they store and run by turning sensor data into timely, trustworthy action.`,
    JSON.stringify(['Customers first', 'Own the outcome', 'Say it straight', 'Safety is not optional', 'Learn fast']),
    'Mid-market and enterprise operators of cold chains, warehouses, clinics and plants in North America and Europe, with 5-500 sites.',
    'Installed and running in weeks, not months: sensors, connectivity, alerting and audit-ready reports from one vendor, with field technicians who fix problems on site.',
    cal.ts((A - r.int(20, 90)) * DAY + 11 * HOUR),
  );

  const goals: GoalSpec[] = [
    {
      title: `Grow ARR to $${((arr * 1.25) / 1e6).toFixed(1)}M by year end`, description: 'Expand within existing customers and win 20 new logos.', category: 'finance', team: 'Leadership', status: 'on_track', progress: 0.62,
      strategies: ['Land-and-expand playbook for multi-site customers', 'Annual prepay discount to pull renewals forward'],
      kpi: { name: 'ARR', unit: 'USD', direction: 'up', target: Math.round(arr * 1.25), series: (k) => Math.round(arr * (0.9 + 0.1 * (k / 25)) * (1 + noise(0.004))) },
      actions: ['Build expansion target list from usage data', 'Launch annual prepay offer', 'Review pricing for enterprise tier'],
    },
    {
      title: 'Lift sales win rate to 35%', description: 'Qualify harder and win on value, not price.', category: 'sales', team: 'Sales', status: 'off_track', progress: 0.2,
      strategies: ['Stricter qualification before proposal', 'Competitive battlecards for price objections'],
      kpi: { name: 'Win rate', unit: '%', direction: 'up', target: 35, series: (_k, day) => round2(100 * clamp(plantedWinRate(day, wr0) + noise(0.02), 0, 1)) },
      actions: ['Run win/loss review of lost deals', 'Publish competitor battlecard', 'Sales training on value selling'],
    },
    {
      title: 'First response under 2 hours for 95% of tickets', description: 'Customers hear from us fast, even at peaks.', category: 'customer', team: 'Support', status: 'at_risk', progress: 0.55,
      strategies: ['Follow-the-sun staffing across EMEA and NA', 'Macros and auto-triage for top categories'],
      kpi: { name: 'Median first response', unit: 'hours', direction: 'down', target: 2, series: (_k, day) => round2(clamp((inSurge(day) ? 5.5 : 1.8) + noise(0.2), 0.5, 12)) },
      actions: ['Hire two Tier 1 agents', 'Set up auto-triage for login tickets', 'Weekend on-call rota for urgent tickets'],
    },
    {
      title: 'Vendor on-time delivery above 95%', description: 'Installations never wait for parts.', category: 'operations', team: 'Field Ops', status: 'at_risk', progress: 0.4,
      strategies: ['Dual-source critical sensors', 'Quarterly vendor scorecards'],
      kpi: { name: 'Vendor on-time delivery', unit: '%', direction: 'up', target: 95, series: (_k, day) => round2(clamp(day < v0 ? 90 + noise(1.5) : 90 - 14 * Math.min(1, (day - v0) / 21) + noise(1.5), 0, 100)) },
      actions: [`Escalate late deliveries with ${lateVendor.name}`, 'Qualify a second sensor supplier', 'Keep two weeks of safety stock for gateways'],
    },
    {
      title: 'Net revenue retention above 110%', description: 'Customers stay and grow with us.', category: 'customer', team: 'Customer Success', status: 'on_track', progress: 0.7,
      strategies: ['Health scores from usage and NPS', 'QBRs for every enterprise account'],
      kpi: { name: 'Net revenue retention', unit: '%', direction: 'up', target: 110, series: (k) => round2(104 + (k / 25) * 3 + noise(0.6)) },
      actions: ['Build customer health dashboard', 'Schedule QBRs for top 20 accounts', 'Renewal playbook for at-risk accounts'],
    },
    {
      title: 'Generate 1,500 marketing qualified leads this half', description: 'Fill the top of the funnel with qualified demand.', category: 'marketing', team: 'Marketing', status: 'at_risk', progress: 0.45,
      strategies: ['Webinar series on cold-chain compliance', 'Refresh paid social creative monthly'],
      kpi: { name: 'MQLs per week', unit: 'count', direction: 'up', target: 60, series: (k) => Math.max(0, Math.round(58 - (k > 20 ? 12 : 0) + noise(5))) },
      actions: ['Refresh paid social creative', 'Launch cold-chain compliance webinar', 'Audit lead scoring rules'],
    },
    {
      title: 'Build a second line of leadership in Support and Field Ops', description: 'Every manager has a trained deputy.', category: 'leadership', team: 'Leadership', status: 'on_track', progress: 0.5,
      strategies: ['Team-lead programme with external coaching', 'Rotate deputies through planning meetings'],
      kpi: { name: 'Managers with a trained deputy', unit: 'count', direction: 'up', target: 6, series: (k) => (k < 8 ? 1 : k < 18 ? 2 : 3) },
      actions: ['Select team-lead candidates', 'Book leadership coaching'],
    },
    {
      title: 'Launch a partner channel in EMEA', description: 'Installers and distributors resell the platform.', category: 'strategy', team: 'Sales', status: 'achieved', progress: 1,
      strategies: ['Sign three installer partners', 'Partner portal with deal registration'],
      kpi: { name: 'Signed partners', unit: 'count', direction: 'up', target: 3, series: (k) => (k < 6 ? 0 : k < 14 ? 1 : k < 20 ? 2 : 3) },
      actions: ['Sign partner agreement template', 'Partner enablement training'],
    },
  ];

  const insG = sink.insert('goals', ['id', 'title', 'description', 'category', 'owner_id', 'start_date', 'target_date', 'status', 'progress', 'created_at']);
  const insS = sink.insert('goal_strategies', ['id', 'goal_id', 'title', 'description', 'status']);
  const insK = sink.insert('kpis', ['id', 'goal_id', 'name', 'unit', 'target', 'current', 'direction', 'created_at']);
  const insP = sink.insert('kpi_progress', ['kpi_id', 'date', 'value']);
  let sid = 0;
  goals.forEach((g, i) => {
    const id = i + 1;
    const start = A - r.int(150, 175);
    const createdSec = (start - r.int(1, 10)) * DAY + r.int(8 * HOUR, 18 * HOUR);
    insG.add(id, g.title, g.description, g.category, ownerOf(g.team).id, cal.date(start), cal.date(A + r.int(30, 200)), g.status, g.progress, cal.ts(createdSec));
    g.strategies.forEach((s, j) => insS.add(++sid, id, s, `Part of "${g.title}".`, g.status === 'achieved' ? 'done' : j === 0 ? 'active' : r.pick(['proposed', 'active', 'dropped'])));
    let current = 0;
    const values: [string, number][] = [];
    // Fortnightly check-ins over the half year.
    for (let k = 1; k < 26; k += 2) {
      const day = A - 7 * (26 - k);
      current = g.kpi.series(k, day);
      values.push([cal.date(day), current]);
    }
    insK.add(id, id, g.kpi.name, g.kpi.unit, g.kpi.target, current, g.kpi.direction, cal.ts(createdSec));
    for (const [date, value] of values) insP.add(id, date, value);
  });

  generateActions(w, r, goals, managers);
  generateIssues(w, r);
}

function generateActions(w: World, r: Rand, goals: GoalSpec[], owners: UserRef[]): void {
  const { cal } = w;
  const A = cal.anchorDay;
  const ins = w.sink.insert('actions', ['id', 'goal_id', 'title', 'description', 'owner_id', 'status', 'due_date', 'created_at', 'completed_at']);
  for (let id = 1; id <= w.plan.actions; id++) {
    const gi = (id - 1) % goals.length;
    const g = goals[gi]!;
    const linked = id <= goals.length * 2 || r.chance(0.85);
    const title = g.actions[Math.floor((id - 1) / goals.length) % g.actions.length]!;
    const due = A + r.int(-60, 60);
    const created = past(w, r, (due - r.int(10, 60)) * DAY + r.int(9 * HOUR, 17 * HOUR));
    const x = r.next();
    const status = due < A ? (x < 0.7 ? 'done' : x < 0.85 ? 'in_progress' : x < 0.93 ? 'blocked' : 'open') : x < 0.45 ? 'open' : x < 0.85 ? 'in_progress' : x < 0.93 ? 'blocked' : 'done';
    const completed = status === 'done' ? Math.max(created + MINUTE, past(w, r, Math.max(created + DAY, (due - r.int(0, 7)) * DAY + r.int(9 * HOUR, 18 * HOUR)))) : null;
    ins.add(id, linked ? gi + 1 : null, title, `Supports "${g.title}".${status === 'blocked' ? ' Blocked: waiting for budget approval.' : ''}`, r.pick(owners).id, status, cal.date(due), cal.ts(created), completed === null ? null : cal.ts(completed));
  }
}

const GENERIC_ISSUES = [
  ['CRM has duplicate contacts after the spring import', 'medium'], ['Invoice template shows the wrong VAT rate for EU customers', 'high'],
  ['Technicians in EMEA lack spare gateways', 'medium'], ['Onboarding backlog growing: new customers wait 3+ weeks', 'high'],
  ['Android app crashes on some Samsung devices', 'medium'], ['Sensor stock count mismatch at the Chicago warehouse', 'low'],
  ['Expense approvals take more than two weeks', 'low'], ['No documented runbook for gateway firmware rollbacks', 'medium'],
  ['Sales and support use different account hierarchies', 'medium'], ['Security questionnaire answers are out of date', 'high'],
  ['Renewal reminders are sent from a personal mailbox', 'low'], ['Data retention policy not applied to old sensor data', 'critical'],
] as const;

function generateIssues(w: World, r: Rand): void {
  const { cal } = w;
  const A = cal.anchorDay;
  const owners = [...usersWithRole(w, 'manager'), ...usersWithRole(w, 'admin')];
  const ins = w.sink.insert('issues', ['id', 'title', 'description', 'severity', 'status', 'owner_id', 'created_at', 'resolved_at']);
  const [k0, k1] = w.windows.ticketSpike;
  const [s0] = w.windows.slaSurge;
  const [v0] = w.windows.vendorDrop;
  const vendor = w.vendors.find((v) => v.id === w.facts.lateVendorId)!;
  const known: [string, string, string, number, number | null][] = [
    [`Login outage on ${cal.date(k0)}: SSO gateway certificate expired`, 'Customers could not sign in for several hours; login tickets spiked. Post-mortem done, certificate monitoring added.', 'critical', k0 * DAY + r.int(12 * HOUR, 16 * HOUR), (k1 + 3) * DAY + r.int(9 * HOUR, 17 * HOUR)],
    ['Support queue understaffed; SLA breaches climbing', 'Two agents on leave and one vacancy; first responses slipping.', 'high', (s0 + 4) * DAY + r.int(8 * HOUR, 18 * HOUR), null],
    [`Late deliveries from ${vendor.name}`, 'Several sensor orders arrived one to two weeks late; installations rescheduled.', 'high', (v0 + 24) * DAY + r.int(8 * HOUR, 18 * HOUR), null],
  ];
  let id = 0;
  for (const [title, description, severity, created, resolved] of known) {
    if (created >= cal.now) continue;
    ins.add(++id, title, description, severity, resolved !== null && resolved < cal.now ? 'resolved' : 'investigating', r.pick(owners).id, cal.ts(created), resolved !== null && resolved < cal.now ? cal.ts(resolved) : null);
  }
  const generic = r.shuffle([...GENERIC_ISSUES]);
  for (let k = 0; id < w.plan.issues; k++) {
    const [title, severity] = generic[k % generic.length]!;
    const created = (A - r.int(2, 170)) * DAY + r.int(9 * HOUR, 17 * HOUR);
    const x = r.next();
    const age = Math.floor((cal.now - created) / DAY);
    const status = x < 0.45 && age >= 2 ? 'resolved' : x < 0.7 ? 'investigating' : 'open';
    const resolved = status === 'resolved' ? created + r.int(1, Math.min(40, age - 1)) * DAY + r.int(0, 8 * HOUR) : null;
    ins.add(++id, k >= generic.length ? `${title} (again)` : title, 'Raised in the weekly operations review.', severity, status, r.pick(owners).id, cal.ts(created), resolved === null ? null : cal.ts(resolved));
  }
}
