import { Alert, Badge, Code, Paper, Popover, Skeleton, Stack, Switch, Table, Text, Title, Tooltip, UnstyledButton } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconListDetails } from '@tabler/icons-react';
import { ENTITIES } from '@shared/entities';
import type { PersonaInfo, ScheduleInfo } from '@shared/contract';
import { errorMessage } from '../../../api/client';
import { useEngineStore } from '../../../stores/engineStore';
import { fmtDateTime } from '../shared/format';
import { fmtUntil } from './time';

const entityLabel = (key: string): string => ENTITIES.find((e) => e.key === key)?.label ?? key;
const titleCase = (s: string): string => s.replace(/_/g, ' ').replace(/^\w/, (c) => c.toUpperCase());

function OutputFields({ persona }: { persona: PersonaInfo }) {
  const n = persona.fields.length;
  return (
    <Popover position="bottom-start" width={380} shadow="md" withArrow withinPortal>
      <Popover.Target>
        <UnstyledButton aria-label={`Output fields of ${persona.name}`}>
          <Badge variant="light" color="gray" leftSection={<IconListDetails size={12} />} style={{ cursor: 'pointer' }} styles={{ label: { overflow: 'visible' } }} tt="none">
            {n} {n === 1 ? 'field' : 'fields'}
          </Badge>
        </UnstyledButton>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap={8}>
          <Text size="xs" c="dimmed">
            {persona.name} answers with a summary, recommendations, confidence and factors, plus:
          </Text>
          {persona.fields.map((f) => (
            <div key={f.name}>
              <Code>{f.name}</Code>
              {f.description && (
                <Text size="xs" c="dimmed" mt={2}>
                  {f.description}
                </Text>
              )}
            </div>
          ))}
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}

/** The cron as written (UTC), with the next run in the current workspace when the scheduler knows it. */
function ScheduleCell({ cron, schedule }: { cron: string; schedule: ScheduleInfo | undefined }) {
  return (
    <Stack gap={2}>
      <Tooltip label="Cron expression, in UTC">
        <Code w="fit-content">{cron}</Code>
      </Tooltip>
      <Tooltip label={fmtDateTime(schedule?.nextRunAt)} disabled={!schedule?.enabled || !schedule.nextRunAt}>
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          {!schedule ? 'no workspace schedule' : !schedule.enabled ? 'off in this workspace' : schedule.nextRunAt ? `next ${fmtUntil(schedule.nextRunAt)}` : 'no next run'}
        </Text>
      </Tooltip>
    </Stack>
  );
}

export function PersonasTable({ editable }: { editable: boolean }) {
  const { personas, personasLoaded, personasError, toggling, schedules, setPersonaEnabled } = useEngineStore();

  const toggle = (p: PersonaInfo, enabled: boolean): void => {
    void setPersonaEnabled(p.key, enabled).then(
      () => notifications.show({ color: 'teal', message: `${p.name} is ${enabled ? 'on' : 'off'}${enabled ? '' : ': it will not run, on demand or scheduled'}.` }),
      (e: unknown) => notifications.show({ color: 'red', title: `${p.name} not changed`, message: errorMessage(e) }),
    );
  };

  return (
    <Stack gap="sm" component="section" aria-label="Personas">
      <Stack gap={0}>
        <Title order={4}>Personas</Title>
        <Text size="sm" c="dimmed">
          The AI specialists the engine runs. A persona that is off is skipped by “Analyze now”, scans and the scheduler; its insights stay.
        </Text>
      </Stack>
      {personasError && (
        <Alert color="red" variant="light" title="Could not load the personas">
          {personasError}
        </Alert>
      )}
      {!personasLoaded ? (
        <Skeleton h={320} radius="md" />
      ) : (
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={1000}>
            <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover aria-label="Personas">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Persona</Table.Th>
                  <Table.Th>Domain</Table.Th>
                  <Table.Th>Records</Table.Th>
                  <Table.Th>Version</Table.Th>
                  <Table.Th>Schedule</Table.Th>
                  <Table.Th>
                    <Tooltip label="How long an insight stays live before the expiry sweep marks it expired">
                      <span>TTL</span>
                    </Tooltip>
                  </Table.Th>
                  <Table.Th>Output</Table.Th>
                  <Table.Th>Enabled</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {personas.map((p) => (
                  <Table.Tr key={p.key} data-testid="persona-row" opacity={p.enabled ? 1 : 0.6}>
                    <Table.Td maw={320}>
                      <Text fw={600} size="sm">
                        {p.name}
                      </Text>
                      <Text size="xs" c="dimmed" lineClamp={2} title={p.description}>
                        {p.description}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="light" tt="none" styles={{ label: { overflow: 'visible' } }}>
                        {titleCase(p.domain)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{entityLabel(p.entityType)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" ff="monospace">
                        v{p.version}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <ScheduleCell cron={p.schedule} schedule={schedules.find((s) => s.kind === 'persona_scan' && s.target === p.key)} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {p.ttlHours} h
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <OutputFields persona={p} />
                    </Table.Td>
                    <Table.Td>
                      <Switch aria-label={`${p.name} enabled`} checked={p.enabled} disabled={!editable || !!toggling[p.key]} onChange={(e) => toggle(p, e.currentTarget.checked)} />
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
