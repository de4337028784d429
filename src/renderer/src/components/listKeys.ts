/** What a key does in a list or table: ↑/↓ and j/k move, PageUp/PageDown move a screenful, Home/End, Enter opens. */
export type ListKeyAction = { kind: 'move'; by: number } | { kind: 'first' } | { kind: 'last' } | { kind: 'open' };

export function listKeyAction(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey'>, opts: { page: number }): ListKeyAction | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  switch (e.key) {
    case 'ArrowDown':
    case 'j':
      return { kind: 'move', by: 1 };
    case 'ArrowUp':
    case 'k':
      return { kind: 'move', by: -1 };
    case 'PageDown':
      return { kind: 'move', by: Math.max(1, opts.page) };
    case 'PageUp':
      return { kind: 'move', by: -Math.max(1, opts.page) };
    case 'Home':
      return { kind: 'first' };
    case 'End':
      return { kind: 'last' };
    case 'Enter':
      return { kind: 'open' };
    default:
      return null;
  }
}
