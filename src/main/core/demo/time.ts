import { AppError } from '@shared/errors';

export const DAY = 86_400;
export const HOUR = 3_600;
export const MINUTE = 60;

const P2 = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

/**
 * The demo's clock. "Now" is 00:00:00Z on the anchor date: the history is the 180 full days before it, and the
 * future (open deals, renewals, scheduled jobs, due dates) starts on it. Days are counted since 1970-01-01 and
 * times are whole seconds since the epoch; formatting is cached per day because it runs for every row.
 */
export class Calendar {
  static readonly HISTORY_DAYS = 180;
  readonly anchorDay: number;
  /** First day of the history window (inclusive). */
  readonly firstDay: number;
  /** Seconds since the epoch at 00:00:00Z of the anchor date. */
  readonly now: number;
  private readonly cache = new Map<number, string>();

  constructor(anchorDate: string) {
    const ms = /^\d{4}-\d{2}-\d{2}$/.test(anchorDate) ? Date.parse(`${anchorDate}T00:00:00Z`) : Number.NaN;
    if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== anchorDate) {
      throw new AppError('validation', `The demo anchor date "${anchorDate}" is not a valid YYYY-MM-DD date.`);
    }
    this.anchorDay = Math.round(ms / 86_400_000);
    this.firstDay = this.anchorDay - Calendar.HISTORY_DAYS;
    this.now = this.anchorDay * DAY;
  }

  /** 'YYYY-MM-DD' of a day number. */
  date(day: number): string {
    let s = this.cache.get(day);
    if (s === undefined) {
      s = new Date(day * 86_400_000).toISOString().slice(0, 10);
      this.cache.set(day, s);
    }
    return s;
  }

  /** 'YYYY-MM-DDTHH:MM:SSZ' of a time in seconds (fractions dropped). */
  ts(sec: number): string {
    const t = Math.floor(sec);
    const day = Math.floor(t / DAY);
    let r = t - day * DAY;
    const h = Math.floor(r / HOUR);
    r -= h * HOUR;
    const m = Math.floor(r / MINUTE);
    return `${this.date(day)}T${P2[h]}:${P2[m]}:${P2[r - m * MINUTE]}Z`;
  }

  /** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
  dow(day: number): number {
    return (((day + 4) % 7) + 7) % 7;
  }

  isWeekend(day: number): boolean {
    const d = this.dow(day);
    return d === 0 || d === 6;
  }

  dayOf(sec: number): number {
    return Math.floor(sec / DAY);
  }

  /** Quarter label of a day, e.g. '2025-Q3'. */
  quarter(day: number): string {
    const d = this.date(day);
    return `${d.slice(0, 4)}-Q${Math.floor((Number(d.slice(5, 7)) - 1) / 3) + 1}`;
  }
}
