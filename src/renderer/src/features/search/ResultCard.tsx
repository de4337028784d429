import { useState } from 'react';
import { Badge, Collapse, Group, Paper, SimpleGrid, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconChevronRight, IconLock } from '@tabler/icons-react';
import type { SearchResult } from '@shared/contract';
import { HighlightedText } from './highlight';
import { sourceColor } from './searchParams';
import classes from './search.module.css';

const fmtNum = (n: number | null, digits = 4): string => (n === null ? '—' : Number(n.toFixed(digits)).toString());

/** "keyword #1 · vector #3": why a result ranked where it did, in words. */
export function rankSummary(r: SearchResult): string {
  const parts: string[] = [];
  if (r.scores.bm25Rank !== null) parts.push(`keyword #${r.scores.bm25Rank}`);
  if (r.scores.vectorRank !== null) parts.push(`vector #${r.scores.vectorRank}`);
  return parts.join(' · ') || 'ranked by score';
}

/**
 * Which part of the record matched, in words: "description", "a comment", "2 comments". Internal row ids
 * ("comment:948") are for the index, not for people.
 */
export function fieldLabel(field: string): string {
  const counts = new Map<string, number>();
  for (const f of field.split(',').map((x) => x.trim()).filter(Boolean)) {
    const name = f.replace(/:\d+$/, '').replace(/_/g, ' ');
    counts.set(name, (counts.get(name) ?? 0) + (/:\d+$/.test(f) ? 1 : 0));
  }
  const names = [...counts].map(([name, n]) => (n > 1 ? `${n} ${name}s` : n === 1 ? `a ${name}` : name));
  if (names.length <= 3) return names.join(', ');
  return `${names.slice(0, 3).join(', ')} +${names.length - 3} more`;
}

function Score({ label, value, hint }: { label: string; value: string; hint: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Tooltip label={hint} multiline w={260} openDelay={300}>
        <Text size="sm" ff="monospace" w="fit-content">
          {value}
        </Text>
      </Tooltip>
    </div>
  );
}

interface Props {
  result: SearchResult;
  position: number;
  onOpen: (r: SearchResult) => void;
  onKeyNav: (e: React.KeyboardEvent<HTMLButtonElement>, position: number) => void;
}

/** One search result: source, title and snippet with the matches marked; the title opens the record. */
export function ResultCard({ result: r, position, onOpen, onKeyNav }: Props) {
  const [open, setOpen] = useState(false);
  const detailsId = `result-scores-${r.chunkId}`;
  return (
    <Paper
      component="article"
      withBorder
      radius="md"
      px="md"
      py="xs"
      className={classes.result}
      data-testid="search-result"
      data-weak={r.belowFloor || undefined}
      aria-label={`${r.sourceLabel} ${r.entityId}: ${r.title}`}
      onClick={() => onOpen(r)}
    >
      <Group gap="xs" mb={2} wrap="nowrap">
        <Badge variant="light" color={sourceColor(r.sourceType)} radius="sm" style={{ flexShrink: 0 }} data-testid="result-kind">
          {r.sourceLabel}
        </Badge>
        <Text size="xs" c="dimmed" ff="monospace" style={{ flexShrink: 0 }}>
          #{r.entityId}
        </Text>
        {r.date && (
          <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
            · {r.date.slice(0, 10)}
          </Text>
        )}
        {r.access !== 'standard' && (
          <Tooltip label={r.access === 'internal' ? 'Internal: notes and internal comments, not shown to customers' : 'Restricted: left out of AI grounding unless asked'}>
            <Badge variant="outline" color="orange" size="sm" leftSection={<IconLock size={10} />} style={{ flexShrink: 0 }}>
              {r.access}
            </Badge>
          </Tooltip>
        )}
        <Text size="xs" c="dimmed" truncate="end" style={{ minWidth: 0 }}>
          · matched in {fieldLabel(r.field)}
        </Text>
      </Group>
      <UnstyledButton
        className={classes.title}
        data-result-position={position}
        onClick={(e) => {
          e.stopPropagation();
          onOpen(r);
        }}
        onKeyDown={(e) => onKeyNav(e, position)}
        aria-label={`Open ${r.sourceLabel.toLowerCase()} ${r.title}`}
      >
        <Text fw={600} size="sm" lh={1.35}>
          <HighlightedText text={r.title} spans={r.titleHighlights} />
        </Text>
      </UnstyledButton>
      <Text size="sm" mt={2} className={classes.snippet} lineClamp={2} data-testid="result-snippet">
        <HighlightedText text={r.snippet} spans={r.highlights} />
      </Text>
      <Group justify="space-between" mt={4} gap="xs">
        <UnstyledButton
          className={classes.scoreToggle}
          aria-expanded={open}
          aria-controls={detailsId}
          onClick={(e) => {
            e.stopPropagation();
            setOpen((o) => !o);
          }}
        >
          <Group gap={4} wrap="nowrap">
            {open ? <IconChevronDown size={14} /> : <IconChevronRight size={14} />}
            <Text size="xs" c="dimmed">
              Why this result: {rankSummary(r)}
            </Text>
          </Group>
        </UnstyledButton>
      </Group>
      <Collapse expanded={open}>
        <SimpleGrid id={detailsId} cols={{ base: 2, sm: 3, md: 6 }} spacing="sm" mt="xs" p="xs" className={classes.scores} onClick={(e) => e.stopPropagation()} data-testid="result-scores">
          <Score label="Score" value={fmtNum(r.score)} hint="The value results are sorted by: the fused score in hybrid mode, the similarity in vector mode, the BM25 relevance in keyword mode." />
          <Score label="Fused (RRF)" value={fmtNum(r.scores.fused)} hint="Reciprocal rank fusion: Σ 1/(60 + rank) over the keyword and vector lists." />
          <Score label="Keyword rank" value={r.scores.bm25Rank === null ? '—' : `#${r.scores.bm25Rank}`} hint="Position in the BM25 keyword list; — when the words did not match." />
          <Score label="BM25" value={fmtNum(r.scores.bm25, 3)} hint="FTS5 BM25 score: more negative is a better match." />
          <Score label="Vector rank" value={r.scores.vectorRank === null ? '—' : `#${r.scores.vectorRank}`} hint="Position in the nearest-neighbour list of the embedder." />
          <Score label="Distance" value={fmtNum(r.scores.vectorDistance, 3)} hint="Cosine distance between the query and this chunk: 0 is identical, 1 unrelated." />
        </SimpleGrid>
        <Text size="xs" c="dimmed" mt={4}>
          Chunk {r.chunkId}
          {r.prevChunkId !== null || r.nextChunkId !== null ? ' of a longer record' : ''} · fields: {r.field}
        </Text>
      </Collapse>
    </Paper>
  );
}
