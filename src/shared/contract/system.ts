import { z } from 'zod';
import { defineRoute } from './define';
import { id } from './common';

export const profile = z.object({
  id,
  name: z.string(),
  role: z.enum(['member', 'admin']),
  createdAt: z.string(),
});
export type Profile = z.infer<typeof profile>;

const profileName = z.string().trim().min(1, 'Give the profile a name.').max(64, 'Use at most 64 characters.');

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
    input: z.object({ id, role: z.enum(['member', 'admin']) }),
    output: profile,
  }),
  'profiles.switch': defineRoute({
    summary: 'Make another profile the active one for this app',
    role: 'member',
    input: z.object({ id }),
    output: profile,
  }),
} as const;
