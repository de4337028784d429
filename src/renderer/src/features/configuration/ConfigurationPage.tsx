import { Stack, Tabs, Title } from '@mantine/core';
import { useSearchParams } from 'react-router';
import { PlannedFeature } from '../../components/PlannedFeature';
import { HUB_TABS } from './hubTabs';
import { ProfilesPanel } from './ProfilesPanel';

const PLANNED: { value: string; label: string; summary: string; points: string[] }[] = [];

export function ConfigurationPage() {
  const [params, setParams] = useSearchParams();
  return (
    <Stack>
      <Title order={2}>Configuration</Title>
      <Tabs value={params.get('tab') ?? 'profiles'} onChange={(tab) => setParams(tab && tab !== 'profiles' ? { tab } : {}, { replace: true })} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="profiles">Profiles</Tabs.Tab>
          {HUB_TABS.map((t) => <Tabs.Tab key={t.value} value={t.value}>{t.label}</Tabs.Tab>)}
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
