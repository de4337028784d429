import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { EngineLauncher, EngineReply } from './protocol';

const bootstrap = fileURLToPath(new URL('./tsxBootstrap.mjs', import.meta.url));
const entry = new URL('./entry.ts', import.meta.url).href;
const tsconfig = fileURLToPath(new URL('../../../../../tsconfig.json', import.meta.url));

/**
 * The speech engine as a forked Node process, from TypeScript source (CLI, web host, tests). Electron starts the
 * bundled voiceEngine.js as a utilityProcess instead (src/main/electron/voiceEngine.ts).
 */
export const nodeEngineLauncher: EngineLauncher = ({ name }) => {
  const child = fork(bootstrap, [entry, tsconfig], {
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    env: { ...process.env, ID_ENGINE_NAME: name },
  });
  // whisper.cpp logs to stderr; keep the last lines so a crash can be explained.
  let tail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-4000);
  });
  return {
    get pid() {
      return child.pid;
    },
    postMessage: (m) => {
      if (child.connected) child.send(m);
    },
    onMessage: (listener) => void child.on('message', (m) => listener(m as EngineReply)),
    onExit: (listener) => void child.once('exit', (code, signal) => listener({ code, signal, detail: tail ? lastLine(tail) : null })),
    kill: () => void child.kill('SIGKILL'),
  };
};

const lastLine = (s: string): string | null => s.trim().split('\n').pop()?.slice(0, 200) ?? null;
