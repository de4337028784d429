import { CITIES, SITE_KINDS, STREETS } from './pools';
import { weightedPicker } from './random';
import { DAY, HOUR, MINUTE } from './time';
import { rand, type TechnicianRef, type World } from './world';

const JOB_TYPES = {
  installation: { hours: [3, 4.5], text: ['Install gateway and {n} temperature sensors in {zone}.', 'New site installation: mount sensors, connect gateway to customer network, verify readings.'] },
  repair: { hours: [1, 3], text: ['Sensor offline in {zone}; replace unit and check wiring.', 'Gateway reboot loop reported; diagnose and replace power supply if needed.'] },
  maintenance: { hours: [1, 2], text: ['Quarterly maintenance: battery swap on {n} sensors.', 'Preventive maintenance and firmware update on all gateways.'] },
  inspection: { hours: [1, 2], text: ['Annual compliance inspection of monitoring equipment.', 'Post-incident inspection after temperature excursion in {zone}.'] },
  calibration: { hours: [1, 2.5], text: ['Calibrate {n} probes against reference thermometer.', 'Recalibrate humidity sensors in {zone} after drift alerts.'] },
} as const;
type JobType = keyof typeof JOB_TYPES;
const JOB_TYPE = weightedPicker<JobType>([['installation', 20], ['repair', 30], ['maintenance', 25], ['inspection', 12], ['calibration', 13]]);
const PRIORITY = weightedPicker([['low', 20], ['medium', 50], ['high', 22], ['urgent', 8]] as const);
const SLA_HOURS: Record<string, number> = { low: 240, medium: 120, high: 48, urgent: 24 };
const WINDOWS = [[8, 12], [10, 14], [12, 16], [14, 18], [8, 17]] as const;
const ZONES = ['cold store 2', 'the freezer bay', 'loading dock B', 'the pharmacy store', 'server room', 'zone C'] as const;
const TRAVEL = 30 * MINUTE;

interface Booking {
  day: number;
  tech: number;
  start: number;
  end: number;
  jobId: number;
}

/** Field-service sites and jobs with customer windows, technician schedules and planted double bookings. */
export function generateDispatch(w: World): void {
  const r = rand(w, 'dispatch');
  const { cal, sink, plan } = w;
  const A = cal.anchorDay;

  const locations = sink.insert('locations', ['id', 'name', 'address', 'city', 'region', 'lat', 'lng', 'account_id']);
  const sites: { id: number; region: string; accountId: number | null }[] = [];
  for (let id = 1; id <= plan.locations; id++) {
    const account = r.chance(0.9) ? r.pick(w.customers) : null;
    const city = account && r.chance(0.6) ? CITIES[account.city]! : r.pick(CITIES.filter((c) => !account || c.region === account.region));
    const kind = r.pick(SITE_KINDS);
    const name = account ? `${account.name.split(' ').slice(0, 2).join(' ')} ${city.city} ${kind}` : `Kestrel ${city.city} depot`;
    const lat = Math.round((city.lat + r.gauss(0, 0.08)) * 1e5) / 1e5;
    const lng = Math.round((city.lng + r.gauss(0, 0.08)) * 1e5) / 1e5;
    locations.add(id, name, `${r.int(1, 2400)} ${r.pick(STREETS)}`, city.city, city.region, lat, lng, account?.id ?? null);
    sites.push({ id, region: city.region, accountId: account?.id ?? null });
  }

  const byRegion = new Map<string, TechnicianRef[]>();
  for (const t of w.technicians) byRegion.set(t.region, [...(byRegion.get(t.region) ?? []), t]);
  const booked = new Map<number, number[]>();
  const key = (tech: number, day: number): number => tech * 1_000_000 + day;
  // Bookings are kept per technician and day; one that crosses midnight is filed under both days.
  const free = (tech: number, _day: number, start: number, end: number): boolean => {
    for (let day = Math.floor(start / DAY); day <= Math.floor(end / DAY); day++) {
      const list = booked.get(key(tech, day));
      if (!list) continue;
      for (let i = 0; i < list.length; i += 2) if (start < list[i + 1]! + TRAVEL && end + TRAVEL > list[i]!) return false;
    }
    return true;
  };
  const book = (tech: number, _day: number, start: number, end: number): void => {
    for (let day = Math.floor(start / DAY); day <= Math.floor(end / DAY); day++) {
      const k = key(tech, day);
      const list = booked.get(k) ?? [];
      list.push(start, end);
      booked.set(k, list);
    }
  };
  /** First free slot for any technician (region first) inside the window, in half-hour steps. */
  const assign = (region: string, day: number, wStart: number, wEnd: number, dur: number): { tech: number; start: number } | null => {
    const local = byRegion.get(region) ?? [];
    const candidates = r.shuffle([...(local.length ? local : w.technicians)]);
    if (local.length && r.chance(0.1)) candidates.push(...w.technicians.filter((t) => t.region !== region));
    for (const t of candidates) {
      for (let s = wStart; s + dur <= wEnd; s += 30 * MINUTE) if (free(t.id, day, s, s + dur)) return { tech: t.id, start: s };
    }
    return null;
  };

  const jobs = sink.insert('dispatch_jobs', ['id', 'code', 'account_id', 'location_id', 'technician_id', 'job_type', 'priority', 'status', 'window_start', 'window_end', 'scheduled_start', 'scheduled_end', 'completed_at', 'sla_due_at', 'description', 'created_at']);
  const describe = (type: JobType): string => w.pii.maybe(r.pick(JOB_TYPES[type].text).replace('{n}', String(r.int(4, 40))).replace('{zone}', r.pick(ZONES)), r.pick(['Maria', 'Tom', 'Priya', 'Jon']), r.pick(['Lopez', 'Reed', 'Shah', 'Berg']));
  const createdDays = Array.from({ length: plan.dispatchJobs }, () => cal.firstDay + Math.floor(r.next() * (A - cal.firstDay))).sort((a, b) => a - b);
  const upcoming: Booking[] = [];
  let id = 0;
  const add = (args: { site: (typeof sites)[number]; type: JobType; priority: string; status: string; created: number; wStart: number; wEnd: number; tech: number | null; sStart: number | null; dur: number }): number => {
    id++;
    const { site, type, priority, status, created, wStart, wEnd, tech, sStart, dur } = args;
    const completed = status === 'completed' && sStart !== null ? Math.min(cal.now - MINUTE, sStart + dur + r.int(-20, 45) * MINUTE) : null;
    jobs.add(
      id, `JOB-${String(id).padStart(6, '0')}`, site.accountId, site.id, tech, type, priority, status, cal.ts(wStart), cal.ts(wEnd),
      sStart === null ? null : cal.ts(sStart), sStart === null ? null : cal.ts(sStart + dur), completed === null ? null : cal.ts(completed),
      cal.ts(created + SLA_HOURS[priority]! * HOUR), describe(type), cal.ts(created),
    );
    return id;
  };

  for (const createdDay of createdDays) {
    const site = r.pick(sites);
    const type = JOB_TYPE(r);
    const priority = PRIORITY(r);
    const created = createdDay * DAY + r.int(7 * HOUR, 19 * HOUR);
    let day = createdDay + (priority === 'urgent' ? r.int(0, 1) : r.int(1, 10));
    if (cal.isWeekend(day)) day += cal.dow(day) === 6 ? 2 : 1;
    const [d0, d1] = JOB_TYPES[type].hours;
    const dur = Math.round(r.float(d0, d1) * 2) * 30 * MINUTE;
    let [h0, h1] = r.pick(WINDOWS);
    if ((h1 - h0) * HOUR < dur + HOUR) [h0, h1] = [8, 17]; // long jobs get an all-day window
    let wStart = day * DAY + h0 * HOUR;
    let wEnd = day * DAY + h1 * HOUR;
    if (wStart < created) [wStart, wEnd] = [wStart + DAY, wEnd + DAY];
    day = Math.floor(wStart / DAY);
    const future = day >= A;
    let status = future ? (r.chance(0.75) ? 'scheduled' : 'unscheduled') : r.chance(0.08) ? 'cancelled' : r.chance(0.03) ? 'unscheduled' : 'completed';
    let slot = status === 'scheduled' || status === 'completed' ? assign(site.region, day, wStart, wEnd, dur) : null;
    if (!slot && status !== 'unscheduled' && status !== 'cancelled') status = 'unscheduled';
    if (slot) book(slot.tech, day, slot.start, slot.start + dur);
    else slot = null;
    const jobId = add({ site, type, priority, status, created, wStart, wEnd, tech: slot?.tech ?? null, sStart: slot?.start ?? null, dur });
    if (slot && status === 'scheduled' && day <= A + 6) upcoming.push({ day, tech: slot.tech, start: slot.start, end: slot.start + dur, jobId });
  }

  // Two overnight emergency call-outs are under way at "now".
  for (const status of ['in_progress', 'en_route'] as const) {
    const site = r.pick(sites);
    const sStart = status === 'in_progress' ? cal.now - r.int(60, 100) * MINUTE : cal.now + r.int(20, 50) * MINUTE;
    const dur = 2 * HOUR;
    const anyone = w.technicians.find((t) => free(t.id, 0, sStart, sStart + dur));
    const slot = assign(site.region, Math.floor(sStart / DAY), sStart, sStart + dur, dur) ?? (anyone ? { tech: anyone.id, start: sStart } : null);
    if (!slot) continue;
    book(slot.tech, Math.floor(sStart / DAY), sStart, sStart + dur);
    add({ site, type: 'repair', priority: 'urgent', status, created: cal.now - r.int(3, 6) * HOUR, wStart: sStart - HOUR, wEnd: sStart + 4 * HOUR, tech: slot.tech, sStart: slot.start, dur });
  }

  // Planted double bookings: a second job nested inside an upcoming booking of the same technician.
  const count = Math.min(8, 2 + Math.round(Math.sqrt(plan.scale)));
  const pool = r.shuffle([...upcoming]);
  const usedTech = new Set<number>();
  for (let k = 0; k < count; k++) {
    let base = pool.find((b) => !usedTech.has(b.tech));
    if (base) pool.splice(pool.indexOf(base), 1);
    else base = makeBase(k);
    usedTech.add(base.tech);
    const start = base.start + 30 * MINUTE;
    const dur = base.end - start;
    const site = r.pick(sites);
    book(base.tech, base.day, start, start + dur);
    const jobId = add({ site, type: r.pick(['repair', 'maintenance', 'inspection'] as const), priority: r.pick(['medium', 'high'] as const), status: 'scheduled', created: cal.now - r.int(1, 3) * DAY - r.int(0, 10 * HOUR), wStart: start - HOUR, wEnd: start + dur + HOUR, tech: base.tech, sStart: start, dur });
    const overlap = Math.round(dur / MINUTE);
    const tech = w.technicians[base.tech - 1]!;
    w.plants.add({
      id: `dispatch_double_booking_${k + 1}`, metric: 'dispatch_jobs.schedule_overlap', kind: 'conflict', entityType: 'technicians', entityId: base.tech,
      start: cal.date(base.day), end: cal.date(base.day), magnitude: overlap,
      related: [{ entityType: 'dispatch_jobs', ids: [base.jobId, jobId] }],
      description: `${tech.name} is booked on two jobs at once on ${cal.date(base.day)}: JOB-${String(base.jobId).padStart(6, '0')} and JOB-${String(jobId).padStart(6, '0')} overlap by ${overlap} minutes.`,
    });
  }
  w.facts.dispatchJobCount = id;

  /** Tiny workspaces may have no upcoming booking to collide with: book one in a free slot. */
  function makeBase(k: number): Booking {
    for (let n = 0; n < 4 * w.technicians.length; n++) {
      const tech = w.technicians[(k + n) % w.technicians.length]!.id;
      for (let day = A + 1; day <= A + 13; day++) {
        if (cal.isWeekend(day)) continue;
        for (let s = day * DAY + 8 * HOUR; s <= day * DAY + 15 * HOUR; s += HOUR) {
          if (!free(tech, day, s, s + 2 * HOUR)) continue;
          book(tech, day, s, s + 2 * HOUR);
          const jobId = add({ site: r.pick(sites), type: 'maintenance', priority: 'medium', status: 'scheduled', created: cal.now - 2 * DAY - r.int(0, 10 * HOUR), wStart: day * DAY + 8 * HOUR, wEnd: day * DAY + 17 * HOUR, tech, sStart: s, dur: 2 * HOUR });
          return { day, tech, start: s, end: s + 2 * HOUR, jobId };
        }
      }
    }
    throw new Error('no free technician slot for a planted double booking');
  }
}
