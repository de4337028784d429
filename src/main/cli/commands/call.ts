import type { Command } from 'commander';
import { ROUTE_NAMES, routes } from '@shared/contract';
import { AppError } from '@shared/errors';
import type { CliContext } from '../context';
import { table } from '../context';

/** Any contract route from the command line: `call workspace.list '{}'`. Input is validated like any other caller's. */
export function registerCallCommand(program: Command, run: (fn: (ctx: CliContext, cmd: Command) => Promise<void>) => (...args: unknown[]) => Promise<void>): void {
  program
    .command('call')
    .argument('[route]', 'route name, e.g. workspace.list')
    .argument('[input]', 'JSON input', '{}')
    .description('Call any route of the app contract with JSON input (no route: list them)')
    .action(
      run(async (ctx, cmd) => {
        const [route, raw = '{}'] = cmd.args as [string | undefined, string | undefined];
        if (!route) {
          ctx.print({ routes: ROUTE_NAMES.map((r) => ({ route: r, role: routes[r].role, summary: routes[r].summary })) }, () =>
            table(ROUTE_NAMES.map((r) => [r, routes[r].role, routes[r].summary]), ['ROUTE', 'ROLE', 'SUMMARY']),
          );
          return;
        }
        let input: unknown;
        try {
          input = JSON.parse(raw);
        } catch {
          throw new AppError('validation', `The input is not valid JSON: ${raw}`);
        }
        const result = await ctx.invoke(route, input);
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      }),
    );
}
