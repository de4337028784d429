import { AppError } from '@shared/errors';
import type { Handlers } from '../router';
import type { Services } from '../services';

export const jobHandlers = (s: Services): Pick<Handlers, 'jobs.list' | 'jobs.get' | 'jobs.cancel'> => ({
  'jobs.list': (args) => ({ jobs: s.jobs.list(args) }),
  'jobs.get': (args) => s.jobs.get(args.jobId),
  'jobs.cancel': (args, ctx) => {
    const owner = s.jobs.ownerOf(args.jobId);
    if (ctx.profile.role !== 'admin' && owner !== null && owner !== ctx.profile.id) {
      throw new AppError('forbidden', 'Only the person who started this job, or an admin, can cancel it.');
    }
    return s.jobs.cancel(args.jobId);
  },
});
