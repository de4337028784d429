import type { Handlers } from '../router';
import type { Services } from '../services';

export const systemHandlers = (s: Services): Pick<Handlers, 'session.get' | 'profiles.list' | 'profiles.create' | 'profiles.setRole' | 'profiles.switch'> => ({
  'session.get': (_args, ctx) => ({ profile: ctx.profile, host: ctx.host, appVersion: s.appVersion, dataDir: s.paths.root }),
  'profiles.list': () => ({ profiles: s.profiles.list(), activeId: s.profiles.active().id }),
  'profiles.create': (args) => s.profiles.create(args.name, args.role),
  'profiles.setRole': (args) => s.profiles.setRole(args.id, args.role),
  'profiles.switch': async (args) => {
    const p = await s.profiles.switchTo(args.id);
    s.events.emit('profile.changed', { profileId: p.id });
    return p;
  },
});
