/**
 * Valid names ordered nearest first, for errors a person (or a model being repaired) can act on: names that contain
 * the attempt or share its words first, then by edit distance.
 */
export function nearestFirst(attempt: string, valid: readonly string[]): string[] {
  const a = attempt.toLowerCase().replace(/[\s-]+/g, '_');
  const words = new Set(a.split('_').filter((w) => w.length > 2));
  const score = (name: string): number => {
    if (name === a) return -3;
    if (name.includes(a) || (a.length > 2 && a.includes(name))) return -2;
    const shared = name.split('_').some((w) => words.has(w) || [...words].some((x) => x.startsWith(w) || w.startsWith(x)));
    return shared ? -1 + distance(a, name) / 100 : distance(a, name);
  };
  return [...valid].map((name) => ({ name, s: score(name) })).sort((x, y) => x.s - y.s || x.name.localeCompare(y.name)).map((x) => x.name);
}

/** Levenshtein distance. */
export function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}
