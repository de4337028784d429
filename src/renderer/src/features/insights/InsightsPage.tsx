import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Anchor, Button, Grid, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconBrain, IconPlayerPlay, IconRefresh, IconSparkles } from '@tabler/icons-react';
import { Link, useSearchParams } from 'react-router';
import type { Insight } from '@shared/insights';
import { JobProgress } from '../../components/JobProgress';
import { activeFilterCount, setShownWorkspace, useInsightsStore } from '../../stores/insightsStore';
import { selectJob, useJobsStore } from '../../stores/jobsStore';
import { selectCurrentWorkspace, useWorkspaceStore } from '../../stores/workspaceStore';
import { AnalyzeNowModal } from './AnalyzeNow';
import { InsightDetail } from './InsightDetail';
import { InsightFiltersBar } from './InsightFilters';
import { InsightList } from './InsightList';
import { NoProviderAlert, useHasProvider } from './ProviderCheck';
import { ScanDialog } from './ScanDialog';
import classes from './insights.module.css';

const PANE_HEIGHT = 'max(440px, calc(100vh - 270px))';

export function InsightsPage() {
  const workspace = useWorkspaceStore(selectCurrentWorkspace);
  const loaded = useWorkspaceStore((s) => s.loaded);
  const ready = workspace?.status === 'ready' ? workspace.name : null;
  const s = useInsightsStore();
  const { filters, setFilters, load, loadMore, loadPersonas } = s;
  const [debouncedSearch] = useDebouncedValue(filters.search, 250);
  const [params, setParams] = useSearchParams();
  const selectedId = params.get('id');
  const [analyzeOpen, setAnalyzeOpen] = useState(false);
  const [scanOpen, setScanOpen] = useState(false);
  const hasProvider = useHasProvider();
  const scanJob = useJobsStore(selectJob(s.scanJobId));
  const scanRunning = scanJob?.status === 'queued' || scanJob?.status === 'running';

  useEffect(() => {
    if (!s.personasLoaded) void loadPersonas();
  }, [s.personasLoaded, loadPersonas]);

  // Everything but the (debounced) search text triggers a reload at once.
  const { search: _search, ...rest } = filters;
  const filterKey = JSON.stringify(rest);
  // Filter changes start their own request (see setFilters); this covers the first visit (fresh data, hence
  // force), a workspace switch and the debounced search text.
  const visited = useRef(false);
  useEffect(() => {
    setShownWorkspace(ready);
    if (ready) void load(ready, debouncedSearch, !visited.current);
    if (ready) visited.current = true;
    return () => setShownWorkspace(null);
  }, [ready, filterKey, debouncedSearch, load]);

  const select = useCallback(
    (id: string | null) => {
      const next = new URLSearchParams(params);
      if (id) next.set('id', id);
      else next.delete('id');
      setParams(next, { replace: true });
    },
    [params, setParams],
  );
  const loadMoreCb = useCallback(() => void loadMore(), [loadMore]);
  const onChanged = useCallback((i: Insight) => useInsightsStore.getState().patchItems([i]), []);

  const filtered = activeFilterCount(filters) > 0 || Boolean(debouncedSearch.trim());
  const resetFilters = s.resetFilters;
  const empty = useMemo(
    () =>
      filtered ? (
    <Stack gap="xs" align="flex-start">
      <Text size="sm">No insights match these filters.</Text>
      <Button size="xs" variant="light" onClick={resetFilters}>
        Clear the filters
      </Button>
    </Stack>
  ) : (
    <Stack gap="xs" align="flex-start" data-testid="insights-empty">
      <Text fw={600}>No insights yet</Text>
      <Text size="sm" c="dimmed">
        Run a scan to let a persona read the records that most need attention, or analyze one record now. Anomaly and trend detection runs from the Dashboard.
      </Text>
      <Group gap="xs">
        <Button size="xs" leftSection={<IconPlayerPlay size={14} />} onClick={() => setScanOpen(true)}>
          Run scan
        </Button>
        <Button size="xs" variant="default" leftSection={<IconSparkles size={14} />} onClick={() => setAnalyzeOpen(true)}>
          Analyze now
        </Button>
      </Group>
    </Stack>
  ),
    [filtered, resetFilters],
  );

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2}>Insights</Title>
          <Text c="dimmed" size="sm" data-testid="insights-total">
            {!ready
              ? 'No workspace yet'
              : s.total === null
                ? 'Loading…'
                : `${s.total.toLocaleString('en-US')} ${s.total === 1 ? 'insight' : 'insights'}${filtered ? ' match' : ''}${s.items.length < s.total ? ` · ${s.items.length.toLocaleString('en-US')} loaded` : ''}`}
          </Text>
        </div>
        <Group gap="xs">
          {s.loading && <Loader size="xs" />}
          <Button variant="default" leftSection={<IconSparkles size={16} />} onClick={() => setAnalyzeOpen(true)} disabled={!ready}>
            Analyze now
          </Button>
          <Button leftSection={<IconPlayerPlay size={16} />} onClick={() => setScanOpen(true)} disabled={!ready}>
            Run scan
          </Button>
        </Group>
      </Group>

      {loaded && !workspace && (
        <Alert variant="light" title="Start with a workspace" icon={<IconBrain size={18} />}>
          Insights are found in a workspace’s data.{' '}
          <Anchor component={Link} to="/data">
            Create a demo workspace or import your data
          </Anchor>{' '}
          first.
        </Alert>
      )}
      {ready && hasProvider === false && <NoProviderAlert />}
      {scanJob && scanRunning && !scanOpen && (
        <JobProgress job={scanJob} label="Scan" unit="records" onCancel={() => void useJobsStore.getState().cancel(scanJob.jobId)} />
      )}
      {s.error && <Alert color="red">{s.error}</Alert>}

      {ready && (
        <>
          <InsightFiltersBar filters={filters} personas={s.personas} onChange={setFilters} onReset={s.resetFilters} />
          {s.stale && (
            <Alert variant="light" color="indigo" py={6}>
              <Group justify="space-between">
                <Text size="sm">New insights arrived.</Text>
                <Button size="xs" variant="subtle" leftSection={<IconRefresh size={14} />} onClick={() => void load(ready, debouncedSearch, true)}>
                  Refresh
                </Button>
              </Group>
            </Alert>
          )}
          <Grid gap="md">
            <Grid.Col span={{ base: 12, md: 5 }}>
              <InsightList
                items={s.items}
                total={s.total}
                loading={s.loading}
                selectedId={selectedId}
                onSelect={select}
                onLoadMore={loadMoreCb}
                height={PANE_HEIGHT}
                resetKey={s.queryKey}
                empty={empty}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 7 }}>
              <div className={classes.pane} style={{ height: PANE_HEIGHT }}>
                {selectedId ? (
                  <InsightDetail
                    key={selectedId}
                    workspace={ready}
                    id={selectedId}
                    version={s.version}
                    personas={s.personas}
                    onChanged={onChanged}
                  />
                ) : (
                  <Stack align="center" justify="center" h="100%" gap={4} p="lg">
                    <IconBrain size={32} stroke={1.4} style={{ opacity: 0.5 }} />
                    <Text c="dimmed" size="sm">
                      Select an insight to see its evidence, recommendations and cost.
                    </Text>
                  </Stack>
                )}
              </div>
            </Grid.Col>
          </Grid>
          <AnalyzeNowModal opened={analyzeOpen} onClose={() => setAnalyzeOpen(false)} workspace={ready} personas={s.personas} onOpen={(id) => select(id)} />
          <ScanDialog
            opened={scanOpen}
            onClose={() => setScanOpen(false)}
            workspace={ready}
            personas={s.personas}
            onShow={(p) => setFilters({ persona: [p], status: [], severity: [], domain: [], type: [] })}
          />
        </>
      )}
    </Stack>
  );
}
