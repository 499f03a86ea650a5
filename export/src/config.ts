// kextbridge-export's configuration: a JSON or plist file, flags over it,
// validated as a whole with every error naming its key.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import { parse as parsePlist } from 'plist';
import { closest, defaultSocketPath } from '@kextbridge/protocol';

export interface ExportConfig {
  // The daemon's socket.
  socket: string;
  // NATS server URLs (any node of the cluster; the client finds the rest).
  servers: string[];
  // The JetStream stream; created when missing, checked when present.
  stream: string;
  replicas: number;
  // How long JetStream remembers a Nats-Msg-Id to drop a replay.
  duplicateWindowMs: number;
  // Topic names (or ids) to export.
  topics: string[];
  // This machine's name in subjects and message ids.
  host: string;
  // Where the cursor (daemon epoch, last seq stored) is kept.
  cursorFile: string;
  // Publishes awaiting JetStream's ack at once.
  maxInFlight: number;
  // The kext's .proto files: their types name each topic's payload.
  protoFiles: string[];
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  // A status line (and the status file) this often.
  statusIntervalMs: number;
}

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function defaults(): ExportConfig {
  return {
    socket: defaultSocketPath(),
    servers: ['nats://127.0.0.1:4222'],
    stream: 'KEXTBRIDGE',
    replicas: 1,
    duplicateWindowMs: 120_000,
    topics: [],
    host: hostname(),
    cursorFile: 'kextbridge-export.cursor',
    maxInFlight: 1024,
    protoFiles: [],
    logLevel: 'info',
    statusIntervalMs: 10_000,
  };
}

type Raw = Record<string, unknown>;
type Checked<T> = { value: T } | { problem: string };

const ok = <T,>(value: T): Checked<T> => ({ value });
const bad = (problem: string): Checked<never> => ({ problem });
const isInt = (v: unknown, min: number, max: number): v is number => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
const isPath = (v: unknown): v is string => typeof v === 'string' && v !== '';

// Each key's check; relative paths resolve against base (the config
// file's directory, or the working directory for flags).
const CHECKS: { [K in keyof ExportConfig]: (v: unknown, base: string) => Checked<ExportConfig[K]> } = {
  socket: (v, base) => (isPath(v) ? ok(resolve(base, v)) : bad('must be a path')),
  servers: (v) => (Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string' && /^(nats|tls):\/\/\S+$/.test(s)) ? ok(v as string[]) : bad('must be a non-empty array of nats://host:port URLs')),
  stream: (v) => (typeof v === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(v) ? ok(v) : bad('must be a stream name: letters, digits, _ and -, 1..64 characters')),
  replicas: (v) => (isInt(v, 1, 5) ? ok(v) : bad('must be an integer 1..5')),
  duplicateWindowMs: (v) => (isInt(v, 1000, 86_400_000) ? ok(v) : bad('must be an integer 1000..86400000 (ms)')),
  topics: (v) => (Array.isArray(v) && v.length > 0 && v.every((t) => typeof t === 'string' && /^[A-Za-z0-9_.-]{1,63}$/.test(t)) ? ok(v as string[]) : bad('must be a non-empty array of topic names or ids')),
  host: (v) => (typeof v === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(v) ? ok(v) : bad('must be 1..64 letters, digits, _ or - (it is a NATS subject token)')),
  cursorFile: (v, base) => (isPath(v) ? ok(resolve(base, v)) : bad('must be a path')),
  maxInFlight: (v) => (isInt(v, 1, 65_536) ? ok(v) : bad('must be an integer 1..65536')),
  protoFiles: (v, base) => (Array.isArray(v) && v.every(isPath) ? ok((v as string[]).map((f) => resolve(base, f))) : bad('must be an array of paths')),
  logLevel: (v) => ((LEVELS as readonly unknown[]).includes(v) ? ok(v as ExportConfig['logLevel']) : bad(`must be one of ${LEVELS.join(', ')}`)),
  statusIntervalMs: (v) => (isInt(v, 100, 3_600_000) ? ok(v) : bad('must be an integer 100..3600000 (ms)')),
};

export const KEYS = Object.keys(CHECKS) as Array<keyof ExportConfig>;

export type Loaded = { ok: true; config: ExportConfig } | { ok: false; errors: string[] };

// raw: the file's settings with the flags' over them; origin(key) names
// where a key's value came from (the file, or a flag) for its error.
export function validate(raw: Raw, base: string, origin: (key: string) => string): Loaded {
  const config = defaults() as unknown as Record<string, unknown>;
  const errors: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const check = CHECKS[key as keyof ExportConfig] as ((v: unknown, base: string) => Checked<unknown>) | undefined;
    if (!check) {
      const close = closest(key, KEYS);
      errors.push(`${origin(key)}: unknown key "${key}"${close ? `; did you mean "${close}"?` : `; known keys: ${KEYS.join(', ')}`}`);
      continue;
    }
    const r = check(value, base);
    if ('problem' in r) errors.push(`${origin(key)}: ${key} ${r.problem}, got ${JSON.stringify(value)}`);
    else config[key] = r.value;
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, config: config as unknown as ExportConfig };
}

// The file as an object: JSON, or a plist (by its first bytes).
export function readConfigFile(file: string): Raw {
  const text = readFileSync(file, 'utf8');
  let value: unknown;
  try {
    value = text.trimStart().startsWith('<') ? parsePlist(text) : JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: not valid JSON or plist: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${file}: must hold an object of settings`);
  return value as Raw;
}

export function configBase(file: string | undefined): string {
  return file ? dirname(resolve(file)) : process.cwd();
}
