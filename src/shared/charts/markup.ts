/**
 * Escaping for text that goes into HTML or SVG. Record titles, category names and narrative text are untrusted:
 * every one passes through here, so a "<script>" in a deal name stays visible text.
 */
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeMarkup(text: string): string {
  // Control characters other than tab/newline are not allowed in XML 1.0; drop them rather than emit a broken SVG.
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** Cuts text to a length with an ellipsis (labels in fixed-size tiles). */
export function ellipsize(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}
