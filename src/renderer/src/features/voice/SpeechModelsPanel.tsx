import { Badge, Button, Card, Group, Paper, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconDownload, IconFilePlus, IconRefresh, IconTrash } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import type { CatalogEntry, LocalModelInfo } from '@shared/contract';
import { call, errorMessage } from '../../api/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { JobProgress } from '../../components/JobProgress';
import { selectJob, useJobsStore } from '../../stores/jobsStore';
import { bindLocalModelsEvents, useLocalModelsStore } from '../../stores/localModelsStore';
import { selectIsAdmin, useSessionStore } from '../../stores/sessionStore';

const mb = (n: number | null): string => (n === null ? '' : n >= 1e9 ? `${(n / 1e9).toFixed(2)} GB` : `${Math.round(n / 1e6)} MB`);
const bytesPerSec = (r: number): string => `${mb(r)}/s`;

function CatalogCard({ entry, admin }: { entry: CatalogEntry; admin: boolean }) {
  const job = useJobsStore(selectJob(entry.jobId));
  const download = useLocalModelsStore((s) => s.download);
  const cancel = useJobsStore((s) => s.cancel);
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const start = async (): Promise<void> => {
    setStarting(true);
    setError(null);
    try {
      await download(entry.id);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setStarting(false);
    }
  };
  return (
    <Card withBorder padding="sm" data-testid={`speech-catalog-${entry.id}`}>
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap">
          <Text fw={500}>{entry.name}</Text>
          <Badge variant="light" color="gray">
            ~{mb(entry.sizeBytes)}
          </Badge>
        </Group>
        <Text size="xs" c="dimmed">
          {entry.description} {entry.parameters} parameters · {entry.license}
        </Text>
        {entry.status === 'downloading' && <JobProgress job={job} label={entry.name} formatRate={bytesPerSec} onCancel={job ? () => void cancel(job.jobId) : undefined} />}
        {entry.status === 'installed' && (
          <Badge color="teal" variant="light">
            Installed
          </Badge>
        )}
        {(entry.status === 'available' || entry.status === 'failed') && admin && (
          <Button size="xs" variant={entry.status === 'failed' ? 'light' : 'filled'} leftSection={entry.status === 'failed' ? <IconRefresh size={14} /> : <IconDownload size={14} />} loading={starting} onClick={() => void start()} aria-label={`${entry.status === 'failed' ? 'Resume' : 'Download'} ${entry.name}`}>
            {entry.status === 'failed' ? 'Resume download' : 'Download'}
          </Button>
        )}
        {error && (
          <Text size="xs" c="red">
            {error}
          </Text>
        )}
      </Stack>
    </Card>
  );
}

function InstalledRow({ model, admin, onRemove }: { model: LocalModelInfo; admin: boolean; onRemove: (m: LocalModelInfo) => void }) {
  return (
    <Group justify="space-between" wrap="nowrap" data-testid={`speech-model-${model.id}`}>
      <Stack gap={0} style={{ minWidth: 0 }}>
        <Text size="sm" fw={500}>
          {model.name} <Text span size="xs" c="dimmed">({model.id})</Text>
        </Text>
        <Text size="xs" c="dimmed" truncate>
          {[model.status, mb(model.sizeBytes), model.quantization, model.verification === 'catalog' ? 'checksum verified' : model.source === 'file' ? 'your file' : model.verification === 'none' ? 'not verified' : null].filter(Boolean).join(' · ')} · {model.file}
        </Text>
      </Stack>
      {admin && (
        <Button size="xs" variant="subtle" color="red" leftSection={<IconTrash size={14} />} onClick={() => onRemove(model)} aria-label={`Remove ${model.name}`}>
          Remove
        </Button>
      )}
    </Group>
  );
}

/** Whisper models in the one local model registry: curated downloads, files you have, removal. */
export function SpeechModelsPanel() {
  const { models, catalog, loaded, load } = useLocalModelsStore();
  const admin = useSessionStore(selectIsAdmin);
  const [path, setPath] = useState('');
  const [addError, setAddError] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<LocalModelInfo | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!loaded) void load();
    return bindLocalModelsEvents();
  }, [loaded, load]);
  const speech = models.filter((m) => m.kind === 'whisper');
  const downloads = catalog.filter((c) => c.purpose === 'transcription');
  const add = async (): Promise<void> => {
    setAdding(true);
    setAddError(null);
    try {
      await call('models.add', { path: path.trim(), kind: 'whisper' });
      setPath('');
      await load();
    } catch (e) {
      setAddError(errorMessage(e));
    } finally {
      setAdding(false);
    }
  };
  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="sm">
        <Title order={4}>Speech models</Title>
        <Text size="sm" c="dimmed">
          Whisper models for the local engine: commands are transcribed on this computer, with no network. English-only models (.en) are faster and more accurate for English.
        </Text>
        {speech.length ? speech.map((m) => <InstalledRow key={m.id} model={m} admin={admin} onRemove={setRemoving} />) : <Text size="sm">No speech model installed yet.</Text>}
        {admin && (
          <Group align="flex-start" wrap="nowrap">
            <TextInput
              style={{ flex: 1 }}
              size="xs"
              label="Add a model file you have"
              placeholder="/path/to/ggml-base.en.bin"
              value={path}
              onChange={(e) => setPath(e.currentTarget.value)}
              error={addError}
            />
            <Button mt={22} size="xs" leftSection={<IconFilePlus size={14} />} disabled={!path.trim()} loading={adding} onClick={() => void add()}>
              Add file
            </Button>
          </Group>
        )}
        <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }}>
          {downloads.map((c) => (
            <CatalogCard key={c.id} entry={c} admin={admin} />
          ))}
        </SimpleGrid>
      </Stack>
      <ConfirmDialog
        opened={removing !== null}
        title="Remove speech model"
        confirmLabel="Remove"
        busy={busy}
        onCancel={() => setRemoving(null)}
        onConfirm={() => {
          if (!removing) return;
          setBusy(true);
          void useLocalModelsStore
            .getState()
            .remove(removing.id)
            .finally(() => {
              setBusy(false);
              setRemoving(null);
            });
        }}
      >
        <Text size="sm">
          {removing?.source === 'download' ? `This deletes ${removing.file}.` : `The file stays on disk (${removing?.file ?? ''}); only the app forgets it.`}
        </Text>
      </ConfirmDialog>
    </Paper>
  );
}
