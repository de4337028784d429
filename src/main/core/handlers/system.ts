import type { Handlers } from '../router';
import type { Services } from '../services';

export const systemHandlers = (
  s: Services,
): Pick<Handlers, 'session.get' | 'profiles.list' | 'profiles.create' | 'profiles.setRole' | 'profiles.switch' | 'profiles.protect' | 'profiles.unprotect'> => ({
  'session.get': (_args, ctx) => ({ profile: ctx.profile, host: ctx.host, appVersion: s.appVersion, dataDir: s.paths.root }),
  'profiles.list': () => ({ profiles: s.profiles.list(), activeId: s.profiles.active().id }),
  'profiles.create': (args) => s.profiles.create(args.name, args.role),
  // Changing roles while acting as a protected profile needs its passphrase (someone at an unlocked app cannot promote
  // themselves without it).
  'profiles.setRole': async (args, ctx) => {
    await s.profiles.unlock(ctx.profile.id, args.passphrase, 'change roles');
    return s.profiles.setRole(args.id, args.role);
  },
  'profiles.protect': (args) => s.profiles.protect(args.id, args.passphrase, args.current),
  'profiles.unprotect': (args) => s.profiles.unprotect(args.id, args.passphrase),
  'profiles.switch': async (args) => {
    const p = await s.profiles.switchTo(args.id, args.passphrase);
    s.events.emit('profile.changed', { profileId: p.id });
    return p;
  },
});
