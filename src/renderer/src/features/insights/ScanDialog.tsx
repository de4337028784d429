import { useState } from 'react';
import { Alert, Button, Checkbox, Group, Modal, NumberInput, Select, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconPlayerPlay } from '@tabler/icons-react';
import type { JobInfo, PersonaInfo } from '@shared/contract';
import { call, errorMessage } from '../../api/client';
import { JobProgress } from '../../components/JobProgress';
import { useInsightsStore } from '../../stores/insightsStore';
import { selectJob, useJobsStore } from '../../stores/jobsStore';

interface ScanResult {
  candidates: number;
  skippedUnchanged: number;
  analyzed: number;
  completed: number;
  failed: number;
  stoppedBy: string | null;
}

function Stat({ label, value }: { label: string; value: number }) {
  return (
    <Stack gap={0} align="center">
      <Text fw={700} size="lg">
        {value.toLocaleString('en-US')}
      </Text>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
    </Stack>
  );
}

export function ScanSummary({ job }: { job: JobInfo }) {
  const r = (job.result ?? (job.error?.details as unknown)) as ScanResult | null;
  if (!r || typeof r.analyzed !== 'number') return null;
  return (
    <Stack gap="xs" data-testid="scan-summary">
      <SimpleGrid cols={4}>
        <Stat label="analysed" value={r.analyzed} />
        <Stat label="completed" value={r.completed} />
        <Stat label="failed" value={r.failed} />
        <Stat label="unchanged, skipped" value={r.skippedUnchanged} />
      </SimpleGrid>
      {r.stoppedBy && (
        <Alert color="yellow" variant="light">
          {r.stoppedBy === 'budget' ? 'The scan stopped early: the budget ran out.' : 'The scan stopped early after repeated errors; check the provider under Configuration.'}
        </Alert>
      )}
    </Stack>
  );
}

/** A batch scan of one persona over the records that need it, with progress and cancel. */
export function ScanDialog({ opened, onClose, workspace, personas, onShow }: { opened: boolean; onClose: () => void; workspace: string; personas: PersonaInfo[]; onShow: (persona: string) => void }) {
  const enabled = personas.filter((p) => p.enabled);
  const [persona, setPersona] = useState<string | null>(null);
  const [limit, setLimit] = useState<number | string>(50);
  const [force, setForce] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const scanJobId = useInsightsStore((s) => s.scanJobId);
  const job = useJobsStore(selectJob(scanJobId));
  const running = starting || (job !== undefined && (job.status === 'queued' || job.status === 'running'));
  const spec = enabled.find((p) => p.key === persona) ?? enabled[0];
  const limitOk = typeof limit === 'number' && limit >= 1 && limit <= 10_000;

  const start = async (): Promise<void> => {
    if (!spec || !limitOk) return;
    setError(null);
    setStarting(true);
    try {
      const { jobId } = await call('insights.scan', { workspace, persona: spec.key, limit: limit as number, force });
      useInsightsStore.getState().setScanJob(jobId);
      await useJobsStore.getState().track(jobId);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setStarting(false);
    }
  };
  const cancel = (): void => {
    if (scanJobId) void useJobsStore.getState().cancel(scanJobId).catch((e: unknown) => setError(errorMessage(e)));
  };

  return (
    <Modal opened={opened} onClose={onClose} title="Run a scan" size="lg">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          Runs a persona over the records that most need it. Records whose data has not changed since their last open insight are skipped unless you re-analyse
          them.
        </Text>
        <Group grow align="flex-start">
          <Select
            label="Persona"
            data={enabled.map((p) => ({ value: p.key, label: p.name }))}
            value={spec?.key ?? null}
            onChange={setPersona}
            allowDeselect={false}
            description={spec ? `Reads ${spec.entityType.replace(/_/g, ' ')}` : undefined}
            disabled={running}
          />
          <NumberInput
            label="Records at most"
            value={limit}
            onChange={setLimit}
            min={1}
            max={10_000}
            step={10}
            allowDecimal={false}
            error={limitOk ? undefined : 'From 1 to 10,000.'}
            description="Each record is one model call."
            disabled={running}
          />
        </Group>
        <Checkbox label="Re-analyse records that did not change" checked={force} onChange={(e) => setForce(e.currentTarget.checked)} disabled={running} />
        {error && <Alert color="red">{error}</Alert>}
        {job && (
          <>
            <JobProgress job={job} label="Scan" unit="records" onCancel={cancel} />
            {!running && <ScanSummary job={job} />}
          </>
        )}
        <Group justify="flex-end">
          {job && !running && job.status === 'completed' && (
            <Button
              variant="light"
              onClick={() => {
                const p = (job.result as { persona?: string } | null)?.persona;
                if (p) onShow(p);
                onClose();
              }}
            >
              Show the results
            </Button>
          )}
          <Button variant="default" onClick={onClose}>
            {running ? 'Hide' : 'Close'}
          </Button>
          <Button leftSection={<IconPlayerPlay size={16} />} onClick={() => void start()} loading={running} disabled={!spec || !limitOk}>
            Start scan
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
