import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Box, CloseButton, Group, Loader, Pill, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconArrowDown, IconArrowUp, IconSearch } from '@tabler/icons-react';
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef, type SortingState } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { RefTitles } from '@shared/contract';
import { getEntity } from '@shared/entities';
import { call, errorMessage } from '../../api/client';
import { useDataStore } from '../../stores/dataStore';
import { listKeyAction } from '../../components/listKeys';
import { columnWidth, formatCell, referenceText } from './format';
import classes from './data.module.css';

type Row = Record<string, unknown>;
/** Rows per request: a screenful or two, so a jump to the middle of a big table costs one small page. */
export const PAGE = 100;
const ROW_HEIGHT = 34;
/** Pages kept in memory; the ones farthest from the viewport are dropped first. */
const MAX_PAGES = 40;

/** Rows that point at one record (the drawer's "all 43 in the table"). */
export interface RefFilter {
  column: string;
  id: number;
  entity?: string;
}

interface Cache {
  key: string;
  pages: Map<number, Row[]>;
  refs: RefTitles;
  total: number | null;
}

const mergeRefs = (a: RefTitles, b: RefTitles): RefTitles => {
  const out: RefTitles = { ...a };
  for (const [col, map] of Object.entries(b)) out[col] = { ...(out[col] ?? {}), ...map };
  return out;
};

/**
 * Browses one entity type: server-side search and sort, a scrollbar that spans the whole table (rows are fetched
 * for whatever part of it is on screen, so the middle and the end are one drag away), and only the visible rows in
 * the DOM. Mounted once per table (the page keys it by entity), so no state of one table reaches the next.
 */
export function TableBrowser({
  workspace,
  entity,
  refFilter,
  onClearRef,
  onOpen,
}: {
  workspace: string;
  entity: string;
  refFilter?: RefFilter | null;
  onClearRef?: () => void;
  onOpen: (entity: string, id: number) => void;
}) {
  const spec = getEntity(entity)!;
  const version = useDataStore((s) => s.version);
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const [sorting, setSorting] = useState<SortingState>([{ id: spec.defaultSort.column, desc: spec.defaultSort.desc }]);
  const [cache, setCache] = useState<Cache | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [active, setActive] = useState<number | null>(null);
  const inFlight = useRef(new Set<string>());
  const [pending, setPending] = useState(0);
  const scrollRef = useRef<HTMLDivElement>(null);

  const sort = sorting[0] ? { column: sorting[0].id, desc: sorting[0].desc } : undefined;
  const key = JSON.stringify([workspace, entity, debounced, sort, refFilter ?? null, version]);
  const current = cache?.key === key ? cache : null;
  const total = current?.total ?? null;
  const loading = pending > 0;

  const fetchPage = useCallback(
    (page: number) => {
      const tag = `${key}#${page}`;
      if (inFlight.current.has(tag)) return;
      inFlight.current.add(tag);
      setPending((n) => n + 1);
      call('data.browse', { workspace, entity, search: debounced || undefined, sort, ref: refFilter ?? undefined, offset: page * PAGE, limit: PAGE })
        .then(
          (res) => {
            setCache((c) => {
              const base = c?.key === key ? c : { key, pages: new Map<number, Row[]>(), refs: {}, total: null };
              const pages = new Map(base.pages);
              pages.set(page, res.rows);
              return { key, pages, refs: mergeRefs(base.refs, res.refs ?? {}), total: res.total };
            });
            setError(null);
          },
          (e: unknown) => setError(errorMessage(e)),
        )
        .finally(() => {
          inFlight.current.delete(tag);
          setPending((n) => n - 1);
        });
    },
    // `key` stands for every input of the request.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [key],
  );

  // A new query starts at the top with its first page.
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
    setActive(null);
    fetchPage(0);
  }, [fetchPage]);

  const columns = useMemo<ColumnDef<Row>[]>(
    () =>
      spec.columns
        .filter((c) => !c.hidden)
        .map((c) => ({ id: c.name, accessorFn: (r: Row) => r[c.name], header: c.label, size: columnWidth(spec, c), minSize: 56, meta: c })),
    [spec],
  );

  const table = useReactTable({
    data: [],
    columns,
    state: { sorting },
    onSortingChange: setSorting,
    manualSorting: true,
    enableMultiSort: false,
    sortDescFirst: false,
    enableColumnResizing: true,
    columnResizeMode: 'onChange',
    getCoreRowModel: getCoreRowModel(),
  });

  const virtualizer = useVirtualizer({
    count: total ?? 0,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    // Before the first layout (and in tests without layout) assume a plausible box.
    initialRect: { width: 1000, height: 520 },
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? -1;

  // Fetch whatever the viewport shows; drop the pages farthest away once too many are held.
  useEffect(() => {
    if (!current || total === null || last < 0) return;
    for (let p = Math.floor(first / PAGE); p <= Math.floor(last / PAGE); p++) if (!current.pages.has(p)) fetchPage(p);
    if (current.pages.size > MAX_PAGES) {
      const centre = Math.floor((first + last) / 2 / PAGE);
      const far = [...current.pages.keys()].sort((a, b) => Math.abs(b - centre) - Math.abs(a - centre)).slice(0, current.pages.size - MAX_PAGES);
      setCache((c) => {
        if (!c || c.key !== current.key) return c;
        const pages = new Map(c.pages);
        for (const p of far) pages.delete(p);
        return { ...c, pages };
      });
    }
  }, [current, total, first, last, fetchPage]);

  const rowAt = (i: number): Row | undefined => current?.pages.get(Math.floor(i / PAGE))?.[i % PAGE];
  const idOf = (r: Row | undefined): number | null => (r && typeof r.id === 'number' ? r.id : null);

  const moveTo = (i: number): void => {
    if (total === null || total === 0) return;
    const next = Math.max(0, Math.min(total - 1, i));
    setActive(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };
  const onKeyDown = (e: React.KeyboardEvent<HTMLDivElement>): void => {
    const act = listKeyAction(e, { page: Math.max(1, (virtualizer.scrollElement?.clientHeight ?? 520) / ROW_HEIGHT - 2) | 0 });
    if (!act) return;
    e.preventDefault();
    if (act.kind === 'open') {
      const id = active !== null ? idOf(rowAt(active)) : null;
      if (id !== null) onOpen(entity, id);
    } else if (act.kind === 'first') moveTo(0);
    else if (act.kind === 'last') moveTo((total ?? 1) - 1);
    else moveTo((active ?? first - 1) + act.by);
  };

  const headers = table.getHeaderGroups()[0]!.headers;
  const width = table.getTotalSize();
  const padTop = items[0]?.start ?? 0;
  const padBottom = items.length ? virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0) : 0;
  const visibleRange = virtualizer.range;
  const refLabel = refFilter ? (current?.refs[refFilter.column]?.[refFilter.entity ? `${refFilter.entity}:${refFilter.id}` : String(refFilter.id)] ?? `#${refFilter.id}`) : null;
  const refColumn = refFilter ? spec.columns.find((c) => c.name === refFilter.column) : undefined;

  return (
    <Box className={classes.browser}>
      <Group mb="xs" justify="space-between" wrap="nowrap" gap="xs">
        <Group gap="xs" wrap="nowrap" style={{ minWidth: 0, flex: 1 }}>
          <Text fw={600} style={{ whiteSpace: 'nowrap' }}>
            {spec.label}
          </Text>
          {refFilter && (
            <Pill withRemoveButton onRemove={onClearRef} data-testid="ref-filter" removeButtonProps={{ 'aria-label': 'Show all rows' }}>
              {refColumn?.label ?? refFilter.column}: {refLabel}
            </Pill>
          )}
          <TextInput
            aria-label="Search"
            placeholder={spec.searchColumns.length ? `Search ${spec.label.toLowerCase()}…` : 'Search by id'}
            title={spec.searchColumns.length ? `Searches ${spec.searchColumns.map((c) => spec.columns.find((x) => x.name === c)?.label.toLowerCase() ?? c).join(', ')} and the id` : undefined}
            leftSection={<IconSearch size={16} />}
            rightSection={search ? <CloseButton size="sm" aria-label="Clear" onClick={() => setSearch('')} /> : null}
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
            style={{ flex: '1 1 240px', minWidth: 160, maxWidth: 360 }}
          />
        </Group>
        <Group gap="xs" wrap="nowrap">
          {loading && <Loader size="xs" />}
          {/* data-entity says which table the count belongs to, once it is known (tests wait on it). */}
          <Text size="sm" c="dimmed" data-testid="browse-total" data-entity={total === null ? undefined : entity} style={{ whiteSpace: 'nowrap' }}>
            {total === null ? '' : `${total.toLocaleString()} ${total === 1 ? 'row' : 'rows'}`}
          </Text>
        </Group>
      </Group>
      {error && (
        <Alert color="red" mb="xs">
          {error}
        </Alert>
      )}
      <div
        ref={scrollRef}
        className={classes.scroll}
        data-testid="table-scroll"
        tabIndex={0}
        role="grid"
        aria-label={`${spec.label} table`}
        aria-rowcount={total ?? undefined}
        aria-activedescendant={active !== null ? `row-${entity}-${active}` : undefined}
        onKeyDown={onKeyDown}
      >
        <table className={classes.table} style={{ width: Math.max(width, 100) }}>
          <thead>
            <tr>
              {headers.map((h) => {
                const sorted = h.column.getIsSorted();
                return (
                  <th key={h.id} style={{ width: h.getSize() }} aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}>
                    <UnstyledButton className={classes.sortButton} onClick={h.column.getToggleSortingHandler()}>
                      {flexRender(h.column.columnDef.header, h.getContext())}
                      {sorted === 'asc' && <IconArrowUp size={12} />}
                      {sorted === 'desc' && <IconArrowDown size={12} />}
                    </UnstyledButton>
                    <div className={classes.resizer} data-resizing={h.column.getIsResizing() || undefined} onMouseDown={h.getResizeHandler()} onTouchStart={h.getResizeHandler()} onDoubleClick={() => h.column.resetSize()} aria-hidden />
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {padTop > 0 && (
              <tr aria-hidden>
                <td style={{ height: padTop }} colSpan={headers.length} />
              </tr>
            )}
            {items.map((vi) => {
              const row = rowAt(vi.index);
              if (!row) {
                return (
                  <tr key={`loading-${vi.index}`} style={{ height: ROW_HEIGHT }} data-testid="browse-row-loading">
                    {headers.map((h) => (
                      <td key={h.id}>
                        <span className={classes.placeholder} />
                      </td>
                    ))}
                  </tr>
                );
              }
              const rowId = idOf(row);
              return (
                <tr
                  key={vi.index}
                  id={`row-${entity}-${vi.index}`}
                  style={{ height: ROW_HEIGHT, cursor: rowId !== null ? 'pointer' : undefined }}
                  onClick={() => {
                    setActive(vi.index);
                    if (rowId !== null) onOpen(entity, rowId);
                  }}
                  data-testid="browse-row"
                  data-index={vi.index}
                  aria-rowindex={vi.index + 1}
                  aria-selected={active === vi.index}
                  data-active={active === vi.index || undefined}
                >
                  {headers.map((h) => {
                    const col = spec.columns.find((c) => c.name === h.id)!;
                    const ref = col.ref || col.refTypeColumn ? referenceText(col, row, current?.refs) : null;
                    return (
                      <td key={h.id}>
                        {ref ? (
                          <UnstyledButton
                            className={classes.refLink}
                            title={`${getEntity(ref.entity)?.singular ?? ref.entity} #${ref.id}`}
                            onClick={(e) => {
                              e.stopPropagation();
                              onOpen(ref.entity, ref.id);
                            }}
                          >
                            {ref.text}
                          </UnstyledButton>
                        ) : (
                          formatCell(col, row[col.name])
                        )}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
            {padBottom > 0 && (
              <tr aria-hidden>
                <td style={{ height: padBottom }} colSpan={headers.length} />
              </tr>
            )}
          </tbody>
        </table>
        {total === 0 && (
          <Text p="md" c="dimmed" size="sm">
            {debounced ? `No ${spec.label.toLowerCase()} match “${debounced}”.` : refFilter ? `No ${spec.label.toLowerCase()} point at this record.` : `No ${spec.label.toLowerCase()} in this workspace yet.`}
          </Text>
        )}
      </div>
      <Group justify="space-between" mt={4} gap="xs" wrap="nowrap">
        <Text size="xs" c="dimmed" data-testid="browse-position">
          {total
            ? active !== null
              ? `Row ${(active + 1).toLocaleString()} of ${total.toLocaleString()}`
              : `Rows ${(visibleRange ? visibleRange.startIndex + 1 : 1).toLocaleString()}–${Math.min(total, visibleRange ? visibleRange.endIndex + 1 : PAGE).toLocaleString()} of ${total.toLocaleString()}`
            : ''}
        </Text>
        <Text size="xs" c="dimmed" visibleFrom="md">
          ↑↓ or j k to move · Enter to open · drag a column edge to resize
        </Text>
      </Group>
    </Box>
  );
}
