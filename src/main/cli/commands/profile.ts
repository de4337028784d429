import type { Command } from 'commander';
import type { Profile } from '@shared/contract';
import { AppError } from '@shared/errors';
import type { ActionRunner } from '../index';
import { table, type CliContext } from '../context';

/** A profile by name, or a clear not_found listing the names. */
async function byName(ctx: CliContext, name: string): Promise<Profile> {
  const { profiles } = await ctx.call('profiles.list', {});
  const p = profiles.find((x) => x.name.toLowerCase() === name.toLowerCase());
  if (!p) throw new AppError('not_found', `There is no profile named "${name}". Profiles: ${profiles.map((x) => x.name).join(', ')}.`);
  return p;
}

const role = (value: string): 'member' | 'admin' => {
  if (value !== 'member' && value !== 'admin') throw new AppError('validation', `The role must be member or admin (got "${value}").`);
  return value;
};

/** Local profiles and their passphrases (ADR 0093). */
export function registerProfileCommands(program: Command, run: ActionRunner): void {
  const pr = program.command('profile').description('Local profiles: list, create, switch, roles and passphrases');

  pr.command('list')
    .description('List local profiles')
    .action(
      run(async (ctx) => {
        const res = await ctx.call('profiles.list', {});
        ctx.print(res, () =>
          table(
            res.profiles.map((p) => [p.id === res.activeId ? '*' : '', p.name, p.role, p.protected ? 'yes' : 'no', p.createdAt.slice(0, 10)]),
            ['', 'NAME', 'ROLE', 'PASSPHRASE', 'CREATED'],
          ),
        );
      }),
    );

  pr.command('create')
    .argument('<name>', 'profile name')
    .option('--role <role>', 'member or admin', 'member')
    .description('Create a local profile (admin)')
    .action(
      run(async (ctx, cmd) => {
        const p = await ctx.call('profiles.create', { name: cmd.args[0] as string, role: role(cmd.opts<{ role: string }>().role) });
        ctx.print(p, () => `Created ${p.role} profile "${p.name}".`);
      }),
    );

  pr.command('switch')
    .argument('<name>', 'profile name')
    .description('Make another profile the active one (a protected profile asks for its passphrase)')
    .action(
      run(async (ctx, cmd) => {
        const target = await byName(ctx, cmd.args[0] as string);
        const passphrase = target.protected ? await ctx.passphrase(`Passphrase for ${target.name}: `) : undefined;
        const p = await ctx.call('profiles.switch', { id: target.id, ...(passphrase !== undefined ? { passphrase } : {}) });
        ctx.print(p, () => `Now acting as "${p.name}" (${p.role}).`);
      }),
    );

  pr.command('set-role')
    .argument('<name>', 'profile name')
    .argument('<role>', 'member or admin')
    .description("Change a profile's role (admin; a protected admin gives its passphrase)")
    .action(
      run(async (ctx, cmd) => {
        const [name, r] = cmd.args as [string, string];
        const target = await byName(ctx, name);
        const acting = ctx.getCore().services.profiles.get(await ctx.profileId());
        const passphrase = acting.protected ? (ctx.givenPassphrase() ?? (await ctx.passphrase(`Passphrase for ${acting.name}: `))) : undefined;
        const p = await ctx.call('profiles.setRole', { id: target.id, role: role(r), ...(passphrase !== undefined ? { passphrase } : {}) });
        ctx.print(p, () => `"${p.name}" is now ${p.role === 'admin' ? 'an admin' : 'a member'}.`);
      }),
    );

  pr.command('protect')
    .argument('<name>', 'an admin profile')
    .option('--current <text>', 'the current passphrase, to change it')
    .description('Protect an admin profile with a passphrase (--passphrase, $INTELLIGENCE_DESK_PASSPHRASE, or asked for)')
    .action(
      run(async (ctx, cmd) => {
        const target = await byName(ctx, cmd.args[0] as string);
        const current = cmd.opts<{ current?: string }>().current;
        const passphrase = await ctx.passphrase(`New passphrase for ${target.name}: `);
        const p = await ctx.call('profiles.protect', { id: target.id, passphrase, ...(current !== undefined ? { current } : {}) });
        ctx.print(p, () => `"${p.name}" is protected: switching to it and changing roles as it need the passphrase.`);
      }),
    );

  pr.command('unprotect')
    .argument('<name>', 'a protected profile')
    .description("Remove a profile's passphrase (it is needed to do so)")
    .action(
      run(async (ctx, cmd) => {
        const target = await byName(ctx, cmd.args[0] as string);
        const p = await ctx.call('profiles.unprotect', { id: target.id, passphrase: await ctx.passphrase(`Passphrase for ${target.name}: `) });
        ctx.print(p, () => `"${p.name}" has no passphrase any more.`);
      }),
    );
}
