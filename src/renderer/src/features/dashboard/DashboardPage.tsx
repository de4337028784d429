import { useEffect } from 'react';
import { Alert, Anchor, Badge, Button, Group, Loader, Menu, Paper, SimpleGrid, Stack, Text, Title, Tooltip, UnstyledButton } from '@mantine/core';
import { IconActivityHeartbeat, IconArrowRight, IconBrain, IconPlayerPlay } from '@tabler/icons-react';
import { Link, useNavigate } from 'react-router';
import { OPEN_STATUSES, SEVERITIES, type Severity } from '@shared/insights';
import { JobProgress } from '../../components/JobProgress';
import { useDashboardStore } from '../../stores/dashboardStore';
import type { InsightFilters } from '../../stores/insightsStore';
import { selectJob, useJobsStore } from '../../stores/jobsStore';
import { selectCurrentWorkspace, useWorkspaceStore } from '../../stores/workspaceStore';
import { fmtAgo } from '../configuration/shared/format';
import { SEVERITY_COLOR, SEVERITY_LABEL, domainLabel } from '../insights/format';
import { insightsLink } from '../insights/insightParams';
import { NoProviderAlert, useHasProvider } from '../insights/ProviderCheck';
import { CoachingPanel } from './CoachingPanel';
import { DetectorCards } from './DetectorCards';
import { KpiTiles } from '../analytics/KpiTiles';

/** Domain chips shown beside the severity tiles; the rest are one "+N more" menu away. */
const DOMAIN_CHIPS = 6;

function SeverityTile({ severity, count, onOpen }: { severity: Severity; count: number; onOpen: () => void }) {
  return (
    <UnstyledButton onClick={onOpen} aria-label={`${count} open ${SEVERITY_LABEL[severity].toLowerCase()} insights`} data-testid={`severity-${severity}`}>
      <Paper withBorder p="md" radius="md" style={{ borderLeft: `4px solid var(--mantine-color-${SEVERITY_COLOR[severity]}-6)` }}>
        <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
          {SEVERITY_LABEL[severity]}
        </Text>
        <Text fw={700} fz={28} lh={1.2}>
          {count.toLocaleString('en-US')}
        </Text>
      </Paper>
    </UnstyledButton>
  );
}

export function DashboardPage() {
  const workspace = useWorkspaceStore(selectCurrentWorkspace);
  const loaded = useWorkspaceStore((s) => s.loaded);
  const ready = workspace?.status === 'ready' ? workspace.name : null;
  const { summary, error, load, loadCoaching, runDetectors, detectorsJobId } = useDashboardStore();
  const detectorsJob = useJobsStore(selectJob(detectorsJobId));
  const detecting = detectorsJob?.status === 'queued' || detectorsJob?.status === 'running';
  const hasProvider = useHasProvider();
  const navigate = useNavigate();

  useEffect(() => {
    if (!ready) return;
    void load(ready);
    void loadCoaching(ready);
  }, [ready, load, loadCoaching]);

  /** Opens the insights browser filtered to what was clicked. */
  const openInsights = (patch: Partial<InsightFilters>): void => {
    // The filters travel in the address, so the filtered list survives a reload and can be shared.
    void navigate(insightsLink({ status: [...OPEN_STATUSES], ...patch }));
  };

  if (loaded && !workspace) {
    return (
      <Stack>
        <Title order={2}>Dashboard</Title>
        <Alert variant="light" title="Start with a workspace" icon={<IconBrain size={18} />}>
          The dashboard summarises what the AI personas and the anomaly detectors find in a workspace.{' '}
          <Anchor component={Link} to="/data?create=1">
            Create a demo workspace
          </Anchor>{' '}
          or import your data on the Data page.
        </Alert>
      </Stack>
    );
  }

  const noInsights = summary !== null && Object.values(summary.statusCounts).every((n) => n === 0);
  const domains = summary ? Object.entries(summary.domainCounts).sort((a, b) => b[1] - a[1]) : [];

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2}>Dashboard</Title>
          <Text c="dimmed" size="sm">
            {summary
              ? `${summary.openTotal.toLocaleString('en-US')} open insights · ${summary.last24h.toLocaleString('en-US')} new in the last 24 h · detectors ${summary.lastDetectorsRunAt ? `ran ${fmtAgo(summary.lastDetectorsRunAt)}` : 'not run yet'}`
              : workspace
                ? `Workspace “${workspace.name}”`
                : ''}
          </Text>
        </div>
        <Group gap="xs">
          <Button variant="default" leftSection={<IconActivityHeartbeat size={16} />} onClick={() => ready && void runDetectors(ready)} loading={detecting} disabled={!ready}>
            Detect anomalies
          </Button>
          <Button component={Link} to="/insights" rightSection={<IconArrowRight size={16} />}>
            All insights
          </Button>
        </Group>
      </Group>

      {ready && hasProvider === false && <NoProviderAlert />}
      {error && <Alert color="red">{error}</Alert>}
      {detectorsJob && (detecting || detectorsJob.status === 'failed') && <JobProgress job={detectorsJob} label="Anomaly and trend detection" unit="metrics" />}
      {ready && <KpiTiles workspace={ready} />}
      {!summary && ready && !error && <Loader />}

      {summary && noInsights && (
        <Alert variant="light" color="indigo" title="No insights yet" data-testid="dashboard-empty">
          <Stack gap="xs">
            <Text size="sm">
              Run a scan on the Insights page to let a persona (ticket analyst, customer success, …) read the records that most need attention, or detect anomalies and
              trends in the workspace metrics; that needs no model.
            </Text>
            <Group gap="xs">
              <Button size="xs" component={Link} to="/insights" leftSection={<IconPlayerPlay size={14} />}>
                Run scan
              </Button>
              <Button size="xs" variant="default" onClick={() => ready && void runDetectors(ready)} loading={detecting}>
                Detect anomalies
              </Button>
            </Group>
          </Stack>
        </Alert>
      )}

      {summary && (
        <>
          <Stack gap="xs">
            <Group justify="space-between">
              <Text fw={600}>Open insights by severity</Text>
              {domains.length > 0 && (
                <Group gap={6}>
                  {domains.slice(0, DOMAIN_CHIPS).map(([d, n]) => (
                    <Tooltip key={d} label={`Open insights in ${domainLabel(d)}`}>
                      <Badge variant="light" color="gray" tt="none" style={{ cursor: 'pointer' }} onClick={() => openInsights({ domain: [d] })} data-testid="domain-chip">
                        {domainLabel(d)} · {n.toLocaleString('en-US')}
                      </Badge>
                    </Tooltip>
                  ))}
                  {domains.length > DOMAIN_CHIPS && (
                    // Every domain stays reachable: the chips then add up to the open total.
                    <Menu position="bottom-end" withinPortal>
                      <Menu.Target>
                        <Badge variant="outline" color="gray" tt="none" style={{ cursor: 'pointer' }} component="button" data-testid="domain-more">
                          +{domains.length - DOMAIN_CHIPS} more
                        </Badge>
                      </Menu.Target>
                      <Menu.Dropdown>
                        {domains.slice(DOMAIN_CHIPS).map(([d, n]) => (
                          <Menu.Item key={d} onClick={() => openInsights({ domain: [d] })}>
                            {domainLabel(d)} · {n.toLocaleString('en-US')}
                          </Menu.Item>
                        ))}
                      </Menu.Dropdown>
                    </Menu>
                  )}
                </Group>
              )}
            </Group>
            <SimpleGrid cols={{ base: 2, sm: 5 }}>
              {[...SEVERITIES].reverse().map((s) => (
                <SeverityTile key={s} severity={s} count={summary.severityCounts[s] ?? 0} onOpen={() => openInsights({ severity: [s] })} />
              ))}
            </SimpleGrid>
          </Stack>
          <DetectorCards title="Anomalies" cards={summary.anomalies} kind="anomaly" ran={summary.lastDetectorsRunAt !== null} />
          <DetectorCards title="Trends" cards={summary.trends} kind="trend" ran={summary.lastDetectorsRunAt !== null} />
        </>
      )}
      {ready && <CoachingPanel workspace={ready} hasProvider={hasProvider} />}
    </Stack>
  );
}
