import { useCallback, useEffect, useState } from 'react';
import type { JobInfo } from '@shared/contract';
import type { Insight } from '@shared/insights';
import { call, errorMessage } from '../../api/client';
import { selectJob, useJobsStore } from '../../stores/jobsStore';

export interface AnalyzeState {
  jobId: string | null;
  job: JobInfo | undefined;
  /** The insight the run produced (completed or failed), once the job finished. */
  insight: Insight | null;
  /** The record did not change since its open insight: nothing was asked, `insight` is that open one. */
  unchanged: boolean;
  /** What the last start asked for (for "Analyze again"). */
  lastPersona: string | null;
  lastEntity: number | string | null;
  error: string | null;
  running: boolean;
  /** The record by id, or by the code people see (resolved by the core). */
  start(persona: string, entityId: number | string, options?: { force?: boolean }): Promise<void>;
  cancel(): void;
  reset(): void;
}

/** "Analyze now": starts `insights.analyze`, follows the job's progress events and reads the insight it made. */
export function useAnalyze(workspace: string | null): AnalyzeState {
  const [jobId, setJobId] = useState<string | null>(null);
  const [insight, setInsight] = useState<Insight | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const [last, setLast] = useState<{ persona: string; entityId: number | string } | null>(null);
  const job = useJobsStore(selectJob(jobId));
  const finished = job && job.status !== 'queued' && job.status !== 'running';

  useEffect(() => {
    if (!finished || !workspace || !job || job.status !== 'completed') return;
    const id = (job.result as { insightId?: string } | null)?.insightId;
    if (!id) return;
    let live = true;
    call('insights.get', { workspace, id }).then(
      (i) => live && setInsight(i),
      (e: unknown) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [finished, job, workspace]);

  const start = useCallback(
    async (persona: string, entityId: number | string, options: { force?: boolean } = {}) => {
      if (!workspace) return;
      setError(null);
      setInsight(null);
      setStarting(true);
      setLast({ persona, entityId });
      try {
        const { jobId: id } = await call('insights.analyze', { workspace, persona, entityId, ...(options.force ? { force: true } : {}) });
        setJobId(id);
        await useJobsStore.getState().track(id);
      } catch (e) {
        setError(errorMessage(e));
      } finally {
        setStarting(false);
      }
    },
    [workspace],
  );

  const reset = useCallback(() => {
    setJobId(null);
    setInsight(null);
    setError(null);
  }, []);

  const jobError = finished && job.status !== 'completed' ? (job.error?.message ?? `The analysis ${job.status === 'cancelled' ? 'was cancelled' : 'did not finish'}.`) : null;

  return {
    jobId,
    job,
    insight,
    lastPersona: last?.persona ?? null,
    lastEntity: last?.entityId ?? null,
    unchanged: job?.status === 'completed' && (job.result as { status?: string } | null)?.status === 'unchanged',
    error: error ?? jobError,
    running: starting || Boolean(job && !finished),
    start,
    cancel: () => {
      if (jobId) void useJobsStore.getState().cancel(jobId).catch((e: unknown) => setError(errorMessage(e)));
    },
    reset,
  };
}
