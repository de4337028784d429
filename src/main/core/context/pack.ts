import type { ContextSection } from './types';

interface Work {
  s: ContextSection;
  /** Lines left out, from the end the section does not keep. */
  omitted: number;
}

function linesOf(w: Work): string[] {
  if (w.omitted === 0) return w.s.lines;
  const keptCount = w.s.lines.length - w.omitted;
  if (keptCount <= 0) return [];
  const note = `(${w.omitted} ${w.s.keep === 'tail' ? 'earlier' : 'more'} lines left out)`;
  return w.s.keep === 'tail' ? [note, ...w.s.lines.slice(w.omitted)] : [...w.s.lines.slice(0, keptCount), note];
}

const visible = (w: Work): boolean => w.s.priority === 0 || linesOf(w).length > 0;

function render(work: readonly Work[]): string {
  return work
    .filter(visible)
    .map((w) => `## ${w.s.title}\n${linesOf(w).join('\n')}`)
    .join('\n\n');
}

/** Length of render(work) without building the string. */
function measure(work: readonly Work[]): number {
  let total = 0;
  let count = 0;
  for (const w of work) {
    if (!visible(w)) continue;
    const lines = linesOf(w);
    total += 3 + w.s.title.length + 1 + lines.reduce((a, l) => a + l.length, 0) + Math.max(0, lines.length - 1);
    count++;
  }
  return total + Math.max(0, count - 1) * 2;
}

/**
 * Fits sections into a character budget, deterministically. Lines go from the least important section first (the
 * highest priority number, and among equals the one further down), from the end it does not keep; the section then
 * says how many lines were left out. The record's own section (priority 0) is only cut as a last resort.
 */
export function packSections(sections: readonly ContextSection[], budget: number): { text: string; truncated: boolean } {
  const work: Work[] = sections.map((s) => ({ s, omitted: 0 }));
  if (measure(work) <= budget) return { text: render(work), truncated: false };
  const order = work
    .map((w, i) => ({ w, i }))
    .filter((x) => x.w.s.priority > 0)
    .sort((a, b) => b.w.s.priority - a.w.s.priority || b.i - a.i)
    .map((x) => x.w);
  let size = measure(work);
  for (const w of order) {
    while (size > budget && w.omitted < w.s.lines.length) {
      w.omitted++;
      size = measure(work);
    }
    if (size <= budget) break;
  }
  let text = render(work);
  if (text.length > budget) text = `${text.slice(0, Math.max(0, budget - 1))}…`;
  return { text, truncated: true };
}
