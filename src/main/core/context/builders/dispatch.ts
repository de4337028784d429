import type { ContextBuilder, ContextSection } from '../types';
import { all, clip, ids, kv, one, ref } from '../sql';

type Row = Record<string, unknown>;

const overlaps = (a: Row, b: Row): boolean =>
  typeof a.scheduled_start === 'string' && typeof a.scheduled_end === 'string' && typeof b.scheduled_start === 'string' && typeof b.scheduled_end === 'string'
    ? a.scheduled_start < b.scheduled_end && b.scheduled_start < a.scheduled_end
    : false;

/** A dispatch job with its location, the technician's other jobs that day, and other technicians in the region. */
export const dispatchContext: ContextBuilder = {
  key: 'dispatch',
  entityType: 'dispatch_jobs',
  candidates: (db, limit) =>
    ids(
      db,
      `SELECT id FROM dispatch_jobs WHERE status IN ('unscheduled', 'scheduled', 'en_route')
       ORDER BY CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END, coalesce(sla_due_at, window_start, '9999'), id LIMIT ?`,
      limit,
    ),
  sections(db, id) {
    const j = one<Row>(db, 'SELECT * FROM dispatch_jobs WHERE id = ?', id);
    if (!j) return null;
    const loc = j.location_id ? one<Row>(db, 'SELECT id, name, city, region, lat, lng FROM locations WHERE id = ?', j.location_id) : undefined;
    const account = j.account_id ? one<Row>(db, 'SELECT id, name, tier FROM accounts WHERE id = ?', j.account_id) : undefined;
    const sections: ContextSection[] = [
      {
        title: `Dispatch job ${ref('dispatch_jobs', j.id)} ${String(j.code)}`,
        priority: 0,
        keep: 'head',
        lines: [
          kv({ type: j.job_type, priority: j.priority, status: j.status, created: j.created_at }),
          kv({ customer_window: j.window_start ? `${String(j.window_start)} – ${String(j.window_end ?? '?')}` : null, scheduled: j.scheduled_start ? `${String(j.scheduled_start)} – ${String(j.scheduled_end ?? '?')}` : 'not scheduled', sla_due: j.sla_due_at, completed: j.completed_at }),
          loc ? `location: ${ref('locations', loc.id)} ${String(loc.name)} · ${kv({ city: loc.city, region: loc.region, lat: loc.lat, lng: loc.lng })}` : 'location: unknown',
          account ? `customer: ${ref('accounts', account.id)} ${String(account.name)} (${String(account.tier ?? '')})` : '',
          `description: ${clip(j.description, 1_000)}`,
        ].filter((l) => l !== ''),
      },
    ];
    const day = (j.scheduled_start ?? j.window_start) as string | null;
    const tech = j.technician_id ? one<Row>(db, 'SELECT id, name, skills, region, active FROM technicians WHERE id = ?', j.technician_id) : undefined;
    if (tech) {
      const lines = [`${ref('technicians', tech.id)} ${String(tech.name)} · ${kv({ skills: tech.skills, region: tech.region, active: tech.active ? 'yes' : 'no' })}`];
      if (day) {
        const others = all<Row>(
          db,
          `SELECT j.id, j.code, j.job_type, j.status, j.scheduled_start, j.scheduled_end, l.city FROM dispatch_jobs j LEFT JOIN locations l ON l.id = j.location_id
           WHERE j.technician_id = ? AND j.id <> ? AND date(j.scheduled_start) = date(?) ORDER BY j.scheduled_start, j.id`,
          tech.id,
          id,
          day,
        );
        for (const o of others) {
          lines.push(`same day: ${ref('dispatch_jobs', o.id)} ${String(o.code)} ${String(o.scheduled_start)} – ${String(o.scheduled_end ?? '?')} · ${kv({ type: o.job_type, status: o.status, city: o.city })}${overlaps(j, o) ? ' · OVERLAPS this job' : ''}`);
        }
      }
      sections.push({ title: 'Assigned technician', priority: 1, keep: 'head', lines });
    }
    const region = (loc?.region ?? tech?.region) as string | undefined;
    if (region) {
      const candidates = all<Row>(
        db,
        `SELECT t.id, t.name, t.skills, t.region,
           (SELECT count(*) FROM dispatch_jobs x WHERE x.technician_id = t.id AND date(x.scheduled_start) = date(?) AND x.status NOT IN ('completed', 'cancelled')) AS load
         FROM technicians t WHERE t.active = 1 AND t.region = ? AND t.id IS NOT ? ORDER BY load, t.id LIMIT 8`,
        day,
        region,
        j.technician_id ?? null,
      );
      if (candidates.length) {
        sections.push({
          title: `Other active technicians in ${region}${day ? ` (jobs on ${day.slice(0, 10)})` : ''}`,
          priority: 2,
          keep: 'head',
          lines: candidates.map((t) => `${ref('technicians', t.id)} ${String(t.name)} · ${kv({ skills: t.skills, jobs_that_day: day ? t.load : null })}`),
        });
      }
    }
    return { title: String(j.code), sections };
  },
};
