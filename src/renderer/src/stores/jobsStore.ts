import { create } from 'zustand';
import { isFinished, type JobInfo } from '@shared/contract';
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
    set((s) => {
      const known = s.jobs[jobId];
      const keep = known && (known.done > job.done || (isFinished(known.status) && !isFinished(job.status)));
      return { jobs: { ...s.jobs, [jobId]: keep ? known : job } };
    });
    return job;
  },
  async cancel(jobId) {
    const job = await call('jobs.cancel', { jobId });
    // The final progress event ("cancelled") can arrive before this answer, which may still say "running".
    set((s) => ({ jobs: { ...s.jobs, [jobId]: s.jobs[jobId] && isFinished(s.jobs[jobId].status) && !isFinished(job.status) ? s.jobs[jobId] : job } }));
  },
}));

export const selectJob =
  (jobId: string | null) =>
  (s: JobsState): JobInfo | undefined =>
    jobId ? s.jobs[jobId] : undefined;

export function bindJobEvents(): () => void {
  return on('job.progress', (job) => useJobsStore.setState((s) => ({ jobs: { ...s.jobs, [job.jobId]: job } })));
}
