// Turns the raw object of a config file (JSON or plist, flags applied) into
// a Config, or into every error it holds: each names the key path and the
// problem, so one run of the daemon tells an administrator all that is
// wrong with the file, not one thing at a time.
import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { LOG_LEVELS, type LogLevel } from '../log';
import { closest } from './suggest';
import {
  defaultConfig,
  KB_MAX_MESSAGE,
  LAUNCHD_EXIT_TIMEOUT_MIN_MS,
  MACOS_SOCKET_PATH_MAX,
  SHUTDOWN_MARGIN_MS,
  type Config,
  type PolicyConfig,
  type PolicyMap,
  type PolicyRule,
  type Principal,
} from './schema';

export interface ValidateOptions {
  platform?: NodeJS.Platform;
  // Relative protoFiles / protoIncludeDirs are resolved against it: the
  // config file's directory.
  baseDir?: string;
  // Key path -> where its value came from when not from the file
  // ("--socket"), so an error points at what the user actually typed.
  origins?: ReadonlyMap<string, string>;
}

export type ValidationResult = { ok: true; config: Config } | { ok: false; errors: string[] };

const LINUX_SOCKET_PATH_MAX = 107; // sun_path is 108 bytes with its NUL
const KCTL_NAME_MAX = 95; // MAX_KCTL_NAME is 96 with its NUL
const KB_MAX_NAME = 63; // wire.h: catalog names
const ID_MAX = 0xfffffffe; // uid_t/gid_t; (uid_t)-1 means "no change", never an identity

type Raw = Record<string, unknown>;

class Errors {
  readonly list: string[] = [];
  constructor(private readonly origins: ReadonlyMap<string, string>) {}

  // "<path>: <problem>"
  add(path: string, problem: string): undefined {
    return this.sentence(path, `: ${problem}`);
  }

  // "<path> <rest>", for problems that read as a sentence about the key.
  sentence(path: string, rest: string): undefined {
    const origin = this.origins.get(path);
    this.list.push(`${path || '(top level)'}${origin ? ` (from ${origin})` : ''}${rest}`);
    return undefined;
  }
}

// What the user wrote, for "got ..." in a message.
function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a date';
  if (Buffer.isBuffer(value)) return 'data';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

function join(path: string, key: string): string {
  const part = /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? key : JSON.stringify(key);
  if (!path) return part;
  return part.startsWith('"') ? `${path}[${part}]` : `${path}.${part}`;
}

function isPlainObject(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date) && !Buffer.isBuffer(value);
}

// An object with only the given keys; unknown ones are errors with a
// suggestion, because a misspelt key would otherwise silently keep its
// default.
function object(errors: Errors, value: unknown, path: string, known: readonly string[] | null): Raw | undefined {
  if (!isPlainObject(value)) return errors.add(path, `must be an object, got ${shown(value)}`);
  if (known) {
    for (const key of Object.keys(value)) {
      if (known.includes(key)) continue;
      const guess = closest(key, known);
      errors.add(join(path, key), guess ? `unknown key; did you mean "${guess}"?` : `unknown key; known keys here: ${known.join(', ')}`);
    }
  }
  return value;
}

function integer(errors: Errors, value: unknown, path: string, min: number, max: number): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
  return errors.add(path, `must be an integer ${min}..${max}, got ${shown(value)}`);
}

function boolean(errors: Errors, value: unknown, path: string): boolean | undefined {
  if (typeof value === 'boolean') return value;
  return errors.add(path, `must be true or false, got ${shown(value)}`);
}

function nonEmptyString(errors: Errors, value: unknown, path: string): string | undefined {
  if (typeof value === 'string' && value.length > 0) return value;
  return errors.add(path, `must be a non-empty string, got ${shown(value)}`);
}

function socketPath(errors: Errors, value: unknown, path: string, max: number, limitText: string): string | undefined {
  const text = nonEmptyString(errors, value, path);
  if (text === undefined) return undefined;
  if (!isAbsolute(text)) return errors.add(path, `must be an absolute path, got ${shown(text)}`);
  const bytes = Buffer.byteLength(text);
  if (bytes > max) return errors.sentence(path, ` is ${bytes} bytes; ${limitText}`);
  return text;
}

// JSON has no octal literals, so modes are written as strings ("0660");
// plists and JSON may also give the plain integer (432).
function fileMode(errors: Errors, value: unknown, path: string): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0o777) return value;
  if (typeof value === 'string' && /^(0o?)?[0-7]{1,3}$/.test(value)) return parseInt(value.replace(/^0o?/, '') || '0', 8);
  return errors.add(path, `must be a permission mode 0..0777, as an octal string like "0666" or an integer, got ${shown(value)}`);
}

function logLevel(errors: Errors, value: unknown, path: string): LogLevel | undefined {
  if (typeof value === 'string' && (LOG_LEVELS as readonly string[]).includes(value)) return value as LogLevel;
  return errors.add(path, `must be one of ${LOG_LEVELS.join(', ')}, got ${shown(value)}`);
}

// A user or group: a name, '*', or a numeric id (digits in a string count
// as an id: no sane account name is all digits).
function principal(errors: Errors, value: unknown, path: string): Principal | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= ID_MAX) return value;
  if (typeof value === 'string' && /^[0-9]+$/.test(value) && Number(value) <= ID_MAX) return Number(value);
  if (typeof value === 'string' && /^[A-Za-z0-9_.*][A-Za-z0-9_.$-]*$/.test(value) && (value === '*' || !value.includes('*'))) return value;
  return errors.add(path, `must be a user or group name, a numeric id 0..${ID_MAX} or "*", got ${shown(value)}`);
}

function principals(errors: Errors, value: unknown, path: string): Principal[] | undefined {
  if (!Array.isArray(value)) return errors.add(path, `must be an array of names or ids, got ${shown(value)}`);
  const out: Principal[] = [];
  value.forEach((item, i) => {
    const p = principal(errors, item, `${path}[${i}]`);
    if (p !== undefined) out.push(p);
  });
  return out;
}

function policyMap(errors: Errors, value: unknown, path: string): PolicyMap {
  const map: PolicyMap = {};
  const raw = object(errors, value, path, null);
  if (!raw) return map;
  for (const [key, ruleValue] of Object.entries(raw)) {
    const rulePath = join(path, key);
    const keyOk = key === '*' || /^[0-9]+$/.test(key) || (key.length > 0 && Buffer.byteLength(key) <= KB_MAX_NAME);
    if (!keyOk) {
      errors.add(rulePath, `must be keyed by a catalog name (1..${KB_MAX_NAME} bytes), a catalog id or "*"`);
      continue;
    }
    const rule = object(errors, ruleValue, rulePath, ['users', 'groups']);
    if (!rule) continue;
    const parsed: PolicyRule = { users: [], groups: [] };
    if ('users' in rule) parsed.users = principals(errors, rule.users, `${rulePath}.users`) ?? [];
    if ('groups' in rule) parsed.groups = principals(errors, rule.groups, `${rulePath}.groups`) ?? [];
    map[key] = parsed;
  }
  return map;
}

function policy(errors: Errors, value: unknown, fallback: PolicyConfig): PolicyConfig {
  const raw = object(errors, value, 'policy', ['commands', 'topics', 'options', 'upcalls']);
  if (!raw) return fallback;
  const out: PolicyConfig = { ...fallback, options: { ...fallback.options } };
  if ('commands' in raw) out.commands = policyMap(errors, raw.commands, 'policy.commands');
  if ('topics' in raw) out.topics = policyMap(errors, raw.topics, 'policy.topics');
  if ('upcalls' in raw) out.upcalls = policyMap(errors, raw.upcalls, 'policy.upcalls');
  if ('options' in raw) {
    const options = object(errors, raw.options, 'policy.options', ['get', 'set']);
    if (options && 'get' in options) out.options.get = policyMap(errors, options.get, 'policy.options.get');
    if (options && 'set' in options) out.options.set = policyMap(errors, options.set, 'policy.options.set');
  }
  return out;
}

function existingPaths(errors: Errors, value: unknown, path: string, baseDir: string, kind: 'file' | 'directory'): string[] | undefined {
  if (!Array.isArray(value)) return errors.add(path, `must be an array of paths, got ${shown(value)}`);
  const out: string[] = [];
  value.forEach((item, i) => {
    const itemPath = `${path}[${i}]`;
    const text = nonEmptyString(errors, item, itemPath);
    if (text === undefined) return;
    const full = resolve(baseDir, text);
    let isKind = false;
    try {
      const st = statSync(full);
      isKind = kind === 'file' ? st.isFile() : st.isDirectory();
    } catch {
      errors.add(itemPath, `no such ${kind}: ${full}`);
      return;
    }
    if (!isKind) errors.add(itemPath, `not a ${kind}: ${full}`);
    else out.push(full);
  });
  return out;
}

// Reads `key` of `raw` through `check` when present; keeps the default
// when absent or invalid (the error is recorded, and the result is
// discarded when there is any).
function field<T>(raw: Raw, key: string, fallback: T, check: (value: unknown) => T | undefined): T {
  if (!(key in raw)) return fallback;
  const value = check(raw[key]);
  return value === undefined ? fallback : value;
}

const TOP_KEYS = [
  'socketPath',
  'socketMode',
  'allowAnyUserSocket',
  'kext',
  'limits',
  'logLevel',
  'adminGroup',
  'policy',
  'protoFiles',
  'protoIncludeDirs',
  'drainGraceMs',
] as const;

export function validateConfig(input: unknown, options: ValidateOptions = {}): ValidationResult {
  const platform = options.platform ?? process.platform;
  const baseDir = options.baseDir ?? process.cwd();
  const errors = new Errors(options.origins ?? new Map());
  const defaults = defaultConfig(platform);
  const raw = object(errors, input ?? {}, '', TOP_KEYS);
  if (!raw) return { ok: false, errors: errors.list };

  const config: Config = { ...defaults };
  config.socketPath = field(raw, 'socketPath', defaults.socketPath, (v) =>
    socketPath(errors, v, 'socketPath', MACOS_SOCKET_PATH_MAX, `macOS limits unix socket paths to 104 bytes (${MACOS_SOCKET_PATH_MAX} and a NUL)`),
  );
  config.socketMode = field(raw, 'socketMode', defaults.socketMode, (v) => fileMode(errors, v, 'socketMode'));
  config.allowAnyUserSocket = field(raw, 'allowAnyUserSocket', defaults.allowAnyUserSocket, (v) => boolean(errors, v, 'allowAnyUserSocket'));
  config.logLevel = field(raw, 'logLevel', defaults.logLevel, (v) => logLevel(errors, v, 'logLevel'));
  config.adminGroup = field(raw, 'adminGroup', defaults.adminGroup, (v) => {
    const p = principal(errors, v, 'adminGroup');
    return p === '*' ? errors.add('adminGroup', 'must name one group, not "*"') : p;
  });
  config.drainGraceMs = field(raw, 'drainGraceMs', defaults.drainGraceMs, (v) =>
    integer(errors, v, 'drainGraceMs', 0, LAUNCHD_EXIT_TIMEOUT_MIN_MS - SHUTDOWN_MARGIN_MS),
  );
  config.protoFiles = field(raw, 'protoFiles', defaults.protoFiles, (v) => existingPaths(errors, v, 'protoFiles', baseDir, 'file'));
  config.protoIncludeDirs = field(raw, 'protoIncludeDirs', defaults.protoIncludeDirs, (v) =>
    existingPaths(errors, v, 'protoIncludeDirs', baseDir, 'directory'),
  );
  config.policy = field(raw, 'policy', defaults.policy, (v) => policy(errors, v, defaults.policy));

  config.kext = { ...defaults.kext };
  if ('kext' in raw) {
    const kext = object(errors, raw.kext, 'kext', ['socketPath', 'controlName', 'reconnectMinMs', 'reconnectMaxMs']);
    if (kext) {
      const k = config.kext;
      k.socketPath = field(kext, 'socketPath', k.socketPath, (v) =>
        socketPath(errors, v, 'kext.socketPath', LINUX_SOCKET_PATH_MAX, `Linux limits unix socket paths to 108 bytes (${LINUX_SOCKET_PATH_MAX} and a NUL)`),
      );
      k.controlName = field(kext, 'controlName', k.controlName, (v) => {
        const name = nonEmptyString(errors, v, 'kext.controlName');
        if (name === undefined) return undefined;
        const bytes = Buffer.byteLength(name);
        return bytes <= KCTL_NAME_MAX ? name : errors.sentence('kext.controlName', ` is ${bytes} bytes; kernel control names are at most ${KCTL_NAME_MAX}`);
      });
      k.reconnectMinMs = field(kext, 'reconnectMinMs', k.reconnectMinMs, (v) => integer(errors, v, 'kext.reconnectMinMs', 10, 60_000));
      k.reconnectMaxMs = field(kext, 'reconnectMaxMs', k.reconnectMaxMs, (v) => integer(errors, v, 'kext.reconnectMaxMs', 10, 600_000));
      if (k.reconnectMaxMs < k.reconnectMinMs) {
        errors.add('kext.reconnectMaxMs', `must be at least kext.reconnectMinMs (${k.reconnectMinMs}), got ${k.reconnectMaxMs}`);
      }
    }
  }

  config.limits = { ...defaults.limits };
  if ('limits' in raw) {
    const bounds: Record<keyof Config['limits'], [number, number]> = {
      maxInflight: [1, 4096],
      maxQueued: [0, 65_536],
      defaultDeadlineMs: [1, 600_000],
      maxMessageBytes: [1024, KB_MAX_MESSAGE],
      ringEvents: [0, 1 << 20],
      ringBytes: [0, 1 << 30],
      subscriberQueueDefault: [1, 1 << 20],
      subscriberQueueMax: [1, 1 << 20],
      subscriberQueueBytes: [64 * 1024, 1 << 30],
      maxBatch: [1, 65_536],
      maxConnections: [16, 1_000_000],
      maxConnectionsPerUid: [1, 1_000_000],
      reservedConnections: [0, 1_000_000],
      firstCallMs: [100, 600_000],
      idleConnectionMs: [1_000, 86_400_000],
      maxStreamsPerConnection: [1, 65_535],
      sessionMemoryMiB: [1, 4_096],
    };
    const limits = object(errors, raw.limits, 'limits', Object.keys(bounds));
    if (limits) {
      for (const [key, [min, max]] of Object.entries(bounds) as [keyof Config['limits'], [number, number]][]) {
        config.limits[key] = field(limits, key, config.limits[key], (v) => integer(errors, v, `limits.${key}`, min, max));
      }
      if (config.limits.reservedConnections >= config.limits.maxConnections) {
        errors.add('limits.reservedConnections', `must be below limits.maxConnections (${config.limits.maxConnections}), got ${config.limits.reservedConnections}`);
      }
      if (config.limits.subscriberQueueDefault > config.limits.subscriberQueueMax) {
        errors.add(
          'limits.subscriberQueueDefault',
          `must be at most limits.subscriberQueueMax (${config.limits.subscriberQueueMax}), got ${config.limits.subscriberQueueDefault}`,
        );
      }
    }
  }

  if (errors.list.length > 0) return { ok: false, errors: errors.list };
  return { ok: true, config };
}
