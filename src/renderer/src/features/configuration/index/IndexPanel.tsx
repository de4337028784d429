import { useEffect, useState } from 'react';
import { ActionIcon, Alert, Anchor, Button, Group, Paper, SimpleGrid, Skeleton, Stack, Text, Tooltip, EmptyState } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDatabaseSearch, IconHammer, IconPlayerPlay, IconRefresh, IconSearch } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { IndexVersionInfo, JobInfo } from '@shared/contract';
import { errorMessage } from '../../../api/client';
import { JobProgress } from '../../../components/JobProgress';
import { selectJob, useJobsStore } from '../../../stores/jobsStore';
import { selectIsAdmin, useSessionStore } from '../../../stores/sessionStore';
import { bindVectorsEvents, isInterrupted, useVectorsStore } from '../../../stores/vectorsStore';
import { useWorkspaceStore } from '../../../stores/workspaceStore';
import { AdminNote } from '../shared/AdminNote';
import { fmtAgo, fmtMs } from '../shared/format';
import { SectionHeader } from '../shared/Section';
import { BuildModal } from './BuildForm';
import { EvaluationCard } from './EvaluationCard';
import { QualityCard, scoreColor } from './QualityCard';
import { chunkingLabel, VersionsTable } from './VersionsTable';

function StatCard({ label, value, detail, testId, color }: { label: string; value: string; detail: string; testId: string; color?: string }) {
  return (
    <Paper withBorder radius="md" p="md" data-testid={testId}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fz={24} fw={700} lh={1.3} c={color} truncate="end">
        {value}
      </Text>
      <Text size="xs" c="dimmed" lineClamp={2}>
        {detail}
      </Text>
    </Paper>
  );
}

const latest = (a: string | null, b: string | null): string | null => (a && b ? (a > b ? a : b) : (a ?? b));

interface BuildResult {
  versionId?: number;
  documents?: number;
  embedded?: number;
  reused?: number;
  deletedDocuments?: number;
  ms?: number;
  qualityScore?: number;
  activated?: boolean;
  skipped?: string;
}

/** One line on what a finished build did. */
function resultLine(job: JobInfo): string | null {
  const r = job.result as BuildResult | null;
  if (job.status !== 'completed' || !r) return null;
  if (r.skipped) return `Nothing to do: version ${r.versionId} was ${r.skipped}.`;
  const parts = [
    `${(r.documents ?? 0).toLocaleString('en-US')} records`,
    `${(r.embedded ?? 0).toLocaleString('en-US')} chunks embedded`,
    r.reused ? `${r.reused.toLocaleString('en-US')} reused` : null,
    r.deletedDocuments ? `${r.deletedDocuments.toLocaleString('en-US')} removed` : null,
  ].filter(Boolean);
  return `Index v${r.versionId} ready: ${parts.join(', ')} in ${fmtMs(r.ms)}${r.qualityScore !== undefined ? ` · quality ${r.qualityScore.toFixed(3)}` : ''}${r.activated ? ' · now active' : ''}.`;
}

function BuildJob({ versions }: { versions: IndexVersionInfo[] }) {
  const jobId = useVectorsStore((s) => s.buildJobId);
  const job = useJobsStore(selectJob(jobId));
  const { cancelBuild, dismissJob } = useVectorsStore.getState();
  if (!jobId || !job) return null;
  const version = versions.find((v) => v.writer?.jobId === jobId);
  const running = job.status === 'queued' || job.status === 'running';
  const line = resultLine(job);
  return (
    <Paper withBorder radius="md" p="md" data-testid="build-job">
      <Stack gap={6}>
        <JobProgress
          job={job}
          label={version ? `Index v${version.id}` : 'Index build'}
          unit="records"
          onCancel={() =>
            void cancelBuild().then(
              () => notifications.show({ color: 'gray', message: 'Cancelled. Everything committed so far is kept; resume continues from there.' }),
              (e: unknown) => notifications.show({ color: 'red', title: 'Not cancelled', message: errorMessage(e) }),
            )
          }
        />
        {line && (
          <Text size="sm" c="teal" data-testid="build-result">
            {line}
          </Text>
        )}
        {job.status === 'cancelled' && (
          <Text size="sm" c="dimmed">
            Cancelled. Everything committed so far is kept: resume continues from there.
          </Text>
        )}
        {!running && (
          <Group justify="space-between">
            {job.status === 'completed' ? (
              <Anchor component={Link} to="/search" size="sm">
                <Group gap={4}>
                  <IconSearch size={14} />
                  Try it on the Search page
                </Group>
              </Anchor>
            ) : (
              <span />
            )}
            <Button size="compact-xs" variant="subtle" color="gray" onClick={() => dismissJob('build')}>
              Dismiss
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}

function InterruptedAlert({ v, isAdmin, disabled }: { v: IndexVersionInfo; isAdmin: boolean; disabled: boolean }) {
  const resume = useVectorsStore((s) => s.resume);
  const busy = useVectorsStore((s) => s.busy[String(v.id)]);
  const isUpdate = v.progress?.mode === 'update';
  // Members may continue an update of the active version (vectors.update); builds are admin work.
  const allowed = isAdmin || (isUpdate && v.active);
  const run = (): void =>
    void resume(v).then(
      (r) => notifications.show({ color: 'indigo', title: `Resuming index v${r.versionId}`, message: 'It continues after the last committed batch; nothing is embedded twice.' }),
      (e: unknown) => notifications.show({ color: 'red', title: 'Not resumed', message: errorMessage(e) }),
    );
  return (
    <Alert color="orange" variant="light" title={`${isUpdate ? 'An update' : 'The build'} of index v${v.id} was interrupted`} data-testid="interrupted">
      <Group justify="space-between" align="flex-end" gap="sm">
        <Text size="sm" maw={720}>
          It stopped after {v.progress!.documents.toLocaleString('en-US')} records ({v.progress!.embedded.toLocaleString('en-US')} chunks embedded)
          {v.status === 'cancelled' ? ', when it was cancelled' : v.status === 'failed' ? `, on an error: ${v.error ?? 'unknown'}` : ', when the app stopped'}. Resuming continues after the last committed batch; nothing is embedded twice.
        </Text>
        {allowed && (
          <Button size="xs" color="orange" leftSection={<IconPlayerPlay size={14} />} loading={busy === 'resume'} disabled={disabled} onClick={run}>
            Resume v{v.id}
          </Button>
        )}
      </Group>
    </Alert>
  );
}

/** Configuration → Embeddings & Index: embedder and chunking, builds, versions, quality and evaluation. */
export function IndexPanel() {
  const workspace = useWorkspaceStore((s) => s.current);
  const isAdmin = useSessionStore(selectIsAdmin);
  const { status, versions, evaluations, embedders, loaded, loading, error, load, update } = useVectorsStore();
  const buildJob = useJobsStore(selectJob(useVectorsStore((s) => s.buildJobId)));
  const [qualityOf, setQualityOf] = useState<number | null>(null);
  const [updating, setUpdating] = useState(false);
  const [buildOpen, setBuildOpen] = useState(false);

  useEffect(() => {
    if (workspace) void load(workspace);
  }, [workspace, load]);
  useEffect(() => bindVectorsEvents(), []);

  if (!workspace) {
    return (
      <Alert variant="light" title="No workspace selected">
        Each workspace has its own search index. Create or pick one in the header first.
      </Alert>
    );
  }

  const active = status?.active ?? null;
  const building = buildJob ? buildJob.status === 'queued' || buildJob.status === 'running' : (status?.building.some((v) => v.writer) ?? false);
  const interrupted = versions.filter(isInterrupted);
  const hasReady = versions.some((v) => v.status === 'ready');

  const runUpdate = async (): Promise<void> => {
    setUpdating(true);
    try {
      await update();
    } catch (e) {
      notifications.show({ color: 'red', title: 'Update not started', message: errorMessage(e) });
    } finally {
      setUpdating(false);
    }
  };

  return (
    <Stack gap="lg">
      <SectionHeader
        title="Embeddings & Index"
        description={`The search index of workspace “${workspace}”: records cut into chunks, embedded as vectors and indexed for keywords, inside the workspace’s own file. Nothing leaves this machine unless you pick a provider embedder.`}
        actions={
          <>
            {active && (
              <Tooltip label="Embed new and changed records now (the app also does this a few seconds after imports)">
                <Button variant="default" leftSection={<IconRefresh size={16} />} onClick={() => void runUpdate()} loading={updating} disabled={building}>
                  Update now
                </Button>
              </Tooltip>
            )}
            {isAdmin && versions.length > 0 && (
              <Button leftSection={<IconHammer size={16} />} onClick={() => setBuildOpen(true)}>
                Build version
              </Button>
            )}
            <Tooltip label="Refresh">
              <ActionIcon variant="default" size="lg" aria-label="Refresh index status" onClick={() => void load(workspace)} loading={loading}>
                <IconRefresh size={16} />
              </ActionIcon>
            </Tooltip>
          </>
        }
      />
      {!isAdmin && <AdminNote what="how the index is built, or switch and delete versions (members can update it, run evaluations and search)" />}
      {error && (
        <Alert color="red" variant="light" title="Could not load the index">
          {error}
        </Alert>
      )}
      {interrupted.map((v) => (
        <InterruptedAlert key={v.id} v={v} isAdmin={isAdmin} disabled={building} />
      ))}
      <BuildJob versions={versions} />

      {!loaded ? (
        <Stack>
          <SimpleGrid cols={{ base: 2, md: 4 }}>
            {[0, 1, 2, 3].map((i) => (
              <Skeleton key={i} h={92} />
            ))}
          </SimpleGrid>
          <Skeleton h={180} />
        </Stack>
      ) : versions.length === 0 ? (
        <Paper withBorder radius="md" py={36} data-testid="index-empty">
          <EmptyState
            icon={<IconDatabaseSearch size={28} />}
            variant="light"
            title="No index yet — build one to search by meaning"
            description={
              isAdmin
                ? 'Pick an embedder and a chunking, and build. The built-in lexical embedder needs no model and takes seconds; search then works by words, codes and similar spellings.'
                : 'An admin builds the first index; search works as soon as it is ready.'
            }
          >
            {isAdmin && (
              <EmptyState.Actions>
                <Button leftSection={<IconHammer size={16} />} onClick={() => setBuildOpen(true)} disabled={building}>
                  Build index
                </Button>
              </EmptyState.Actions>
            )}
          </EmptyState>
        </Paper>
      ) : (
        <>
          <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
            <StatCard testId="card-active" label="Active index" value={active ? `v${active.id}` : 'None'} detail={active ? `${active.embedder.label} · ${active.dimensions} dims` : 'Switch to a ready version to search'} />
            <StatCard testId="card-chunks" label="Chunks" value={active ? active.chunks.toLocaleString('en-US') : '—'} detail={active ? `from ${active.documents.toLocaleString('en-US')} records · ${chunkingLabel(active)}` : ''} />
            <StatCard
              testId="card-quality"
              label="Quality"
              value={active?.quality ? active.quality.score.toFixed(3) : '—'}
              color={active?.quality ? scoreColor(active.quality.score) : undefined}
              detail={active?.quality ? `${active.quality.zeroVectors} zero vectors · ${(active.quality.duplicateRate * 100).toFixed(1)}% duplicates` : 'Computed when a build finishes'}
            />
            <StatCard
              testId="card-updated"
              label="Last indexed"
              value={active ? fmtAgo(latest(active.builtAt, active.updatedAt)) : '—'}
              detail={active ? [active.builtAt ? `built ${fmtAgo(active.builtAt)}` : null, active.updatedAt ? `updated ${fmtAgo(active.updatedAt)}` : null, `${versions.length} ${versions.length === 1 ? 'version' : 'versions'}`].filter(Boolean).join(' · ') : ''}
            />
          </SimpleGrid>
          <VersionsTable versions={versions} isAdmin={isAdmin} onShowQuality={setQualityOf} />
          <QualityCard versions={versions} selected={qualityOf} onSelect={setQualityOf} />
          <EvaluationCard evaluations={evaluations} hasReady={hasReady} />
        </>
      )}
      {isAdmin && <BuildModal opened={buildOpen} onClose={() => setBuildOpen(false)} versions={versions} embedders={embedders} busy={building} />}
    </Stack>
  );
}
