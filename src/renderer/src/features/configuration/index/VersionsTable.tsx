import { useState } from 'react';
import { ActionIcon, Badge, Button, Group, Paper, Stack, Table, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowBackUp, IconChartDots, IconSwitchHorizontal, IconTrash } from '@tabler/icons-react';
import type { IndexVersionInfo } from '@shared/contract';
import { errorMessage } from '../../../api/client';
import { isInterrupted, useVectorsStore } from '../../../stores/vectorsStore';
import { fmtAgo, fmtDateTime } from '../shared/format';
import { EmbedderKindBadge } from './BuildForm';
import classes from './index.module.css';
import { ConfirmDialog } from '../../../components/ConfirmDialog';

const STATE_COLOR = { ready: 'teal', building: 'indigo', failed: 'red', cancelled: 'gray' } as const;

export const chunkingLabel = (v: IndexVersionInfo): string =>
  `${{ sentence: 'Sentences', paragraph: 'Paragraphs', fixed: 'Fixed size' }[v.chunking.strategy]} · ${v.chunking.maxChars.toLocaleString('en-US')} / ${v.chunking.overlap}${v.chunking.perSource ? ' · per source' : ''}`;

function StateBadge({ v }: { v: IndexVersionInfo }) {
  const writing = v.writer !== null;
  const label = writing ? (v.status === 'ready' ? 'updating' : 'building') : isInterrupted(v) ? 'interrupted' : v.status;
  const badge = (
    <Badge variant="dot" color={isInterrupted(v) ? 'orange' : STATE_COLOR[v.status]} data-testid="version-state">
      {label}
    </Badge>
  );
  const tip = v.error ?? (isInterrupted(v) ? `Stopped after ${v.progress!.documents.toLocaleString('en-US')} records; resume continues from there.` : null);
  return tip ? (
    <Tooltip label={tip} multiline w={320}>
      {badge}
    </Tooltip>
  ) : (
    badge
  );
}

type Pending = { kind: 'delete'; version: IndexVersionInfo } | { kind: 'rollback'; from: IndexVersionInfo } | null;

/** Every index version with its configuration and state; admins switch, roll back and delete. */
export function VersionsTable({ versions, isAdmin, onShowQuality }: { versions: IndexVersionInfo[]; isAdmin: boolean; onShowQuality: (id: number) => void }) {
  const { switchTo, rollback, deleteVersion } = useVectorsStore.getState();
  const busy = useVectorsStore((s) => s.busy);
  const [pending, setPending] = useState<Pending>(null);
  const [confirming, setConfirming] = useState(false);
  const active = versions.find((v) => v.active);
  const canRollBack = !!active && versions.some((v) => !v.active && v.status === 'ready');

  const doSwitch = async (v: IndexVersionInfo): Promise<void> => {
    try {
      await switchTo(v.id);
      notifications.show({ color: 'teal', title: `Index v${v.id} is active`, message: `Search now uses ${v.embedder.label}.` });
    } catch (e) {
      notifications.show({ color: 'red', title: 'Not switched', message: errorMessage(e) });
    }
  };

  const confirm = async (): Promise<void> => {
    if (!pending) return;
    setConfirming(true);
    try {
      if (pending.kind === 'delete') {
        await deleteVersion(pending.version.id);
        notifications.show({ color: 'teal', message: `Deleted index v${pending.version.id} and its vectors.` });
      } else {
        const v = await rollback();
        notifications.show({ color: 'teal', title: `Rolled back to index v${v.id}`, message: `Search now uses ${v.embedder.label}.` });
      }
      setPending(null);
    } catch (e) {
      notifications.show({ color: 'red', title: pending.kind === 'delete' ? 'Not deleted' : 'Not rolled back', message: errorMessage(e) });
    } finally {
      setConfirming(false);
    }
  };

  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <div>
          <Text fw={600}>Versions</Text>
          <Text size="sm" c="dimmed">
            Newest first. Search uses the active version; switching is instant.
          </Text>
        </div>
        {isAdmin && (
          <Tooltip label={canRollBack ? 'Go back to the version that was active before this one' : 'No other ready version to roll back to'}>
            <Button variant="default" size="xs" leftSection={<IconArrowBackUp size={14} />} disabled={!canRollBack} loading={busy['rollback'] === 'rollback'} onClick={() => active && setPending({ kind: 'rollback', from: active })}>
              Roll back
            </Button>
          </Tooltip>
        )}
      </Group>
      <Paper withBorder radius="md">
        <Table.ScrollContainer minWidth={920} type="native">
          <Table verticalSpacing="sm" horizontalSpacing="md" aria-label="Index versions">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Version</Table.Th>
                <Table.Th>Embedder</Table.Th>
                <Table.Th ta="right">Dims</Table.Th>
                <Table.Th>Chunking</Table.Th>
                <Table.Th ta="right">Records</Table.Th>
                <Table.Th ta="right">Chunks</Table.Th>
                <Table.Th>Created</Table.Th>
                <Table.Th>State</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {versions.map((v) => (
                <Table.Tr key={v.id} data-testid="version-row" data-version={v.id} className={v.active ? classes.activeRow : undefined}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Group gap={6} wrap="nowrap">
                      <Text fw={600} size="sm">
                        v{v.id}
                      </Text>
                      {v.active && (
                        <Badge size="sm" variant="filled" color="indigo">
                          active
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" lineClamp={1} title={v.embedder.label}>
                      {v.embedder.label.replace(/\s*\(.*\)$/, '')}
                    </Text>
                    <Group gap={6} mt={2}>
                      <EmbedderKindBadge lexical={v.embedder.lexical} />
                      {v.embedder.kind !== 'builtin' && (
                        <Text size="xs" c="dimmed" ff="monospace">
                          {v.embedder.model}
                        </Text>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td ta="right">{v.dimensions}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Text size="sm">{chunkingLabel(v)}</Text>
                  </Table.Td>
                  <Table.Td ta="right">{v.documents.toLocaleString('en-US')}</Table.Td>
                  <Table.Td ta="right">{v.chunks.toLocaleString('en-US')}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Tooltip label={`${fmtDateTime(v.createdAt)}${v.builtAt ? ` · built ${fmtDateTime(v.builtAt)}` : ''}${v.updatedAt ? ` · updated ${fmtDateTime(v.updatedAt)}` : ''}`}>
                      <Text size="sm">{fmtAgo(v.createdAt)}</Text>
                    </Tooltip>
                  </Table.Td>
                  <Table.Td>
                    <StateBadge v={v} />
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} justify="flex-end" wrap="nowrap">
                      {v.quality && (
                        <Tooltip label="Quality metrics">
                          <ActionIcon variant="subtle" color="gray" aria-label={`Quality of v${v.id}`} onClick={() => onShowQuality(v.id)}>
                            <IconChartDots size={16} />
                          </ActionIcon>
                        </Tooltip>
                      )}
                      {isAdmin && v.status === 'ready' && !v.active && (
                        <Button size="xs" variant="light" leftSection={<IconSwitchHorizontal size={14} />} loading={busy[String(v.id)] === 'switch'} onClick={() => void doSwitch(v)} aria-label={`Switch to v${v.id}`}>
                          Switch
                        </Button>
                      )}
                      {isAdmin && !v.active && (
                        <Tooltip label={v.writer ? 'Being written by a running job: cancel it first' : 'Delete this version and its vectors'}>
                          <ActionIcon variant="subtle" color="red" aria-label={`Delete v${v.id}`} disabled={v.writer !== null} loading={busy[String(v.id)] === 'delete'} onClick={() => setPending({ kind: 'delete', version: v })}>
                            <IconTrash size={16} />
                          </ActionIcon>
                        </Tooltip>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>

      <ConfirmDialog
        opened={pending !== null}
        title={pending?.kind === 'delete' ? `Delete index v${pending.version.id}?` : 'Roll back the index?'}
        confirmLabel={pending?.kind === 'delete' ? 'Delete version' : 'Roll back'}
        color={pending?.kind === 'delete' ? 'red' : 'indigo'}
        busy={confirming}
        onConfirm={() => void confirm()}
        onCancel={() => setPending(null)}
      >
        {pending?.kind === 'delete'
          ? `Its ${pending.version.chunks.toLocaleString('en-US')} chunks and their vectors are deleted from the workspace file. This cannot be undone; building the same configuration again re-embeds everything.`
          : pending?.kind === 'rollback'
            ? `Search goes back to the version that was active before v${pending.from.id}, for everyone using this workspace. v${pending.from.id} is kept; you can switch back to it at any time.`
            : ''}
      </ConfirmDialog>
    </Stack>
  );
}
