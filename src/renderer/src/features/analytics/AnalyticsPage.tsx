import { useEffect, useState } from 'react';
import { Alert, Anchor, Badge, Button, Chip, CloseButton, Group, Loader, Paper, Select, Stack, Switch, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDownload, IconHistory, IconSearch, IconTrash } from '@tabler/icons-react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ANALYTICS_GRAINS, querySpec, TIME_PRESETS, type QuerySpec, type TimePreset } from '@shared/analytics/spec';
import { PRESET_LABELS } from '@shared/analytics/timeRange';
import type { ChartSelection, TableSpec } from '@shared/charts/spec';
import { call, errorMessage } from '../../api/client';
import { Chart } from '../../components/charts/Chart';
import { useAnalyticsStore } from '../../stores/analyticsStore';
import { selectCurrentWorkspace, useWorkspaceStore } from '../../stores/workspaceStore';
import { downloadText, resultToCsv } from './csv';

export const EXAMPLE_QUESTIONS = ['win rate by owner last quarter', 'open tickets by priority', 'ticket volume by week last 90 days', 'pipeline value by stage', 'CSAT last 30 days compared with the previous period', 'campaign spend by channel this year'];

/** A spec in the address (?spec=…), so the Dashboard tiles and shared links open an answer without asking again. */
function specFromParam(value: string | null): QuerySpec | null {
  if (!value) return null;
  try {
    const parsed = querySpec.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * The Analytics page: ask in plain language (or pick an example), read the chart, table and summary, then refine the
 * spec with its chips (grain, period, comparison, breakdown, filters), which re-runs the query without asking again.
 */
export function AnalyticsPage() {
  const workspace = useWorkspaceStore(selectCurrentWorkspace);
  const ready = workspace?.status === 'ready' ? workspace.name : null;
  const { catalog, answer, history, busy, error, loadCatalog, ask, run, loadHistory, clearHistory } = useAnalyticsStore();
  const [question, setQuestion] = useState('');
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();

  useEffect(() => {
    void loadCatalog();
  }, [loadCatalog]);
  useEffect(() => {
    if (!ready) return;
    void loadHistory(ready);
    const spec = specFromParam(params.get('spec'));
    if (spec) {
      void run(ready, spec, params.get('q'));
      setParams({}, { replace: true });
    }
    // Only when the workspace changes or a link brings a spec.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ready, params.get('spec')]);

  if (!workspace) {
    return (
      <Stack>
        <Title order={2}>Analytics</Title>
        <Alert variant="light">
          Pick or{' '}
          <Anchor component={Link} to="/data?create=1">
            create a workspace
          </Anchor>{' '}
          to ask questions about its data.
        </Alert>
      </Stack>
    );
  }

  const submit = (q: string): void => {
    const text = q.trim();
    if (!ready || text.length < 3) return;
    setQuestion(text);
    void ask(ready, text);
  };
  const rerun = (patch: Partial<QuerySpec>): void => {
    if (!ready || !answer) return;
    void run(ready, { ...answer.spec, ...patch });
  };

  const drill = (sel: ChartSelection): void => {
    if (!answer || !catalog) return;
    const m = catalog.measures.find((x) => x.name === answer.spec.measures[0]);
    if (!m) return;
    const dim = answer.spec.dimensions[0];
    const target = dim ? m.drill[dim] : undefined;
    if (!target || sel.category === '(none)') {
      void navigate(`/data?table=${encodeURIComponent(m.entity)}`);
      return;
    }
    call('data.lookup', { workspace: workspace.name, entity: target.entity, query: sel.category, limit: 5 })
      .then((r) => {
        const hit = r.matches.find((x) => x.title === sel.category) ?? r.matches[0];
        void navigate(hit ? `/data?table=${encodeURIComponent(m.entity)}&ref=${encodeURIComponent(`${target.column}:${hit.id}`)}` : `/data?table=${encodeURIComponent(m.entity)}`);
      })
      .catch((e: unknown) => notifications.show({ color: 'red', title: 'Could not open the records', message: errorMessage(e) }));
  };

  const exportCsv = (): void => {
    if (!answer) return;
    const name = `${answer.spec.measures.join('-')}${answer.spec.dimensions.length ? `-by-${answer.spec.dimensions.join('-')}` : ''}${answer.spec.grain ? `-${answer.spec.grain}` : ''}.csv`;
    downloadText(name, resultToCsv(answer.result));
  };

  const preset = answer && 'preset' in answer.spec.timeRange ? answer.spec.timeRange.preset : null;
  const table: TableSpec | null = answer
    ? {
        kind: 'table',
        title: 'Result',
        table: {
          columns: answer.result.columns.map(({ key, label, type, format }) => ({ key, label, type, ...(format ? { format } : {}) })),
          rows: answer.result.rows,
          totals: { ...answer.result.totals, ...(answer.result.columns[0] && answer.result.columns[0].role !== 'measure' ? { [answer.result.columns[0].key]: 'Total' } : {}) },
        },
      }
    : null;

  return (
    <Stack gap="md">
      <Title order={2}>Analytics</Title>
      <Paper withBorder p="md" radius="md">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            submit(question);
          }}
        >
          <Group align="flex-end" wrap="nowrap">
            <TextInput
              style={{ flex: 1 }}
              label="Ask about your data"
              placeholder="e.g. win rate by owner last quarter"
              value={question}
              onChange={(e) => setQuestion(e.currentTarget.value)}
              leftSection={<IconSearch size={16} />}
              data-testid="analytics-question"
              aria-label="Question"
            />
            <Button type="submit" loading={busy} disabled={!ready || question.trim().length < 3} data-testid="analytics-ask">
              Ask
            </Button>
          </Group>
        </form>
        <Group gap={6} mt="sm">
          <Text size="xs" c="dimmed">
            Try:
          </Text>
          {EXAMPLE_QUESTIONS.map((q) => (
            <Badge key={q} variant="light" style={{ cursor: 'pointer', textTransform: 'none' }} onClick={() => submit(q)} role="button" aria-label={`Ask: ${q}`}>
              {q}
            </Badge>
          ))}
        </Group>
      </Paper>

      {error && (
        <Alert color="red" variant="light" title="No answer" withCloseButton onClose={() => useAnalyticsStore.setState({ error: null })}>
          {error}
        </Alert>
      )}

      <Group align="flex-start" wrap="nowrap" gap="md">
        <Stack style={{ flex: 1, minWidth: 0 }} gap="md">
          {busy && !answer && <Loader size="sm" />}
          {answer && (
            <>
              <Paper withBorder p="md" radius="md" data-testid="analytics-answer">
                <Stack gap="xs">
                  {answer.question && (
                    <Text fw={600} data-testid="analytics-answer-question">
                      {answer.question}
                    </Text>
                  )}
                  <Text data-testid="analytics-summary">{answer.summary}</Text>
                  <Text size="xs" c="dimmed">
                    {answer.method === 'model' ? 'Read by the model' : answer.method === 'patterns' ? `Read by the built-in patterns (${answer.pattern ?? ''})` : 'From the edited spec'} · {answer.result.timing.sqlMs.toFixed(0)} ms in the database
                  </Text>
                  {answer.warnings.map((w) => (
                    <Text key={w} size="xs" c="orange">
                      {w}
                    </Text>
                  ))}
                  <SpecChips spec={answer.spec} catalogLabels={Object.fromEntries((catalog?.measures ?? []).map((m) => [m.name, m.label]))} dimensionLabels={Object.fromEntries((catalog?.dimensions ?? []).map((d) => [d.name, d.label]))} onChange={rerun} preset={preset} busy={busy} />
                </Stack>
              </Paper>
              <Paper withBorder p="md" radius="md" data-testid="analytics-chart" data-kind={answer.chart.kind}>
                <Chart spec={answer.chart} height={340} onSelect={drill} />
              </Paper>
              {table && answer.chart.kind !== 'table' && (
                <Paper withBorder p="md" radius="md" data-testid="analytics-table">
                  <Group justify="space-between" mb="xs">
                    <Text fw={600}>Table</Text>
                    <Button size="xs" variant="light" leftSection={<IconDownload size={14} />} onClick={exportCsv} data-testid="analytics-export-csv">
                      Export CSV
                    </Button>
                  </Group>
                  <Chart spec={table} actions={false} />
                </Paper>
              )}
              {answer.chart.kind === 'table' && (
                <Button size="xs" variant="light" leftSection={<IconDownload size={14} />} onClick={exportCsv} data-testid="analytics-export-csv" style={{ alignSelf: 'flex-start' }}>
                  Export CSV
                </Button>
              )}
            </>
          )}
          {!answer && !busy && (
            <Text c="dimmed" size="sm">
              Ask a question or pick an example. Answers come from the metrics catalog ({catalog?.measures.length ?? '…'} measures); nothing is computed by the model.
            </Text>
          )}
        </Stack>
        <Paper withBorder p="sm" radius="md" w={260} style={{ flexShrink: 0 }} data-testid="analytics-history">
          <Group justify="space-between" mb="xs">
            <Group gap={4}>
              <IconHistory size={14} />
              <Text size="sm" fw={600}>
                Your questions
              </Text>
            </Group>
            {history.length > 0 && ready && (
              <Tooltip label="Forget these questions">
                <CloseButton size="sm" icon={<IconTrash size={14} />} aria-label="Clear question history" onClick={() => void clearHistory(ready)} />
              </Tooltip>
            )}
          </Group>
          <Stack gap={4}>
            {history.length === 0 && (
              <Text size="xs" c="dimmed">
                None yet.
              </Text>
            )}
            {history.map((h) => (
              <Anchor key={h.id} size="sm" component="button" type="button" ta="left" onClick={() => ready && void run(ready, h.spec, h.question)}>
                {h.question}
              </Anchor>
            ))}
          </Stack>
        </Paper>
      </Group>
    </Stack>
  );
}

const GRAIN_OPTIONS = [{ value: 'none', label: 'No time grain' }, ...ANALYTICS_GRAINS.map((g) => ({ value: g, label: `By ${g}` }))];
const PRESET_OPTIONS = TIME_PRESETS.map((p) => ({ value: p, label: PRESET_LABELS[p] }));

function SpecChips({ spec, catalogLabels, dimensionLabels, onChange, preset, busy }: { spec: QuerySpec; catalogLabels: Record<string, string>; dimensionLabels: Record<string, string>; onChange: (patch: Partial<QuerySpec>) => void; preset: TimePreset | null; busy: boolean }) {
  return (
    <Group gap="xs" data-testid="analytics-spec">
      {spec.measures.map((m) => (
        <Chip key={m} checked size="xs" variant="light" readOnly>
          {catalogLabels[m] ?? m}
        </Chip>
      ))}
      {spec.dimensions.map((d) => (
        <Badge key={d} variant="outline" rightSection={<CloseButton size="xs" aria-label={`Remove breakdown by ${d}`} onClick={() => onChange({ dimensions: spec.dimensions.filter((x) => x !== d), sort: undefined })} />}>
          by {dimensionLabels[d] ?? d}
        </Badge>
      ))}
      {spec.filters.map((f, i) => (
        <Badge key={`${f.field}-${i}`} variant="outline" color="grape" rightSection={<CloseButton size="xs" aria-label={`Remove filter on ${f.field}`} onClick={() => onChange({ filters: spec.filters.filter((_, j) => j !== i) })} />}>
          {dimensionLabels[f.field] ?? f.field} {f.op} {f.values.join(', ')}
        </Badge>
      ))}
      <Select
        size="xs"
        w={150}
        aria-label="Time grain"
        data-testid="analytics-grain"
        data={GRAIN_OPTIONS}
        value={spec.grain ?? 'none'}
        allowDeselect={false}
        disabled={busy}
        onChange={(v) => onChange({ grain: v && v !== 'none' ? (v as QuerySpec['grain']) : undefined, sort: undefined })}
      />
      <Select
        size="xs"
        w={160}
        aria-label="Period"
        data-testid="analytics-period"
        data={preset ? PRESET_OPTIONS : [{ value: 'custom', label: 'Custom range' }, ...PRESET_OPTIONS]}
        value={preset ?? 'custom'}
        allowDeselect={false}
        disabled={busy}
        onChange={(v) => v && v !== 'custom' && onChange({ timeRange: { preset: v as TimePreset }, ...(v === 'all_time' ? { compare: false } : {}) })}
      />
      <Switch size="xs" label="vs previous period" checked={spec.compare} disabled={busy || preset === 'all_time'} onChange={(e) => onChange({ compare: e.currentTarget.checked })} />
    </Group>
  );
}
