import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Anchor, Button, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconBrain, IconPlayerPlay, IconRefresh, IconSparkles } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { Insight } from '@shared/insights';
import { JobProgress } from '../../components/JobProgress';
import { useParamsUpdate } from '../../components/useParamsUpdate';
import { activeFilterCount, DEFAULT_FILTERS, setShownWorkspace, useInsightsStore, type InsightFilters } from '../../stores/insightsStore';
import { selectJob, useJobsStore } from '../../stores/jobsStore';
import { selectCurrentWorkspace, useWorkspaceStore } from '../../stores/workspaceStore';
import { AnalyzeNowModal } from './AnalyzeNow';
import { InsightDetail } from './InsightDetail';
import { InsightFiltersBar } from './InsightFilters';
import { InsightList } from './InsightList';
import { NoProviderAlert, useHasProvider } from './ProviderCheck';
import { readInsightParams, withInsightFilters } from './insightParams';
import { ScanDialog } from './ScanDialog';
import classes from './insights.module.css';

const PANE_HEIGHT = '100%';

/** Makes `target` hold exactly the entries of `source`. */
function replaceAll(target: URLSearchParams, source: URLSearchParams): void {
  for (const k of [...target.keys()]) target.delete(k);
  for (const [k, v] of source) target.append(k, v);
}

export function InsightsPage() {
  const workspace = useWorkspaceStore(selectCurrentWorkspace);
  const loaded = useWorkspaceStore((s) => s.loaded);
  const ready = workspace?.status === 'ready' ? workspace.name : null;
  const s = useInsightsStore();
  const { setFilters, load, loadMore, loadPersonas } = s;
  const [params, updateParams] = useParamsUpdate();
  // The address is the truth for the filters (reload, Back and shared links keep them); the store follows it.
  const urlKey = params.toString();
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `urlKey` stands for `params`
  const filters = useMemo(() => readInsightParams(params), [urlKey]);
  const [debouncedSearch] = useDebouncedValue(filters.search, 250);
  const selectedId = params.get('id');
  const [analyzeOpen, setAnalyzeOpen] = useState(false);
  const [scanOpen, setScanOpen] = useState(false);
  const detailRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (JSON.stringify(useInsightsStore.getState().filters) !== JSON.stringify(filters)) setFilters(filters);
  }, [filters, setFilters]);

  const changeFilters = useCallback(
    (patch: Partial<InsightFilters>) => {
      const merged = { ...filters, ...patch };
      // The store first, so the request leaves before React re-renders for the new address (the address then
      // agrees with the store and asks for nothing more).
      setFilters(merged);
      // Typing in the search box replaces the entry; every other change is a step Back can undo.
      updateParams((next) => replaceAll(next, withInsightFilters(next, merged)), { replace: Object.keys(patch).every((k) => k === 'search') });
    },
    [filters, setFilters, updateParams],
  );
  const resetFilters = useCallback(() => updateParams((next) => replaceAll(next, withInsightFilters(next, { ...DEFAULT_FILTERS, sort: filters.sort }))), [filters.sort, updateParams]);

  // The palette and other pages open the dialogs with ?scan=1 or ?analyze=1; closing takes the flag out again.
  const scanOpened = scanOpen || params.get('scan') === '1';
  const analyzeOpened = analyzeOpen || params.get('analyze') === '1';
  const closeIntent = (flag: 'scan' | 'analyze'): void => {
    if (flag === 'scan') setScanOpen(false);
    else setAnalyzeOpen(false);
    if (params.has(flag)) updateParams((next) => next.delete(flag), { replace: true });
  };
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
    (id: string | null) =>
      updateParams(
        (next) => {
          if (id) next.set('id', id);
          else next.delete('id');
        },
        { replace: true },
      ),
    [updateParams],
  );

  // A filter change must not leave the pane on an insight the new list excludes. The first answer is exempt, so a
  // link to one insight (?id=…) keeps it open even when it is not on the first page.
  const checkedKey = useRef<string | null>(null);
  useEffect(() => {
    if (s.loading || s.total === null || !s.queryKey || s.queryKey === checkedKey.current) return;
    const first = checkedKey.current === null;
    checkedKey.current = s.queryKey;
    if (!first && selectedId && !s.items.some((i) => i.id === selectedId)) select(null);
  }, [s.loading, s.total, s.queryKey, s.items, selectedId, select]);
  const loadMoreCb = useCallback(() => void loadMore(), [loadMore]);
  const onChanged = useCallback((i: Insight) => useInsightsStore.getState().patchItems([i]), []);
  const onDeleted = useCallback(
    (id: string) => {
      useInsightsStore.setState((st) => ({ items: st.items.filter((x) => x.id !== id), total: st.total === null ? null : Math.max(0, st.total - 1) }));
      select(null);
    },
    [select],
  );

  const filtered = activeFilterCount(filters) > 0 || Boolean(debouncedSearch.trim());
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
    <div className={ready ? classes.page : undefined}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div>
          <Title order={2}>Insights</Title>
          <Text c="dimmed" size="sm" data-testid="insights-total">
            {!ready
              ? 'No workspace yet'
              : s.total === null
                ? 'Loading…'
                : `${s.total.toLocaleString('en-US')} ${s.total === 1 ? 'insight' : 'insights'}${filtered ? ' match' : ''}${filters.status.length === 0 && !filters.showClosed ? ' · dismissed and expired hidden' : ''}`}
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
      {scanJob && scanRunning && !scanOpened && (
        <JobProgress job={scanJob} label="Scan" unit="records" onCancel={() => void useJobsStore.getState().cancel(scanJob.jobId)} />
      )}
      {s.error && <Alert color="red">{s.error}</Alert>}

      {ready && (
        <>
          <InsightFiltersBar filters={filters} personas={s.personas} onChange={changeFilters} onReset={resetFilters} />
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
          <div className={classes.panes}>
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
              onEnter={() => detailRef.current?.focus()}
            />
            <div className={classes.pane} style={{ height: PANE_HEIGHT }} ref={detailRef} tabIndex={-1} aria-label="Insight detail">
              {selectedId ? (
                <InsightDetail key={selectedId} workspace={ready} id={selectedId} version={s.version} personas={s.personas} onChanged={onChanged} onOpen={select} onDeleted={onDeleted} />
              ) : (
                <Stack align="center" justify="center" h="100%" gap={4} p="lg">
                  <IconBrain size={32} stroke={1.4} style={{ opacity: 0.5 }} />
                  <Text c="dimmed" size="sm">
                    Select an insight to see its evidence, recommendations and cost.
                  </Text>
                  <Text c="dimmed" size="xs">
                    ↑ ↓ or j k move through the list.
                  </Text>
                </Stack>
              )}
            </div>
          </div>
          <AnalyzeNowModal opened={analyzeOpened} onClose={() => closeIntent('analyze')} workspace={ready} personas={s.personas} onOpen={(id) => select(id)} />
          <ScanDialog
            opened={scanOpened}
            onClose={() => closeIntent('scan')}
            workspace={ready}
            personas={s.personas}
            onShow={(p) => changeFilters({ persona: [p], status: [], severity: [], domain: [], type: [] })}
          />
        </>
      )}
    </div>
  );
}
