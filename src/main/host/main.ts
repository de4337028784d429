/**
 * `npm run web`: the web host. Serves the built renderer and the contract on 127.0.0.1 with a per-launch token,
 * backed by the real core, and prints the URL to open. Used for browser testing and headless machines.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createCore } from '../core/createCore';
import { resolveDataDir } from '../core/paths';
import { nodePorts } from './nodePorts';
import { startWebHost } from './server';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    'data-dir': { type: 'string' },
    'static-dir': { type: 'string' },
  },
  strict: true,
});

const port = values.port ? Number(values.port) : Number(process.env.INTELLIGENCE_DESK_WEB_PORT ?? 0);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`--port must be a port number (got ${values.port}).\n`);
  process.exit(2);
}
const dataDir = resolveDataDir({ dataDir: values['data-dir'] });
const core = createCore(nodePorts('web', dataDir));
const host = await startWebHost({
  core,
  port,
  staticDir: values['static-dir'] ?? fileURLToPath(new URL('../../../out/renderer', import.meta.url)),
  // A fixed token is only for automated tests; interactive use gets a fresh random one.
  token: process.env.INTELLIGENCE_DESK_WEB_TOKEN || undefined,
});
process.stdout.write(`Intelligence Desk web host (data: ${dataDir})\nOpen: ${host.openUrl}\n`);

let stopping = false;
const stop = async (): Promise<void> => {
  if (stopping) return;
  stopping = true;
  await host.close();
  await core.dispose();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
