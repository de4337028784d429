import { phoneNumber } from './pii';
import { CITIES, COMPANY_CORE, COMPANY_PREFIX, COMPANY_SUFFIX, FIRST_NAMES, INDUSTRIES, JOB_TITLES, LAST_NAMES, REGION_WEIGHTS, REGIONS } from './pools';
import { cumulative, weightedPicker, type Rand } from './random';
import { DAY } from './time';
import { past, rand, usersWithRole, type AccountRef, type World } from './world';

const TIER_CUM = cumulative([55, 30, 15]);
const LIFECYCLE = weightedPicker<AccountRef['lifecycle']>([['customer', 64], ['prospect', 28], ['churned', 8]]);
const PROSPECT_STAGE = weightedPicker([['lead', 35], ['mql', 25], ['sql', 20], ['opportunity', 20]] as const);
const CUSTOMER_STAGE = weightedPicker([['customer', 80], ['evangelist', 15], ['other', 5]] as const);
const EMPLOYEES = [[10, 200], [200, 2000], [2000, 40000]] as const;
const ARR = [[6000, 40000], [40000, 180000], [180000, 900000]] as const;

const ascii = (s: string): string => s.toLowerCase().replace(/[^a-z]/g, '');

/** Customer and prospect companies and the people at them. */
export function generateAccounts(w: World): void {
  const r = rand(w, 'accounts');
  const { cal, sink, plan } = w;
  const reps = usersWithRole(w, 'sales');
  const regionCum = cumulative(REGION_WEIGHTS);
  const names = new Set<string>();
  const domains = new Set<string>();
  const citiesOf = new Map(REGIONS.map((reg) => [reg, CITIES.flatMap((c, i) => (c.region === reg ? [i] : []))]));
  // Three established mid-market or enterprise customers anchor the customer-success plants.
  const anchors = r.shuffle(Array.from({ length: plan.accounts }, (_, i) => i + 1)).slice(0, 3);

  const accounts = sink.insert('accounts', ['id', 'name', 'domain', 'industry', 'tier', 'region', 'employees', 'arr', 'lifecycle', 'owner_id', 'created_at']);
  for (let id = 1; id <= plan.accounts; id++) {
    let tier = r.weighted(TIER_CUM);
    let lifecycle = LIFECYCLE(r);
    const anchor = anchors.includes(id);
    if (anchor) {
      lifecycle = 'customer';
      tier = Math.max(tier, 1);
    }
    const region = REGIONS[r.weighted(regionCum)]!;
    const city = r.pick(citiesOf.get(region)!);
    const { name, industry } = companyName(r, names);
    const domain = uniqueDomain(name, domains);
    const [eLo, eHi] = EMPLOYEES[tier]!;
    const employees = Math.round(eLo + (eHi - eLo) * r.next() ** 2);
    const [aLo, aHi] = ARR[tier]!;
    const arr = lifecycle === 'prospect' ? 0 : Math.round((aLo + (aHi - aLo) * r.next() ** 1.5) / 100) * 100;
    const createdDay =
      lifecycle === 'customer' ? cal.anchorDay - r.int(anchor ? 400 : 200, 1300) : lifecycle === 'churned' ? cal.anchorDay - r.int(500, 1100) : cal.anchorDay - r.int(5, 420);
    const owner = reps[(id - 1) % reps.length]!;
    const acc: AccountRef = { id, name, domain, industry, tier, lifecycle, region, city, ownerId: owner.id, createdDay, employees, arr, firstContact: 0, contactCount: 0 };
    accounts.add(id, name, domain, industry, ['smb', 'mid_market', 'enterprise'][tier]!, region, employees, lifecycle === 'prospect' ? null : arr, lifecycle, owner.id, cal.ts(createdDay * DAY + r.int(8 * 3600, 18 * 3600)));
    w.accounts.push(acc);
    if (lifecycle === 'customer') w.customers.push(acc);
  }

  const contacts = sink.insert('contacts', ['id', 'account_id', 'first_name', 'last_name', 'email', 'phone', 'title', 'lifecycle_stage', 'owner_id', 'created_at']);
  let cid = 0;
  for (const acc of w.accounts) {
    const n = acc.lifecycle === 'prospect' ? r.int(1, 3) : acc.lifecycle === 'churned' ? r.int(1, 2) : r.int(2, 3 + acc.tier);
    acc.firstContact = cid + 1;
    acc.contactCount = n;
    for (let k = 0; k < n; k++) {
      cid++;
      const first = r.pick(FIRST_NAMES);
      const last = r.pick(LAST_NAMES);
      const email = r.chance(0.92) ? `${r.chance(0.8) ? `${ascii(first)}.${ascii(last)}` : `${ascii(first)[0]}${ascii(last)}`}@${acc.domain}` : null;
      const phone = r.chance(0.7) ? phoneNumber(r) : null;
      const title = r.pick(JOB_TITLES);
      const stage = acc.lifecycle === 'prospect' ? PROSPECT_STAGE(r) : acc.lifecycle === 'customer' ? CUSTOMER_STAGE(r) : 'other';
      const created = past(w, r, (acc.createdDay + r.int(0, 200)) * DAY + r.int(8 * 3600, 18 * 3600));
      contacts.add(cid, acc.id, first, last, email, phone, title, stage, acc.ownerId, cal.ts(created));
      w.contacts.push({ id: cid, accountId: acc.id, first, last, email, phone, title });
    }
  }

  // Customer-success plants: usage is tracked for some customers; one is about to churn, one is growing.
  const others = r.shuffle(w.customers.filter((a) => !anchors.includes(a.id)));
  w.facts.churnRiskAccountId = anchors[0]!;
  w.facts.growthAccountId = anchors[1]!;
  w.facts.trackedAccountIds = [...anchors, ...others.slice(0, Math.max(0, plan.trackedAccounts - 3)).map((a) => a.id)].sort((a, b) => a - b);
}

const INDUSTRY_CUM = cumulative([16, 12, 5, 12, 8, 7, 5, 4, 14, 9, 3, 2, 2, 1]);

function companyName(r: Rand, taken: Set<string>): { name: string; industry: string } {
  const industry = INDUSTRIES[r.weighted(INDUSTRY_CUM)]!;
  for (let attempt = 0; ; attempt++) {
    const suffix = r.pick(COMPANY_SUFFIX);
    let name = `${r.pick(COMPANY_PREFIX)} ${r.pick(COMPANY_CORE[industry]!)}${suffix ? ` ${suffix}` : ''}`;
    if (attempt > 8) name = `${name} ${r.pick(REGIONS)} ${attempt}`;
    if (!taken.has(name)) {
      taken.add(name);
      return { name, industry };
    }
  }
}

function uniqueDomain(name: string, taken: Set<string>): string {
  const words = name.split(' ').filter((p) => !COMPANY_SUFFIX.includes(p as (typeof COMPANY_SUFFIX)[number]));
  const base = ascii(words.slice(0, 2).join(''));
  let domain = `${base}.com`;
  for (let n = 2; taken.has(domain); n++) domain = `${base}${n}.com`;
  taken.add(domain);
  return domain;
}
