import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '../core/logger';
import type { CorePorts } from '../core/ports';
import { keyFileCipher } from '../core/secrets/keyFile';
import { nodeWorkerLauncher } from '../core/workers/nodeLauncher';
import { nodeEngineLauncher } from '../core/voice/engine/nodeLauncher';

export const appVersion = (): string => {
  try {
    return (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
};

/** Ports for the Node hosts (CLI, web host): key-file secrets, tsx workers, a log file in the data dir. */
export function nodePorts(host: 'web' | 'cli' | 'test', dataDir: string, options: { resumeJobs?: boolean | 'blocking'; logLevel?: 'debug' | 'info' } = {}): CorePorts {
  return {
    host,
    appVersion: appVersion(),
    dataDir,
    logger: createLogger({ file: join(dataDir, 'logs', `${host}.log`), level: options.logLevel ?? 'info' }),
    secrets: keyFileCipher(join(dataDir, 'secret.key')),
    launchWorker: nodeWorkerLauncher,
    launchVoiceEngine: nodeEngineLauncher,
    resumeJobs: options.resumeJobs ?? true,
  };
}
