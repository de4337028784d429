import { useEffect, useMemo, useRef } from 'react';
import { ActionIcon, Alert, Group, Menu, Paper, Stack, Table, Text, useComputedColorScheme } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCopy, IconDots, IconPhoto } from '@tabler/icons-react';
import { selectionAt, toEChartsOption } from '@shared/charts/echartsOption';
import { computeChange, DEFAULT_LOCALE, formatCell, formatValue } from '@shared/charts/format';
import { chartSpec, type ChartSelection, type ChartSpec, type ChartTheme, type KpiSpec, type TableSpec } from '@shared/charts/spec';
import { CHART_PALETTES } from '@shared/charts/theme';
import { APP_CHART_FONT, echarts, specToSvgString, svgToPngBlob } from './echarts';

export interface ChartProps {
  spec: ChartSpec;
  /** Drawing height in pixels (default 280; KPI tiles size to their content). */
  height?: number;
  /** A click on a bar, point or slice: the category (or period) and series, for drill-down. */
  onSelect?: (selection: ChartSelection) => void;
  /** Force a theme; by default the app's colour scheme. */
  theme?: ChartTheme;
  /** Show the Copy as PNG / SVG menu (default true). */
  actions?: boolean;
  /** Animate drawing and updates (default true; always off when the system asks for reduced motion). */
  animate?: boolean;
}

const reducedMotion = (): boolean => typeof window.matchMedia === 'function' && window.matchMedia('(prefers-reduced-motion: reduce)').matches;

const COPY_SIZE = { width: 960, height: 480 };

async function copySvg(spec: ChartSpec, theme: ChartTheme): Promise<void> {
  await navigator.clipboard.writeText(specToSvgString(spec, theme, COPY_SIZE.width, spec.kind === 'kpi' ? 160 : COPY_SIZE.height));
  notifications.show({ color: 'teal', message: `Copied “${spec.title}” as SVG.` });
}

async function copyPng(spec: ChartSpec, theme: ChartTheme): Promise<void> {
  const height = spec.kind === 'kpi' ? 160 : COPY_SIZE.height;
  if (typeof ClipboardItem === 'undefined' || !navigator.clipboard?.write) throw new Error('This window cannot put images on the clipboard; use Copy as SVG.');
  const blob = await svgToPngBlob(specToSvgString(spec, theme, COPY_SIZE.width, height), COPY_SIZE.width, height);
  await navigator.clipboard.write([new ClipboardItem({ 'image/png': blob })]);
  notifications.show({ color: 'teal', message: `Copied “${spec.title}” as an image.` });
}

function CopyMenu({ spec, theme }: { spec: ChartSpec; theme: ChartTheme }) {
  const run = (fn: () => Promise<void>): void => {
    fn().catch((e: unknown) => notifications.show({ color: 'red', title: 'Not copied', message: e instanceof Error ? e.message : String(e) }));
  };
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" size="sm" aria-label={`Chart actions for ${spec.title}`}>
          <IconDots size={16} />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item leftSection={<IconPhoto size={14} />} onClick={() => run(() => copyPng(spec, theme))}>
          Copy as PNG
        </Menu.Item>
        <Menu.Item leftSection={<IconCopy size={14} />} onClick={() => run(() => copySvg(spec, theme))}>
          Copy as SVG
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

function KpiTile({ spec, theme }: { spec: KpiSpec; theme: ChartTheme }) {
  const locale = spec.locale ?? DEFAULT_LOCALE;
  const change = computeChange(spec.value, spec.previous, spec.format, spec.betterWhen, locale);
  const p = CHART_PALETTES[theme];
  const color = change.tone === 'good' ? p.good : change.tone === 'bad' ? p.bad : p.neutral;
  return (
    <Stack gap={2} data-testid="chart-kpi">
      <Text fz={28} fw={600} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {formatValue(spec.value, spec.format, locale)}
      </Text>
      {change.direction !== 'none' && (
        <Text size="xs">
          <Text span fw={600} style={{ color }} data-tone={change.tone}>
            {change.text}
          </Text>{' '}
          <Text span c="dimmed" inherit>
            {spec.comparisonLabel ?? 'vs previous period'}
          </Text>
        </Text>
      )}
    </Stack>
  );
}

function ChartTable({ spec }: { spec: TableSpec }) {
  const locale = spec.locale ?? DEFAULT_LOCALE;
  const { columns, rows, totals } = spec.table;
  const align = (type: string): 'right' | 'left' => (type === 'number' ? 'right' : 'left');
  return (
    <Table.ScrollContainer minWidth={columns.length * 110} mah={420}>
      <Table striped stickyHeader fz="sm" style={{ fontVariantNumeric: 'tabular-nums' }}>
        <Table.Thead>
          <Table.Tr>
            {columns.map((c) => (
              <Table.Th key={c.key} style={{ textAlign: align(c.type) }}>
                {c.label}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={columns.length}>
                <Text size="sm" c="dimmed">
                  No rows for these parameters.
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
          {rows.map((row, i) => (
            <Table.Tr key={i}>
              {columns.map((c) => (
                <Table.Td key={c.key} style={{ textAlign: align(c.type) }}>
                  {formatCell(row[c.key] ?? null, c, locale)}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
          {totals && (
            <Table.Tr fw={600}>
              {columns.map((c, i) => (
                <Table.Td key={c.key} style={{ textAlign: align(c.type) }}>
                  {totals[c.key] === undefined ? (i === 0 ? 'Total' : '') : formatCell(totals[c.key] ?? null, c, locale)}
                </Table.Td>
              ))}
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** Line, bar, stacked-bar and pie charts: an ECharts instance (SVG renderer) driven by the shared option builder. */
function EChart({ spec, theme, height, onSelect, animate }: { spec: ChartSpec; theme: ChartTheme; height: number; onSelect?: ((s: ChartSelection) => void) | undefined; animate: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  const selectRef = useRef(onSelect);
  useEffect(() => {
    selectRef.current = onSelect;
  }, [onSelect]);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = echarts.init(el, null, { renderer: 'svg', width: el.clientWidth || 600, height });
    chart.setOption(toEChartsOption(spec, { theme, fontFamily: APP_CHART_FONT, withTitle: false, animation: animate && !reducedMotion(), background: false, interactive: true }));
    chart.on('click', (params) => {
      const selection = selectionAt(spec, params.seriesIndex ?? 0, params.dataIndex ?? -1);
      if (selection) selectRef.current?.(selection);
    });
    const observer = new ResizeObserver(() => chart.resize({ width: el.clientWidth || undefined, height }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      chart.dispose();
    };
  }, [spec, theme, height, animate]);

  return <div ref={ref} style={{ width: '100%', height, cursor: onSelect ? 'pointer' : undefined }} data-testid="chart-canvas" data-theme={theme} />;
}

/**
 * One chart from a ChartSpec, the same spec the PDF renderer draws: KPI tile, line, bar, stacked bar, pie or table,
 * in the app's light or dark theme, with drill-down clicks and Copy as PNG / SVG.
 */
export function Chart({ spec, height = 280, onSelect, theme, actions = true, animate = true }: ChartProps) {
  const scheme = useComputedColorScheme('light');
  const resolved: ChartTheme = theme ?? (scheme === 'dark' ? 'dark' : 'light');
  // Specs arrive from query results and templates; a malformed one is shown as a problem, not a blank box.
  const problem = useMemo(() => {
    const r = chartSpec.safeParse(spec);
    return r.success ? null : (r.error.issues[0]?.message ?? 'The chart spec is not valid.');
  }, [spec]);

  return (
    <Paper withBorder p="md" radius="md" data-testid="chart" data-kind={spec.kind} aria-label={spec.title} role="figure">
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <div style={{ minWidth: 0 }}>
            <Text fw={600} size={spec.kind === 'kpi' ? 'sm' : 'md'} c={spec.kind === 'kpi' ? 'dimmed' : undefined} truncate="end">
              {spec.title}
            </Text>
            {spec.subtitle && (
              <Text size="xs" c="dimmed">
                {spec.subtitle}
              </Text>
            )}
          </div>
          {actions && !problem && <CopyMenu spec={spec} theme={resolved} />}
        </Group>
        {problem ? (
          <Alert color="red" variant="light" title="This chart cannot be drawn">
            {problem}
          </Alert>
        ) : spec.kind === 'kpi' ? (
          <KpiTile spec={spec} theme={resolved} />
        ) : spec.kind === 'table' ? (
          <ChartTable spec={spec} />
        ) : (
          <EChart spec={spec} theme={resolved} height={height} onSelect={onSelect} animate={animate} />
        )}
      </Stack>
    </Paper>
  );
}
