import { clamp, cumulative, round3 } from './random';
import { DAY, HOUR } from './time';
import { contactOf, past, rand, type World } from './world';

const NPS_COMMENTS = {
  promoter: [
    'The alerting saved us a full freezer of stock last month. Great product.', 'Support is fast and actually knows the product.',
    'Easy to roll out across sites; our operators like the mobile app.', 'Dashboards give us exactly what the auditors ask for.',
    'Best vendor we work with - proactive and responsive.',
  ],
  passive: [
    'Works well, but reporting could be more flexible.', 'Good product; pricing is on the high side.',
    'Sensors are reliable, the app is a bit slow at times.', 'Fine overall. Onboarding took longer than promised.',
  ],
  detractor: [
    'Too many outages lately and slow responses from support.', 'We are paying for features we cannot get working.',
    'Login problems cost us a morning of monitoring. Not acceptable.', 'Invoices are confusing and billing errors keep happening.',
    'Honestly considering other vendors at renewal.',
  ],
} as const;
/** The churn-risk account's usage falls to this share of normal. */
export const USAGE_DROP_TO = 0.3;
export const USAGE_GROWTH = 0.8;

/** Product usage per tracked account, NPS responses and renewals; one account's usage collapses ahead of renewal. */
export function generateCustomerSuccess(w: World): void {
  const r = rand(w, 'success');
  const { cal, sink, plan, pii } = w;
  const A = cal.anchorDay;
  const [drop0] = w.windows.usageDrop;
  const [grow0] = w.windows.usageGrowth;
  const churnId = w.facts.churnRiskAccountId;
  const growthId = w.facts.growthAccountId;

  const insU = sink.insert('customer_usage_daily', ['account_id', 'date', 'active_users', 'sessions', 'feature_adoption']);
  const baselines = new Map<number, number>();
  for (const id of w.facts.trackedAccountIds) {
    const acc = w.accounts[id - 1]!;
    const base = Math.min(acc.employees * 0.6, [r.float(8, 40), r.float(40, 220), r.float(200, 1500)][acc.tier]!);
    baselines.set(id, Math.round(base));
    const perUser = r.float(2.2, 3.5);
    let adoption = r.float(0.35, 0.75);
    let drift = 0;
    for (let d = cal.firstDay; d < A; d++) {
      drift = 0.95 * drift + r.gauss(0, 0.01);
      adoption = clamp(adoption + r.gauss(0, 0.003), 0.05, 0.95);
      let f = 1;
      if (id === churnId && d >= drop0) f = Math.max(USAGE_DROP_TO, 1 - ((1 - USAGE_DROP_TO) * (d - drop0 + 1)) / 10);
      if (id === growthId && d >= grow0) f = 1 + USAGE_GROWTH * ((d - grow0 + 1) / (A - grow0));
      const weekend = cal.isWeekend(d) ? 0.45 : 1;
      const users = Math.max(0, Math.round(base * Math.exp(drift) * f * weekend * r.jitter(0.05)));
      const sessions = Math.round(users * perUser * r.jitter(0.06));
      const adopt = id === churnId && d >= drop0 ? adoption * (0.5 + 0.5 * f) : adoption;
      insU.add(id, cal.date(d), users, sessions, round3(adopt));
    }
  }
  const churn = w.accounts[churnId - 1]!;
  const renewalDay = A + r.int(18, 30);
  w.plants.add({
    id: 'account_usage_drop', metric: 'customer_usage_daily.active_users', kind: 'drop', entityType: 'accounts', entityId: churnId,
    start: cal.date(drop0), end: cal.date(A - 1), baseline: baselines.get(churnId)!, magnitude: USAGE_DROP_TO - 1,
    description: `${churn.name}: active users fall by ${Math.round((1 - USAGE_DROP_TO) * 100)}% within ten days and stay down; its renewal on ${cal.date(renewalDay)} is still marked 'upcoming' (churn risk nobody has flagged).`,
  });
  w.plants.add({
    id: 'account_usage_growth', metric: 'customer_usage_daily.active_users', kind: 'trend_up', entityType: 'accounts', entityId: growthId,
    start: cal.date(grow0), end: cal.date(A - 1), baseline: baselines.get(growthId)!, magnitude: USAGE_GROWTH,
    description: `${w.accounts[growthId - 1]!.name}: active users grow steadily by about ${USAGE_GROWTH * 100}% (expansion opportunity; an expansion deal is in negotiation).`,
  });

  // NPS: each customer has a latent health; the churn-risk account answers as a detractor during its drop.
  const insN = sink.insert('nps_responses', ['id', 'account_id', 'contact_id', 'score', 'comment', 'responded_at']);
  const health = new Map(w.accounts.map((a) => [a.id, a.id === churnId ? -1 : r.gauss(0, 1)]));
  const responders = [...w.customers, ...w.accounts.filter((a) => a.lifecycle === 'churned')];
  const cum = cumulative(responders.map((a) => (a.lifecycle === 'churned' ? 0.5 : 1 + a.tier)));
  const span = A - cal.firstDay;
  for (let id = 1; id <= plan.nps; id++) {
    const planted = id === 1;
    const acc = planted ? churn : responders[r.weighted(cum)]!;
    const contact = contactOf(w, r, acc);
    const churned = acc.lifecycle === 'churned';
    const day = planted ? drop0 + r.int(3, Math.max(3, A - drop0 - 2)) : cal.firstDay + Math.floor(r.next() * (churned ? span * 0.4 : span));
    const score = planted ? 3 : clamp(Math.round(r.gauss(churned ? 4 : 8 + 0.9 * health.get(acc.id)!, 1.6)), 0, 10);
    const bucket = score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor';
    const comment = planted ? 'Usage dropped after our team reorganised; we are reviewing whether we still need the platform before renewal.' : r.chance(0.7) ? pii.maybe(r.pick(NPS_COMMENTS[bucket]), contact?.first, contact?.last) : null;
    insN.add(id, acc.id, contact?.id ?? null, score, comment, cal.ts(day * DAY + r.int(7 * HOUR, 21 * HOUR)));
  }

  // Renewals: churned accounts churned at their last renewal; customers renewed or are coming up.
  const insR = sink.insert('renewals', ['id', 'account_id', 'renewal_date', 'amount', 'status', 'created_at']);
  let id = 0;
  for (const acc of w.accounts) {
    if (acc.lifecycle === 'prospect') continue;
    let day: number;
    let status: string;
    if (acc.lifecycle === 'churned') {
      day = A - r.int(10, 170);
      status = 'churned';
    } else if (acc.id === churnId) {
      day = renewalDay;
      status = 'upcoming';
    } else {
      day = Math.max(acc.createdDay + 200, A + r.int(-150, 210));
      status = day < A ? 'renewed' : day - A <= 60 && r.chance(0.15) ? 'at_risk' : 'upcoming';
    }
    // The renewal record dates from the contract it renews (signed a year earlier, or when the account started).
    const created = past(w, r, Math.max(acc.createdDay, day - 365) * DAY + r.int(9 * HOUR, 17 * HOUR));
    insR.add(++id, acc.id, cal.date(day), acc.arr, status, cal.ts(created));
  }
}
