import { Stack, Tabs, Title } from '@mantine/core';
import { useSearchParams } from 'react-router';
import { PlannedFeature } from '../../components/PlannedFeature';
import { HUB_TABS } from './hubTabs';
import { ProfilesPanel } from './ProfilesPanel';

const PLANNED: { value: string; label: string; summary: string; points: string[] }[] = [];

export const DEFAULT_TAB = 'providers';

export function ConfigurationPage() {
  const [params, setParams] = useSearchParams();
  return (
    <Stack>
      <Title order={2}>Configuration</Title>
      {/* Opens on Providers, what an admin sets up first and changes most; Profiles is the least-used tab (UI review). */}
      <Tabs value={params.get('tab') ?? DEFAULT_TAB} onChange={(tab) => setParams(tab && tab !== DEFAULT_TAB ? { tab } : {}, { replace: true })} keepMounted={false}>
        <Tabs.List>
          {HUB_TABS.map((t) => <Tabs.Tab key={t.value} value={t.value}>{t.label}</Tabs.Tab>)}
          <Tabs.Tab value="profiles">Profiles</Tabs.Tab>
          {PLANNED.map((p) => (
            <Tabs.Tab key={p.value} value={p.value}>
              {p.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="profiles" pt="md">
          <ProfilesPanel />
        </Tabs.Panel>
        {HUB_TABS.map((t) => <Tabs.Panel key={t.value} value={t.value} pt="md"><t.Panel /></Tabs.Panel>)}
        {PLANNED.map((p) => (
          <Tabs.Panel key={p.value} value={p.value} pt="md">
            <PlannedFeature title={p.label} summary={p.summary} points={p.points} />
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}
