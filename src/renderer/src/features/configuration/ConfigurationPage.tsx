import { Stack, Tabs, Title } from '@mantine/core';
import { PlannedFeature } from '../../components/PlannedFeature';
import { ProfilesPanel } from './ProfilesPanel';

const PLANNED: { value: string; label: string; summary: string; points: string[] }[] = [
  {
    value: 'providers',
    label: 'Providers',
    summary: 'Model providers the app may call.',
    points: ['OpenAI, Azure OpenAI, Anthropic, Gemini, any OpenAI-compatible server, and an offline in-process model', 'Test a connection: latency and model list', 'Primary and secondary roles for fallback'],
  },
  { value: 'policies', label: 'Policies', summary: 'How each use case calls models.', points: ['Model, temperature, limits, timeout, retries, fallback chain, cache and budget per use case', 'A form view and a YAML view with inline validation'] },
  { value: 'models', label: 'Local models', summary: 'Models that run on this machine.', points: ['Pick a GGUF file or download a curated one, with progress, resume and cancel'] },
  { value: 'playground', label: 'Playground', summary: 'Try a prompt through a policy.', points: ['Streamed output, which endpoint answered, tokens and cost'] },
  { value: 'usage', label: 'Usage & Costs', summary: 'What model calls cost.', points: ['Totals, charts and a table by provider, model and use case over 1–90 days'] },
  { value: 'budgets', label: 'Budgets', summary: 'Spending limits.', points: ['Limits per request, user, workspace and use case, with today’s consumption'] },
  { value: 'index', label: 'Embeddings & Index', summary: 'Semantic search over the workspace.', points: ['Embedder choice, index builds with progress and cancel, versions with switch and rollback, quality metrics'] },
];

export function ConfigurationPage() {
  return (
    <Stack>
      <Title order={2}>Configuration</Title>
      <Tabs defaultValue="profiles" keepMounted={false}>
        <Tabs.List>
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
        {PLANNED.map((p) => (
          <Tabs.Panel key={p.value} value={p.value} pt="md">
            <PlannedFeature title={p.label} summary={p.summary} points={p.points} />
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}
