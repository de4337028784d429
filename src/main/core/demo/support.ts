import { BROWSERS, CARRIERS, CITIES, COMPANY, IDPS, INTEGRATIONS, SITE_KINDS, WHEN } from './pools';
import { clamp, cumulative, weightedPicker } from './random';
import { fill, money, toned, type Tone } from './text';
import {
  AGENT_FIRST_REPLIES, AGENT_REPLIES, CATEGORY_WEIGHTS, CUSTOMER_FOLLOWUPS, INTERNAL_NOTES, OUTAGE_TEXT, PRIORITY_WEIGHTS,
  RESOLUTIONS, TICKET_CATEGORIES, TICKET_TEXT, type TicketCategory,
} from './textSupport';
import { DAY, HOUR, MINUTE } from './time';
import { contactOf, rand, TIERS, type AgentRef, type World } from './world';

const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
/** SLA targets in hours per priority (low, normal, high, urgent). */
export const FIRST_RESPONSE_HOURS = [24, 8, 4, 1] as const;
export const RESOLUTION_HOURS = [120, 72, 24, 8] as const;
/** Weekday factors, Sunday first. */
const DOW = [0.5, 1.2, 1.15, 1.1, 1.05, 1.0, 0.55];
const DOW_MEAN = DOW.reduce((a, b) => a + b, 0) / 7;
/** Hour-of-day weights (UTC): a business-hours hump with a thin night shift. */
const HOUR_CUM = cumulative([1, 1, 1, 1, 1, 2, 4, 8, 12, 14, 14, 13, 12, 13, 14, 13, 11, 8, 5, 4, 3, 2, 2, 1]);
export const SPIKE_FACTOR = 3.5;
/** Response and resolution times are multiplied by this during the SLA surge (a staffing shortfall). */
export const SURGE_FACTOR = 4;

const CATEGORY = weightedPicker(TICKET_CATEGORIES.map((c) => [c, CATEGORY_WEIGHTS[c]] as const));
const PRIORITY_CUM = Object.fromEntries(TICKET_CATEGORIES.map((c) => [c, cumulative(PRIORITY_WEIGHTS[c])])) as Record<TicketCategory, number[]>;
const CHANNEL = weightedPicker([['email', 40], ['chat', 25], ['web', 20], ['phone', 10], ['social', 5]] as const);
const OPEN_STATUS = weightedPicker([['open', 55], ['pending', 30], ['on_hold', 15]] as const);
const TEAMS: Record<TicketCategory, readonly string[]> = {
  login: ['Tier 1', 'Tier 2'], billing: ['Billing'], bug: ['Technical', 'Tier 2'], performance: ['Technical', 'Tier 2'],
  feature_request: ['Tier 1'], shipping: ['Tier 1'], integrations: ['Technical', 'Tier 2'], account: ['Tier 1', 'Billing'],
};

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2 : 0;
};

/** Tickets with comments, SLA events and status history on consistent timelines, plus the volume and SLA plants. */
export function generateTickets(w: World): void {
  const r = rand(w, 'tickets');
  const { cal, plan, sink, pii } = w;
  const A = cal.anchorDay;
  const first = cal.firstDay;
  const days = A - first;
  const [spike0, spike1] = w.windows.ticketSpike;
  const [surge0, surge1] = w.windows.slaSurge;
  const [csat0] = w.windows.agentCsat;

  // Daily volumes: the planned number of tickets spread over the days by a weekly pattern (multinomial, so days
  // vary like Poisson counts while the total stays exactly as planned); the outage days get extra login tickets.
  const lambda = plan.tickets / days;
  const dayCum = cumulative(Array.from({ length: days }, (_, i) => DOW[cal.dow(first + i)]! / DOW_MEAN));
  const base = new Array<number>(days).fill(0);
  for (let k = 0; k < plan.tickets; k++) {
    const x = r.next() * dayCum[days - 1]!;
    let lo = 0;
    let hi = days - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (dayCum[mid]! <= x) lo = mid + 1;
      else hi = mid;
    }
    base[lo]!++;
  }
  const spikeBaseline = median(base.slice(spike0 - first - 28, spike0 - first));
  const extra = base.map((n, i) => {
    const d = first + i;
    if (d < spike0 || d > spike1) return 0;
    return Math.max(Math.ceil(2.5 * Math.max(1, spikeBaseline, lambda)), Math.ceil(SPIKE_FACTOR * Math.max(1, spikeBaseline, lambda)) - n);
  });

  const customerCum = cumulative(w.customers.map((a) => [1, 2.5, 5][a.tier]!));
  const prospects = w.accounts.filter((a) => a.lifecycle === 'prospect');
  const declining = w.facts.decliningAgentId;
  const teamPools = Object.fromEntries(TICKET_CATEGORIES.map((c) => [c, w.agents.filter((a) => TEAMS[c].includes(a.team))])) as Record<TicketCategory, AgentRef[]>;
  const veterans = w.agents.filter((a) => a.hireDay < first);
  const pickAgent = (cat: TicketCategory, day: number): AgentRef => {
    const team = teamPools[cat];
    const pool = team.length && r.chance(0.8) ? team : w.agents;
    const a = pool[Math.floor(r.next() * pool.length)]!;
    return a.hireDay <= day ? a : r.pick(veterans);
  };

  const tickets = sink.insert('tickets', ['id', 'code', 'subject', 'description', 'status', 'priority', 'category', 'channel', 'account_id', 'contact_id', 'agent_id', 'created_at', 'updated_at', 'first_response_at', 'resolved_at', 'sla_due_at', 'csat']);
  const comments = sink.insert('ticket_comments', ['id', 'ticket_id', 'author_type', 'author_name', 'agent_id', 'body', 'internal', 'created_at']);
  const slaEvents = sink.insert('ticket_sla_events', ['id', 'ticket_id', 'metric', 'target_at', 'achieved_at', 'breached']);
  const history = sink.insert('ticket_status_history', ['id', 'ticket_id', 'from_status', 'to_status', 'changed_by', 'changed_at']);

  // Slot values are drawn once per ticket, so a subject and its description mention the same invoice or order.
  const cur = { first: '', agent: '', tier: '' };
  const memo = new Map<string, string>();
  const draw = (k: string): string | undefined => {
    switch (k) {
      case 'product': return r.pick(COMPANY.products);
      case 'feature': return r.pick(COMPANY.features);
      case 'browser': return r.pick(BROWSERS);
      case 'idp': return r.pick(IDPS);
      case 'code': return r.pick(['AUTH-4011', 'SAML_RESPONSE_INVALID', 'E1042', 'ERR_TOKEN_EXPIRED', '502']);
      case 'n': return String(r.int(2, 15));
      case 'when': return r.pick(WHEN);
      case 'invoice': return `INV-${cal.date(A).slice(0, 4)}-${String(r.int(100, 9999)).padStart(5, '0')}`;
      case 'amount': return money(r.int(300, 24000));
      case 'order': return `SO-${r.int(100000, 999999)}`;
      case 'carrier': return r.pick(CARRIERS);
      case 'integration': return r.pick(INTEGRATIONS);
      case 'site': return `the ${r.pick(CITIES).city} ${r.pick(SITE_KINDS)}`;
      default: return undefined;
    }
  };
  const slot = (k: string): string | undefined => {
    if (k === 'first') return cur.first;
    if (k === 'agent') return cur.agent;
    if (k === 'tier') return cur.tier;
    let v = memo.get(k);
    if (v === undefined) {
      v = draw(k);
      if (v !== undefined) memo.set(k, v);
    }
    return v;
  };

  let id = 0;
  let cid = 0;
  let sid = 0;
  let hid = 0;
  const breaches = { inside: 0, insideN: 0, outside: 0, outsideN: 0 };
  const times: number[] = [];
  for (let i = 0; i < days; i++) {
    const day = first + i;
    const outageStart = day * DAY + r.int(6, 10) * HOUR;
    const outageEnd = outageStart + r.int(4, 7) * HOUR;
    times.length = 0;
    for (let k = 0; k < base[i]!; k++) times.push(day * DAY + r.weighted(HOUR_CUM) * HOUR + r.int(0, 3599));
    for (let k = 0; k < extra[i]!; k++) times.push(-(outageStart + r.int(0, outageEnd - outageStart - MINUTE)));
    times.sort((a, b) => Math.abs(a) - Math.abs(b));
    const surge = day >= surge0 && day <= surge1 ? SURGE_FACTOR : 1;
    for (const t of times) {
      id++;
      const outage = t < 0;
      const created = Math.abs(t);
      const category: TicketCategory = outage ? 'login' : CATEGORY(r);
      const p = outage ? (r.chance(0.5) ? 3 : 2) : r.weighted(PRIORITY_CUM[category]);
      const account = !outage && prospects.length && r.chance(0.04) ? r.pick(prospects) : w.customers[r.weighted(customerCum)]!;
      const contact = contactOf(w, r, account);
      const agent = pickAgent(category, day);
      cur.first = contact?.first ?? 'there';
      cur.agent = agent.first;
      cur.tier = TIERS[account.tier]!.replace('_', '-');
      memo.clear();

      // Timeline: created < first response <= resolved; SLA targets from the priority.
      const frTarget = created + FIRST_RESPONSE_HOURS[p]! * HOUR;
      const resTarget = created + RESOLUTION_HOURS[p]! * HOUR;
      let fr: number;
      let res: number;
      if (outage) {
        fr = created + r.int(5, 40) * MINUTE;
        res = Math.max(fr + 5 * MINUTE, outageEnd + r.int(10, 180) * MINUTE);
      } else {
        fr = created + Math.max(2 * MINUTE, FIRST_RESPONSE_HOURS[p]! * HOUR * Math.exp(r.gauss(Math.log(0.3), 0.6)) * surge);
        res = created + RESOLUTION_HOURS[p]! * HOUR * Math.exp(r.gauss(Math.log(0.35), 0.55)) * surge ** 0.85;
        if (r.chance(0.05)) res += r.int(4, 30) * DAY; // waiting on the customer, a fix or a part: it drags on
        res = Math.max(res, fr + r.int(10, 120) * MINUTE);
        // The current backlog: some of the latest tickets still wait for a first reply or a fix.
        if (created > cal.now - 12 * HOUR && r.chance(0.4)) fr = Math.max(fr, cal.now + r.int(10, 600) * MINUTE);
        if (created > cal.now - 5 * DAY && r.chance(0.35)) res = Math.max(res, cal.now + r.int(1, 72) * HOUR);
        res = Math.max(res, fr + r.int(10, 120) * MINUTE);
      }
      fr = Math.floor(fr);
      res = Math.floor(res);
      const hasFr = fr < cal.now;
      const resolved = res < cal.now;
      const status = resolved ? (cal.now - res < 4 * DAY ? 'solved' : 'closed') : !hasFr ? 'new' : OPEN_STATUS(r);
      const frBreached = (hasFr ? fr : cal.now) > frTarget ? 1 : 0;
      const resBreached = (resolved ? res : cal.now) > resTarget ? 1 : 0;
      const anyBreach = frBreached || resBreached;
      if (day >= surge0 && day <= surge1) {
        breaches.insideN++;
        breaches.inside += anyBreach;
      } else if (!outage && day < A - 10) {
        breaches.outsideN++;
        breaches.outside += anyBreach;
      }
      const assigned = hasFr || r.chance(0.5) ? agent : null;

      let csat: number | null = null;
      if (resolved && r.chance(0.45)) {
        const decline = agent.id === declining && day >= csat0 ? 1.6 * ((day - csat0 + 1) / (A - csat0)) : 0;
        csat = clamp(Math.round(r.gauss(4.45 - 0.9 * anyBreach - (outage ? 0.6 : 0) - decline, 0.75)), 1, 5);
      }

      const tone: Tone = p >= 2 ? (r.chance(0.45) ? 'frustrated' : r.chance(0.6) ? 'neutral' : 'polite') : r.chance(0.15) ? 'frustrated' : r.chance(0.5) ? 'neutral' : 'polite';
      const [subjectTemplate, bodyTemplate] = r.pick(outage ? OUTAGE_TEXT : TICKET_TEXT[category]);
      const subject = fill(subjectTemplate, slot);
      const description = pii.maybe(toned(r, tone, fill(bodyTemplate, slot)), contact?.first, contact?.last);
      const contactName = contact ? `${contact.first} ${contact.last}` : 'Customer';

      // Comments and status changes.
      let last = created;
      history.add(++hid, id, null, 'new', 'system', cal.ts(created));
      if (hasFr) {
        const reply = outage ? `Hi ${cur.first}, we are aware of a login problem affecting several customers and our engineers are working on it. We will update you as soon as it is fixed. - ${agent.first}` : fill(r.pick(AGENT_FIRST_REPLIES), slot);
        comments.add(++cid, id, 'agent', agent.name, agent.id, reply, 0, cal.ts(fr));
        history.add(++hid, id, 'new', 'open', agent.name, cal.ts(fr));
        last = fr;
        const until = resolved ? res : cal.now;
        if (r.chance(0.15) && until - fr > 2 * MINUTE) {
          comments.add(++cid, id, 'agent', agent.name, agent.id, fill(r.pick(INTERNAL_NOTES), slot), 1, cal.ts(fr + MINUTE));
          last = Math.max(last, fr + MINUTE);
        }
        if (r.chance(0.4) && until - fr > 20 * MINUTE) {
          const at = fr + 10 * MINUTE + Math.floor(r.next() * (until - fr - 20 * MINUTE));
          const mood = resolved ? (r.chance(0.5) ? 'positive' : r.chance(0.6) ? 'neutral' : 'negative') : r.chance(0.5) ? 'negative' : 'neutral';
          const body = pii.maybe(fill(r.pick(CUSTOMER_FOLLOWUPS[mood]), slot), contact?.first, contact?.last);
          comments.add(++cid, id, 'customer', contactName, null, body, 0, cal.ts(at));
          last = Math.max(last, at);
        }
        if (resolved) {
          if (!outage && r.chance(0.3) && res - fr > 4 * HOUR) {
            const t1 = fr + Math.floor((res - fr) * r.float(0.1, 0.4));
            const t2 = t1 + Math.floor((res - t1) * r.float(0.2, 0.7));
            history.add(++hid, id, 'open', 'pending', agent.name, cal.ts(t1));
            history.add(++hid, id, 'pending', 'open', 'customer', cal.ts(t2));
          }
          if (r.chance(0.5)) comments.add(++cid, id, 'agent', agent.name, agent.id, `${r.pick(AGENT_REPLIES[category])} ${fill(r.pick(RESOLUTIONS), slot)}`, 0, cal.ts(res));
          history.add(++hid, id, 'open', 'solved', agent.name, cal.ts(res));
          last = res;
          if (status === 'closed') {
            last = res + 4 * DAY;
            history.add(++hid, id, 'solved', 'closed', 'system', cal.ts(last));
          }
        } else if (status !== 'open') {
          const at = fr + Math.floor((cal.now - fr) * r.float(0.2, 0.9));
          history.add(++hid, id, 'open', status, agent.name, cal.ts(at));
          last = Math.max(last, at);
        }
      }
      tickets.add(
        id, `TCK-${String(id).padStart(6, '0')}`, subject, description, status, PRIORITIES[p]!, category, outage ? r.pick(['email', 'chat', 'phone'] as const) : CHANNEL(r),
        account.id, contact?.id ?? null, assigned?.id ?? null, cal.ts(created), cal.ts(last), hasFr ? cal.ts(fr) : null, resolved ? cal.ts(res) : null, cal.ts(resTarget), csat,
      );
      slaEvents.add(++sid, id, 'first_response', cal.ts(frTarget), hasFr ? cal.ts(fr) : null, frBreached);
      slaEvents.add(++sid, id, 'resolution', cal.ts(resTarget), resolved ? cal.ts(res) : null, resBreached);
    }
  }
  w.facts.ticketCount = id;

  w.plants.add({
    id: 'ticket_volume_spike', metric: 'tickets.daily_count', kind: 'spike', entityType: 'tickets', filter: { category: 'login' },
    start: cal.date(spike0), end: cal.date(spike1), baseline: spikeBaseline, magnitude: SPIKE_FACTOR,
    description: `Login outage (SSO gateway failure): total daily ticket volume jumps to about ${SPIKE_FACTOR}x the trailing 28-day median for ${spike1 - spike0 + 1} days, the extra tickets all in category 'login'.`,
  });
  const before = breaches.outsideN ? breaches.outside / breaches.outsideN : 0;
  const during = breaches.insideN ? breaches.inside / breaches.insideN : 0;
  w.plants.add({
    id: 'sla_breach_surge', metric: 'tickets.sla_breach_rate', kind: 'spike', entityType: 'tickets',
    start: cal.date(surge0), end: cal.date(surge1), baseline: Math.round(before * 1000) / 1000, magnitude: before > 0 ? Math.round((during / before) * 100) / 100 : during,
    description: `Staffing shortfall: response and resolution times grow about ${SURGE_FACTOR}-fold, so the share of tickets created in the window with a breached SLA (any ticket_sla_events.breached) rises from ${Math.round(before * 100)}% to ${Math.round(during * 100)}%.`,
  });
}
