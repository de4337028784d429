import { utilityProcess } from 'electron';
import type { EngineLauncher, EngineReply } from '../core/voice/engine/protocol';

/**
 * The speech engine as an Electron utilityProcess (a Node child that Chromium manages): whisper.cpp's native code
 * never runs in the main process, and a crash there ends only this process (docs/decisions/0070-whisper-binding.md).
 */
export const electronEngineLauncher =
  (entryPath: string): EngineLauncher =>
  ({ name }) => {
    const child = utilityProcess.fork(entryPath, [], { serviceName: name, stdio: ['ignore', 'ignore', 'pipe'] });
    let tail = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      tail = (tail + chunk.toString('utf8')).slice(-4000);
    });
    return {
      get pid() {
        return child.pid;
      },
      postMessage: (m) => child.postMessage(m),
      onMessage: (listener) => void child.on('message', (m: unknown) => listener(m as EngineReply)),
      onExit: (listener) => void child.once('exit', (code: number) => listener({ code, signal: null, detail: tail.trim().split('\n').pop()?.slice(0, 200) ?? null })),
      kill: () => void child.kill(),
    };
  };
