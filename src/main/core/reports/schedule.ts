import { Cron } from 'croner';

/**
 * The next run times of a five-field cron expression in an IANA time zone, as UTC ISO strings (croner, as the
 * scheduler uses). "0 9 * * 1" in Europe/London is 09:00 London time every Monday, summer or winter.
 */
export function nextRuns(cron: string, timezone: string, after: Date, count: number): string[] {
  const job = new Cron(cron, { paused: true, timezone, mode: '5-part' });
  return job.nextRuns(count, after).map((d) => d.toISOString());
}
