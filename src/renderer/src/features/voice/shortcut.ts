/** Push-to-talk shortcuts as text ("Mod+Shift+Space"): matching key events and showing them per platform. */
export const isMac = (): boolean => {
  // Through globalThis: this module is also type-checked (and tested) without the DOM library.
  const nav = (globalThis as { navigator?: { platform?: string; userAgent?: string } }).navigator;
  return /Mac|iPhone|iPad/.test(nav?.platform || nav?.userAgent || '');
};

interface KeyLike {
  key: string;
  code?: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

export interface ParsedShortcut {
  ctrl: boolean;
  meta: boolean;
  alt: boolean;
  shift: boolean;
  key: string;
}

export function parseShortcut(s: string, mac = isMac()): ParsedShortcut {
  const parts = s.split('+');
  const key = parts.pop() ?? '';
  const has = (m: string): boolean => parts.includes(m);
  return {
    ctrl: has('Ctrl') || (has('Mod') && !mac),
    meta: has('Cmd') || has('Meta') || (has('Mod') && mac),
    alt: has('Alt'),
    shift: has('Shift'),
    key: key.toLowerCase(),
  };
}

const keyName = (e: KeyLike): string => {
  if (e.code === 'Space' || e.key === ' ') return 'space';
  if (e.code?.startsWith('Key')) return e.code.slice(3).toLowerCase();
  if (e.code?.startsWith('Digit')) return e.code.slice(5);
  return e.key.toLowerCase();
};

/** The whole shortcut is held (for keydown). */
export function matchesShortcut(e: KeyLike, s: string, mac = isMac()): boolean {
  const p = parseShortcut(s, mac);
  return keyName(e) === p.key && e.ctrlKey === p.ctrl && e.metaKey === p.meta && e.altKey === p.alt && e.shiftKey === p.shift;
}

/** Releasing any part of the shortcut ends push-to-talk (for keyup). */
export function releasesShortcut(e: KeyLike, s: string, mac = isMac()): boolean {
  const p = parseShortcut(s, mac);
  const k = keyName(e);
  return k === p.key || (p.ctrl && k === 'control') || (p.meta && k === 'meta') || (p.alt && k === 'alt') || (p.shift && k === 'shift');
}

export function shortcutLabel(s: string, mac = isMac()): string {
  return s
    .split('+')
    .map((part) => (part === 'Mod' ? (mac ? '⌘' : 'Ctrl') : part === 'Cmd' || part === 'Meta' ? '⌘' : mac && part === 'Alt' ? '⌥' : mac && part === 'Shift' ? '⇧' : part))
    .join(mac ? '' : '+');
}

/** Turns a key press into a shortcut string for the settings field (null while only modifiers are down). */
export function shortcutFromEvent(e: KeyLike, mac = isMac()): string | null {
  const k = keyName(e);
  if (['control', 'meta', 'alt', 'shift'].includes(k)) return null;
  const mods = [(mac ? e.metaKey : e.ctrlKey) ? 'Mod' : null, mac && e.ctrlKey ? 'Ctrl' : null, !mac && e.metaKey ? 'Meta' : null, e.altKey ? 'Alt' : null, e.shiftKey ? 'Shift' : null].filter(Boolean);
  const key = k === 'space' ? 'Space' : k.length === 1 ? k.toUpperCase() : k.charAt(0).toUpperCase() + k.slice(1);
  if (/^F\d{1,2}$/.test(key) && mods.length === 0) return key;
  return mods.length ? `${mods.join('+')}+${key}` : null;
}
