import { useEffect, useState } from 'react';
import { Alert, Button, Group, MultiSelect, Popover, SimpleGrid, Skeleton, Stack, Text, UnstyledButton } from '@mantine/core';
import { IconAdjustments } from '@tabler/icons-react';
import { useNavigate } from 'react-router';
import { Chart } from '../../components/charts/Chart';
import { useAnalyticsStore } from '../../stores/analyticsStore';
import { selectIsAdmin, useSessionStore } from '../../stores/sessionStore';

/** The Dashboard's KPI row: figures from the metrics catalog against the previous period; a click opens the answer on the Analytics page. */
export function KpiTiles({ workspace }: { workspace: string }) {
  const { tiles, tilesError, loadTiles, setTiles, catalog, loadCatalog } = useAnalyticsStore();
  const isAdmin = useSessionStore(selectIsAdmin);
  const navigate = useNavigate();
  const [picking, setPicking] = useState<string[] | null>(null);

  useEffect(() => {
    void loadTiles(workspace);
  }, [workspace, loadTiles]);

  const open = (spec: unknown, label: string): void => void navigate(`/analytics?spec=${encodeURIComponent(JSON.stringify(spec))}&q=${encodeURIComponent(label)}`);

  return (
    <Stack gap="xs" data-testid="kpi-tiles">
      <Group justify="space-between">
        <Text fw={600}>Key figures · last 30 days</Text>
        {isAdmin && (
          <Popover
            opened={picking !== null}
            onChange={(o) => !o && setPicking(null)}
            position="bottom-end"
            withinPortal
          >
            <Popover.Target>
              <Button
                size="xs"
                variant="subtle"
                leftSection={<IconAdjustments size={14} />}
                onClick={() => {
                  void loadCatalog();
                  setPicking(tiles?.map((t) => t.measure) ?? []);
                }}
              >
                Choose tiles
              </Button>
            </Popover.Target>
            <Popover.Dropdown>
              <Stack w={320}>
                <MultiSelect label="Tiles (up to 8)" data={(catalog?.measures ?? []).map((m) => ({ value: m.name, label: m.label }))} value={picking ?? []} onChange={setPicking} maxValues={8} searchable />
                <Group justify="flex-end">
                  <Button size="xs" disabled={!picking?.length} onClick={() => picking && void setTiles(workspace, picking).then(() => setPicking(null))}>
                    Save
                  </Button>
                </Group>
              </Stack>
            </Popover.Dropdown>
          </Popover>
        )}
      </Group>
      {tilesError && <Alert color="red">{tilesError}</Alert>}
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing="sm">
        {!tiles && Array.from({ length: 6 }, (_, i) => <Skeleton key={i} h={96} radius="md" />)}
        {tiles?.map((t) => (
          <UnstyledButton key={t.measure} onClick={() => open(t.spec, t.label)} aria-label={`${t.label}: open in Analytics`} data-testid={`kpi-${t.measure}`}>
            <Chart spec={t.chart} actions={false} animate={false} />
          </UnstyledButton>
        ))}
      </SimpleGrid>
    </Stack>
  );
}
