import { Alert, Badge, Button, Group, List, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconRefresh, IconSchool } from '@tabler/icons-react';
import { COACHING_PRIORITIES, type CoachingInsight } from '@shared/contract';
import { JobProgress } from '../../components/JobProgress';
import { useDashboardStore } from '../../stores/dashboardStore';
import { selectJob, useJobsStore } from '../../stores/jobsStore';
import { fmtAgo, fmtUsd } from '../configuration/shared/format';

const PRIORITY_COLOR: Record<CoachingInsight['priority'], string> = { critical: 'red', high: 'orange', medium: 'yellow', low: 'blue' };
const CATEGORY_COLOR: Record<CoachingInsight['category'], string> = { strategy: 'grape', operations: 'cyan', finance: 'teal', marketing: 'pink', leadership: 'indigo' };
const rank = (p: CoachingInsight['priority']): number => COACHING_PRIORITIES.indexOf(p);

function CoachingCard({ c }: { c: CoachingInsight }) {
  return (
    <Paper withBorder p="md" radius="md" data-testid="coaching-card">
      <Stack gap={6}>
        <Group gap={6}>
          <Badge size="xs" color={PRIORITY_COLOR[c.priority]}>
            {c.priority}
          </Badge>
          <Badge size="xs" variant="light" color={CATEGORY_COLOR[c.category]}>
            {c.category}
          </Badge>
        </Group>
        <Text fw={600} size="sm">
          {c.title}
        </Text>
        <Text size="sm" c="dimmed">
          {c.description}
        </Text>
        {c.suggestedActions.length > 0 && (
          <List size="sm" spacing={2}>
            {c.suggestedActions.map((a) => (
              <List.Item key={a}>{a}</List.Item>
            ))}
          </List>
        )}
        {c.metrics.length > 0 && (
          <Group gap={4}>
            {c.metrics.map((m) => (
              <Badge key={m.name} size="sm" variant="outline" color="gray" tt="none">
                {m.name}: {m.value}
              </Badge>
            ))}
          </Group>
        )}
      </Stack>
    </Paper>
  );
}

/** The workspace coaching report: cached for a day, refreshed on demand (one model call) with progress. */
export function CoachingPanel({ workspace, hasProvider }: { workspace: string; hasProvider: boolean | null }) {
  const { coaching, coachingError, coachingJobId, refreshCoaching } = useDashboardStore();
  const job = useJobsStore(selectJob(coachingJobId));
  const running = job?.status === 'queued' || job?.status === 'running';
  const report = coaching?.report ?? null;
  const sorted = report ? [...report.insights].sort((a, b) => rank(b.priority) - rank(a.priority)) : [];

  return (
    <Stack gap="xs" data-testid="coaching">
      <Group justify="space-between">
        <Group gap={6}>
          <IconSchool size={18} />
          <Text fw={600}>Coaching</Text>
          {report && (
            <Text size="xs" c="dimmed">
              generated {fmtAgo(report.createdAt)}
              {report.model ? ` by ${report.model}` : ''}
              {report.costUsd > 0 ? ` · ${fmtUsd(report.costUsd)}` : ''}
            </Text>
          )}
          {report?.fallbackUsed && (
            <Badge size="xs" color="orange">
              Fallback
            </Badge>
          )}
          {coaching?.stale && report && (
            <Badge size="xs" color="yellow" variant="light">
              older than a day
            </Badge>
          )}
        </Group>
        <Button size="xs" variant="default" leftSection={<IconRefresh size={14} />} onClick={() => void refreshCoaching(workspace)} loading={running} disabled={hasProvider === false}>
          {report ? 'Refresh' : 'Generate'}
        </Button>
      </Group>
      {job && (running || job.status === 'failed' || job.status === 'cancelled') && (
        <JobProgress job={job} label="Coaching report" onCancel={() => void useJobsStore.getState().cancel(job.jobId)} />
      )}
      {coachingError && <Alert color="red">{coachingError}</Alert>}
      {report && report.missingSources.length > 0 && (
        <Alert color="yellow" variant="light" title="Built from partial data">
          {report.missingSources.map((m) => `${m.source}: ${m.reason}`).join(' · ')}
        </Alert>
      )}
      {coaching && !report && !running && (
        <Paper withBorder p="md" radius="md">
          <Text size="sm" c="dimmed">
            {hasProvider === false
              ? 'Coaching needs a model provider: add one under Configuration → Providers, then generate the report here.'
              : 'No coaching report yet. Generate one: a model reads the workspace’s KPIs, goals and recent activity and suggests 5–10 priorities across strategy, operations, finance, marketing and leadership.'}
          </Text>
        </Paper>
      )}
      {report && (
        <>
          <Group gap={6}>
            {COACHING_PRIORITIES.slice()
              .reverse()
              .filter((p) => (report.summary.byPriority[p] ?? 0) > 0)
              .map((p) => (
                <Badge key={p} color={PRIORITY_COLOR[p]} variant="light">
                  {report.summary.byPriority[p]} {p}
                </Badge>
              ))}
          </Group>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            {sorted.map((c, n) => (
              <CoachingCard key={`${c.title}-${n}`} c={c} />
            ))}
          </SimpleGrid>
        </>
      )}
    </Stack>
  );
}
