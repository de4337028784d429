import { useEffect } from 'react';
import type { ComponentType } from 'react';
import { create } from 'zustand';

/**
 * The command palette's registry. A command is data: an id, words to find it by, and what it does. Features add
 * theirs with `registerCommands` (or the `useCommands` hook while a component is mounted); the palette lists every
 * registered command, grouped, and the same list can back menus or a shortcut sheet later.
 */
export interface AppCommand {
  /** Unique: 'nav.insights', 'workspace.switch.Acme', 'copilot.new'. */
  id: string;
  /** Where it is listed: 'Go to', 'Workspaces', 'Actions', 'Appearance', or a feature's own group. */
  group: string;
  label: string;
  description?: string;
  /** More words that should find it ("theme" for "Dark mode"). */
  keywords?: readonly string[];
  icon?: ComponentType<{ size?: number; stroke?: number }>;
  /** A shortcut to show next to it, e.g. "Ctrl+K" (display only; the command does not bind it). */
  shortcut?: string;
  run: () => void | Promise<void>;
}

interface CommandState {
  /** Commands by the source that registered them, so a source can replace or remove its own at once. */
  sources: Record<string, readonly AppCommand[]>;
}

export const useCommandStore = create<CommandState>(() => ({ sources: {} }));

/** Adds (or replaces) a source's commands; returns the function that removes them. */
export function registerCommands(source: string, commands: readonly AppCommand[]): () => void {
  useCommandStore.setState((s) => ({ sources: { ...s.sources, [source]: commands } }));
  return () =>
    useCommandStore.setState((s) => {
      if (s.sources[source] !== commands) return s;
      const { [source]: _gone, ...rest } = s.sources;
      return { sources: rest };
    });
}

/** Every registered command, in registration order; a later source's command with the same id wins. */
export function allCommands(sources: CommandState['sources']): AppCommand[] {
  const byId = new Map<string, AppCommand>();
  for (const list of Object.values(sources)) for (const c of list) byId.set(c.id, c);
  return [...byId.values()];
}

/** Registers commands while the calling component is mounted (pass a memoised list). */
export function useCommands(source: string, commands: readonly AppCommand[]): void {
  useEffect(() => registerCommands(source, commands), [source, commands]);
}

/** The palette's shortcut, Ctrl+K (Cmd+K on macOS). */
export const isPaletteShortcut = (e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>): boolean =>
  (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'k';

/**
 * Whether a focused component claims Ctrl/Cmd+K for itself: it called preventDefault() on the key event (the
 * Copilot composer's "new conversation"), or it sits inside an element marked data-owns-shortcuts="mod+k".
 */
export function shortcutClaimed(e: Pick<KeyboardEvent, 'defaultPrevented' | 'target'>): boolean {
  if (e.defaultPrevented) return true;
  const el = e.target instanceof Element ? e.target : null;
  const owner = el?.closest('[data-owns-shortcuts]');
  return Boolean(owner?.getAttribute('data-owns-shortcuts')?.split(/\s+/).includes('mod+k'));
}
