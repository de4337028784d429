import { Card, Group, ScrollArea, Skeleton, Stack, Text, UnstyledButton } from '@mantine/core';
import { ENTITIES, type EntityGroup } from '@shared/entities';

const GROUP_LABEL: Record<EntityGroup, string> = {
  people: 'People',
  crm: 'CRM',
  support: 'Support',
  inbox: 'Inbox',
  projects: 'Projects',
  marketing: 'Marketing',
  dispatch: 'Field dispatch',
  vendors: 'Vendors',
  performance: 'Agent performance',
  success: 'Customer success',
  business: 'Business & goals',
};

/** Row counts per entity type, grouped by domain, as the browser's sidebar; clicking a type opens it. */
export function EntityCounts({ counts, selected, onSelect }: { counts: Record<string, number> | null; selected: string; onSelect: (key: string) => void }) {
  const groups = [...new Set(ENTITIES.map((e) => e.group))];
  const total = counts ? Object.values(counts).reduce((a, b) => a + b, 0) : null;
  return (
    // Fills the column it sits in; only the list scrolls.
    <Card withBorder padding={0} style={{ flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column' }}>
      <Group justify="space-between" px="sm" py={8} style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
        <Text size="sm" fw={600}>
          Tables
        </Text>
        <Text size="xs" c="dimmed" data-testid="rows-total">
          {total === null ? '' : `${total.toLocaleString()} rows`}
        </Text>
      </Group>
      <ScrollArea style={{ flex: 1, minHeight: 0 }} type="auto">
        <Stack gap={6} p="xs">
          {groups.map((g) => (
            <div key={g}>
              <Text size="xs" tt="uppercase" fw={700} c="dimmed" px={4} mb={2}>
                {GROUP_LABEL[g]}
              </Text>
              {ENTITIES.filter((e) => e.group === g).map((e) => (
                <UnstyledButton key={e.key} onClick={() => onSelect(e.key)} w="100%" aria-label={`Browse ${e.label}`} aria-current={selected === e.key} data-testid={`count-${e.key}`}>
                  <Group
                    justify="space-between"
                    py={3}
                    px={6}
                    wrap="nowrap"
                    bg={selected === e.key ? 'var(--mantine-primary-color-light)' : undefined}
                    style={{ borderRadius: 4 }}
                  >
                    <Text size="sm" truncate>
                      {e.label}
                    </Text>
                    {counts ? (
                      <Text size="xs" ff="monospace" c="dimmed">
                        {(counts[e.table] ?? 0).toLocaleString()}
                      </Text>
                    ) : (
                      <Skeleton h={12} w={36} />
                    )}
                  </Group>
                </UnstyledButton>
              ))}
            </div>
          ))}
        </Stack>
      </ScrollArea>
    </Card>
  );
}
