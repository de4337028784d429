import { useEffect, useRef, useState } from 'react';
import { ActionIcon, Alert, Badge, Box, Button, EmptyState, Grid, Group, Loader, Paper, SegmentedControl, Select, SimpleGrid, Skeleton, Stack, Table, Text, Tooltip } from '@mantine/core';
import { BarChart, DonutChart } from '@mantine/charts';
import { notifications } from '@mantine/notifications';
import { IconArrowsShuffle, IconChartBar, IconDownload, IconRefresh } from '@tabler/icons-react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { KNOWN_USE_CASES, type UsageRow, type UsageSummary } from '@shared/contract';
import { call, errorMessage } from '../../../api/client';
import { downloadText, toCsv } from '../../../components/download';
import { bindUsageEvents, useUsageStore, type UsageRange, type UsageStatus } from '../../../stores/usageStore';
import { useWorkspaceStore } from '../../../stores/workspaceStore';
import { fmtDateTime, fmtMs, fmtPercent, fmtTokens, fmtUsd, niceScale } from '../shared/format';
import { SectionHeader } from '../shared/Section';

const RANGES: { value: UsageRange; label: string }[] = [
  { value: '1d', label: 'Today' },
  { value: '7d', label: '7 days' },
  { value: '30d', label: '30 days' },
  { value: '90d', label: '90 days' },
];
const STATUS_COLOR: Record<UsageStatus, string> = { ok: 'teal', cached: 'cyan', error: 'red', refused: 'orange', cancelled: 'gray', pending: 'indigo' };
const PALETTE = ['indigo.6', 'teal.6', 'orange.6', 'grape.6', 'cyan.6', 'pink.6', 'lime.6', 'yellow.6', 'blue.6', 'red.6'];
const ROW_HEIGHT = 40;
const COLUMNS = '150px minmax(140px, 1.2fr) minmax(160px, 1.4fr) 96px 130px 90px 80px 32px';

function StatCard({ label, value, detail, testId }: { label: string; value: string; detail: string; testId: string }) {
  return (
    <Paper withBorder radius="md" p="md" data-testid={testId}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fz={26} fw={700} lh={1.3}>
        {value}
      </Text>
      <Text size="xs" c="dimmed">
        {detail}
      </Text>
    </Paper>
  );
}

const shortDay = (day: string): string => {
  const d = new Date(`${day}T00:00:00Z`);
  return d.toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
};

function Breakdown({ summary }: { summary: UsageSummary }) {
  const [by, setBy] = useState<'byProvider' | 'byModel' | 'byUseCase' | 'byEndpoint'>('byModel');
  const groups = summary[by];
  const byCost = groups.some((g) => g.costUsd > 0);
  const data = groups.slice(0, 10).map((g, i) => ({ name: g.key || '(none)', value: byCost ? Number(g.costUsd.toFixed(6)) : g.calls, color: PALETTE[i % PALETTE.length]! }));
  return (
    <Paper withBorder radius="md" p="md">
      <Group justify="space-between" mb="sm">
        <Text fw={600}>Breakdown</Text>
        <SegmentedControl
          size="xs"
          value={by}
          onChange={(v) => setBy(v as typeof by)}
          aria-label="Break down by"
          data={[
            { value: 'byProvider', label: 'Provider' },
            { value: 'byModel', label: 'Model' },
            { value: 'byUseCase', label: 'Use case' },
            { value: 'byEndpoint', label: 'Endpoint' },
          ]}
        />
      </Group>
      {groups.length === 0 ? (
        <Text size="sm" c="dimmed">
          No calls in this period.
        </Text>
      ) : (
        <Grid gap="md" align="center">
          <Grid.Col span={{ base: 12, md: 4 }}>
            <Stack align="center" gap={4}>
              <DonutChart data={data} size={170} thickness={22} paddingAngle={data.length > 1 ? 1 : 0} strokeWidth={data.length > 1 ? 1 : 0} withTooltip valueFormatter={byCost ? (v) => fmtUsd(v) : (v) => `${v} calls`} chartLabel={byCost ? fmtUsd(summary.totals.costUsd) : `${summary.totals.calls} calls`} />
              <Text size="xs" c="dimmed">
                {byCost ? 'Share of cost' : 'Share of calls (no cost recorded)'}
              </Text>
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 8 }}>
            <Table.ScrollContainer minWidth={520}>
              <Table verticalSpacing={6} aria-label="Usage breakdown">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{{ byProvider: 'Provider', byModel: 'Model', byUseCase: 'Use case', byEndpoint: 'Endpoint' }[by]}</Table.Th>
                    <Table.Th ta="right">Calls</Table.Th>
                    <Table.Th ta="right">Tokens in / out</Table.Th>
                    <Table.Th ta="right">Cost</Table.Th>
                    <Table.Th ta="right">Failed</Table.Th>
                    <Table.Th ta="right">Avg latency</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {groups.map((g, i) => (
                    <Table.Tr key={g.key}>
                      <Table.Td>
                        <Group gap={8} wrap="nowrap">
                          <Box w={10} h={10} style={{ borderRadius: 3, flexShrink: 0, background: i < 10 ? `var(--mantine-color-${PALETTE[i]!.replace('.', '-')})` : 'var(--mantine-color-gray-4)' }} />
                          <Text size="sm" truncate="end" maw={220}>
                            {g.key || '(none)'}
                          </Text>
                          {by === 'byModel' && summary.unpricedModels.includes(g.key) && (
                            <Tooltip label="No price in the table: recorded at $0">
                              <Badge size="xs" color="orange" variant="light">
                                no price
                              </Badge>
                            </Tooltip>
                          )}
                        </Group>
                      </Table.Td>
                      <Table.Td ta="right">{g.calls.toLocaleString('en-US')}</Table.Td>
                      <Table.Td ta="right">
                        {fmtTokens(g.tokensIn, true)} / {fmtTokens(g.tokensOut, true)}
                      </Table.Td>
                      <Table.Td ta="right">{fmtUsd(g.costUsd)}</Table.Td>
                      <Table.Td ta="right" c={g.errors ? 'red' : undefined} title={`${g.errors} failed · ${g.cancelled} cancelled · ${g.refused} refused by budget`}>
                        {g.errors}
                      </Table.Td>
                      <Table.Td ta="right">{fmtMs(g.avgLatencyMs)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Grid.Col>
        </Grid>
      )}
    </Paper>
  );
}

function CallRow({ row }: { row: UsageRow }) {
  return (
    <>
      <Text size="sm" c="dimmed" role="cell">
        {fmtDateTime(row.at)}
      </Text>
      <div role="cell" style={{ minWidth: 0 }}>
        <Text size="sm" truncate="end">
          {row.useCase}
          {row.trigger && row.trigger !== 'on_demand' && (
            <Badge size="xs" variant="outline" color={row.trigger === 'scheduled' ? 'grape' : 'cyan'} ml={6} data-testid="usage-trigger">
              {row.trigger === 'scheduled' ? 'scheduled' : 'on change'}
            </Badge>
          )}
        </Text>
        {row.profileName && (
          <Text size="xs" c="dimmed" truncate="end">
            {row.profileName}
            {row.subject ? ` · ${row.subject}` : ''}
          </Text>
        )}
      </div>
      <div role="cell" style={{ minWidth: 0 }}>
        <Text size="sm" truncate="end">
          {row.endpoint ?? '—'}
        </Text>
        <Text size="xs" c="dimmed" truncate="end">
          {row.model ?? ''}
        </Text>
      </div>
      <div role="cell">
        {row.errorMessage ? (
          <Tooltip label={row.errorMessage} multiline w={360}>
            <Badge variant="light" color={STATUS_COLOR[row.status]} size="sm">
              {row.status}
            </Badge>
          </Tooltip>
        ) : (
          <Badge variant="light" color={STATUS_COLOR[row.status]} size="sm">
            {row.status}
          </Badge>
        )}
      </div>
      <Text size="sm" ta="right" role="cell">
        {row.anomaly ? (
          <Tooltip label={`Corrected: ${row.anomaly}`} multiline w={320}>
            <span aria-label="usage corrected">
              {fmtTokens(row.tokensIn, true)} / {fmtTokens(row.tokensOut, true)} *
            </span>
          </Tooltip>
        ) : (
          <>
            {fmtTokens(row.tokensIn, true)} / {fmtTokens(row.tokensOut, true)}
          </>
        )}
      </Text>
      <Text size="sm" ta="right" role="cell" c={row.priceKnown ? undefined : 'dimmed'}>
        {fmtUsd(row.costUsd)}
      </Text>
      <Text size="sm" ta="right" role="cell">
        {fmtMs(row.latencyMs)}
      </Text>
      <div role="cell">
        {row.fallbackUsed && (
          <Tooltip label={`Answered by a fallback after ${row.attempts} attempts`}>
            <IconArrowsShuffle size={16} color="var(--mantine-color-orange-6)" aria-label="fallback used" />
          </Tooltip>
        )}
      </div>
    </>
  );
}

/** Every model call, newest first; only the visible rows are in the DOM, pages load as you scroll. */
/** Every call the filters match (up to 50,000), as CSV: page by page through usage.list. */
async function exportCalls(workspace: string, filter: { status: UsageStatus | null; useCase: string | null }): Promise<number> {
  const all: UsageRow[] = [];
  for (let offset = 0; offset < 50_000; offset += 500) {
    const page = await call('usage.list', { workspace, offset, limit: 500, ...(filter.status ? { status: filter.status } : {}), ...(filter.useCase ? { useCase: filter.useCase } : {}) });
    all.push(...page.rows);
    if (page.rows.length < 500 || all.length >= page.total) break;
  }
  const header = ['time', 'use_case', 'subject', 'profile', 'endpoint', 'model', 'provider_kind', 'operation', 'status', 'error_code', 'tokens_in', 'tokens_out', 'cached_tokens', 'cost_usd', 'price_known', 'latency_ms', 'fallback', 'attempts'];
  const lines = all.map((r) => [r.at, r.useCase, r.subject, r.profileName, r.endpoint, r.model, r.providerKind, r.operation, r.status, r.errorCode, r.tokensIn, r.tokensOut, r.cachedTokens, r.costUsd, r.priceKnown, r.latencyMs, r.fallbackUsed, r.attempts]);
  downloadText(`usage-${workspace}-${new Date().toISOString().slice(0, 10)}.csv`, toCsv([header, ...lines]));
  return all.length;
}

function RecentCalls() {
  const { rows, total, rowsLoading, rowsError, status, useCase, setFilter, loadMore, workspace } = useUsageStore();
  const [exporting, setExporting] = useState(false);
  const exportCsv = async (): Promise<void> => {
    if (!workspace) return;
    setExporting(true);
    try {
      const n = await exportCalls(workspace, { status, useCase });
      notifications.show({ color: 'teal', title: 'Usage exported', message: `${n.toLocaleString('en-US')} ${n === 1 ? 'call' : 'calls'} saved as CSV.` });
    } catch (e) {
      notifications.show({ color: 'red', title: 'Could not export the usage', message: errorMessage(e) });
    } finally {
      setExporting(false);
    }
  };
  const scrollRef = useRef<HTMLDivElement>(null);
  const hasMore = total !== null && rows.length < total;
  const virtualizer = useVirtualizer({
    count: rows.length + (hasMore ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    initialRect: { width: 1000, height: 440 },
  });
  const items = virtualizer.getVirtualItems();
  const last = items[items.length - 1];
  useEffect(() => {
    if (last && last.index >= rows.length - 1 && hasMore && !rowsLoading) void loadMore();
  }, [last, rows.length, hasMore, rowsLoading, loadMore]);

  return (
    <Paper withBorder radius="md" p="md">
      <Group justify="space-between" mb="sm">
        <Group gap="xs">
          <Text fw={600}>Recent calls</Text>
          <Text size="sm" c="dimmed" data-testid="usage-total">
            {total === null ? '' : `${total.toLocaleString('en-US')} ${total === 1 ? 'call' : 'calls'}`}
          </Text>
          {rowsLoading && <Loader size="xs" />}
        </Group>
        <Group gap="xs">
          <Select
            aria-label="Filter by use case"
            placeholder="All use cases"
            clearable
            size="xs"
            w={200}
            data={KNOWN_USE_CASES.map((u) => ({ value: u.key, label: u.key }))}
            value={useCase}
            onChange={(v) => void setFilter({ useCase: v })}
          />
          <Select
            aria-label="Filter by status"
            placeholder="All statuses"
            clearable
            size="xs"
            w={150}
            data={['ok', 'cached', 'error', 'refused', 'cancelled', 'pending']}
            value={status}
            onChange={(v) => void setFilter({ status: v as UsageStatus | null })}
          />
          <Button size="xs" variant="default" leftSection={<IconDownload size={14} />} onClick={() => void exportCsv()} loading={exporting} disabled={!total}>
            Export CSV
          </Button>
        </Group>
      </Group>
      {rowsError && (
        <Alert color="red" variant="light" mb="xs">
          {rowsError}
        </Alert>
      )}
      <div role="table" aria-label="Recent model calls" aria-rowcount={total ?? undefined}>
        <Box
          role="row"
          px="sm"
          py={6}
          style={{ display: 'grid', gridTemplateColumns: COLUMNS, gap: 12, borderBottom: '1px solid var(--mantine-color-default-border)' }}
        >
          {['Time', 'Use case', 'Endpoint · model', 'Status', 'Tokens in / out', 'Cost', 'Latency', ''].map((h, i) => (
            <Text key={i} size="xs" fw={600} c="dimmed" tt="uppercase" ta={i >= 4 && i <= 6 ? 'right' : undefined} role="columnheader">
              {h}
            </Text>
          ))}
        </Box>
        {total === 0 ? (
          <Text size="sm" c="dimmed" p="md" ta="center">
            No calls match. Calls from analyses, the copilot and the playground appear here.
          </Text>
        ) : (
          <Box ref={scrollRef} h={Math.min(440, Math.max(1, rows.length + (hasMore ? 1 : 0)) * ROW_HEIGHT + 2)} style={{ overflowY: 'auto' }} data-testid="usage-scroll">
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {items.map((vi) => {
                const row = rows[vi.index];
                return (
                  <Box
                    key={row?.id ?? 'more'}
                    role="row"
                    data-testid={row ? 'usage-row' : undefined}
                    px="sm"
                    style={{
                      position: 'absolute',
                      top: 0,
                      left: 0,
                      right: 0,
                      height: ROW_HEIGHT,
                      transform: `translateY(${vi.start}px)`,
                      display: 'grid',
                      gridTemplateColumns: COLUMNS,
                      gap: 12,
                      alignItems: 'center',
                      borderBottom: '1px solid var(--mantine-color-default-border)',
                    }}
                  >
                    {row ? (
                      <CallRow row={row} />
                    ) : (
                      <Text size="sm" c="dimmed">
                        Loading more…
                      </Text>
                    )}
                  </Box>
                );
              })}
            </div>
          </Box>
        )}
      </div>
    </Paper>
  );
}

export function UsagePanel() {
  const workspace = useWorkspaceStore((s) => s.current);
  const { summary, range, loading, error, load, setRange } = useUsageStore();

  useEffect(() => {
    if (workspace) void load(workspace);
  }, [workspace, load]);
  useEffect(() => bindUsageEvents(), []);

  if (!workspace) {
    return (
      <Alert variant="light" title="No workspace selected">
        Usage is recorded per workspace. Create or pick one in the header first.
      </Alert>
    );
  }

  const t = summary?.totals;
  const daily = (summary?.daily ?? []).map((d) => ({ day: shortDay(d.day), cost: d.costUsd, input: d.tokensIn, output: d.tokensOut, calls: d.calls }));
  const costScale = niceScale(Math.max(0, ...daily.map((d) => d.cost)));

  return (
    <Stack gap="lg">
      <SectionHeader
        title="Usage & Costs"
        description={`Every model call in workspace “${workspace}”, whatever its outcome, with its tokens and cost from the price table. Days are UTC.`}
        actions={
          <>
            <SegmentedControl value={range} onChange={(v) => void setRange(v as UsageRange)} data={RANGES} aria-label="Period" />
            <Tooltip label="Refresh">
              <ActionIcon variant="default" size="lg" aria-label="Refresh usage" onClick={() => void load(workspace)} loading={loading}>
                <IconRefresh size={16} />
              </ActionIcon>
            </Tooltip>
          </>
        }
      />
      {error && (
        <Alert color="red" variant="light" title="Could not load the usage">
          {error}
        </Alert>
      )}
      {!summary || !t ? (
        <SimpleGrid cols={{ base: 2, md: 4 }}>
          {[0, 1, 2, 3].map((i) => (
            <Skeleton key={i} h={96} />
          ))}
        </SimpleGrid>
      ) : (
        <>
          <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
            <StatCard testId="card-calls" label="Calls" value={t.calls.toLocaleString('en-US')} detail={`${t.ok.toLocaleString('en-US')} answered · ${t.cached} from cache · ${t.fallbacks} by fallback`} />
            <StatCard testId="card-tokens" label="Tokens" value={fmtTokens(t.tokensIn + t.tokensOut, true)} detail={`${fmtTokens(t.tokensIn, true)} in · ${fmtTokens(t.tokensOut, true)} out${t.cachedTokens ? ` · ${fmtTokens(t.cachedTokens, true)} cached` : ''}`} />
            <StatCard testId="card-cost" label="Cost" value={fmtUsd(t.costUsd)} detail={t.calls ? `${fmtUsd(t.costUsd / t.calls)} per call on average` : 'No calls yet'} />
            {/* Failed calls among those that went out: a cancelled call or a budget refusal is not an error (UI review U2). */}
            <StatCard testId="card-errors" label="Error rate" value={fmtPercent(t.errors, t.calls - t.cancelled - t.refused)} detail={`${t.errors} failed · ${t.cancelled} cancelled · ${t.refused} refused by budget · avg ${fmtMs(t.avgLatencyMs)}`} />
          </SimpleGrid>
          {summary.unpricedModels.length > 0 && (
            <Alert color="orange" variant="light" title="Some models have no price">
              {summary.unpricedModels.join(', ')} answered without a price in the table, so their calls were recorded at $0. Add them to the price table (prices set) to count their cost.
            </Alert>
          )}
          {t.calls === 0 ? (
            <Paper withBorder radius="md" py={40}>
              <EmptyState icon={<IconChartBar size={26} />} variant="light" title="No model calls in this period" description="Run an analysis, ask the copilot, or try a prompt in the Playground; every call shows up here with its cost." />
            </Paper>
          ) : (
            <>
              <Grid gap="md">
                <Grid.Col span={{ base: 12, md: 6 }}>
                  <Paper withBorder radius="md" p="md">
                    <Text fw={600} mb="sm">
                      Daily cost
                    </Text>
                    {/* A day's total is a bar, not a point on a smoothed curve (UI review U1); round-number ticks. */}
                    <BarChart
                      h={220}
                      data={daily}
                      dataKey="day"
                      series={[{ name: 'cost', label: 'Cost', color: 'indigo.6' }]}
                      valueFormatter={(v) => fmtUsd(v)}
                      maxBarWidth={28}
                      gridAxis="y"
                      yAxisProps={costScale}
                      data-testid="daily-cost-bars"
                    />
                  </Paper>
                </Grid.Col>
                <Grid.Col span={{ base: 12, md: 6 }}>
                  <Paper withBorder radius="md" p="md">
                    <Text fw={600} mb="sm">
                      Daily tokens
                    </Text>
                    <BarChart
                      h={220}
                      data={daily}
                      dataKey="day"
                      type="stacked"
                      series={[
                        { name: 'input', label: 'Input', color: 'teal.6' },
                        { name: 'output', label: 'Output', color: 'orange.5' },
                      ]}
                      valueFormatter={(v) => fmtTokens(v, true)}
                      withLegend
                      legendProps={{ verticalAlign: 'bottom', height: 30 }}
                      maxBarWidth={28}
                      gridAxis="y"
                    />
                  </Paper>
                </Grid.Col>
              </Grid>
              <Breakdown summary={summary} />
            </>
          )}
        </>
      )}
      <RecentCalls />
    </Stack>
  );
}
