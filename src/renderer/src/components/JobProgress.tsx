import { Button, Group, Progress, Stack, Text } from '@mantine/core';
import type { JobInfo } from '@shared/contract';

const fmtEta = (ms: number | null): string => {
  if (ms === null || ms <= 0) return '';
  const s = Math.ceil(ms / 1000);
  return s >= 60 ? `about ${Math.ceil(s / 60)} min left` : `about ${s} s left`;
};

const fmtRate = (r: number | null, unit: string): string => (r === null ? '' : `${r >= 1000 ? `${(r / 1000).toFixed(1)}k` : r.toFixed(0)} ${unit}/s`);

/** A job's progress bar with phase, rate, ETA and a cancel button while it runs. */
export function JobProgress({ job, onCancel, unit = 'items', label, formatRate }: { job: JobInfo | undefined; onCancel?: () => void; unit?: string; label?: string; formatRate?: (perSec: number) => string }) {
  if (!job) return null;
  const running = job.status === 'queued' || job.status === 'running';
  // A finished job's last progress report may predate its final step: completed always shows a full bar.
  const pct = job.status === 'completed' ? 100 : job.total ? Math.min(100, (job.done / job.total) * 100) : 100;
  const color = job.status === 'failed' || job.status === 'interrupted' ? 'red' : job.status === 'cancelled' ? 'gray' : job.status === 'completed' ? 'teal' : 'indigo';
  return (
    <Stack gap={4} data-testid="job-progress" data-status={job.status}>
      <Group justify="space-between">
        <Text size="sm" fw={500}>
          {label ?? job.kind}: {job.status === 'running' ? job.phase : job.status}
          {job.message ? ` — ${job.message}` : ''}
        </Text>
        <Text size="xs" c="dimmed">
          {running ? [job.total ? `${Math.floor(pct)}%` : '', job.ratePerSec !== null && formatRate ? formatRate(job.ratePerSec) : fmtRate(job.ratePerSec, unit), fmtEta(job.etaMs)].filter(Boolean).join(' · ') : ''}
        </Text>
      </Group>
      <Progress
        value={pct}
        color={color}
        striped={running}
        animated={running && !job.total}
        aria-label={`${label ?? job.kind} progress`}
        transitionDuration={200}
      />
      {job.error && (
        <Text size="sm" c="red">
          {job.error.message}
        </Text>
      )}
      {running && onCancel && (
        <Group justify="flex-end">
          <Button size="xs" variant="default" onClick={onCancel}>
            Cancel
          </Button>
        </Group>
      )}
    </Stack>
  );
}
