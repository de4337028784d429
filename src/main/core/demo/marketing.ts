import { round2 } from './random';
import { DAY, HOUR } from './time';
import { past, rand, usersWithRole, type World } from './world';

type Channel = 'email' | 'search' | 'social' | 'display' | 'events';

interface ChannelModel {
  impressions: number;
  ctr: number;
  cvr: number;
  cpc: number;
  /** Spend per 1000 impressions when the channel is bought by reach (0 = bought by click). */
  cpm: number;
  order: number;
  names: readonly string[];
}

const MODELS: Record<Channel, ChannelModel> = {
  search: { impressions: 8000, ctr: 0.035, cvr: 0.06, cpc: 2.2, cpm: 0, order: 900, names: ['Always-on search - brand', 'Search - cold-chain monitoring', 'Search - competitor terms', 'Search - predictive maintenance'] },
  social: { impressions: 40000, ctr: 0.011, cvr: 0.03, cpc: 0, cpm: 9, order: 600, names: ['LinkedIn - operations leaders', 'Social - customer stories', 'LinkedIn - cold-chain ebook', 'Social retargeting'] },
  display: { impressions: 90000, ctr: 0.0035, cvr: 0.02, cpc: 0, cpm: 2.5, order: 500, names: ['Display retargeting - site visitors', 'Display - logistics trade media', 'Programmatic awareness'] },
  email: { impressions: 15000, ctr: 0.028, cvr: 0.05, cpc: 0, cpm: 0.6, order: 700, names: ['Newsletter nurture', 'Webinar invite series', 'Win-back - churned accounts', 'Product update announcements'] },
  events: { impressions: 1500, ctr: 0.12, cvr: 0.1, cpc: 0, cpm: 300, order: 1500, names: ['Logistics Expo booth', 'Cold Chain Summit sponsorship', 'Customer roadshow'] },
};
const CHANNELS = Object.keys(MODELS) as Channel[];
const OBJECTIVES = ['Lead generation', 'Awareness', 'Product launch', 'Retention', 'Webinar sign-ups', 'Pipeline acceleration'] as const;
const AUDIENCES = ['Operations directors, mid-market logistics', 'Facilities managers in healthcare', 'IT leaders at enterprise retail', 'Existing customers', 'Food & beverage plant managers', 'Website visitors, last 30 days'] as const;
/** The planted CTR collapse keeps this share of the normal click-through rate. */
export const CTR_COLLAPSE_TO = 0.25;
/** The planted CPA rise: the conversion rate erodes so that cost per acquisition ends at this multiple of its start. */
export const CPA_RISE = 3.5;

/** Marketing campaigns with daily metrics; one's click-through collapses, another's cost per acquisition climbs. */
export function generateCampaigns(w: World): void {
  const r = rand(w, 'campaigns');
  const { cal, sink, plan } = w;
  const A = cal.anchorDay;
  const owners = [...usersWithRole(w, 'analyst').filter((u) => u.team === 'Marketing'), ...usersWithRole(w, 'manager').filter((u) => u.team === 'Marketing')];
  const ids = r.shuffle(Array.from({ length: plan.campaigns }, (_, i) => i + 1));
  const ctrId = ids[0]!;
  const cpaId = ids[1]!;
  const draftId = ids[2]!;
  const [ctr0] = w.windows.ctrCollapse;

  const insC = sink.insert('campaigns', ['id', 'name', 'channel', 'objective', 'status', 'budget', 'start_date', 'end_date', 'audience', 'owner_id', 'created_at']);
  const insM = sink.insert('campaign_metrics_daily', ['campaign_id', 'date', 'impressions', 'clicks', 'conversions', 'spend', 'revenue']);
  const usedNames = new Set<string>();
  for (let id = 1; id <= plan.campaigns; id++) {
    const channel: Channel = id === ctrId ? r.pick(['social', 'display'] as const) : id === cpaId ? 'search' : r.pick(CHANNELS);
    const m = MODELS[channel];
    let start = A - r.int(10, 200);
    let end = start + (channel === 'events' ? r.int(2, 5) : r.int(30, 120));
    if (id === ctrId) [start, end] = [ctr0 - r.int(56, 70), A + r.int(20, 60)];
    if (id === cpaId) [start, end] = [A - r.int(90, 110), A + r.int(20, 60)];
    if (id === draftId) [start, end] = [A + r.int(5, 30), A + r.int(60, 120)];
    let status = end < A ? 'completed' : start >= A ? 'draft' : r.chance(0.85) || id === ctrId || id === cpaId ? 'active' : 'paused';
    const pausedOn = status === 'paused' ? start + Math.floor((A - start) * r.float(0.4, 0.9)) : null;
    if (status === 'paused' && pausedOn !== null && pausedOn <= start) status = 'active';
    const size = id === ctrId || id === cpaId ? r.float(1, 2) : r.float(0.5, 2);
    const dailySpend = channel === 'search' ? m.impressions * m.ctr * m.cpc * size : (m.impressions / 1000) * m.cpm * size;
    const budget = Math.round((dailySpend * (end - start + 1) * r.float(1.0, 1.25)) / 500) * 500;
    let name = `${r.pick(m.names)} ${cal.quarter(start).replace('-', ' ')}`;
    while (usedNames.has(name)) name = `${name} (${r.pick(['EMEA', 'NA', 'APAC', 'B'])})`;
    usedNames.add(name);
    const createdSec = past(w, r, (start - r.int(3, 20)) * DAY + r.int(9 * HOUR, 17 * HOUR));
    insC.add(id, name, channel, r.pick(OBJECTIVES), status, budget, cal.date(start), cal.date(end), r.pick(AUDIENCES), owners.length ? r.pick(owners).id : null, cal.ts(createdSec));
    w.campaigns.push({ id, name });

    const last = Math.min(end, A - 1, pausedOn ?? Number.MAX_SAFE_INTEGER);
    const from = Math.max(start, cal.firstDay);
    let drift = 1;
    for (let d = from; d <= last; d++) {
      drift = Math.min(1.3, Math.max(0.75, drift * r.jitter(0.015)));
      const weekend = cal.isWeekend(d) ? 0.7 : 1;
      const imp = Math.round(m.impressions * size * weekend * drift * r.jitter(0.08));
      let ctr = m.ctr * r.jitter(0.06);
      let cvr = m.cvr * r.jitter(0.05);
      if (id === ctrId && d >= ctr0) ctr *= CTR_COLLAPSE_TO;
      if (id === cpaId) cvr /= 1 + (CPA_RISE - 1) * ((d - start) / Math.max(1, A - 1 - start));
      const clicks = Math.round(imp * ctr);
      const conversions = r.poisson(clicks * cvr);
      const spend = round2(m.cpc > 0 ? clicks * m.cpc * r.jitter(0.04) : (imp / 1000) * m.cpm * r.jitter(0.03));
      const revenue = round2(conversions * m.order * r.jitter(0.25));
      insM.add(id, cal.date(d), imp, clicks, conversions, spend, revenue);
    }
    if (id === ctrId) {
      w.plants.add({
        id: 'campaign_ctr_collapse', metric: 'campaign_metrics_daily.ctr', kind: 'drop', entityType: 'campaigns', entityId: id,
        start: cal.date(ctr0), end: cal.date(A - 1), baseline: m.ctr, magnitude: CTR_COLLAPSE_TO - 1,
        description: `${name}: click-through rate (clicks / impressions) collapses to a quarter of its level from ${cal.date(ctr0)} (creative fatigue after the ad set was left unchanged), while spend continues.`,
      });
    }
    if (id === cpaId) {
      w.plants.add({
        id: 'campaign_cpa_rise', metric: 'campaign_metrics_daily.cpa', kind: 'trend_up', entityType: 'campaigns', entityId: id,
        start: cal.date(Math.max(start, cal.firstDay)), end: cal.date(A - 1), baseline: round2(m.cpc / m.cvr), magnitude: CPA_RISE - 1,
        description: `${name}: cost per acquisition (spend / conversions) rises steadily to about ${CPA_RISE}x its starting level as the conversion rate erodes.`,
      });
    }
  }
}
