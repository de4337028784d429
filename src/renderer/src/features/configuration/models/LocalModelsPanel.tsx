import { Fragment, useEffect, useState } from 'react';
import { ActionIcon, Alert, Badge, Button, Card, Code, EmptyState, Group, Modal, Paper, SimpleGrid, Skeleton, Stack, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCpu, IconDownload, IconFileImport, IconLink, IconPlayerPlay, IconPlayerStop, IconRefresh, IconShieldCheck, IconShieldQuestion, IconTrash } from '@tabler/icons-react';
import type { CatalogEntry, LocalModelInfo, ModelTestResult } from '@shared/contract';
import { errorMessage } from '../../../api/client';
import { JobProgress } from '../../../components/JobProgress';
import { selectJob, useJobsStore } from '../../../stores/jobsStore';
import { bindLocalModelsEvents, useLocalModelsStore } from '../../../stores/localModelsStore';
import { selectIsAdmin, useSessionStore } from '../../../stores/sessionStore';
import { appFieldErrors, type FieldErrors } from '../shared/fieldErrors';
import { AdminNote } from '../shared/AdminNote';
import { fmtBytes, fmtCount, fmtMs } from '../shared/format';
import { SectionHeader } from '../shared/Section';
import { ConfirmDialog } from '../../../components/ConfirmDialog';

const STATUS_COLOR = { ready: 'teal', downloading: 'indigo', failed: 'red', missing: 'orange' } as const;
const bytesPerSec = (r: number): string => `${fmtBytes(r)}/s`;

function DownloadProgress({ model }: { model: LocalModelInfo }) {
  const job = useJobsStore(selectJob(model.jobId));
  const cancel = useLocalModelsStore((s) => s.cancelDownload);
  const isAdmin = useSessionStore(selectIsAdmin);
  if (!model.jobId) return null;
  return (
    <JobProgress
      job={job}
      label={model.name}
      formatRate={bytesPerSec}
      onCancel={
        isAdmin
          ? () =>
              void cancel(model).then(
                () => notifications.show({ color: 'gray', message: `Cancelled the download of ${model.name}; the partial file was deleted.` }),
                (e: unknown) => notifications.show({ color: 'red', title: 'Not cancelled', message: errorMessage(e) }),
              )
          : undefined
      }
    />
  );
}

function TestResult({ result }: { result: ModelTestResult }) {
  return (
    <Group gap="lg" role="status" aria-label={`Test of ${result.id}`} data-testid="model-test-result">
      <Text size="sm">
        <Text span c="dimmed">
          Load{' '}
        </Text>
        {result.alreadyLoaded ? 'already in memory' : fmtMs(result.loadMs)}
      </Text>
      <Text size="sm">
        <Text span c="dimmed">
          {result.kind === 'embedding' ? 'Embedding ' : 'Generation '}
        </Text>
        {fmtMs(result.latencyMs)}
      </Text>
      {result.tokensPerSec !== null && (
        <Text size="sm">
          <Text span c="dimmed">
            Speed{' '}
          </Text>
          {result.tokensPerSec.toFixed(1)} tokens/s ({result.outputTokens} tokens)
        </Text>
      )}
      <Text size="sm" style={{ flex: 1, minWidth: 200 }} lineClamp={2}>
        <Text span c="dimmed">
          Output{' '}
        </Text>
        <Code>{result.output || '(empty)'}</Code>
      </Text>
    </Group>
  );
}

function ModelRow({ model, onRemove }: { model: LocalModelInfo; onRemove: (m: LocalModelInfo) => void }) {
  const isAdmin = useSessionStore(selectIsAdmin);
  const busy = useLocalModelsStore((s) => s.busy[model.id]);
  const test = useLocalModelsStore((s) => s.tests[model.id]);
  const { test: runTest, unload, download } = useLocalModelsStore.getState();
  const details = [model.architecture, model.parameters ? `${fmtCount(model.parameters)} params` : null, model.contextLength ? `${fmtCount(model.contextLength)} context` : null, model.quantization, model.embeddingLength && model.kind === 'embedding' ? `${model.embeddingLength} dims` : null]
    .filter(Boolean)
    .join(' · ');
  const fail = (title: string) => (e: unknown) => notifications.show({ color: 'red', title, message: errorMessage(e) });
  const extra = model.status === 'downloading' || model.status === 'failed' || model.status === 'missing' || test;
  return (
    <Fragment>
      <Table.Tr data-testid="model-row" style={extra ? { borderBottom: 'none' } : undefined}>
        <Table.Td>
          <Text fw={600} size="sm">
            {model.name}
          </Text>
          <Text size="xs" c="dimmed" ff="monospace">
            {model.id}
          </Text>
        </Table.Td>
        <Table.Td style={{ whiteSpace: 'nowrap' }}>
          {model.kind === 'unknown' && model.status !== 'ready' ? (
            <Text size="sm" c="dimmed">
              —
            </Text>
          ) : (
            <Badge variant="light" color={model.kind === 'embedding' ? 'grape' : model.kind === 'chat' ? 'indigo' : 'gray'}>
              {model.kind}
            </Badge>
          )}
        </Table.Td>
        <Table.Td style={{ whiteSpace: 'nowrap' }}>
          <Group gap={6} wrap="nowrap">
            <Badge variant="dot" color={STATUS_COLOR[model.status]}>
              {model.status}
            </Badge>
            {model.loaded && (
              <Tooltip label={model.inUse ? `In memory, ${model.inUse} request(s) running or waiting` : 'In memory; unloaded after 10 minutes without use'}>
                <Badge variant="light" color="teal" size="sm">
                  in memory
                </Badge>
              </Tooltip>
            )}
          </Group>
        </Table.Td>
        <Table.Td style={{ whiteSpace: 'nowrap' }}>
          <Text size="sm">{fmtBytes(model.sizeBytes)}</Text>
        </Table.Td>
        <Table.Td>
          <Text size="sm">{details || '—'}</Text>
          <Text size="xs" c="dimmed" truncate="end" maw={340} title={model.file}>
            {model.source === 'file' ? 'Registered file: ' : ''}
            {model.file}
          </Text>
        </Table.Td>
        <Table.Td style={{ whiteSpace: 'nowrap' }}>
          {model.verification === null ? (
            <Text size="xs" c="dimmed">
              {model.source === 'file' ? 'your file' : model.status === 'downloading' ? 'checked when complete' : '—'}
            </Text>
          ) : model.verification === 'none' ? (
            <Tooltip label="Neither the catalog nor the server published a checksum; the computed sha256 is recorded.">
              <Badge variant="light" color="orange" leftSection={<IconShieldQuestion size={12} />}>
                not verified
              </Badge>
            </Tooltip>
          ) : (
            <Tooltip label={`sha256 matched the ${model.verification === 'catalog' ? 'catalog' : 'server'}’s checksum`}>
              <Badge variant="light" color="teal" leftSection={<IconShieldCheck size={12} />}>
                verified
              </Badge>
            </Tooltip>
          )}
        </Table.Td>
        <Table.Td>
          <Group gap={4} justify="flex-end" wrap="nowrap">
            {model.status === 'ready' && (
              <Button
                size="xs"
                variant="light"
                leftSection={<IconPlayerPlay size={14} />}
                loading={busy === 'test'}
                aria-label={`Test ${model.name}`}
                onClick={() => void runTest(model.id).catch(fail(`${model.name} did not pass the test`))}
              >
                Test
              </Button>
            )}
            {model.loaded && (
              <Tooltip label="Free its memory">
                <ActionIcon variant="subtle" color="gray" aria-label={`Unload ${model.name}`} loading={busy === 'unload'} onClick={() => void unload(model.id).catch(fail('Not unloaded'))}>
                  <IconPlayerStop size={16} />
                </ActionIcon>
              </Tooltip>
            )}
            {isAdmin && model.status === 'failed' && model.url && (
              <Button
                size="xs"
                variant="light"
                leftSection={<IconRefresh size={14} />}
                aria-label={`Resume ${model.name}`}
                onClick={() => void download(model.catalogId ?? model.url!).catch(fail('Could not resume'))}
              >
                Resume
              </Button>
            )}
            {isAdmin && (
              <Tooltip label={model.source === 'download' ? 'Remove and delete the file' : 'Remove from the list (the file stays on disk)'}>
                <ActionIcon variant="subtle" color="red" aria-label={`Remove ${model.name}`} loading={busy === 'remove'} onClick={() => onRemove(model)}>
                  <IconTrash size={16} />
                </ActionIcon>
              </Tooltip>
            )}
          </Group>
        </Table.Td>
      </Table.Tr>
      {extra && (
        <Table.Tr>
          <Table.Td colSpan={7} pt={0}>
            {model.status === 'downloading' && <DownloadProgress model={model} />}
            {model.status === 'failed' && (
              <Text size="sm" c="red">
                {model.error ?? 'The download failed.'} {model.url ? 'Resume continues from the bytes already downloaded.' : ''}
              </Text>
            )}
            {model.status === 'missing' && (
              <Text size="sm" c="orange">
                The file is no longer at {model.file}. Remove the model and add it again from its new place.
              </Text>
            )}
            {test && <TestResult result={test} />}
          </Table.Td>
        </Table.Tr>
      )}
    </Fragment>
  );
}

function CatalogCard({ entry, isAdmin }: { entry: CatalogEntry; isAdmin: boolean }) {
  const download = useLocalModelsStore((s) => s.download);
  const job = useJobsStore(selectJob(entry.jobId));
  const [starting, setStarting] = useState(false);
  const start = async (): Promise<void> => {
    setStarting(true);
    try {
      await download(entry.id);
      notifications.show({ color: 'indigo', title: 'Download started', message: `${entry.name}: progress shows under Installed models. It resumes if interrupted.` });
    } catch (e) {
      notifications.show({ color: 'red', title: 'Download not started', message: errorMessage(e) });
    } finally {
      setStarting(false);
    }
  };
  return (
    <Card withBorder radius="md" padding="md" data-testid="catalog-card">
      <Stack gap="xs" h="100%">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Text fw={600} size="sm">
            {entry.name}
          </Text>
          <Badge variant="light" color={entry.purpose === 'embedding' ? 'grape' : 'indigo'} style={{ flexShrink: 0 }}>
            {entry.purpose}
          </Badge>
        </Group>
        <Text size="xs" c="dimmed" style={{ flex: 1 }}>
          {entry.description}
        </Text>
        <Group gap="xs">
          <Badge variant="default" radius="sm" tt="none">
            ~{fmtBytes(entry.sizeBytes)}
          </Badge>
          <Badge variant="default" radius="sm" tt="none">
            {entry.parameters} params
          </Badge>
          <Badge variant="default" radius="sm" tt="none">
            {fmtCount(entry.contextLength)} context
          </Badge>
          <Badge variant="default" radius="sm" tt="none">
            {entry.license}
          </Badge>
        </Group>
        {entry.status === 'downloading' && job ? (
          <JobProgress job={job} label={entry.name} formatRate={bytesPerSec} />
        ) : entry.status === 'installed' ? (
          <Button variant="light" color="teal" size="xs" disabled>
            Installed
          </Button>
        ) : entry.status === 'downloading' ? (
          <Button variant="light" size="xs" loading>
            Downloading
          </Button>
        ) : (
          isAdmin && (
            <Button size="xs" variant={entry.status === 'failed' ? 'light' : 'filled'} leftSection={entry.status === 'failed' ? <IconRefresh size={14} /> : <IconDownload size={14} />} loading={starting} onClick={() => void start()} aria-label={`${entry.status === 'failed' ? 'Resume' : 'Download'} ${entry.name}`}>
              {entry.status === 'failed' ? 'Resume download' : 'Download'}
            </Button>
          )
        )}
      </Stack>
    </Card>
  );
}

function AddModelModal({ mode, onClose }: { mode: 'file' | 'url' | null; onClose: () => void }) {
  const { addFile, download } = useLocalModelsStore.getState();
  const [source, setSource] = useState('');
  const [name, setName] = useState('');
  const [sha, setSha] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const close = (): void => {
    setSource('');
    setName('');
    setSha('');
    setErrors({});
    onClose();
  };
  const submit = async (): Promise<void> => {
    const local: FieldErrors = {};
    if (!source.trim()) local.source = mode === 'file' ? 'Give the path of a .gguf file.' : 'Give a link to a .gguf file.';
    else if (mode === 'url' && !/^https?:\/\/\S+$/i.test(source.trim())) local.source = 'Use an http:// or https:// link.';
    else if (mode === 'file' && !/\.gguf$/i.test(source.trim())) local.source = 'Local models are .gguf files.';
    if (sha.trim() && !/^[a-fA-F0-9]{64}$/.test(sha.trim())) local.sha256 = 'A sha256 checksum is 64 hexadecimal characters.';
    setErrors(local);
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      if (mode === 'file') {
        const m = await addFile(source.trim(), name.trim() || undefined);
        notifications.show({ color: 'teal', title: 'Model added', message: `${m.name} (${m.kind}) is ready. Test it, or use it in a Local provider.` });
      } else {
        await download(source.trim(), { ...(name.trim() ? { name: name.trim() } : {}), ...(sha.trim() ? { sha256: sha.trim() } : {}) });
        notifications.show({ color: 'indigo', title: 'Download started', message: 'Progress shows under Installed models.' });
      }
      close();
    } catch (e) {
      const f = appFieldErrors(e, { source: /gguf|file|path|url|link|exist|reach|registered|installed/i, sha256: /sha256|checksum/i });
      setErrors({ ...(f['path'] ? { source: f['path'] } : {}), ...f });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened={mode !== null} onClose={close} title={mode === 'file' ? 'Add a GGUF file from this computer' : 'Download a GGUF model from a link'} size="lg">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack>
          <Text size="sm" c="dimmed">
            {mode === 'file'
              ? 'The file stays where it is; the app remembers its path and reads its metadata (architecture, size, context). Removing the model later leaves the file on disk.'
              : 'Any direct link to a .gguf file (for example a Hugging Face “resolve” link). The download resumes after interruptions and is checked against the checksum you give or the one the server publishes.'}
          </Text>
          {errors._form && (
            <Alert color="red" variant="light">
              {errors._form}
            </Alert>
          )}
          <TextInput
            label={mode === 'file' ? 'Path of the .gguf file' : 'Link to the .gguf file'}
            withAsterisk
            placeholder={mode === 'file' ? '/home/me/models/model.Q4_K_M.gguf' : 'https://huggingface.co/…/resolve/main/model-Q4_K_M.gguf'}
            value={source}
            onChange={(e) => setSource(e.currentTarget.value)}
            error={errors.source}
            data-autofocus
          />
          <TextInput label="Display name" description="Optional; taken from the file when empty" value={name} onChange={(e) => setName(e.currentTarget.value)} error={errors.name} />
          {mode === 'url' && <TextInput label="sha256 checksum" description="Optional; verified when the download completes" value={sha} onChange={(e) => setSha(e.currentTarget.value)} error={errors.sha256} ff="monospace" />}
          <Group justify="flex-end">
            <Button variant="default" onClick={close} disabled={busy}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              {mode === 'file' ? 'Add model' : 'Start download'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function LocalModelsPanel() {
  const isAdmin = useSessionStore(selectIsAdmin);
  const { models, catalog, folder, loaded, error, load, remove } = useLocalModelsStore();
  const [adding, setAdding] = useState<'file' | 'url' | null>(null);
  const [removing, setRemoving] = useState<LocalModelInfo | null>(null);
  const [removeBusy, setRemoveBusy] = useState(false);

  useEffect(() => {
    void load();
    return bindLocalModelsEvents();
  }, [load]);

  const confirmRemove = async (): Promise<void> => {
    if (!removing) return;
    setRemoveBusy(true);
    try {
      await remove(removing.id);
      notifications.show({ color: 'teal', message: `Removed ${removing.name}.` });
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
        title="Local models"
        description="GGUF models that run on this computer’s CPU: offline, no key, no cost. Use one through a provider of kind Local; embedding models power offline search."
        actions={
          isAdmin && (
            <>
              <Button variant="default" leftSection={<IconLink size={16} />} onClick={() => setAdding('url')}>
                Download from link
              </Button>
              <Button leftSection={<IconFileImport size={16} />} onClick={() => setAdding('file')}>
                Add GGUF file
              </Button>
            </>
          )
        }
      />
      {!isAdmin && <AdminNote what="local models (members can test and unload them)" />}
      {error && (
        <Alert color="red" variant="light" title="Could not load the local models">
          {error}
        </Alert>
      )}
      <Stack gap="xs">
        <Group justify="space-between">
          <Text fw={600}>Installed models</Text>
          {folder && (
            <Text size="xs" c="dimmed">
              Downloads go to <Code>{folder}</Code>
            </Text>
          )}
        </Group>
        {!loaded ? (
          <Skeleton h={120} />
        ) : models.length === 0 ? (
          <Paper withBorder radius="md" py={36}>
            <EmptyState
              icon={<IconCpu size={26} />}
              variant="light"
              title="No local models yet"
              description="Download one from the curated list below, or add a .gguf file you already have (from Hugging Face, LM Studio or Ollama’s model folder)."
            />
          </Paper>
        ) : (
          <Paper withBorder radius="md">
            <Table.ScrollContainer minWidth={960}>
              <Table verticalSpacing="sm" horizontalSpacing="md" aria-label="Installed models">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Model</Table.Th>
                    <Table.Th>Kind</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>Size</Table.Th>
                    <Table.Th>Details</Table.Th>
                    <Table.Th>Checksum</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {models.map((m) => (
                    <ModelRow key={m.id} model={m} onRemove={setRemoving} />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Paper>
        )}
      </Stack>

      <Stack gap="xs">
        <div>
          <Text fw={600}>Curated catalog</Text>
          <Text size="sm" c="dimmed">
            Small models that work well for this app on a CPU. Sizes are approximate until the download starts.
          </Text>
        </div>
        {!loaded ? (
          <Skeleton h={160} />
        ) : (
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
            {catalog.map((c) => (
              <CatalogCard key={c.id} entry={c} isAdmin={isAdmin} />
            ))}
          </SimpleGrid>
        )}
      </Stack>

      <AddModelModal mode={adding} onClose={() => setAdding(null)} />
      <ConfirmDialog
        opened={!!removing}
        title={`Remove ${removing?.name ?? ''}?`}
        confirmLabel="Remove"
        cancelLabel="Keep it"
        busy={removeBusy}
        onConfirm={() => void confirmRemove()}
        onCancel={() => setRemoving(null)}
      >
        {removing?.source === 'download'
          ? `The downloaded file (${fmtBytes(removing.sizeBytes)}) is deleted from the models folder${removing.status === 'downloading' ? ' and the download is cancelled' : ''}.`
          : 'The model is removed from the list; the file stays where it is on disk.'}{' '}
        Local providers that use it stop working until you pick another model.
      </ConfirmDialog>
    </Stack>
  );
}
