import { clamp, round2 } from './random';
import { DAY, HOUR } from './time';
import { past, rand, usersWithRole, type World } from './world';

const STRENGTHS = {
  high: ['Consistently warm, clear replies; customers often mention {first} by name.', 'Excellent product knowledge, especially on integrations.', 'Takes ownership of escalations and follows through.', 'Great at de-escalating frustrated customers.'],
  mid: ['Reliable on volume and keeps the queue moving.', 'Good notes on tickets; handovers are easy.', 'Helpful to newer colleagues.'],
  low: ['Still handles a high volume of tickets.', 'Knows the billing workflows well.'],
} as const;
const IMPROVEMENTS = {
  high: ['Could share more knowledge-base articles with the team.', 'Keep an eye on handle time on complex tickets.'],
  mid: ['Work on first-response time during peaks.', 'Use macros less rigidly; personalise replies.', 'Confirm the fix with the customer before solving.'],
  low: ['CSAT has declined noticeably; several customers described replies as rushed. Coaching plan agreed.', 'QA reviews found missed troubleshooting steps; pair with a Tier 2 mentor.', 'Tone in replies to frustrated customers needs work.'],
} as const;
/** CSAT points the planted agent loses by the anchor date. */
export const AGENT_CSAT_DROP = 1.3;

/** Daily agent metrics (working days) and quarterly reviews; one agent's CSAT declines steadily. */
export function generateAgentPerformance(w: World): void {
  const r = rand(w, 'performance');
  const { cal, sink } = w;
  const A = cal.anchorDay;
  const [csat0] = w.windows.agentCsat;
  const [surge0, surge1] = w.windows.slaSurge;
  const declining = w.facts.decliningAgentId;
  const reviewer = usersWithRole(w, 'manager').find((u) => u.team === 'Support') ?? w.users[0]!;
  const insM = sink.insert('agent_metrics_daily', ['agent_id', 'date', 'tickets_handled', 'avg_handle_minutes', 'first_response_minutes', 'csat', 'qa_score']);
  const insR = sink.insert('agent_reviews', ['id', 'agent_id', 'reviewer_id', 'period', 'score', 'strengths', 'improvements', 'created_at']);
  let rid = 0;
  let plantBaseline = 4.5;
  for (const agent of w.agents) {
    const handled = r.float(16, 28);
    const aht = r.float(9, 22);
    const frt = r.float(25, 90);
    const csatBase = agent.id === declining ? r.float(4.5, 4.7) : r.float(4.3, 4.7);
    if (agent.id === declining) plantBaseline = round2(csatBase);
    const qaBase = r.float(82, 94);
    const quarters = new Map<string, { qa: number; csat: number; n: number; end: number }>();
    for (let d = Math.max(cal.firstDay, agent.hireDay); d < A; d++) {
      if (cal.isWeekend(d) || r.chance(0.04)) continue;
      const decline = agent.id === declining && d >= csat0 ? AGENT_CSAT_DROP * ((d - csat0 + 1) / (A - csat0)) : 0;
      const surge = d >= surge0 && d <= surge1 ? 3 : 1;
      const csat = round2(clamp(csatBase + r.gauss(0, 0.1) - decline, 1, 5));
      const qa = Math.round(clamp(qaBase + r.gauss(0, 2.5) - decline * 8, 0, 100) * 10) / 10;
      insM.add(agent.id, cal.date(d), Math.max(0, Math.round(r.gauss(handled, 3.5))), round2(aht * r.jitter(0.08)), round2(frt * surge * r.jitter(0.12)), csat, qa);
      const q = cal.quarter(d);
      const acc = quarters.get(q) ?? { qa: 0, csat: 0, n: 0, end: d };
      acc.qa += qa;
      acc.csat += csat;
      acc.n++;
      acc.end = d;
      quarters.set(q, acc);
    }
    // A review for each completed quarter (and the current one, as a mid-quarter check-in), written after it.
    for (const [period, q] of quarters) {
      if (q.n < 10) continue;
      const score = Math.round((q.qa / q.n) * 0.6 + ((q.csat / q.n) / 5) * 100 * 0.4);
      const band = score >= 88 ? 'high' : score >= 80 ? 'mid' : 'low';
      const written = past(w, r, (q.end + r.int(3, 12)) * DAY + r.int(9 * HOUR, 17 * HOUR));
      insR.add(++rid, agent.id, reviewer.id, period, score, r.pick(STRENGTHS[band]).replace('{first}', agent.first), r.pick(IMPROVEMENTS[band]), cal.ts(written));
    }
  }
  const agent = w.agents.find((a) => a.id === declining)!;
  w.plants.add({
    id: 'agent_csat_decline', metric: 'agent_metrics_daily.csat', kind: 'trend_down', entityType: 'agents', entityId: declining,
    start: cal.date(csat0), end: cal.date(A - 1), baseline: plantBaseline, magnitude: Math.round((-AGENT_CSAT_DROP / plantBaseline) * 1000) / 1000,
    description: `${agent.name} (${agent.team}): daily CSAT slides steadily by about ${AGENT_CSAT_DROP} points over the window (QA scores follow); their tickets' CSAT drops too.`,
  });
}
