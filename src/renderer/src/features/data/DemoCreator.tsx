import { useState } from 'react';
import { Button, Group, Modal, NumberInput, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { errorMessage } from '../../api/client';
import { JobProgress } from '../../components/JobProgress';
import { selectJob, useJobsStore } from '../../stores/jobsStore';
import { useWorkspaceStore } from '../../stores/workspaceStore';

/** Creates a generated demo workspace and follows the generation job. */
export function DemoCreator({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const create = useWorkspaceStore((s) => s.create);
  const select = useWorkspaceStore((s) => s.select);
  const [name, setName] = useState('Demo');
  const [scale, setScale] = useState<number | string>(1);
  const [seed, setSeed] = useState<number | string>(42);
  const [error, setError] = useState<string | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const job = useJobsStore(selectJob(jobId));
  const track = useJobsStore((s) => s.track);
  const cancel = useJobsStore((s) => s.cancel);
  const running = job?.status === 'queued' || job?.status === 'running';

  const submit = async (): Promise<void> => {
    setError(null);
    try {
      const id = await create(name.trim(), { scale: Number(scale), seed: Number(seed) });
      if (!id) return;
      setJobId(id);
      const done = await waitFor(id, track);
      if (done === 'completed') {
        select(name.trim());
        notifications.show({ color: 'teal', title: 'Demo workspace ready', message: `“${name.trim()}” is now the current workspace.` });
        close();
      }
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const close = (): void => {
    if (running) return;
    setJobId(null);
    setError(null);
    onClose();
  };

  const rows = Math.round(5000 * (Number(scale) || 0));
  return (
    <Modal opened={opened} onClose={close} title="Create a demo workspace" size="md" closeOnClickOutside={!running}>
      <Stack>
        <Text size="sm" c="dimmed">
          Generates a realistic organisation — CRM, support, inbox, projects, campaigns, field dispatch, vendors, agents, customer success and goals — with
          planted trends and anomalies for the analysis to find. The same seed gives the same data.
        </Text>
        <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} error={error} disabled={running} data-autofocus />
        <Group grow>
          <NumberInput
            label="Scale"
            description={`≈ ${rows.toLocaleString()} rows`}
            value={scale}
            onChange={setScale}
            min={0.01}
            max={200}
            step={1}
            decimalScale={2}
            disabled={running}
          />
          <NumberInput label="Seed" description="Same seed, same data" value={seed} onChange={setSeed} min={0} allowDecimal={false} disabled={running} />
        </Group>
        <JobProgress job={job} label="Generating" unit="rows" onCancel={jobId ? () => void cancel(jobId) : undefined} />
        <Group justify="flex-end">
          <Button variant="default" onClick={close} disabled={running}>
            Close
          </Button>
          <Button onClick={() => void submit()} loading={running} disabled={!name.trim()}>
            Create
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** Resolves with the job's final status; progress events keep the store fresh meanwhile. */
export function waitFor(jobId: string, track: (id: string) => Promise<{ status: string }>): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      const job = useJobsStore.getState().jobs[jobId];
      if (job && job.status !== 'queued' && job.status !== 'running') {
        unsub();
        clearInterval(poll);
        resolve(job.status);
      }
    };
    const unsub = useJobsStore.subscribe(check);
    // Events drive the store; a slow poll covers a missed event (a reconnecting WebSocket).
    const poll = setInterval(() => void track(jobId).then(check, reject), 2000);
    void track(jobId).then(check, reject);
  });
}
