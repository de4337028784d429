import { useEffect, useMemo, useState } from 'react';
import { Group, Kbd, Text } from '@mantine/core';
import { createSpotlight, Spotlight } from '@mantine/spotlight';
import { IconSearch } from '@tabler/icons-react';
import { useNavigate } from 'react-router';
import { allCommands, isPaletteShortcut, shortcutClaimed, useCommandStore, type AppCommand } from './registry';

/** The palette's own store, so its open state is not shared with any other spotlight. */
export const [paletteStore, palette] = createSpotlight();

/** "Ctrl+K", or "⌘K" on macOS. */
export const paletteShortcutLabel = (): string => (typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘K' : 'Ctrl+K');

const GROUP_ORDER = ['Go to', 'Workspaces', 'Actions', 'Appearance', 'Help'];
const groupRank = (g: string): number => (GROUP_ORDER.includes(g) ? GROUP_ORDER.indexOf(g) : GROUP_ORDER.length);

/**
 * Commands matching what was typed: every word must occur in the label, description, keywords or group. Labels that
 * start with the text come first, then labels containing it, then the rest; groups keep their order otherwise.
 */
export function filterCommands(query: string, commands: readonly AppCommand[]): AppCommand[] {
  const q = query.trim().toLowerCase();
  const sorted = [...commands].sort((a, b) => groupRank(a.group) - groupRank(b.group));
  if (!q) return sorted;
  const words = q.split(/\s+/);
  const scored = sorted
    .map((c, i) => {
      const label = c.label.toLowerCase();
      const hay = [label, c.description ?? '', c.group, ...(c.keywords ?? [])].join(' ').toLowerCase();
      if (!words.every((w) => hay.includes(w))) return null;
      return { c, i, score: label.startsWith(q) ? 0 : label.includes(q) ? 1 : 2 };
    })
    .filter((x): x is { c: AppCommand; i: number; score: number } => x !== null);
  return scored.sort((a, b) => a.score - b.score || a.i - b.i).map((x) => x.c);
}

/**
 * The command palette (Ctrl/Cmd+K): every page, every workspace and the common actions, from the command registry.
 * The shortcut works everywhere, text fields included, unless the focused component claims it first
 * (see shortcutClaimed in registry.ts).
 */
export function CommandPalette() {
  const sources = useCommandStore((s) => s.sources);
  const [query, setQuery] = useState('');
  const navigate = useNavigate();

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (!isPaletteShortcut(e) || shortcutClaimed(e)) return;
      e.preventDefault();
      palette.toggle();
    };
    // Bubble phase on window: React's own handlers (a focused composer's) have run and could claim the key.
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const matches = useMemo(() => filterCommands(query, allCommands(sources)), [sources, query]);
  const groups = useMemo(() => {
    const out = new Map<string, AppCommand[]>();
    for (const c of matches) out.set(c.group, [...(out.get(c.group) ?? []), c]);
    return [...out];
  }, [matches]);
  const q = query.trim();

  return (
    <Spotlight.Root store={paletteStore} shortcut={null} query={query} onQueryChange={setQuery} scrollable maxHeight={440} size={620}>
      <Spotlight.Search leftSection={<IconSearch size={18} stroke={1.6} />} placeholder="Go to a page, switch workspace, run an action…" aria-label="Command" />
      <Spotlight.ActionsList aria-label="Commands">
        {groups.map(([group, list]) => (
          <Spotlight.ActionsGroup key={group} label={group}>
            {list.map((c) => (
              <Spotlight.Action
                key={c.id}
                data-command={c.id}
                label={c.label}
                description={c.description}
                highlightQuery
                leftSection={c.icon ? <c.icon size={18} stroke={1.6} /> : undefined}
                rightSection={c.shortcut ? <Kbd size="xs">{c.shortcut}</Kbd> : undefined}
                onClick={() => void c.run()}
              />
            ))}
          </Spotlight.ActionsGroup>
        ))}
        {q && (
          <Spotlight.ActionsGroup label="Search">
            {/* Whatever was typed can always be looked for in the workspace's records. */}
            <Spotlight.Action data-command="search.query" label={`Search records for “${q}”`} leftSection={<IconSearch size={18} stroke={1.6} />} onClick={() => void navigate(`/search?q=${encodeURIComponent(q)}`)} />
          </Spotlight.ActionsGroup>
        )}
        {matches.length === 0 && !q && <Spotlight.Empty>No commands yet.</Spotlight.Empty>}
      </Spotlight.ActionsList>
      <Group justify="space-between" px="md" py={6} style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}>
        <Text size="xs" c="dimmed">
          ↑ ↓ to move · Enter to run · Esc to close
        </Text>
        <Text size="xs" c="dimmed">
          {paletteShortcutLabel()} opens this anywhere
        </Text>
      </Group>
    </Spotlight.Root>
  );
}
