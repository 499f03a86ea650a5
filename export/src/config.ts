// kextbridge-export's configuration, every key stated once: its type,
// default, bounds, flag and documentation. The defaults, the validation
// (every error naming its key and where it came from), the flags, --help
// and the table in docs/export.md (config-doc.ts) all come from KEYS; the
// mapped type makes a key of ExportConfig without an entry a compile error.
// A file (JSON, or a plist) with flags over it.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import { parse as parsePlist } from 'plist';
import { closest, defaultSocketPath, parseListenAddress } from '@kextbridge/protocol';

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LEVELS)[number];

export interface ExportConfig {
  socket: string;
  servers: string[];
  stream: string;
  replicas: number;
  duplicateWindowMs: number;
  topics: string[];
  host: string;
  cursorFile: string;
  maxInFlight: number;
  protoFiles: string[];
  logLevel: LogLevel;
  statusIntervalMs: number;
  metricsListen: string;
}

export interface Flag {
  name: string;
  // Its placeholder in --help.
  arg: string;
}

interface Common<T> {
  default: T | (() => T);
  // The default as the docs show it, when it depends on the machine.
  shown?: string;
  doc: string;
  flag?: Flag;
}

export type KeySpec =
  | (Common<number> & { type: 'integer'; min: number; max: number; unit?: string })
  // One word matching `pattern`; `rule` says which in an error.
  | (Common<string> & { type: 'word'; pattern: RegExp; rule: string })
  // A non-empty list of words.
  | (Common<string[]> & { type: 'words'; pattern: RegExp; rule: string })
  | (Common<string> & { type: 'path' })
  | (Common<string[]> & { type: 'paths' })
  | (Common<LogLevel> & { type: 'logLevel' })
  // '' (off), a loopback host:port or an absolute unix socket path.
  | (Common<string> & { type: 'listen' });

export const KEYS: { [K in keyof ExportConfig]: KeySpec } = {
  socket: { type: 'path', default: () => defaultSocketPath(), shown: "the daemon's default socket", doc: 'Where kextbridged listens.', flag: { name: 'socket', arg: 'PATH' } },
  servers: {
    type: 'words',
    pattern: /^(nats|tls):\/\/\S+$/,
    rule: 'a non-empty array of nats://host:port URLs',
    default: ['nats://127.0.0.1:4222'],
    doc: 'NATS server URLs, any nodes of the cluster (the client finds the rest); the flag is repeated.',
    flag: { name: 'server', arg: 'URL' },
  },
  stream: {
    type: 'word',
    pattern: /^[A-Za-z0-9_-]{1,64}$/,
    rule: 'a stream name: letters, digits, _ and -, 1..64 characters',
    default: 'KEXTBRIDGE',
    doc: 'The JetStream stream: created when missing (subjects `kextbridge.>`), checked when present (it must take `kextbridge.<host>.>` and have `replicas`).',
    flag: { name: 'stream', arg: 'NAME' },
  },
  replicas: { type: 'integer', min: 1, max: 5, default: 1, doc: 'Replicas of the stream when it is created (3 or 5 for a stream that outlives a server).', flag: { name: 'replicas', arg: 'N' } },
  duplicateWindowMs: {
    type: 'integer',
    min: 1000,
    max: 86_400_000,
    unit: 'ms',
    default: 120_000,
    doc: 'How long the stream, when created, remembers a message id to drop a replay. Exactly once does not rest on it: the exporter reads the stream back before sending anything again, and needs the window only to outlast that read-back and the resends after it (seconds).',
    flag: { name: 'duplicate-window-ms', arg: 'MS' },
  },
  topics: {
    type: 'words',
    pattern: /^[A-Za-z0-9_.-]{1,63}$/,
    rule: 'a non-empty array of topic names or ids',
    default: [],
    shown: '(required)',
    doc: 'Topic names or ids to export; the flag is repeated.',
    flag: { name: 'topic', arg: 'NAME' },
  },
  host: {
    type: 'word',
    pattern: /^[A-Za-z0-9_-]{1,64}$/,
    rule: '1..64 letters, digits, _ or - (it is a NATS subject token)',
    default: () => hostname(),
    shown: 'the hostname',
    doc: 'This machine in subjects and message ids.',
    flag: { name: 'host', arg: 'NAME' },
  },
  cursorFile: { type: 'path', default: 'kextbridge-export.cursor', doc: "Where the cursor is kept (the status file beside it); relative to the config file's directory.", flag: { name: 'cursor', arg: 'FILE' } },
  maxInFlight: { type: 'integer', min: 1, max: 65_536, default: 1024, doc: 'Publishes awaiting an ack at once.', flag: { name: 'max-in-flight', arg: 'N' } },
  protoFiles: { type: 'paths', default: [], doc: "The kext's `.proto` files: they name each topic's payload type in the headers; the flag is repeated.", flag: { name: 'proto', arg: 'FILE' } },
  logLevel: { type: 'logLevel', default: 'info', doc: 'fatal, error, warn, info, debug, trace or silent: pino JSON lines on stdout.', flag: { name: 'log-level', arg: 'LEVEL' } },
  statusIntervalMs: { type: 'integer', min: 100, max: 3_600_000, unit: 'ms', default: 10_000, doc: 'How often the status line is logged and the status file written.', flag: { name: 'status-interval-ms', arg: 'MS' } },
  metricsListen: {
    type: 'listen',
    default: '',
    shown: '(off)',
    doc: 'Where Prometheus scrapes /metrics: a loopback "host:port" (127.0.0.1:9465) or an absolute unix socket path; empty serves none. Metrics: docs/operations.md.',
    flag: { name: 'metrics-listen', arg: 'ADDR' },
  },
};

export const KEY_NAMES = Object.keys(KEYS) as Array<keyof ExportConfig>;

function defaultOf(spec: KeySpec): unknown {
  return typeof spec.default === 'function' ? spec.default() : spec.default;
}

export function defaults(): ExportConfig {
  return Object.fromEntries(KEY_NAMES.map((k) => [k, defaultOf(KEYS[k])])) as unknown as ExportConfig;
}

type Checked = { value: unknown } | { problem: string };

const isPath = (v: unknown): v is string => typeof v === 'string' && v !== '';

// One key's value, checked against its spec; relative paths resolve
// against base (the config file's directory, or the working directory for
// flags).
function check(spec: KeySpec, v: unknown, base: string): Checked {
  switch (spec.type) {
    case 'integer':
      return Number.isInteger(v) && (v as number) >= spec.min && (v as number) <= spec.max ? { value: v } : { problem: `must be an integer ${spec.min}..${spec.max}${spec.unit ? ` (${spec.unit})` : ''}` };
    case 'word':
      return typeof v === 'string' && spec.pattern.test(v) ? { value: v } : { problem: `must be ${spec.rule}` };
    case 'words':
      return Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string' && spec.pattern.test(s)) ? { value: v } : { problem: `must be ${spec.rule}` };
    case 'path':
      return isPath(v) ? { value: resolve(base, v) } : { problem: 'must be a path' };
    case 'paths':
      return Array.isArray(v) && v.every(isPath) ? { value: v.map((f) => resolve(base, f)) } : { problem: 'must be an array of paths' };
    case 'logLevel':
      return (LEVELS as readonly unknown[]).includes(v) ? { value: v } : { problem: `must be one of ${LEVELS.join(', ')}` };
    case 'listen': {
      if (v === '') return { value: v };
      if (typeof v !== 'string') return { problem: 'must be a loopback "host:port" or an absolute unix socket path' };
      const at = parseListenAddress(v);
      return 'error' in at ? { problem: at.error } : { value: v };
    }
  }
}

export type Loaded = { ok: true; config: ExportConfig } | { ok: false; errors: string[] };

// raw: the file's settings with the flags' over them; origin(key) names
// where a key's value came from (the file, or a flag) for its error.
export function validate(raw: Record<string, unknown>, base: string, origin: (key: string) => string): Loaded {
  const config = defaults() as unknown as Record<string, unknown>;
  const errors: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const spec = (KEYS as Record<string, KeySpec>)[key];
    if (!spec) {
      const close = closest(key, KEY_NAMES);
      errors.push(`${origin(key)}: unknown key "${key}"${close ? `; did you mean "${close}"?` : `; known keys: ${KEY_NAMES.join(', ')}`}`);
      continue;
    }
    const r = check(spec, value, base);
    if ('problem' in r) errors.push(`${origin(key)}: ${key} ${r.problem}, got ${JSON.stringify(value)}`);
    else config[key] = r.value;
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, config: config as unknown as ExportConfig };
}

const isList = (spec: KeySpec): boolean => spec.type === 'words' || spec.type === 'paths';

// The keys' flags for node:util parseArgs.
export function flagOptions(): Record<string, { type: 'string'; multiple?: boolean }> {
  return Object.fromEntries(KEY_NAMES.flatMap((k) => {
    const spec = KEYS[k];
    return spec.flag ? [[spec.flag.name, { type: 'string' as const, ...(isList(spec) ? { multiple: true } : {}) }]] : [];
  }));
}

// The flags given, as raw config values (numbers where they are digits,
// paths resolved against the working directory: a file's paths are its
// own), and which flag set each key.
export function fromFlags(values: Record<string, unknown>): { raw: Record<string, unknown>; origin: Map<string, string> } {
  const raw: Record<string, unknown> = {};
  const origin = new Map<string, string>();
  for (const key of KEY_NAMES) {
    const spec = KEYS[key];
    const v = spec.flag ? values[spec.flag.name] : undefined;
    if (v === undefined || !spec.flag) continue;
    if (spec.type === 'integer') raw[key] = /^\d+$/.test(String(v)) ? Number(v) : v;
    else if (spec.type === 'path') raw[key] = resolve(String(v));
    else if (spec.type === 'paths') raw[key] = (v as string[]).map((p) => resolve(p));
    else raw[key] = v;
    origin.set(key, `--${spec.flag.name}`);
  }
  return { raw, origin };
}

// --help's lines for the keys' flags.
export function flagHelp(): string[] {
  return KEY_NAMES.flatMap((k) => {
    const spec = KEYS[k];
    if (!spec.flag) return [];
    const left = `  --${spec.flag.name} ${spec.flag.arg}`;
    const bounds = spec.type === 'integer' ? `, ${spec.min}..${spec.max}${spec.unit ? ` ${spec.unit}` : ''}` : '';
    return [`${left.padEnd(27)} ${spec.doc.replace(/`/g, '')} [${k}${bounds}]`];
  });
}

// The file as an object: JSON, or a plist (by its first bytes).
export function readConfigFile(file: string): Record<string, unknown> {
  const text = readFileSync(file, 'utf8');
  let value: unknown;
  try {
    value = text.trimStart().startsWith('<') ? parsePlist(text) : JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: not valid JSON or plist: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${file}: must hold an object of settings`);
  return value as Record<string, unknown>;
}

export function configBase(file: string | undefined): string {
  return file ? dirname(resolve(file)) : process.cwd();
}
