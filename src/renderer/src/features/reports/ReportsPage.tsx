import { Alert, Badge, Button, Card, Group, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput, Title, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconDownload, IconEye, IconFileTypePdf, IconFolder, IconRefresh, IconTrash } from '@tabler/icons-react';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { isFinished, type ReportRunInfo, type ReportScheduleInfo, type RouteOutput } from '@shared/contract';
import type { ReportParamsInput } from '@shared/reports/templates';
import { call, errorMessage, transportKind } from '../../api/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { JobProgress } from '../../components/JobProgress';
import { selectJob, useJobsStore } from '../../stores/jobsStore';
import { selectCurrentWorkspace, useWorkspaceStore } from '../../stores/workspaceStore';

type Template = RouteOutput<'reports.templates'>['templates'][number];
interface Params {
  from: string;
  to: string;
  owner: string;
  team: string;
  pipeline: string;
  compare: 'previous_period' | 'none';
}
const EMPTY: Params = { from: '', to: '', owner: '', team: '', pipeline: '', compare: 'previous_period' };

/** Only the fields a person filled in (empty dates mean the template's default range). */
function toInput(p: Params, t: Template | undefined): ReportParamsInput {
  const out: ReportParamsInput = { compare: p.compare };
  if (p.from) out.from = p.from;
  if (p.to) out.to = p.to;
  for (const k of ['owner', 'team', 'pipeline'] as const) if (p[k].trim() && t?.parameters.includes(k)) out[k] = p[k].trim();
  return out;
}

const kb = (n: number | null): string => (n === null ? '' : n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1e3))} kB`);
const when = (iso: string | null): string => (iso ? new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' }) : '');
const statusColor: Record<ReportRunInfo['status'], string> = { ok: 'teal', failed: 'red', running: 'indigo', cancelled: 'gray' };

/** The preview HTML in a shadow root: its styles stay inside, and it carries no script (ADR 0080 escapes every string). */
function HtmlPreview({ html }: { html: string }) {
  const host = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const el = host.current;
    if (!el) return;
    const root = el.shadowRoot ?? el.attachShadow({ mode: 'open' });
    const doc = new DOMParser().parseFromString(html, 'text/html');
    root.replaceChildren(...[...doc.head.querySelectorAll('style')].map((s) => s.cloneNode(true)), ...[...doc.body.childNodes].map((n) => n.cloneNode(true)));
  }, [html]);
  return <div ref={host} data-testid="report-preview" style={{ border: '1px solid var(--mantine-color-default-border)', borderRadius: 6, maxHeight: 640, overflow: 'auto' }} />;
}

function SchedulesPanel({ workspace, template, params }: { workspace: string; template: Template | undefined; params: ReportParamsInput }) {
  const [list, setList] = useState<ReportScheduleInfo[]>([]);
  const [cron, setCron] = useState('0 9 * * 1');
  const [tz, setTz] = useState(Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
  const [outDir, setOutDir] = useState('');
  const [next, setNext] = useState<string[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [debounced] = useDebouncedValue(`${cron}|${tz}`, 250);
  const [reload, setReload] = useState(0);
  const load = useCallback(() => setReload((n) => n + 1), []);
  useEffect(() => {
    call('reports.schedules.list', { workspace })
      .then((r) => setList(r.schedules))
      .catch((e: unknown) => setError(errorMessage(e)));
  }, [workspace, reload]);
  useEffect(() => {
    const [c, z] = debounced.split('|');
    call('reports.schedules.preview', { cron: c!, timezone: z!, count: 3 })
      .then((r) => {
        setNext(r.next);
        setProblem(null);
      })
      .catch((e: unknown) => {
        setNext([]);
        setProblem(errorMessage(e));
      });
  }, [debounced]);
  const add = async (): Promise<void> => {
    if (!template) return;
    setError(null);
    try {
      await call('reports.schedules.add', { workspace, template: template.key, cron, timezone: tz, outDir, params });
      load();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Title order={4}>Schedules</Title>
        <Group align="flex-end" wrap="wrap">
          <TextInput label="Cron" description="minute hour day month weekday" value={cron} onChange={(e) => setCron(e.currentTarget.value)} w={180} aria-label="Cron" />
          <TextInput label="Time zone" value={tz} onChange={(e) => setTz(e.currentTarget.value)} w={180} aria-label="Time zone" />
          <TextInput label="Output folder" placeholder="/Users/me/Reports" value={outDir} onChange={(e) => setOutDir(e.currentTarget.value)} w={260} aria-label="Output folder" />
          <Button onClick={() => void add()} disabled={!template || !outDir || problem !== null}>
            Schedule {template?.name ?? ''}
          </Button>
        </Group>
        <Text size="xs" c={problem ? 'red' : 'dimmed'} data-testid="schedule-next-runs">
          {problem ?? (next.length ? `Next runs: ${next.map((n) => when(n)).join(' · ')}` : '')}
        </Text>
        {error && (
          <Text size="sm" c="red">
            {error}
          </Text>
        )}
        {list.length === 0 ? (
          <Text size="sm" c="dimmed">
            No schedules yet.
          </Text>
        ) : (
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Template</Table.Th>
                <Table.Th>When</Table.Th>
                <Table.Th>Next runs</Table.Th>
                <Table.Th>Last run</Table.Th>
                <Table.Th>Folder</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td>{s.template}</Table.Td>
                  <Table.Td>
                    {s.cron} ({s.timezone})
                  </Table.Td>
                  <Table.Td>{s.upcoming.slice(0, 2).map(when).join(', ')}</Table.Td>
                  <Table.Td>{s.lastStatus ? <Badge color={s.lastStatus === 'ok' ? 'teal' : s.lastStatus === 'running' ? 'indigo' : 'red'}>{s.lastStatus}</Badge> : '—'}</Table.Td>
                  <Table.Td>
                    <Text size="xs">{s.outDir}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Button size="xs" variant="subtle" color="red" onClick={() => void call('reports.schedules.remove', { workspace, id: s.id }).then(load)} aria-label={`Remove schedule ${s.id}`}>
                      Remove
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Paper>
  );
}

function RunDetails({ run, workspace, onChanged }: { run: ReportRunInfo; workspace: string; onChanged: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [confirm, setConfirm] = useState(false);
  const web = transportKind() !== 'electron';
  const act = async (fn: () => Promise<unknown>): Promise<void> => {
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const download = async (): Promise<void> => {
    const f = await call('reports.download', { workspace, id: run.id });
    const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
    const url = URL.createObjectURL(new Blob([bytes], { type: f.mime }));
    const a = document.createElement('a');
    a.href = url;
    a.download = f.name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  const open = async (reveal: boolean): Promise<void> => {
    const r = await call('reports.open', { workspace, id: run.id, reveal });
    if (!r.opened) setError(r.reason);
  };
  return (
    <Card withBorder data-testid="report-run-details">
      <Stack gap={6}>
        <Group justify="space-between">
          <Text fw={600}>{run.title}</Text>
          <Badge color={statusColor[run.status]}>{run.status}</Badge>
        </Group>
        {run.failure && (
          <Alert color={run.status === 'cancelled' ? 'gray' : 'red'} title={run.status === 'failed' ? 'This report failed' : 'Not finished'}>
            {run.failure}
          </Alert>
        )}
        <Text size="sm">
          Parameters:{' '}
          {Object.entries(run.params)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')}
        </Text>
        <Text size="sm">
          {run.pages ?? '?'} pages · {kb(run.bytes)} · {run.durationMs === null ? '' : `${(run.durationMs / 1000).toFixed(1)} s`} · {run.trigger}
          {run.flagged ? ` · ${run.flagged} narrative number(s) unverified` : ''}
        </Text>
        <Text size="xs" c="dimmed">
          {run.file} · data {run.fingerprint}
        </Text>
        <Group gap="xs">
          {web ? (
            <Button size="xs" leftSection={<IconDownload size={14} />} disabled={!run.fileExists} onClick={() => void act(download)}>
              Download
            </Button>
          ) : (
            <>
              <Button size="xs" leftSection={<IconFileTypePdf size={14} />} disabled={!run.fileExists} onClick={() => void act(() => open(false))}>
                Open
              </Button>
              <Button size="xs" variant="light" leftSection={<IconFolder size={14} />} disabled={!run.fileExists} onClick={() => void act(() => open(true))}>
                Show in folder
              </Button>
            </>
          )}
          <Button size="xs" variant="light" leftSection={<IconRefresh size={14} />} disabled={run.status === 'running'} onClick={() => void act(async () => (await call('reports.rerun', { workspace, id: run.id }), onChanged()))}>
            Re-run
          </Button>
          <Button size="xs" variant="subtle" color="red" leftSection={<IconTrash size={14} />} disabled={run.status === 'running'} onClick={() => setConfirm(true)}>
            Delete
          </Button>
        </Group>
        {error && (
          <Text size="sm" c="red">
            {error}
          </Text>
        )}
      </Stack>
      <ConfirmDialog
        opened={confirm}
        busy={false}
        title="Delete this report?"
        confirmLabel="Delete"
        onCancel={() => setConfirm(false)}
        onConfirm={() => {
          setConfirm(false);
          void act(async () => (await call('reports.delete', { workspace, id: run.id }), onChanged()));
        }}
      >
        The history entry and its file ({run.file}) are removed.
      </ConfirmDialog>
    </Card>
  );
}

/** Reports: template library, parameters, HTML preview, Generate PDF with progress, history and schedules (ADR 0084). */
export function ReportsPage() {
  const workspace = useWorkspaceStore(selectCurrentWorkspace);
  const ready = workspace?.status === 'ready' ? workspace.name : null;
  const [templates, setTemplates] = useState<Template[]>([]);
  const [selected, setSelected] = useState<string>('weekly_sales');
  const [params, setParams] = useState<Params>(EMPTY);
  const [preview, setPreview] = useState<RouteOutput<'reports.preview'> | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  const [runs, setRuns] = useState<ReportRunInfo[]>([]);
  const [openRun, setOpenRun] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const job = useJobsStore(selectJob(jobId));
  const track = useJobsStore((s) => s.track);
  const cancel = useJobsStore((s) => s.cancel);
  const template = templates.find((t) => t.key === selected);

  useEffect(() => void call('reports.templates', {}).then((r) => setTemplates(r.templates)), []);
  const [reload, setReload] = useState(0);
  const loadHistory = useCallback(() => setReload((n) => n + 1), []);
  // The history reloads when asked, and when the report being generated finishes.
  const finished = job && isFinished(job.status) ? job.jobId : null;
  useEffect(() => {
    if (!ready) return;
    call('reports.history', { workspace: ready, limit: 100 })
      .then((r) => setRuns(r.runs))
      .catch((e: unknown) => setError(errorMessage(e)));
  }, [ready, reload, finished]);

  if (!ready) {
    return (
      <Stack>
        <Title order={2}>Reports</Title>
        <Text c="dimmed">Open a workspace to build reports.</Text>
      </Stack>
    );
  }
  const input = toInput(params, template);
  const set = (k: keyof Params) => (e: React.ChangeEvent<HTMLInputElement>) => setParams({ ...params, [k]: e.currentTarget.value });

  const doPreview = async (): Promise<void> => {
    setPreviewing(true);
    setError(null);
    try {
      setPreview(await call('reports.preview', { workspace: ready, template: selected, params: input, theme: 'light' }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setPreviewing(false);
    }
  };
  const generate = async (): Promise<void> => {
    setError(null);
    try {
      const res = await call('reports.run', { workspace: ready, template: selected, params: input, format: 'pdf' });
      setJobId(res.jobId);
      setOpenRun(res.run.id);
      await track(res.jobId);
      loadHistory();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const running = job !== undefined && !isFinished(job.status);
  const shown = runs.find((r) => r.id === openRun);

  return (
    <Stack gap="md">
      <Title order={2}>Reports</Title>
      <SimpleGrid cols={{ base: 2, md: 3 }} spacing="sm" data-testid="report-templates">
        {templates.map((t) => (
          <UnstyledButton key={t.key} onClick={() => setSelected(t.key)} aria-pressed={t.key === selected} data-testid={`template-${t.key}`}>
            <Card withBorder padding="sm" style={{ borderColor: t.key === selected ? 'var(--mantine-color-indigo-5)' : undefined, height: '100%' }}>
              <Text fw={600} size="sm">
                {t.name}
              </Text>
              <Text size="xs" c="dimmed">
                {t.description}
              </Text>
            </Card>
          </UnstyledButton>
        ))}
      </SimpleGrid>

      {template && (
        <Paper withBorder p="md">
          <Stack gap="sm">
            <Text size="sm" c="dimmed">
              {template.name}: leave the dates empty for the {template.defaultRange.direction === 'past' ? 'last' : 'next'} {template.defaultRange.days} days.
            </Text>
            <Group align="flex-end" wrap="wrap">
              <TextInput type="date" label="From" value={params.from} onChange={set('from')} aria-label="From" />
              <TextInput type="date" label="To" value={params.to} onChange={set('to')} aria-label="To" />
              {template.parameters.includes('owner') && <TextInput label="Owner" value={params.owner} onChange={set('owner')} aria-label="Owner" />}
              {template.parameters.includes('team') && <TextInput label="Team" value={params.team} onChange={set('team')} aria-label="Team" />}
              {template.parameters.includes('pipeline') && <TextInput label="Pipeline (lead source)" value={params.pipeline} onChange={set('pipeline')} aria-label="Pipeline" />}
              <Select
                label="Compare with"
                data={[
                  { value: 'previous_period', label: template.compareWith === 'previous_run' ? 'Previous forecast' : 'Previous period' },
                  { value: 'none', label: 'Nothing' },
                ]}
                value={params.compare}
                onChange={(v) => setParams({ ...params, compare: v === 'none' ? 'none' : 'previous_period' })}
                allowDeselect={false}
                w={180}
              />
            </Group>
            <Group>
              <Button variant="light" leftSection={<IconEye size={16} />} loading={previewing} onClick={() => void doPreview()}>
                Preview
              </Button>
              <Button leftSection={<IconFileTypePdf size={16} />} disabled={running} onClick={() => void generate()}>
                Generate PDF
              </Button>
            </Group>
            {job && <JobProgress job={job} label={template.name} onCancel={running ? () => void cancel(job.jobId) : undefined} />}
            {error && (
              <Text size="sm" c="red">
                {error}
              </Text>
            )}
          </Stack>
        </Paper>
      )}

      {preview && (
        <Stack gap={4}>
          {preview.status === 'failed' && <Alert color="red" title="Some sections could not be computed">{preview.failures.map((f) => `${f.title}: ${f.reason}`).join(' · ')}</Alert>}
          <HtmlPreview html={preview.html} />
        </Stack>
      )}

      <Paper withBorder p="md">
        <Stack gap="sm">
          <Title order={4}>History</Title>
          {runs.length === 0 ? (
            <Text size="sm" c="dimmed">
              No reports yet.
            </Text>
          ) : (
            <Table striped highlightOnHover data-testid="report-history">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Report</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Started</Table.Th>
                  <Table.Th>Parameters</Table.Th>
                  <Table.Th>Pages</Table.Th>
                  <Table.Th>Size</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {runs.map((r) => (
                  <Table.Tr key={r.id} onClick={() => setOpenRun(r.id)} style={{ cursor: 'pointer' }} data-testid={`report-run-${r.id}`} aria-selected={r.id === openRun}>
                    <Table.Td>{r.title}</Table.Td>
                    <Table.Td>
                      <Badge color={statusColor[r.status]}>{r.status}</Badge>
                    </Table.Td>
                    <Table.Td>{when(r.startedAt)}</Table.Td>
                    <Table.Td>
                      <Text size="xs">
                        {Object.entries(r.params)
                          .filter(([k]) => k !== 'compare')
                          .map(([k, v]) => `${k} ${v}`)
                          .join(', ') || 'defaults'}
                      </Text>
                    </Table.Td>
                    <Table.Td>{r.pages ?? ''}</Table.Td>
                    <Table.Td>{kb(r.bytes)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          {shown && <RunDetails run={shown} workspace={ready} onChanged={loadHistory} />}
        </Stack>
      </Paper>

      <SchedulesPanel workspace={ready} template={template} params={input} />
    </Stack>
  );
}
