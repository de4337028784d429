import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { ActionIcon, Alert, Badge, Button, CloseButton, Code, EmptyState, Group, Menu, Paper, Skeleton, Stack, Switch, Table, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconCircleCheck, IconCircleX, IconPencil, IconPlugConnected, IconPlus, IconSelector, IconTrash } from '@tabler/icons-react';
import type { ProviderInfo, ProviderTestResult } from '@shared/contract';
import { errorMessage } from '../../../api/client';
import { bindProvidersEvents, useProvidersStore } from '../../../stores/providersStore';
import { selectIsAdmin, useSessionStore } from '../../../stores/sessionStore';
import { AdminNote } from '../shared/AdminNote';
import { fmtAgo } from '../shared/format';
import { SectionHeader } from '../shared/Section';
import { KindIcon } from './KindIcon';
import { kindLabel, ROLES } from './providerForm';
import { ProviderFormModal } from './ProviderFormModal';
import classes from './providers.module.css';
import { ConfirmDialog } from '../../../components/ConfirmDialog';

const ROLE_COLOR = { primary: 'indigo', secondary: 'cyan', tertiary: 'violet', standby: 'gray' } as const;

function RoleControl({ provider, isAdmin, holders }: { provider: ProviderInfo; isAdmin: boolean; holders: Map<string, string> }) {
  const setRole = useProvidersStore((s) => s.setRole);
  const badge = (
    <Badge variant="light" color={ROLE_COLOR[provider.role]} rightSection={isAdmin ? <IconSelector size={12} /> : undefined} style={isAdmin ? { cursor: 'pointer' } : undefined}>
      {provider.role}
    </Badge>
  );
  if (!isAdmin) return badge;
  return (
    <Menu position="bottom-start" withinPortal>
      <Menu.Target>
        <UnstyledButton aria-label={`Role of ${provider.name}: ${provider.role}`}>{badge}</UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Role of {provider.name}</Menu.Label>
        {ROLES.map((r) => {
          const holder = holders.get(r.value);
          const moves = r.value !== 'standby' && holder && holder !== provider.name;
          return (
            <Menu.Item
              key={r.value}
              leftSection={provider.role === r.value ? <IconCheck size={14} /> : <span style={{ width: 14 }} />}
              onClick={() =>
                void setRole(provider.name, r.value).then(
                  () => notifications.show({ color: 'teal', message: `${provider.name} is now ${r.value}${moves ? `; ${holder} moved to standby` : ''}.` }),
                  (e: unknown) => notifications.show({ color: 'red', title: 'Role not changed', message: errorMessage(e) }),
                )
              }
            >
              <Text size="sm">{r.label}</Text>
              <Text size="xs" c="dimmed">
                {moves ? `Takes it from ${holder}` : r.description}
              </Text>
            </Menu.Item>
          );
        })}
      </Menu.Dropdown>
    </Menu>
  );
}

function TestStatus({ test, breaker }: { test: ProviderTestResult | null; breaker: ProviderInfo['breaker'] }) {
  return (
    <Stack gap={2}>
      {breaker !== 'closed' && (
        <Tooltip label="Paused after repeated failures; a probe call is let through after 30 s. A successful test resumes it.">
          <Badge color="red" variant="light" size="sm" w="fit-content">
            {breaker === 'open' ? 'Paused' : 'Probing'}
          </Badge>
        </Tooltip>
      )}
      {!test ? (
        <Text size="sm" c="dimmed">
          Not tested yet
        </Text>
      ) : test.ok ? (
        <Group gap={6} wrap="nowrap">
          <IconCircleCheck size={16} color="var(--mantine-color-teal-6)" />
          <Text size="sm">
            {test.latencyMs} ms · {test.models.length} {test.models.length === 1 ? 'model' : 'models'}
          </Text>
        </Group>
      ) : (
        <Tooltip label={test.error?.message ?? 'Failed'} multiline w={360}>
          <Group gap={6} wrap="nowrap">
            <IconCircleX size={16} color="var(--mantine-color-red-6)" />
            <Text size="sm" c="red" lineClamp={1} maw={200}>
              {test.error?.message ?? 'Failed'}
            </Text>
          </Group>
        </Tooltip>
      )}
      {test && (
        <Text size="xs" c="dimmed">
          {fmtAgo(test.testedAt)}
        </Text>
      )}
    </Stack>
  );
}

/** The full result of the last test run here: latency, how it was checked, and every model the endpoint offers. */
function TestResultPanel() {
  const last = useProvidersStore((s) => s.lastResult);
  const dismiss = useProvidersStore((s) => s.dismissResult);
  if (!last) return null;
  const { name, result } = last;
  return (
    <Paper withBorder p="md" radius="md" role="status" aria-label={`Connection test of ${name}`} data-testid="provider-test-result">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={6}>
          <Group gap="xs">
            {result.ok ? <IconCircleCheck size={20} color="var(--mantine-color-teal-6)" /> : <IconCircleX size={20} color="var(--mantine-color-red-6)" />}
            <Text fw={600}>
              {result.ok ? `${name}: connected in ${result.latencyMs} ms` : `${name}: the test failed`}
            </Text>
            {result.ok && (
              <Text size="sm" c="dimmed">
                {result.method === 'models' ? 'listed its models' : 'answered a one-token chat (this server has no model list)'}
              </Text>
            )}
          </Group>
          {result.ok ? (
            result.models.length ? (
              <Group gap={6}>
                {result.models.map((m) => (
                  <Badge key={m.id} variant="default" radius="sm" tt="none" className={classes.modelChip} rightSection={m.kind !== 'unknown' ? <Text span size="9px" c="dimmed">{m.kind}</Text> : undefined}>
                    {m.id}
                  </Badge>
                ))}
              </Group>
            ) : (
              <Text size="sm" c="dimmed">
                The endpoint reported no models.
              </Text>
            )
          ) : (
            <Text size="sm" c="red">
              {result.error?.message}
            </Text>
          )}
        </Stack>
        <CloseButton aria-label="Dismiss the test result" onClick={dismiss} />
      </Group>
    </Paper>
  );
}

function connectionText(p: ProviderInfo): string {
  if (p.kind === 'local') return p.modelPath ?? '—';
  if (p.baseUrl) return p.baseUrl;
  return { openai: 'api.openai.com', anthropic: 'api.anthropic.com', gemini: 'generativelanguage.googleapis.com' }[p.kind as 'openai'] ?? '—';
}

export function ProvidersPanel() {
  const isAdmin = useSessionStore(selectIsAdmin);
  const { providers, loaded, error, testing, load, test, remove, setEnabled } = useProvidersStore();
  const [form, setForm] = useState<{ open: boolean; editing: ProviderInfo | null; key: number }>({ open: false, editing: null, key: 0 });
  const [removing, setRemoving] = useState<ProviderInfo | null>(null);
  const [removeBusy, setRemoveBusy] = useState(false);

  useEffect(() => {
    void load();
    return bindProvidersEvents();
  }, [load]);

  const openForm = (editing: ProviderInfo | null): void => setForm((f) => ({ open: true, editing, key: f.key + 1 }));
  // The command palette's "Add a provider…" links here with ?add=1.
  const [params, setParams] = useSearchParams();
  const addRequested = isAdmin && params.get('add') === '1';
  const formOpen = form.open || addRequested;
  const closeForm = (): void => {
    setForm((f) => ({ ...f, open: false }));
    if (params.has('add')) {
      const next = new URLSearchParams(params);
      next.delete('add');
      setParams(next, { replace: true });
    }
  };
  const holders = new Map(providers.filter((p) => p.role !== 'standby').map((p) => [p.role, p.name]));

  const runTest = (name: string): void => {
    void test(name).catch((e: unknown) => notifications.show({ color: 'red', title: `Could not test ${name}`, message: errorMessage(e) }));
  };

  const confirmRemove = async (): Promise<void> => {
    if (!removing) return;
    setRemoveBusy(true);
    try {
      await remove(removing.name);
      notifications.show({ color: 'teal', message: `Removed ${removing.name} and its stored key.` });
      setRemoving(null);
    } catch (e) {
      notifications.show({ color: 'red', title: 'Not removed', message: errorMessage(e) });
    } finally {
      setRemoveBusy(false);
    }
  };

  return (
    <Stack gap="lg">
      <SectionHeader
        title="Providers"
        description="The model endpoints the app may call. Policies try them in order of their roles and fall back when one fails. Keys are stored encrypted and never leave this computer unmasked."
        actions={
          isAdmin && (
            <Button leftSection={<IconPlus size={16} />} onClick={() => openForm(null)}>
              Add provider
            </Button>
          )
        }
      />
      {!isAdmin && <AdminNote what="providers" />}
      {error && (
        <Alert color="red" variant="light" title="Could not load the providers">
          {error}
        </Alert>
      )}
      <TestResultPanel />
      {!loaded ? (
        <Stack gap="xs">
          <Skeleton h={56} />
          <Skeleton h={56} />
        </Stack>
      ) : providers.length === 0 ? (
        <Paper withBorder radius="md" py={48}>
          <EmptyState
            icon={<IconPlugConnected size={28} />}
            variant="light"
            title="No providers yet — add one to start analysing"
            description="Connect a hosted API (OpenAI, Azure OpenAI, Anthropic, Gemini), any OpenAI-compatible server such as Ollama or LM Studio, or a local GGUF model that runs offline. The first provider becomes the primary."
          >
            {isAdmin && (
              <EmptyState.Actions>
                <Button leftSection={<IconPlus size={16} />} onClick={() => openForm(null)}>
                  Add provider
                </Button>
              </EmptyState.Actions>
            )}
          </EmptyState>
        </Paper>
      ) : (
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={900}>
            <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover aria-label="Providers">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Provider</Table.Th>
                  <Table.Th>Role</Table.Th>
                  <Table.Th>Endpoint and default model</Table.Th>
                  <Table.Th>Key</Table.Th>
                  <Table.Th>Last test</Table.Th>
                  <Table.Th>Enabled</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {providers.map((p) => (
                  <Table.Tr key={p.id} data-testid="provider-row" opacity={p.enabled ? 1 : 0.6}>
                    <Table.Td>
                      <Group gap="sm" wrap="nowrap">
                        <KindIcon kind={p.kind} />
                        <div>
                          <Text fw={600} size="sm">
                            {p.name}
                          </Text>
                          <Text size="xs" c="dimmed">
                            {kindLabel(p.kind)}
                          </Text>
                        </div>
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <RoleControl provider={p} isAdmin={isAdmin} holders={holders} />
                    </Table.Td>
                    <Table.Td maw={320}>
                      <Text size="sm" truncate="end" title={connectionText(p)}>
                        {connectionText(p)}
                      </Text>
                      <Text size="xs" c="dimmed" truncate="end">
                        {p.kind === 'local' ? [p.contextSize && `context ${p.contextSize}`, p.threads && `${p.threads} threads`].filter(Boolean).join(' · ') || 'default settings' : (p.model ?? 'no default model')}
                        {p.embeddingModel ? ` · embeddings: ${p.embeddingModel}` : ''}
                        {Object.keys(p.headersMasked).length ? ` · ${Object.keys(p.headersMasked).length} custom headers` : ''}
                      </Text>
                    </Table.Td>
                    <Table.Td>{p.apiKeyMasked ? <Code>{p.apiKeyMasked}</Code> : <Text size="sm" c="dimmed">{p.kind === 'local' ? 'not needed' : 'none'}</Text>}</Table.Td>
                    <Table.Td>
                      <TestStatus test={p.lastTest} breaker={p.breaker} />
                    </Table.Td>
                    <Table.Td>
                      <Switch
                        aria-label={`${p.name} enabled`}
                        checked={p.enabled}
                        disabled={!isAdmin}
                        onChange={(e) => {
                          const enabled = e.currentTarget.checked;
                          void setEnabled(p.name, enabled).catch((err: unknown) => notifications.show({ color: 'red', title: 'Not changed', message: errorMessage(err) }));
                        }}
                      />
                    </Table.Td>
                    <Table.Td>
                      {isAdmin && (
                        <Group gap={4} justify="flex-end" wrap="nowrap">
                          <Button size="xs" variant="light" loading={!!testing[p.name]} onClick={() => runTest(p.name)} aria-label={`Test ${p.name}`}>
                            Test
                          </Button>
                          <Tooltip label="Edit">
                            <ActionIcon variant="subtle" color="gray" aria-label={`Edit ${p.name}`} onClick={() => openForm(p)}>
                              <IconPencil size={16} />
                            </ActionIcon>
                          </Tooltip>
                          <Tooltip label="Remove">
                            <ActionIcon variant="subtle" color="red" aria-label={`Remove ${p.name}`} onClick={() => setRemoving(p)}>
                              <IconTrash size={16} />
                            </ActionIcon>
                          </Tooltip>
                        </Group>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
      {formOpen && <ProviderFormModal key={form.key} opened onClose={closeForm} editing={form.open ? form.editing : null} />}
      <ConfirmDialog
        opened={!!removing}
        title={`Remove provider “${removing?.name ?? ''}”?`}
        confirmLabel="Remove"
        cancelLabel="Keep it"
        busy={removeBusy}
        onConfirm={() => void confirmRemove()}
        onCancel={() => setRemoving(null)}
      >
        Its stored key is deleted. Policies that name it directly will report an error until you change them; policies that use roles skip it. Usage already recorded stays.
      </ConfirmDialog>
    </Stack>
  );
}
