/**
 * Why a job's signal fired. A person cancelling a job and the app shutting down both abort the same signal, but they
 * mean opposite things for partial state: a cancel rolls back and forgets, a shutdown keeps what is needed to resume
 * at the next start (as after kill -9). JobService.dispose aborts with a ShutdownAbort; cleanup code asks
 * `isShutdown(signal)` before undoing anything that resuming would need.
 */
export class ShutdownAbort extends Error {
  readonly reason = 'shutdown';
  constructor() {
    super('The app is shutting down; the job resumes at the next start.');
    this.name = 'ShutdownAbort';
  }
}

export const isShutdown = (signal: AbortSignal | undefined): boolean => Boolean(signal?.aborted && signal.reason instanceof ShutdownAbort);

/** Whether a process id still runs on this machine (EPERM: it runs, as another user). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
