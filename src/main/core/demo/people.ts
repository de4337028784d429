import { phoneNumber } from './pii';
import { COMPANY, FIRST_NAMES, LAST_NAMES, REGION_WEIGHTS, REGIONS } from './pools';
import { cumulative, type Rand } from './random';
import { DAY } from './time';
import { rand, type UserRef, type World } from './world';

export const AGENT_TEAMS = ['Tier 1', 'Technical', 'Billing', 'Tier 1', 'Tier 2', 'Technical', 'Tier 1', 'Billing'] as const;
const SKILLS = ['installation', 'calibration', 'networking', 'electrical', 'refrigeration', 'repair', 'inspection', 'gateway setup'] as const;

const slug = (s: string): string => s.toLowerCase().replace(/[^a-z]/g, '');

/** Internal staff: users of every role, the support agents among them, and the field technicians. */
export function generatePeople(w: World): void {
  const r = rand(w, 'people');
  const { cal, sink, plan } = w;
  const taken = new Set<string>();
  const person = (): { first: string; last: string; name: string } => {
    for (;;) {
      const first = r.pick(FIRST_NAMES);
      const last = r.pick(LAST_NAMES);
      const name = `${first} ${last}`;
      if (!taken.has(name)) {
        taken.add(name);
        return { first, last, name };
      }
    }
  };

  const users = sink.insert('users', ['id', 'name', 'email', 'role', 'team', 'active', 'created_at']);
  const add = (role: string, team: string, active = 1): UserRef => {
    const p = person();
    const u: UserRef = { id: w.users.length + 1, ...p, email: `${slug(p.first)}.${slug(p.last)}@${COMPANY.domain}`, role, team };
    const created = cal.now - r.int(200, 1500) * DAY - r.int(0, 8 * 3600);
    users.add(u.id, u.name, u.email, role, team, active, cal.ts(created));
    w.users.push(u);
    if (active) {
      const list = w.byRole.get(role) ?? [];
      list.push(u);
      w.byRole.set(role, list);
    }
    return u;
  };

  add('admin', 'IT');
  for (const team of ['Leadership', 'Support', 'Sales', 'Field Ops', 'Marketing', 'Customer Success']) add('manager', team);
  for (let i = 0; i < plan.salesReps; i++) add('sales', 'Sales');
  const agentUsers = Array.from({ length: plan.agents }, () => add('agent', 'Support'));
  const techUsers = Array.from({ length: plan.technicians }, () => add('technician', 'Field Ops'));
  for (let i = 0; i < plan.marketers; i++) add('analyst', 'Marketing');
  for (let i = 0; i < plan.analysts; i++) add('analyst', i % 2 ? 'Operations' : 'Finance');
  for (let i = 0; i < plan.viewers; i++) add('viewer', 'Finance');
  add('sales', 'Sales', 0); // a former rep: inactive, still the owner of nothing new

  const agents = sink.insert('agents', ['id', 'user_id', 'name', 'email', 'team', 'hire_date', 'active']);
  agentUsers.forEach((u, i) => {
    const team = AGENT_TEAMS[i % AGENT_TEAMS.length]!;
    // The first agents were hired before the history window, so their metrics (and the tickets) cover all of it.
    const hireDay = i < 3 ? cal.firstDay - r.int(120, 1400) : cal.firstDay - r.int(-60, 900);
    agents.add(i + 1, u.id, u.name, u.email, team, cal.date(hireDay), 1);
    w.agents.push({ id: i + 1, userId: u.id, name: u.name, first: u.first, team, hireDay });
  });

  // The planted CSAT decline belongs to a Tier 1 agent who has been there the whole history.
  const eligible = w.agents.filter((a) => a.team === 'Tier 1' && a.hireDay < cal.firstDay);
  w.facts.decliningAgentId = r.pick(eligible.length ? eligible : w.agents).id;

  const techs = sink.insert('technicians', ['id', 'name', 'email', 'phone', 'skills', 'region', 'active', 'created_at']);
  const regionCum = cumulative(REGION_WEIGHTS);
  techUsers.forEach((u, i) => {
    const region = i < REGIONS.length && plan.technicians > REGIONS.length ? REGIONS[i]! : REGIONS[r.weighted(regionCum)]!;
    const skills = pickSkills(r);
    techs.add(i + 1, u.name, u.email, phoneNumber(r), skills, region, 1, cal.ts(cal.now - r.int(200, 1500) * DAY + r.int(8 * 3600, 17 * 3600)));
    w.technicians.push({ id: i + 1, name: u.name, first: u.first, region, skills });
  });
}

function pickSkills(r: Rand): string {
  const n = r.int(2, 4);
  const chosen = r.shuffle([...SKILLS]).slice(0, n);
  return chosen.join(', ');
}
