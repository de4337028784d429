import { forwardRef, useState } from 'react';
import { Anchor, Button, Divider, Group, Stack, Text } from '@mantine/core';
import type { SearchResult } from '@shared/contract';
import { ResultCard } from './ResultCard';
import { groupSameTitle, type ResultGroup } from './resultGroups';

interface Props {
  results: SearchResult[];
  onOpen: (r: SearchResult) => void;
  onKeyNav: (e: React.KeyboardEvent<HTMLButtonElement>, position: number) => void;
  /** Position of the first card, so keyboard navigation runs on across lists. */
  start?: number;
  busy?: boolean;
  label: string;
}

/** Result cards with repeats of one title folded under the first ("+9 more with this title"). */
export const ResultList = forwardRef<HTMLDivElement, Props>(function ResultList({ results, onOpen, onKeyNav, start = 0, busy, label }, ref) {
  const [open, setOpen] = useState<Set<string>>(new Set());
  const groups = groupSameTitle(results);
  let position = start;
  const card = (r: SearchResult) => {
    const at = position++;
    return (
      <div role="listitem" key={`${r.sourceType}:${r.entityId}:${r.chunkId}`}>
        <ResultCard result={r} position={at} onOpen={onOpen} onKeyNav={onKeyNav} />
      </div>
    );
  };
  const keyOf = (g: ResultGroup): string => `${g.lead.sourceType}:${g.lead.entityId}`;
  return (
    <Stack gap={6} ref={ref} role="list" aria-label={label} aria-busy={busy}>
      {groups.map((g) => {
        const expanded = open.has(keyOf(g));
        return [
          card(g.lead),
          ...(g.same.length && expanded ? g.same.map(card) : []),
          g.same.length > 0 && (
            <Group key={`${keyOf(g)}-fold`} pl="md" mt={-2}>
              <Anchor
                component="button"
                type="button"
                size="xs"
                c="dimmed"
                data-testid="same-title-toggle"
                onClick={() =>
                  setOpen((s) => {
                    const n = new Set(s);
                    if (n.has(keyOf(g))) n.delete(keyOf(g));
                    else n.add(keyOf(g));
                    return n;
                  })
                }
              >
                {expanded ? 'Fold the repeats' : `+${g.same.length} more with this title`}
              </Anchor>
            </Group>
          ),
        ];
      })}
    </Stack>
  );
});

/** The line between good matches and those below the relevance floor, with the way to show them. */
export function FloorDivider({ count, shown, onToggle }: { count: number; shown: boolean; onToggle: () => void }) {
  return (
    <Divider
      data-testid="floor-divider"
      labelPosition="center"
      label={
        <Group gap={6} wrap="nowrap">
          <Text size="xs" c="dimmed">
            {count.toLocaleString('en-US')} weaker {count === 1 ? 'match' : 'matches'} below the relevance floor
          </Text>
          <Button size="compact-xs" variant="subtle" onClick={onToggle}>
            {shown ? 'Hide' : 'Show'}
          </Button>
        </Group>
      }
    />
  );
}
