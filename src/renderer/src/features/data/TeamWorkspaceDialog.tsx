import { useState } from 'react';
import { Alert, Button, Checkbox, Group, Modal, NumberInput, PasswordInput, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { ConnectionReport, TeamSchemaInfo } from '@shared/contract';
import { AppError } from '@shared/errors';
import { errorMessage } from '../../api/client';
import { JobProgress } from '../../components/JobProgress';
import { selectJob, useJobsStore } from '../../stores/jobsStore';
import { useWorkspaceStore } from '../../stores/workspaceStore';
import { waitFor } from './DemoCreator';

type Mode = 'create' | 'join';

/** What the connection test's typed failure (details.reason) is about, as a heading over its message. */
const REASON_TITLES: Record<string, string> = {
  refused: 'Connection refused',
  host: 'Unknown host',
  timeout: 'No answer',
  credentials: 'Wrong user name or password',
  not_allowed: 'This machine or user is not allowed',
  tls_required: 'The server requires TLS',
  tls_unsupported: 'The server does not offer TLS',
  tls_certificate: 'Untrusted TLS certificate',
  database: 'No such database',
  privilege: 'Missing privilege',
  schema: 'No such workspace schema',
  newer_schema: 'Made by a newer version of the app',
};

const schemaLabel = (s: TeamSchemaInfo): string =>
  `${s.name ?? '(no access)'} — ${s.schema}${s.compatible ? '' : ` (needs app ${s.appVersion ?? 'newer'})`}${s.attachedAs ? ` (attached as ${s.attachedAs})` : ''}`;

/**
 * "New team workspace" / "Join team workspace": a workspace that lives in a schema on a PostgreSQL server, shared by
 * several desktops. The connection string goes to the core once and is stored encrypted there; the renderer never
 * gets it back (lists show host and database only).
 */
export function TeamWorkspaceDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const testConnection = useWorkspaceStore((s) => s.testConnection);
  const createTeam = useWorkspaceStore((s) => s.createTeam);
  const attach = useWorkspaceStore((s) => s.attach);
  const select = useWorkspaceStore((s) => s.select);
  const [mode, setMode] = useState<Mode>('create');
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [schema, setSchema] = useState<string | null>(null);
  const [demo, setDemo] = useState(false);
  const [scale, setScale] = useState<number | string>(1);
  const [seed, setSeed] = useState<number | string>(42);
  const [report, setReport] = useState<ConnectionReport | null>(null);
  const [failure, setFailure] = useState<{ title: string; message: string } | null>(null);
  const [testing, setTesting] = useState(false);
  const [busy, setBusy] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  const job = useJobsStore(selectJob(jobId));
  const track = useJobsStore((s) => s.track);
  const cancel = useJobsStore((s) => s.cancel);
  const running = busy || job?.status === 'queued' || job?.status === 'running';

  const fail = (e: unknown): void => {
    const reason = AppError.is(e) ? (e.details?.reason as string | undefined) : undefined;
    setFailure({ title: (reason && REASON_TITLES[reason]) ?? 'It did not work', message: errorMessage(e) });
  };

  const test = async (): Promise<void> => {
    setTesting(true);
    setFailure(null);
    setReport(null);
    try {
      setReport(await testConnection(url.trim(), mode === 'join' ? (schema ?? undefined) : undefined));
    } catch (e) {
      fail(e);
    } finally {
      setTesting(false);
    }
  };

  const submit = async (): Promise<void> => {
    setFailure(null);
    setBusy(true);
    try {
      if (mode === 'join') {
        const res = await attach(name.trim(), url.trim(), schema ?? undefined);
        if (!res.workspace) {
          setReport((r) => (r ? { ...r, schemas: res.schemas } : r));
          setFailure({ title: 'Pick a workspace', message: `There is no team workspace named “${name.trim()}” on that server. Pick one from the list.` });
          if (!report) await test();
          return;
        }
        notifications.show({ color: 'teal', title: 'Joined team workspace', message: `“${res.workspace.name}” is now the current workspace.` });
        close(true);
        return;
      }
      const id = await createTeam(name.trim(), url.trim(), demo ? { scale: Number(scale), seed: Number(seed) } : undefined);
      if (id) {
        setJobId(id);
        setBusy(false);
        if ((await waitFor(id, track)) !== 'completed') return;
        select(name.trim());
      }
      notifications.show({ color: 'teal', title: 'Team workspace ready', message: `“${name.trim()}” is now the current workspace.` });
      close(true);
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };

  const close = (force = false): void => {
    if (running && !force) return;
    setJobId(null);
    setFailure(null);
    setReport(null);
    setUrl('');
    onClose();
  };

  const schemas = report?.schemas ?? [];
  return (
    <Modal opened={opened} onClose={() => close()} title="Team workspace on PostgreSQL" size="lg" closeOnClickOutside={!running}>
      <Stack>
        <SegmentedControl
          value={mode}
          onChange={(v) => {
            setMode(v as Mode);
            setFailure(null);
          }}
          data={[
            { value: 'create', label: 'New team workspace' },
            { value: 'join', label: 'Join team workspace' },
          ]}
          disabled={running}
        />
        <Text size="sm" c="dimmed">
          {mode === 'create'
            ? 'Creates the workspace as a new schema in a PostgreSQL database, so colleagues can join it from their desktops. The user needs CREATE on the database.'
            : 'Joins a workspace a colleague created on a PostgreSQL server. Its search index is built on this machine.'}
        </Text>
        <TextInput label="Name" description={mode === 'join' ? 'Joins the workspace with this name, unless you pick one below' : undefined} value={name} onChange={(e) => setName(e.currentTarget.value)} disabled={running} data-autofocus />
        <PasswordInput
          label="Connection string"
          description="postgres://user:password@host:5432/database — add ?sslmode=require for servers that need TLS. Stored encrypted; never shown again."
          value={url}
          onChange={(e) => {
            setUrl(e.currentTarget.value);
            setReport(null);
          }}
          disabled={running}
          autoComplete="off"
        />
        <Group>
          <Button variant="default" onClick={() => void test()} loading={testing} disabled={!url.trim() || running}>
            Test connection
          </Button>
          {report && (
            <Text size="sm" c="teal" data-testid="connection-ok">
              Connected to PostgreSQL {report.serverVersion} at {report.server.host}:{report.server.port}, database “{report.server.database}” as “{report.server.user}”
              {report.tls ? ' over TLS' : ' (not encrypted)'}.{mode === 'create' && !report.canCreateSchema ? ' This user may not create schemas here.' : ''}
            </Text>
          )}
        </Group>
        {failure && (
          <Alert color="red" title={failure.title} data-testid="connection-error">
            {failure.message}
          </Alert>
        )}
        {mode === 'join' && schemas.length > 0 && (
          <Select
            label="Workspace on the server"
            placeholder="By name"
            data={schemas.map((s) => ({ value: s.schema, label: schemaLabel(s), disabled: !s.compatible || s.attachedAs !== null }))}
            value={schema}
            onChange={setSchema}
            clearable
            disabled={running}
          />
        )}
        {mode === 'create' && (
          <>
            <Checkbox label="Fill it with generated demo data" checked={demo} onChange={(e) => setDemo(e.currentTarget.checked)} disabled={running} />
            {demo && (
              <Group grow>
                <NumberInput label="Scale" description={`≈ ${Math.round(5000 * (Number(scale) || 0)).toLocaleString()} rows`} value={scale} onChange={setScale} min={0.01} max={200} decimalScale={2} disabled={running} />
                <NumberInput label="Seed" value={seed} onChange={setSeed} min={0} allowDecimal={false} disabled={running} />
              </Group>
            )}
          </>
        )}
        <JobProgress job={job} label="Generating" unit="rows" onCancel={jobId ? () => void cancel(jobId) : undefined} />
        <Group justify="flex-end">
          <Button variant="default" onClick={() => close()} disabled={running}>
            Close
          </Button>
          <Button onClick={() => void submit()} loading={running} disabled={!name.trim() || !url.trim()}>
            {mode === 'create' ? 'Create' : 'Join'}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
