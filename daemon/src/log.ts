// pino logger factory: JSON lines on stdout, which launchd's StandardOutPath
// (and journald, and `npm start`) collect as they are. One root logger per
// process; each module logs through a child carrying `module` so a reader
// can filter one pipeline stage.
import pino from 'pino';

export type Logger = pino.Logger;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LoggerOptions {
  level: LogLevel;
  // Tests pass a stream to capture lines; the daemon writes to fd 1.
  destination?: pino.DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  // Synchronous: the lines that matter most (audit, the reason for an
  // exit) are the ones an asynchronous buffer loses when the process ends.
  const destination = options.destination ?? pino.destination({ dest: 1, sync: true });
  return pino(
    {
      level: options.level,
      base: { pid: process.pid },
      // Stable field names matter more than pino's defaults here: log
      // shippers parse `level` as a word, not a number.
      formatters: { level: (label) => ({ level: label }) },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

// pino children copy their parent's level when created and never look at
// it again, so a SIGHUP level change has to reach each module logger
// itself. Per-call grandchildren are short-lived and keep the old level.
const moduleLoggers = new WeakMap<Logger, Set<Logger>>();

export function moduleLogger(root: Logger, module: string): Logger {
  const child = root.child({ module });
  let children = moduleLoggers.get(root);
  if (!children) moduleLoggers.set(root, (children = new Set()));
  children.add(child);
  return child;
}

export function setLogLevel(root: Logger, level: LogLevel): void {
  root.level = level;
  for (const child of moduleLoggers.get(root) ?? []) child.level = level;
}

// Payloads are whatever clients and the kext exchange: possibly secrets,
// always potentially large. Below debug they are logged as their length
// only; at debug and trace, as base64 (truncated so one event cannot flood
// the log).
const MAX_LOGGED_PAYLOAD = 256;

export type LoggedPayload = { bytes: number } | { bytes: number; base64: string; truncated?: true };

export function payloadForLog(log: Logger, payload: Uint8Array): LoggedPayload {
  if (!log.isLevelEnabled('debug')) return { bytes: payload.length };
  const shown = Buffer.from(payload.buffer, payload.byteOffset, Math.min(payload.length, MAX_LOGGED_PAYLOAD));
  const logged: LoggedPayload = { bytes: payload.length, base64: shown.toString('base64') };
  if (payload.length > MAX_LOGGED_PAYLOAD) logged.truncated = true;
  return logged;
}
