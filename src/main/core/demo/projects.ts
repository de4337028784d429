import { INTEGRATIONS } from './pools';
import { round2, type Rand } from './random';
import { fill } from './text';
import { DAY, HOUR } from './time';
import { past, rand, usersWithRole, type World } from './world';

const IMPLEMENTATION = ['sensor rollout', 'platform migration', 'cold-chain monitoring go-live', 'multi-site expansion', 'gateway upgrade', 'predictive maintenance pilot'] as const;
const INTERNAL = ['Billing system migration', 'Support portal redesign', 'SOC 2 Type II audit', 'Mobile app v3', 'Data platform consolidation', 'Partner portal launch', 'Field service app rollout', 'Warehouse WMS upgrade'] as const;
const MILESTONES_IMPL = ['Kickoff and site survey', 'Gateway installation', 'Sensor installation', 'Integration and testing', 'Operator training', 'Go-live', 'Hypercare'] as const;
const MILESTONES_INTERNAL = ['Discovery', 'Design', 'Build', 'Testing', 'Rollout', 'Closeout'] as const;
const TASKS = [
  'Site survey at {site}', 'Confirm network requirements with customer IT', 'Install gateway in {site}', 'Mount sensors in zone {n}',
  'Configure alert rules', 'Connect {integration}', 'User acceptance testing', 'Train shift supervisors', 'Write operations runbook',
  'Migrate historical data', 'Security review', 'Update documentation', 'Load testing', 'Set up SSO', 'Calibrate probes in zone {n}',
  'Order spare sensors', 'Sign-off meeting with stakeholders', 'Configure dashboards for site managers',
] as const;
const BLOCKERS = [
  'Waiting on customer VPN access', 'Hardware delayed by vendor {vendor}', 'Site closed for annual inventory count',
  'Customer IT has not opened firewall ports', 'Awaiting security sign-off', 'Need an electrician on site for power outlets',
  'Key stakeholder on leave until next week', 'Scope change under review',
] as const;

interface Project {
  id: number;
  startDay: number;
  dueDay: number;
  status: string;
  budget: number;
  spentRatio: number;
  /** 'budget' and 'late' projects are planted overruns. */
  plant: 'budget' | 'late' | null;
  hoursFactor: number;
}

/** Customer implementations and internal projects, with milestones and tasks; three are planted overruns. */
export function generateProjects(w: World): void {
  const r = rand(w, 'projects');
  const { cal, plan } = w;
  const A = cal.anchorDay;
  const owners = [...usersWithRole(w, 'manager'), ...usersWithRole(w, 'analyst')];
  const workers = [...usersWithRole(w, 'technician'), ...usersWithRole(w, 'analyst'), ...usersWithRole(w, 'agent')];
  const ids = r.shuffle(Array.from({ length: plan.projects }, (_, i) => i + 1));
  const plantOf = new Map<number, 'budget' | 'late'>([[ids[0]!, 'budget'], [ids[1]!, 'budget'], [ids[2]!, 'late']]);

  const projects: Project[] = [];
  const insP = w.sink.insert('projects', ['id', 'code', 'name', 'description', 'status', 'owner_id', 'account_id', 'budget', 'spent', 'start_date', 'due_date', 'created_at']);
  for (let id = 1; id <= plan.projects; id++) {
    const plant = plantOf.get(id) ?? null;
    const customer = plant !== null || r.chance(0.7) ? r.pick(w.customers) : null;
    const name = customer ? `${customer.name.split(' ').slice(0, 2).join(' ')} ${r.pick(IMPLEMENTATION)}` : `${r.pick(INTERNAL)}${r.chance(0.3) ? ` ${cal.date(A).slice(0, 4)}` : ''}`;
    let startDay = A + r.int(-300, 30);
    let dueDay = startDay + r.int(60, 200);
    let status: string;
    let spentRatio: number;
    if (plant === 'budget') {
      startDay = A - r.int(110, 150);
      dueDay = A + r.int(15, 60);
      status = 'active';
      spentRatio = round2(r.float(1.35, 1.6));
    } else if (plant === 'late') {
      startDay = A - r.int(140, 170);
      dueDay = A - r.int(12, 28);
      status = 'active';
      spentRatio = round2(r.float(0.92, 1.02));
    } else if (startDay > A) {
      status = 'planned';
      spentRatio = 0;
    } else if (dueDay < A) {
      status = r.chance(0.87) ? 'completed' : 'cancelled';
      spentRatio = status === 'completed' ? round2(r.float(0.85, 1.05)) : round2(r.float(0.2, 0.6));
    } else {
      status = r.chance(0.85) ? 'active' : 'on_hold';
      spentRatio = round2(((A - startDay) / (dueDay - startDay)) * r.float(0.75, 1.0));
    }
    const budget = Math.round((customer ? r.float(30000, 250000) : r.float(20000, 400000)) / 1000) * 1000;
    const createdSec = past(w, r, (startDay - r.int(5, 30)) * DAY + r.int(9 * HOUR, 17 * HOUR));
    const description = customer
      ? `Deliver ${name.toLowerCase().includes('rollout') ? 'the sensor rollout' : 'the project'} for ${customer.name}: ${r.int(2, 12)} sites, ${r.int(40, 900)} sensors, integration with ${r.pick(INTEGRATIONS)}.`
      : `Internal initiative owned by ${r.pick(['Operations', 'Finance', 'Support', 'IT', 'Product'])}. Success means ${r.pick(['lower cost to serve', 'faster onboarding', 'audit readiness', 'fewer manual steps', 'better customer experience'])}.`;
    insP.add(id, `PRJ-${String(id).padStart(4, '0')}`, name, description, status, r.pick(owners).id, customer?.id ?? null, budget, round2(budget * spentRatio), cal.date(startDay), cal.date(dueDay), cal.ts(createdSec));
    const p: Project = { id, startDay, dueDay, status, budget, spentRatio, plant, hoursFactor: plant === 'budget' ? r.float(1.5, 1.9) : 1 };
    projects.push(p);
    w.projects.push({ id, name, code: `PRJ-${String(id).padStart(4, '0')}` });
    if (plant === 'budget') {
      w.plants.add({
        id: `project_budget_overrun_${id}`, metric: 'projects.spent_to_budget', kind: 'overrun', entityType: 'projects', entityId: id,
        start: cal.date(startDay), end: cal.date(A - 1), baseline: 1, magnitude: spentRatio,
        description: `${name} (PRJ-${String(id).padStart(4, '0')}) has spent ${Math.round(spentRatio * 100)}% of its budget while still active; task hours run well over estimates.`,
      });
    } else if (plant === 'late') {
      w.plants.add({
        id: `project_schedule_slip_${id}`, metric: 'projects.days_late', kind: 'overrun', entityType: 'projects', entityId: id,
        start: cal.date(dueDay), end: cal.date(A - 1), baseline: 0, magnitude: A - dueDay,
        description: `${name} (PRJ-${String(id).padStart(4, '0')}) passed its due date ${A - dueDay} days ago and is still active, with missed milestones and blocked tasks.`,
      });
    }
  }
  generateMilestonesAndTasks(w, r, projects, workers.map((u) => u.id));
}

function generateMilestonesAndTasks(w: World, r: Rand, projects: Project[], workers: number[]): void {
  const { cal } = w;
  const A = cal.anchorDay;
  const insM = w.sink.insert('project_milestones', ['id', 'project_id', 'name', 'due_date', 'status', 'completed_at']);
  const insT = w.sink.insert('project_tasks', ['id', 'project_id', 'milestone_id', 'title', 'status', 'assignee_id', 'estimate_hours', 'actual_hours', 'due_date', 'blocked_reason', 'created_at', 'completed_at']);
  const vendorName = (): string => (w.vendors.length ? r.pick(w.vendors).name : 'our supplier');
  const slot = (k: string): string | undefined => (k === 'site' ? r.pick(['Building A', 'the cold store', 'the north depot', 'Dock 4', 'the main plant']) : k === 'n' ? String(r.int(1, 9)) : k === 'integration' ? r.pick(INTEGRATIONS) : k === 'vendor' ? vendorName() : undefined);
  let mid = 0;
  let tid = 0;
  for (const p of projects) {
    const names = r.chance(0.7) ? MILESTONES_IMPL : MILESTONES_INTERNAL;
    const k = r.int(3, 5);
    const offset = r.int(0, names.length - k);
    const span = p.dueDay - p.startDay;
    const createdSec = past(w, r, (p.startDay - r.int(1, 4)) * DAY + r.int(8 * HOUR, 18 * HOUR));
    let current = true; // the first milestone not done is where the work is
    const titles = r.shuffle([...TASKS]);
    let nextTitle = 0;
    for (let j = 0; j < k; j++) {
      mid++;
      const due = p.startDay + Math.round(((j + 1) / k) * span);
      let status = 'pending';
      let completed: number | null = null;
      if (p.status === 'completed' || (due < A && !((p.plant === 'late' || p.status === 'cancelled') && due >= p.startDay + span / 2))) {
        status = 'done';
        completed = past(w, r, (due - r.int(-2, 5)) * DAY + r.int(9 * HOUR, 18 * HOUR));
      } else if (due < A) {
        // The slipping (or cancelled) project finished its early milestones; the later ones were missed.
        status = 'missed';
      }
      insM.add(mid, p.id, names[offset + j]!, cal.date(due), status, completed === null ? null : cal.ts(completed));
      const isCurrent = status !== 'done' && current;
      if (status !== 'done') current = false;
      const tasks = r.int(2, 5);
      for (let t = 0; t < tasks; t++) {
        tid++;
        const estimate = Math.round(r.float(2, 40) * 2) / 2;
        let tStatus = 'todo';
        if (status === 'done') tStatus = 'done';
        else if ((p.status === 'active' || p.status === 'on_hold') && (isCurrent || status === 'missed')) {
          const x = r.next();
          const blocked = p.plant === 'late' ? 0.45 : p.status === 'on_hold' ? 0.3 : 0.07;
          tStatus = x < blocked || (p.plant === 'late' && t === 0) ? 'blocked' : x < blocked + 0.35 ? 'in_progress' : x < blocked + 0.6 ? 'done' : 'todo';
        }
        const actual = tStatus === 'done' ? estimate * r.jitter(0.2) * p.hoursFactor : tStatus === 'in_progress' || tStatus === 'blocked' ? estimate * r.float(0.2, 0.9) * p.hoursFactor : null;
        const tCompleted = tStatus === 'done' ? past(w, r, Math.min(completed ?? cal.now, (due - r.int(0, 10)) * DAY + r.int(9 * HOUR, 18 * HOUR))) : null;
        insT.add(
          tid, p.id, mid, fill(titles[nextTitle++ % titles.length]!, slot), tStatus, r.pick(workers), estimate, actual === null ? null : Math.round(actual * 2) / 2, cal.date(due),
          tStatus === 'blocked' ? fill(r.pick(BLOCKERS), slot) : null, cal.ts(createdSec), tCompleted === null ? null : cal.ts(Math.max(createdSec + HOUR, tCompleted)),
        );
      }
    }
  }
}
