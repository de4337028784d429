import type { ResolvedRange, TimePreset, TimeRange } from './spec';

/**
 * Time ranges as days. Presets resolve against a reference day (a demo workspace's anchor date, else today in
 * UTC), so the same spec over the same data always covers the same days. Weeks start on Monday; quarters are
 * calendar quarters. Pure date arithmetic on UTC days, shared by the core (queries) and the renderer (chip labels).
 */

const DAY_MS = 86_400_000;
const parse = (day: string): Date => new Date(`${day}T00:00:00Z`);
export const isoDay = (d: Date): string => d.toISOString().slice(0, 10);
export const addDays = (day: string, n: number): string => isoDay(new Date(parse(day).getTime() + n * DAY_MS));
const addMonths = (day: string, n: number): string => {
  const d = parse(day);
  return isoDay(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1)));
};
const monthStart = (day: string): string => `${day.slice(0, 7)}-01`;
const quarterStart = (day: string): string => {
  const d = parse(day);
  return isoDay(new Date(Date.UTC(d.getUTCFullYear(), Math.floor(d.getUTCMonth() / 3) * 3, 1)));
};
const weekStart = (day: string): string => addDays(day, -((parse(day).getUTCDay() + 6) % 7));
const yearStart = (day: string): string => `${day.slice(0, 4)}-01-01`;
export const daysBetween = (from: string, to: string): number => Math.round((parse(to).getTime() - parse(from).getTime()) / DAY_MS);

export const PRESET_LABELS: Record<TimePreset, string> = {
  today: 'Today',
  yesterday: 'Yesterday',
  last_7_days: 'Last 7 days',
  last_30_days: 'Last 30 days',
  last_90_days: 'Last 90 days',
  last_365_days: 'Last 365 days',
  this_week: 'This week',
  last_week: 'Last week',
  this_month: 'This month',
  last_month: 'Last month',
  this_quarter: 'This quarter',
  last_quarter: 'Last quarter',
  this_year: 'This year',
  last_year: 'Last year',
  next_30_days: 'Next 30 days',
  next_90_days: 'Next 90 days',
  all_time: 'All time',
};

/** First and last day (inclusive) of a preset, or null for all_time. */
function presetDays(preset: TimePreset, ref: string): { from: string; to: string } | null {
  switch (preset) {
    case 'today':
      return { from: ref, to: ref };
    case 'yesterday':
      return { from: addDays(ref, -1), to: addDays(ref, -1) };
    case 'last_7_days':
      return { from: addDays(ref, -6), to: ref };
    case 'last_30_days':
      return { from: addDays(ref, -29), to: ref };
    case 'last_90_days':
      return { from: addDays(ref, -89), to: ref };
    case 'last_365_days':
      return { from: addDays(ref, -364), to: ref };
    case 'this_week':
      return { from: weekStart(ref), to: ref };
    case 'last_week':
      return { from: addDays(weekStart(ref), -7), to: addDays(weekStart(ref), -1) };
    case 'this_month':
      return { from: monthStart(ref), to: ref };
    case 'last_month':
      return { from: addMonths(ref, -1), to: addDays(monthStart(ref), -1) };
    case 'this_quarter':
      return { from: quarterStart(ref), to: ref };
    case 'last_quarter': {
      const start = quarterStart(ref);
      return { from: addMonths(start, -3), to: addDays(start, -1) };
    }
    case 'this_year':
      return { from: yearStart(ref), to: ref };
    case 'last_year': {
      const y = Number(ref.slice(0, 4)) - 1;
      return { from: `${y}-01-01`, to: `${y}-12-31` };
    }
    case 'next_30_days':
      return { from: ref, to: addDays(ref, 29) };
    case 'next_90_days':
      return { from: ref, to: addDays(ref, 89) };
    case 'all_time':
      return null;
  }
}

export function resolveRange(range: TimeRange, referenceDay: string): ResolvedRange | null {
  if ('preset' in range) {
    const days = presetDays(range.preset, referenceDay);
    return days ? { ...days, label: `${PRESET_LABELS[range.preset]} (${days.from} – ${days.to})` } : null;
  }
  return { from: range.from, to: range.to, label: `${range.from} – ${range.to}` };
}

/**
 * The period compared against: the same number of days just before. Whole calendar periods (last month, last
 * quarter, last year, this month so far …) compare with the previous calendar period of the same kind, so last
 * quarter compares with the quarter before it whatever the months' lengths.
 */
export function previousRange(range: TimeRange, current: ResolvedRange): ResolvedRange {
  const calendar: Partial<Record<TimePreset, (d: string) => string>> = {
    this_month: (d) => addMonths(d, -1),
    last_month: (d) => addMonths(d, -1),
    this_quarter: (d) => addMonths(d, -3),
    last_quarter: (d) => addMonths(d, -3),
    this_year: (d) => `${Number(d.slice(0, 4)) - 1}-01-01`,
    last_year: (d) => `${Number(d.slice(0, 4)) - 1}-01-01`,
  };
  const step = 'preset' in range ? calendar[range.preset] : undefined;
  if (step) {
    const from = step(current.from);
    const length = daysBetween(current.from, current.to);
    // "This month so far" compares with the same number of days of the month before (clamped to that month).
    const wholeEnd = addDays(current.from, -1);
    const to = 'preset' in range && range.preset.startsWith('this_') ? minDay(addDays(from, length), wholeEnd) : wholeEnd;
    return { from, to, label: `Previous period (${from} – ${to})` };
  }
  const length = daysBetween(current.from, current.to) + 1;
  const to = addDays(current.from, -1);
  const from = addDays(current.from, -length);
  return { from, to, label: `Previous period (${from} – ${to})` };
}

const minDay = (a: string, b: string): string => (a < b ? a : b);
