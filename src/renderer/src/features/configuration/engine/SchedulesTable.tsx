import { ActionIcon, Alert, Badge, Button, Code, Group, List, Loader, Paper, Skeleton, Stack, Switch, Table, Text, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlayerPlay, IconRefresh } from '@tabler/icons-react';
import type { ScheduleInfo } from '@shared/contract';
import { errorMessage } from '../../../api/client';
import { useEngineStore, type RunDueResult } from '../../../stores/engineStore';
import { fmtAgo, fmtDateTime } from '../shared/format';
import { fmtUntil } from './time';

export const KIND_LABELS: Record<ScheduleInfo['kind'], { label: string; description: string }> = {
  persona_scan: { label: 'Persona scan', description: 'Runs one persona over the records it covers, skipping those unchanged since their last insight' },
  expiry_sweep: { label: 'Expiry sweep', description: 'Marks insights past their TTL as expired' },
  coaching_refresh: { label: 'Coaching refresh', description: 'Regenerates the workspace’s coaching insights' },
  detectors: { label: 'Anomaly & trend detection', description: 'Scans workspace metrics for anomalies and trends (no model needed)' },
  workspace_backup: { label: 'Daily backup', description: 'A verified copy of the workspace in the backup folder, keeping the last few (off until switched on)' },
};

const STATUS_COLOR: Record<string, string> = { completed: 'teal', failed: 'red', cancelled: 'gray', skipped: 'yellow', interrupted: 'orange' };

function LastRun({ s }: { s: ScheduleInfo }) {
  if (!s.lastRunAt && !s.lastStatus) {
    return (
      <Text size="sm" c="dimmed">
        Not run yet
      </Text>
    );
  }
  return (
    <Stack gap={2}>
      <Group gap={6} wrap="nowrap">
        {s.lastStatus && (
          <Badge size="sm" variant="light" color={STATUS_COLOR[s.lastStatus] ?? 'gray'}>
            {s.lastStatus}
          </Badge>
        )}
        <Tooltip label={fmtDateTime(s.lastRunAt)} disabled={!s.lastRunAt}>
          <Text size="xs" c="dimmed">
            {fmtAgo(s.lastRunAt)}
          </Text>
        </Tooltip>
      </Group>
      {s.lastError && (
        <Tooltip label={s.lastError} multiline w={360}>
          <Text size="xs" c={s.lastStatus === 'skipped' ? 'yellow.8' : 'red'} lineClamp={1} maw={260}>
            {s.lastError}
          </Text>
        </Tooltip>
      )}
    </Stack>
  );
}

/** The notification body after "Run due now": what started, and why anything was skipped. */
function runDueMessage(res: RunDueResult, describe: (id: string) => string) {
  if (res.started.length === 0 && res.skipped.length === 0) return 'Nothing is due yet. Each task runs at its next time shown in the table.';
  return (
    <Stack gap={4}>
      {res.started.length > 0 && <Text size="sm">Started {res.started.map((s) => describe(s.scheduleId)).join(', ')}.</Text>}
      {res.skipped.length > 0 && (
        <>
          <Text size="sm">Skipped:</Text>
          <List size="sm" spacing={2}>
            {res.skipped.map((s) => (
              <List.Item key={s.scheduleId}>
                {describe(s.scheduleId)} — {s.reason}
              </List.Item>
            ))}
          </List>
        </>
      )}
    </Stack>
  );
}

export function SchedulesTable({ workspace, editable }: { workspace: string | null; editable: boolean }) {
  const { schedules, schedulesLoaded, schedulesError, personas, runningDue, loadSchedules, setScheduleEnabled, runDue } = useEngineStore();
  const personaName = (key: string | null): string | null => (key ? (personas.find((p) => p.key === key)?.name ?? key) : null);
  const describe = (s: ScheduleInfo): string => {
    const target = personaName(s.target);
    return target ? `${KIND_LABELS[s.kind].label}: ${target}` : KIND_LABELS[s.kind].label;
  };
  const describeId = (id: string): string => {
    const s = schedules.find((x) => x.id === id);
    return s ? describe(s) : id;
  };

  const runNow = async (): Promise<void> => {
    if (!workspace) return;
    try {
      const res = await runDue(workspace);
      const color = res.started.length ? 'teal' : res.skipped.length ? 'yellow' : 'gray';
      const title = res.started.length || res.skipped.length ? `${res.started.length} started · ${res.skipped.length} skipped` : 'Nothing due';
      notifications.show({ color, title, message: runDueMessage(res, describeId), autoClose: res.skipped.length ? 10_000 : 5_000 });
    } catch (e) {
      notifications.show({ color: 'red', title: 'Could not run the due tasks', message: errorMessage(e) });
    }
  };

  const toggle = (s: ScheduleInfo, enabled: boolean): void => {
    void setScheduleEnabled(s.id, enabled).then(
      () => notifications.show({ color: 'teal', message: `${describe(s)} is ${enabled ? 'on' : 'off'} in ${workspace ?? 'this workspace'}.` }),
      (e: unknown) => notifications.show({ color: 'red', title: 'Schedule not changed', message: errorMessage(e) }),
    );
  };

  return (
    <Stack gap="sm" component="section" aria-label="Schedules">
      <Group justify="space-between" align="flex-end" wrap="nowrap">
        <Stack gap={0}>
          <Title order={4}>Schedules{workspace ? ` · ${workspace}` : ''}</Title>
          <Text size="sm" c="dimmed">
            Scheduled engine tasks for the current workspace (times in UTC). Runs never overlap; runs missed while the app was closed catch up when it starts.
          </Text>
        </Stack>
        {workspace && (
          <Group gap="xs" wrap="nowrap">
            <Tooltip label="Refresh the schedules">
              <ActionIcon variant="default" size="lg" aria-label="Refresh schedules" onClick={() => void loadSchedules(workspace)}>
                <IconRefresh size={16} />
              </ActionIcon>
            </Tooltip>
            <Tooltip label="Start every enabled task whose time has come, missed runs included" multiline w={260}>
              <Button variant="light" leftSection={<IconPlayerPlay size={16} />} loading={runningDue} onClick={() => void runNow()}>
                Run due now
              </Button>
            </Tooltip>
          </Group>
        )}
      </Group>
      {!workspace ? (
        <Alert variant="light" title="No workspace selected">
          Schedules belong to a workspace. Create or pick one in the header to see and run its tasks.
        </Alert>
      ) : schedulesError ? (
        <Alert color="red" variant="light" title="Could not load the schedules">
          {schedulesError}
        </Alert>
      ) : !schedulesLoaded ? (
        <Skeleton h={240} radius="md" />
      ) : schedules.length === 0 ? (
        <Paper withBorder radius="md" p="lg">
          <Text size="sm" c="dimmed">
            This workspace has no scheduled tasks yet. They are created when the workspace is ready.
          </Text>
        </Paper>
      ) : (
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={900}>
            <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover aria-label="Schedules">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Task</Table.Th>
                  <Table.Th>Cron (UTC)</Table.Th>
                  <Table.Th>Next run</Table.Th>
                  <Table.Th>Last run</Table.Th>
                  <Table.Th>Enabled</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {schedules.map((s) => (
                  <Table.Tr key={s.id} data-testid="schedule-row" opacity={s.enabled ? 1 : 0.6}>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <Tooltip label={KIND_LABELS[s.kind].description} multiline w={300}>
                          <Text size="sm" fw={600}>
                            {KIND_LABELS[s.kind].label}
                          </Text>
                        </Tooltip>
                        {s.running && (
                          <Badge size="sm" variant="light" color="blue" leftSection={<Loader size={8} color="blue" />}>
                            running
                          </Badge>
                        )}
                      </Group>
                      <Text size="xs" c="dimmed">
                        {personaName(s.target) ?? 'Whole workspace'}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Code>{s.cron}</Code>
                    </Table.Td>
                    <Table.Td>
                      {s.enabled && s.nextRunAt ? (
                        <Stack gap={0}>
                          <Text size="sm">{fmtUntil(s.nextRunAt)}</Text>
                          <Text size="xs" c="dimmed">
                            {fmtDateTime(s.nextRunAt)}
                          </Text>
                        </Stack>
                      ) : (
                        <Text size="sm" c="dimmed">
                          {s.enabled ? '—' : 'Off'}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <LastRun s={s} />
                    </Table.Td>
                    <Table.Td>
                      <Switch aria-label={`${describe(s)} enabled`} checked={s.enabled} disabled={!editable} onChange={(e) => toggle(s, e.currentTarget.checked)} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
    </Stack>
  );
}
