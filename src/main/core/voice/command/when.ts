import * as chrono from 'chrono-node';

/** A time said in a command, resolved in the speaker's time zone. */
export interface SpokenTime {
  /** What was said ("tomorrow at nine"). */
  text: string;
  /** The instant, ISO 8601 UTC. */
  iso: string;
  /** The calendar day in the speaker's zone (YYYY-MM-DD), for date-only fields such as a task's due date. */
  date: string;
  /** Whether a time of day was said (else the instant is 09:00 local, the start of a working day). */
  hasTime: boolean;
}

/** Minutes east of UTC of an IANA zone at an instant (Intl does the zone rules; no table of our own). */
export function zoneOffsetMinutes(timeZone: string, at: Date): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(at);
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

const validZone = (timeZone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
};

/**
 * Parses the first date/time phrase in `text` ("tomorrow at nine", "next Friday", "on the 12th at 3pm") with
 * chrono-node, relative to `now` in `timeZone`. A bare hour ("at nine") is read as the working-day hour (09:00, not
 * 21:00). Returns null when the text holds no time.
 */
export function parseSpokenTime(text: string, now: Date, timeZone = 'UTC'): SpokenTime | null {
  const zone = validZone(timeZone) ? timeZone : 'UTC';
  const offset = zoneOffsetMinutes(zone, now);
  const results = chrono.parse(text, { instant: now, timezone: offset }, { forwardDate: true });
  const hit = results[0];
  if (!hit) return null;
  const c = hit.start;
  const hasTime = c.isCertain('hour');
  let hour = hasTime ? (c.get('hour') ?? 9) : 9;
  // "at nine" without am/pm: people mean the working day (7:00–18:59) rather than the night.
  if (hasTime && !c.isCertain('meridiem') && hour >= 1 && hour <= 6) hour += 12;
  const minute = hasTime ? (c.get('minute') ?? 0) : 0;
  const year = c.get('year')!;
  const month = c.get('month')!;
  const day = c.get('day')!;
  const localMs = Date.UTC(year, month - 1, day, hour, minute, 0);
  const instant = new Date(localMs - offset * 60_000);
  // The zone's offset can differ on the target day (daylight saving): correct once with the offset at that instant.
  const offsetThen = zoneOffsetMinutes(zone, instant);
  const fixed = offsetThen === offset ? instant : new Date(localMs - offsetThen * 60_000);
  const date = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return { text: hit.text, iso: fixed.toISOString(), date, hasTime };
}
