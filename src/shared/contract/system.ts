import { z } from 'zod';
import { defineRoute } from './define';
import { id } from './common';
import { displayName } from '../names';

export const profile = z.object({
  id,
  name: z.string(),
  role: z.enum(['member', 'admin']),
  createdAt: z.string(),
  /** Protected by a passphrase (admin profiles only). */
  protected: z.boolean().optional(),
});
export type Profile = z.infer<typeof profile>;

const profileName = displayName({ max: 64, required: 'Give the profile a name.' });
/** A passphrase as typed: long enough to matter, bounded so hashing cannot be abused. */
const passphrase = z.string().min(1, 'Type the passphrase.').max(1024, 'Use at most 1024 characters.');
const newPassphrase = z.string().min(8, 'Use at least 8 characters.').max(1024, 'Use at most 1024 characters.');

export const systemRoutes = {
  'session.get': defineRoute({
    summary: 'Who is calling, from which host, and where data lives',
    role: 'member',
    input: z.object({}).default({}),
    output: z.object({
      profile,
      host: z.enum(['electron', 'web', 'cli', 'test']),
      appVersion: z.string(),
      dataDir: z.string(),
    }),
  }),
  'profiles.list': defineRoute({
    summary: 'List local profiles',
    role: 'member',
    input: z.object({}).default({}),
    output: z.object({ profiles: z.array(profile), activeId: id }),
  }),
  'profiles.create': defineRoute({
    summary: 'Create a local profile',
    role: 'admin',
    input: z.object({ name: profileName, role: z.enum(['member', 'admin']).default('member') }),
    output: profile,
  }),
  'profiles.setRole': defineRoute({
    summary: "Change a profile's role",
    role: 'admin',
    /** While the calling profile is protected, its passphrase is needed too. */
    input: z.object({ id, role: z.enum(['member', 'admin']), passphrase: passphrase.optional() }),
    output: profile,
  }),
  'profiles.switch': defineRoute({
    summary: 'Make another profile the active one for this app',
    role: 'member',
    /** A protected profile needs its passphrase. */
    input: z.object({ id, passphrase: passphrase.optional() }),
    output: profile,
  }),
  'profiles.protect': defineRoute({
    summary: 'Protect an admin profile with a passphrase, or change it (the current one is then needed)',
    role: 'admin',
    input: z.object({ id, passphrase: newPassphrase, current: passphrase.optional() }),
    output: profile,
  }),
  'profiles.unprotect': defineRoute({
    summary: "Remove a profile's passphrase (it is needed to do so)",
    role: 'admin',
    input: z.object({ id, passphrase }),
    output: profile,
  }),
} as const;
