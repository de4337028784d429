import { Fragment } from 'react';

export interface Span {
  start: number;
  end: number;
}

export interface Part {
  text: string;
  marked: boolean;
}

/**
 * Cuts `text` into plain and highlighted parts from character ranges. The core sends plain offsets, never markup;
 * ranges out of bounds, empty or overlapping an earlier one are ignored, so a bad range can only lose emphasis.
 */
export function splitHighlights(text: string, spans: readonly Span[]): Part[] {
  const sorted = [...spans].filter((s) => Number.isInteger(s.start) && Number.isInteger(s.end)).sort((a, b) => a.start - b.start);
  const parts: Part[] = [];
  let at = 0;
  for (const s of sorted) {
    const start = Math.max(s.start, at);
    const end = Math.min(s.end, text.length);
    if (end <= start) continue;
    if (start > at) parts.push({ text: text.slice(at, start), marked: false });
    parts.push({ text: text.slice(start, end), marked: true });
    at = end;
  }
  if (at < text.length) parts.push({ text: text.slice(at), marked: false });
  return parts;
}

/**
 * Text with its matches in <mark>. Every part is a React text child, so whatever the record contains (tags,
 * scripts) is shown as characters and never parsed as HTML.
 */
export function HighlightedText({ text, spans }: { text: string; spans: readonly Span[] }) {
  return (
    <>
      {splitHighlights(text, spans).map((p, i) => (p.marked ? <mark key={i}>{p.text}</mark> : <Fragment key={i}>{p.text}</Fragment>))}
    </>
  );
}
