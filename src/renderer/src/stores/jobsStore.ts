import { create } from 'zustand';
import type { JobInfo } from '@shared/contract';
import { call, on } from '../api/client';

interface JobsState {
  jobs: Record<string, JobInfo>;
  /** Fetches a job's current state (progress events keep it fresh afterwards). */
  track(jobId: string): Promise<JobInfo>;
  cancel(jobId: string): Promise<void>;
}

export const useJobsStore = create<JobsState>((set) => ({
  jobs: {},
  async track(jobId) {
    const job = await call('jobs.get', { jobId });
    set((s) => ({ jobs: { ...s.jobs, [jobId]: s.jobs[jobId] && s.jobs[jobId].done > job.done ? s.jobs[jobId] : job } }));
    return job;
  },
  async cancel(jobId) {
    const job = await call('jobs.cancel', { jobId });
    set((s) => ({ jobs: { ...s.jobs, [jobId]: job } }));
  },
}));

export const selectJob =
  (jobId: string | null) =>
  (s: JobsState): JobInfo | undefined =>
    jobId ? s.jobs[jobId] : undefined;

export function bindJobEvents(): () => void {
  return on('job.progress', (job) => useJobsStore.setState((s) => ({ jobs: { ...s.jobs, [job.jobId]: job } })));
}
