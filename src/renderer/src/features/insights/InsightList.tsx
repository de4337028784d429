import { memo, useEffect, useRef } from 'react';
import { Badge, Box, Group, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { IconAlertTriangle, IconChartLine, IconTrendingUp } from '@tabler/icons-react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { getEntity } from '@shared/entities';
import type { InsightSummary } from '@shared/insights';
import { fmtAgo, fmtDateTime } from '../configuration/shared/format';
import { SEVERITY_COLOR, SEVERITY_LABEL, STATUS_COLOR, STATUS_LABEL, domainLabel, pct } from './format';
import { listKeyAction } from '../../components/listKeys';
import classes from './insights.module.css';

const ROW_HEIGHT = 68;

const TypeIcon = ({ type }: { type: InsightSummary['type'] }) =>
  type === 'anomaly' ? (
    <IconAlertTriangle size={14} aria-label="Anomaly" style={{ flexShrink: 0 }} />
  ) : type === 'trend' ? (
    <IconTrendingUp size={14} aria-label="Trend" style={{ flexShrink: 0 }} />
  ) : null;

const Row = memo(function Row({ item, selected, onSelect }: { item: InsightSummary; selected: boolean; onSelect: (id: string) => void }) {
  const sev = item.severity;
  return (
    <UnstyledButton
      className={classes.row}
      data-selected={selected || undefined}
      onClick={() => onSelect(item.id)}
      data-testid="insight-row"
      data-id={item.id}
      data-severity={sev ?? ''}
      data-status={item.status}
      aria-current={selected ? 'true' : undefined}
    >
      <span className={classes.severityBar} style={{ background: sev ? `var(--mantine-color-${SEVERITY_COLOR[sev]}-6)` : 'var(--mantine-color-gray-4)' }} />
      <Box style={{ minWidth: 0, flex: 1 }}>
        <Group gap={6} wrap="nowrap" justify="space-between">
          <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
            <TypeIcon type={item.type} />
            <Text size="sm" fw={600} truncate="end" title={item.title}>
              {item.title || (item.status === 'failed' ? `Analysis failed${item.errorCode ? ` (${item.errorCode})` : ''}` : 'Analysing…')}
            </Text>
          </Group>
          <Tooltip label={fmtDateTime(item.createdAt)} openDelay={400}>
            <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
              {fmtAgo(item.createdAt)}
            </Text>
          </Tooltip>
        </Group>
        <Text size="xs" c="dimmed" truncate="end">
          {item.summary || item.entityTitle || '—'}
        </Text>
        <Group gap={6} mt={4} wrap="nowrap">
          {sev && (
            <Badge size="xs" variant="light" color={SEVERITY_COLOR[sev]} style={{ flexShrink: 0 }}>
              {SEVERITY_LABEL[sev]}
            </Badge>
          )}
          <Badge size="xs" variant={item.status === 'completed' ? 'filled' : 'light'} color={STATUS_COLOR[item.status]} data-testid="insight-row-status" style={{ flexShrink: 0 }}>
            {STATUS_LABEL[item.status]}
          </Badge>
          <Text size="xs" c="dimmed" truncate="end">
            {[domainLabel(item.domain), item.entityType && item.entityId !== null ? (item.entityTitle ?? `${getEntity(item.entityType)?.singular ?? item.entityType} #${item.entityId}`) : null, item.confidence !== null ? `${pct(item.confidence)} confident` : null]
              .filter(Boolean)
              .join(' · ')}
          </Text>
        </Group>
      </Box>
    </UnstyledButton>
  );
});

/**
 * The insights list: only the visible rows are in the DOM and pages load as you scroll, so 100k insights scroll
 * as smoothly as 100.
 */
export const InsightList = memo(function InsightList({
  items,
  total,
  loading,
  selectedId,
  onSelect,
  onLoadMore,
  height,
  resetKey,
  empty,
  onEnter,
}: {
  items: InsightSummary[];
  total: number | null;
  loading: boolean;
  selectedId: string | null;
  onSelect: (id: string) => void;
  onLoadMore: () => void;
  height: number | string;
  /** Changes when the query changes: the list scrolls back to the top. */
  resetKey: string | null;
  empty: React.ReactNode;
  /** Enter on a row: move into the detail pane. */
  onEnter?: () => void;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const hasMore = total !== null && items.length < total;
  const virtualizer = useVirtualizer({
    count: items.length + (hasMore ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    initialRect: { width: 600, height: 640 },
    getItemKey: (i) => items[i]?.id ?? 'loader',
  });
  const virtual = virtualizer.getVirtualItems();
  const last = virtual[virtual.length - 1];

  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [resetKey]);

  const navRef = useRef<{ cursor: string | null; mine: Set<string> }>({ cursor: null, mine: new Set() });
  // ↑/↓ and j/k move the selection (the detail follows), Home/End jump, Enter moves into the detail pane.
  const onKeyDown = (e: React.KeyboardEvent<HTMLDivElement>): void => {
    const act = listKeyAction(e, { page: Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 600) / ROW_HEIGHT) - 1) });
    if (!act || items.length === 0) return;
    e.preventDefault();
    if (act.kind === 'open') {
      onEnter?.();
      return;
    }
    // The address (hence selectedId) can lag a fast run of keys; move from the row asked for last, unless the
    // selection was changed by something else (a click, a filter) since.
    const nav = navRef.current;
    if (selectedId !== null && !nav.mine.has(selectedId)) navRef.current = { cursor: null, mine: new Set() };
    const base = navRef.current.cursor ?? selectedId;
    const at = items.findIndex((i) => i.id === base);
    const next = act.kind === 'first' ? 0 : act.kind === 'last' ? items.length - 1 : Math.max(0, Math.min(items.length - 1, at < 0 ? 0 : at + act.by));
    const target = items[next]!;
    navRef.current.cursor = target.id;
    navRef.current.mine.add(target.id);
    onSelect(target.id);
    virtualizer.scrollToIndex(next, { align: 'auto' });
    if (next >= items.length - 1 && hasMore && !loading) onLoadMore();
    // Keep the keyboard focus on the selected row once it is rendered.
    requestAnimationFrame(() => [...(scrollRef.current?.querySelectorAll<HTMLElement>('[data-id]') ?? [])].find((el) => el.dataset.id === target.id)?.focus({ preventScroll: true }));
  };
  useEffect(() => {
    if (last && last.index >= items.length - 1 && hasMore && !loading) onLoadMore();
  }, [last, items.length, hasMore, loading, onLoadMore]);

  return (
    <Box
      ref={scrollRef}
      className={classes.listScroll}
      h={height}
      data-testid="insight-list"
      role="list"
      aria-label="Insights (↑ ↓ or j k to move, Enter to read)"
      aria-busy={loading}
      tabIndex={0}
      onKeyDown={onKeyDown}
    >
      {total === 0 && !loading ? (
        <Box p="lg">{empty}</Box>
      ) : (
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtual.map((vi) => {
            const item = items[vi.index];
            return (
              <div key={vi.key} role="listitem" style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${vi.start}px)` }}>
                {item ? (
                  <Row item={item} selected={item.id === selectedId} onSelect={onSelect} />
                ) : (
                  <Group h={ROW_HEIGHT} px="md" gap="xs">
                    <IconChartLine size={14} />
                    <Text size="sm" c="dimmed">
                      Loading more…
                    </Text>
                  </Group>
                )}
              </div>
            );
          })}
        </div>
      )}
    </Box>
  );
});
