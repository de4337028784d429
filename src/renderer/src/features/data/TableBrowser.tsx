import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Box, Group, Loader, Select, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconArrowDown, IconArrowUp, IconSearch } from '@tabler/icons-react';
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef, type SortingState } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { ENTITIES, getEntity } from '@shared/entities';
import { call, errorMessage } from '../../api/client';
import { useDataStore } from '../../stores/dataStore';
import { formatCell } from './format';
import { RecordDrawer } from './RecordDrawer';

type Row = Record<string, unknown>;
const PAGE = 200;
const ROW_HEIGHT = 34;

/**
 * Browses one entity type of the workspace: server-side search and sort, pages fetched as you scroll, and only
 * the visible rows in the DOM, so half a million rows stay smooth.
 */
export function TableBrowser({ workspace, entity, onEntityChange }: { workspace: string; entity: string; onEntityChange: (key: string) => void }) {
  const spec = getEntity(entity)!;
  const version = useDataStore((s) => s.version);
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const [sorting, setSorting] = useState<SortingState>([{ id: spec.defaultSort.column, desc: spec.defaultSort.desc }]);
  const [rows, setRows] = useState<Row[]>([]);
  const [total, setTotal] = useState<number | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [openId, setOpenId] = useState<number | null>(null);
  const request = useRef(0);
  const scrollRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    setSorting([{ id: spec.defaultSort.column, desc: spec.defaultSort.desc }]);
    setSearch('');
  }, [spec]);

  const fetchPage = useCallback(
    async (offset: number, reset: boolean) => {
      const id = ++request.current;
      setLoading(true);
      try {
        const sort = sorting[0] ? { column: sorting[0].id, desc: sorting[0].desc } : undefined;
        const res = await call('data.browse', { workspace, entity, search: debounced || undefined, sort, offset, limit: PAGE });
        if (id !== request.current) return;
        setRows((prev) => (reset ? res.rows : [...prev, ...res.rows]));
        // An empty page before the reported end means rows were deleted meanwhile: stop at what we have.
        setTotal(!reset && res.rows.length === 0 ? offset : res.total);
        setError(null);
      } catch (e) {
        if (id === request.current) setError(errorMessage(e));
      } finally {
        if (id === request.current) setLoading(false);
      }
    },
    [workspace, entity, debounced, sorting],
  );

  useEffect(() => {
    setRows([]);
    setTotal(null);
    scrollRef.current?.scrollTo({ top: 0 });
    void fetchPage(0, true);
  }, [fetchPage, version]);

  const columns = useMemo<ColumnDef<Row>[]>(
    () =>
      spec.columns
        .filter((c) => !c.hidden)
        .map((c) => ({
          id: c.name,
          accessorFn: (r: Row) => r[c.name],
          header: c.label,
          size: c.type === 'text' || c.type === 'longtext' ? 220 : c.type === 'datetime' ? 150 : 110,
          cell: (info) => formatCell(c, info.getValue()),
        })),
    [spec],
  );

  const table = useReactTable({
    data: rows,
    columns,
    state: { sorting },
    onSortingChange: setSorting,
    manualSorting: true,
    enableMultiSort: false,
    sortDescFirst: false,
    getCoreRowModel: getCoreRowModel(),
  });
  const tableRows = table.getRowModel().rows;
  const hasMore = total !== null && rows.length < total;

  const virtualizer = useVirtualizer({
    count: tableRows.length + (hasMore ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 15,
    // Before the first layout (and in tests without layout) assume the box's fixed height.
    initialRect: { width: 1000, height: 520 },
  });
  const items = virtualizer.getVirtualItems();
  const last = items[items.length - 1];
  useEffect(() => {
    if (last && last.index >= tableRows.length - 1 && hasMore && !loading) void fetchPage(rows.length, false);
  }, [last, tableRows.length, hasMore, loading, fetchPage, rows.length]);

  const width = table.getTotalSize();
  const padTop = items[0]?.start ?? 0;
  const padBottom = items.length ? virtualizer.getTotalSize() - (last?.end ?? 0) : 0;

  return (
    <Box>
      <Group mb="xs" justify="space-between">
        <Group>
          <Select
            aria-label="Entity type"
            data={ENTITIES.map((e) => ({ value: e.key, label: e.label }))}
            value={entity}
            onChange={(v) => v && onEntityChange(v)}
            searchable
            allowDeselect={false}
            w={240}
          />
          <TextInput
            aria-label="Search"
            placeholder={spec.searchColumns.length ? `Search ${spec.searchColumns.join(', ')}` : 'Search by id'}
            leftSection={<IconSearch size={16} />}
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
            w={320}
          />
        </Group>
        <Group gap="xs">
          {loading && <Loader size="xs" />}
          <Text size="sm" c="dimmed" data-testid="browse-total">
            {total === null ? '' : `${total.toLocaleString()} ${total === 1 ? 'row' : 'rows'}${hasMore ? ` · ${rows.length.toLocaleString()} loaded` : ''}`}
          </Text>
        </Group>
      </Group>
      {error && (
        <Alert color="red" mb="xs">
          {error}
        </Alert>
      )}
      <Box ref={scrollRef} h={520} style={{ overflow: 'auto', border: '1px solid var(--mantine-color-default-border)', borderRadius: 8 }} data-testid="table-scroll">
        <table style={{ borderCollapse: 'collapse', width: Math.max(width, 100), tableLayout: 'fixed' }} role="grid" aria-rowcount={total ?? undefined}>
          <thead style={{ position: 'sticky', top: 0, zIndex: 1, background: 'var(--mantine-color-body)' }}>
            {table.getHeaderGroups().map((hg) => (
              <tr key={hg.id}>
                {hg.headers.map((h) => {
                  const sorted = h.column.getIsSorted();
                  return (
                    <th
                      key={h.id}
                      style={{ width: h.getSize(), textAlign: 'left', padding: '6px 8px', cursor: 'pointer', whiteSpace: 'nowrap', borderBottom: '1px solid var(--mantine-color-default-border)', fontSize: 13 }}
                      onClick={h.column.getToggleSortingHandler()}
                      aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}
                    >
                      {flexRender(h.column.columnDef.header, h.getContext())}
                      {sorted === 'asc' && <IconArrowUp size={12} style={{ marginLeft: 4 }} />}
                      {sorted === 'desc' && <IconArrowDown size={12} style={{ marginLeft: 4 }} />}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {padTop > 0 && (
              <tr>
                <td style={{ height: padTop }} colSpan={columns.length} />
              </tr>
            )}
            {items.map((vi) => {
              const row = tableRows[vi.index];
              if (!row) {
                return (
                  <tr key="loader" style={{ height: ROW_HEIGHT }}>
                    <td colSpan={columns.length} style={{ padding: '6px 8px' }}>
                      <Text size="sm" c="dimmed">
                        Loading more…
                      </Text>
                    </td>
                  </tr>
                );
              }
              const rowId = typeof row.original.id === 'number' ? row.original.id : null;
              return (
                <tr
                  key={row.id}
                  style={{ height: ROW_HEIGHT, cursor: rowId !== null ? 'pointer' : undefined }}
                  onClick={() => rowId !== null && setOpenId(rowId)}
                  data-testid="browse-row"
                >
                  {row.getVisibleCells().map((cell) => (
                    <td
                      key={cell.id}
                      style={{ padding: '6px 8px', fontSize: 13, whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis', borderBottom: '1px solid var(--mantine-color-default-border)' }}
                    >
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </td>
                  ))}
                </tr>
              );
            })}
            {padBottom > 0 && (
              <tr>
                <td style={{ height: padBottom }} colSpan={columns.length} />
              </tr>
            )}
          </tbody>
        </table>
        {total === 0 && !loading && (
          <Text p="md" c="dimmed" size="sm">
            {debounced ? `No ${spec.label.toLowerCase()} match “${debounced}”.` : `No ${spec.label.toLowerCase()} in this workspace yet.`}
          </Text>
        )}
      </Box>
      <RecordDrawer workspace={workspace} entity={entity} id={openId} onClose={() => setOpenId(null)} />
    </Box>
  );
}
