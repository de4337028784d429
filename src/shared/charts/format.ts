import type { NumberFormat, TimeGrain } from './spec';

/** Used wherever a spec names no locale; reports and the app agree on it so figures read the same everywhere. */
export const DEFAULT_LOCALE = 'en-GB';

const cache = new Map<string, Intl.NumberFormat>();
function numberFormatter(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    try {
      f = new Intl.NumberFormat(locale, options);
    } catch {
      // An unknown locale in a spec must not break a report: fall back to the default.
      f = new Intl.NumberFormat(DEFAULT_LOCALE, options);
    }
    cache.set(key, f);
  }
  return f;
}

const DURATION_SECONDS = { seconds: 1, minutes: 60, hours: 3600, days: 86_400 } as const;

function formatDuration(value: number, format: NumberFormat, locale: string): string {
  const seconds = Math.abs(value) * DURATION_SECONDS[format.durationUnit ?? 'hours'];
  const sign = value < 0 ? '−' : '';
  const digits = format.decimals ?? 1;
  const n = (x: number): string => numberFormatter(locale, { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(x);
  if (seconds < 60) return `${sign}${n(seconds)} s`;
  if (seconds < 3600) return `${sign}${n(seconds / 60)} min`;
  if (seconds < 86_400 * 2) return `${sign}${n(seconds / 3600)} h`;
  return `${sign}${n(seconds / 86_400)} d`;
}

/** Prints a value as its format says; null (no data) prints as an en dash, never as 0. */
export function formatValue(value: number | null | undefined, format: NumberFormat | undefined, locale: string = DEFAULT_LOCALE): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const f: NumberFormat = format ?? {};
  const style = f.style ?? 'number';
  const compact = f.compact ? ({ notation: 'compact', compactDisplay: 'short' } as const) : {};
  let text: string;
  if (style === 'duration') text = formatDuration(value, f, locale);
  else if (style === 'percent') {
    const digits = f.decimals ?? 1;
    text = numberFormatter(locale, { style: 'percent', maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(value);
  } else if (style === 'currency') {
    const digits = f.decimals ?? (f.compact ? 1 : 0);
    text = numberFormatter(locale, { style: 'currency', currency: f.currency ?? 'EUR', maximumFractionDigits: digits, minimumFractionDigits: f.compact ? 0 : digits, ...compact }).format(value);
  } else {
    const digits = f.decimals ?? (Number.isInteger(value) ? 0 : 2);
    text = numberFormatter(locale, { maximumFractionDigits: digits, minimumFractionDigits: f.decimals ?? 0, ...compact }).format(value);
  }
  return f.unit ? `${text} ${f.unit}` : text;
}

export interface Change {
  /** Relative change (0.12 = +12%), or null when there is no previous figure or it was 0. */
  ratio: number | null;
  /** Absolute difference, or null without a previous figure. */
  delta: number | null;
  direction: 'up' | 'down' | 'flat' | 'none';
  /** good / bad / neutral according to betterWhen. */
  tone: 'good' | 'bad' | 'neutral';
  /** "+12.3%", "−4 pts", "new" or "–". */
  text: string;
}

/**
 * Change against the previous period. Percent-style figures change in percentage points (a rate going from 10% to
 * 12% is "+2 pts", not "+20%"), which is how analysts read rates.
 */
export function computeChange(
  value: number | null,
  previous: number | null | undefined,
  format: NumberFormat | undefined,
  betterWhen: 'up' | 'down' | 'neutral' = 'up',
  locale: string = DEFAULT_LOCALE,
): Change {
  if (value === null || previous === null || previous === undefined) return { ratio: null, delta: null, direction: 'none', tone: 'neutral', text: '–' };
  const delta = value - previous;
  const direction = delta > 0 ? 'up' : delta < 0 ? 'down' : 'flat';
  const tone = betterWhen === 'neutral' || direction === 'flat' ? 'neutral' : (direction === 'up') === (betterWhen === 'up') ? 'good' : 'bad';
  const sign = delta > 0 ? '+' : delta < 0 ? '−' : '±';
  const n = (x: number, digits: number): string => numberFormatter(locale, { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(Math.abs(x));
  if (format?.style === 'percent') return { ratio: previous === 0 ? null : delta / Math.abs(previous), delta, direction, tone, text: `${sign}${n(delta * 100, 1)} pts` };
  if (previous === 0) return { ratio: null, delta, direction, tone, text: delta === 0 ? '±0%' : 'new' };
  const ratio = delta / Math.abs(previous);
  return { ratio, delta, direction, tone, text: `${sign}${n(ratio * 100, 1)}%` };
}

const dateFormatters = new Map<string, Intl.DateTimeFormat>();
function dateFormatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = dateFormatters.get(key);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', ...options });
    } catch {
      f = new Intl.DateTimeFormat(DEFAULT_LOCALE, { timeZone: 'UTC', ...options });
    }
    dateFormatters.set(key, f);
  }
  return f;
}

/** A period start (ISO, UTC) as a label for its grain: "3 Mar", "w/c 3 Mar 2026", "Mar 2026", "Q1 2026". */
export function formatPeriod(iso: string, grain: TimeGrain, locale: string = DEFAULT_LOCALE): string {
  const date = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  if (Number.isNaN(date.getTime())) return iso;
  switch (grain) {
    case 'day':
      return dateFormatter(locale, { day: 'numeric', month: 'short' }).format(date);
    case 'week':
      return `w/c ${dateFormatter(locale, { day: 'numeric', month: 'short' }).format(date)}`;
    case 'month':
      return dateFormatter(locale, { month: 'short', year: 'numeric' }).format(date);
    case 'quarter':
      return `Q${Math.floor(date.getUTCMonth() / 3) + 1} ${date.getUTCFullYear()}`;
  }
}

/** A timestamp as "4 Dec 2026, 09:30 UTC" (or in the given IANA zone). */
export function formatDateTime(iso: string, locale: string = DEFAULT_LOCALE, timeZone = 'UTC'): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const options: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' };
  let f: Intl.DateTimeFormat;
  try {
    f = new Intl.DateTimeFormat(locale, { ...options, timeZone });
  } catch {
    // An unknown zone or locale in a document must not stop the report: print UTC in the default locale.
    f = new Intl.DateTimeFormat(DEFAULT_LOCALE, { ...options, timeZone: 'UTC' });
  }
  return f.format(date);
}

/** A date-only value (table cell) as "4 Dec 2026". */
export function formatDate(iso: string, locale: string = DEFAULT_LOCALE): string {
  const date = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  if (Number.isNaN(date.getTime())) return iso;
  return dateFormatter(locale, { dateStyle: 'medium' }).format(date);
}

/** A table cell as text for its column type; null prints as an en dash so a gap is visible, never blank. */
export function formatCell(value: string | number | boolean | null | undefined, column: { type?: string; format?: NumberFormat | undefined }, locale: string = DEFAULT_LOCALE): string {
  if (value === null || value === undefined || value === '') return '–';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number') return column.type === 'text' && !column.format ? String(value) : formatValue(value, column.format, locale);
  if (column.type === 'date') return formatDate(value, locale);
  if (column.type === 'datetime') return formatDateTime(value, locale);
  return value;
}
