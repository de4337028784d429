import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(bindings: LogFields): Logger;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Field names whose values never reach a log line. */
const SECRET_KEY = /(api[-_]?key|authorization|secret|password|token|cookie)/i;
/** Strings that look like credentials even when they hide in free text. */
const SECRET_VALUE = /\b(sk-[A-Za-z0-9_-]{8,}|sk-ant-[A-Za-z0-9_-]{8,}|AIza[0-9A-Za-z_-]{20,}|Bearer\s+[A-Za-z0-9._~+/-]{8,}=*)/g;

/** user:password@ in connection strings (PostgreSQL workspaces): the password goes, the rest stays readable. */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi;

export const redactText = (text: string): string => text.replace(SECRET_VALUE, '[redacted]').replace(URL_PASSWORD, '$1***@');

export function redactFields(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value instanceof Error) return { name: value.name, message: redactText(value.message) };
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactFields(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? '[redacted]' : redactFields(v, depth + 1);
  return out;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** JSON lines are appended here; rotated at 5 MB. */
  file?: string;
  /** Also print warnings and errors to stderr. */
  console?: boolean;
}

export function createLogger(options: LoggerOptions = {}, bindings: LogFields = {}): Logger {
  const min = ORDER[options.level ?? 'info'];
  if (options.file) mkdirSync(dirname(options.file), { recursive: true });
  const write = (level: LogLevel, message: string, fields?: LogFields): void => {
    if (ORDER[level] < min) return;
    const line = JSON.stringify({ t: new Date().toISOString(), level, msg: redactText(message), ...(redactFields({ ...bindings, ...fields }) as LogFields) });
    if (options.file) {
      try {
        if ((statSync(options.file, { throwIfNoEntry: false })?.size ?? 0) > 5_000_000) renameSync(options.file, `${options.file}.1`);
        appendFileSync(options.file, `${line}\n`);
      } catch {
        // Logging must never take the app down; a full disk shows up elsewhere.
      }
    }
    if (options.console && ORDER[level] >= ORDER.warn) process.stderr.write(`${line}\n`);
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (b) => createLogger(options, { ...bindings, ...b }),
  };
}

export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => silentLogger,
};
