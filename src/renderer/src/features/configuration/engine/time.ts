/** "in 5 min", "in 3 h", "in 2 days", "due now" for a time ahead. */
export function fmtUntil(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const s = Math.round((t - now) / 1000);
  if (s <= 30) return 'due now';
  if (s < 3600) return `in ${Math.max(1, Math.round(s / 60))} min`;
  if (s < 86_400) {
    const h = Math.floor(s / 3600);
    const m = Math.round((s % 3600) / 60);
    return m ? `in ${h} h ${m} min` : `in ${h} h`;
  }
  const d = Math.round(s / 86_400);
  return `in ${d} ${d === 1 ? 'day' : 'days'}`;
}
