// Turns the raw object of a config file (JSON or plist, flags applied) into
// a Config, or into every error it holds: each names the key path and the
// problem, so one run of the daemon tells an administrator all that is
// wrong with the file, not one thing at a time.
import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { LOG_LEVELS, type LogLevel } from '../log';
import { MAX_NAME } from '../wire/constants';
import { defaultConfig, isKeySpec, KEYS, type KeySpec } from './keys';
import { ID_MAX } from './os-limits';
import type { Config, PolicyConfig, PolicyMap, PolicyRule, Principal, ProgramRule, UpcallDecision, UpcallDecisions } from './schema';
import { closest, parseListenAddress } from '@kextbridge/protocol';

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

type Raw = Record<string, unknown>;

class Errors {
  readonly list: string[] = [];
  readonly #origins: ReadonlyMap<string, string>;

  constructor(origins: ReadonlyMap<string, string>) {
    this.#origins = origins;
  }

  // "<path>: <problem>"
  add(path: string, problem: string): undefined {
    return this.sentence(path, `: ${problem}`);
  }

  // "<path> <rest>", for problems that read as a sentence about the key.
  sentence(path: string, rest: string): undefined {
    const origin = this.#origins.get(path);
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

// A map keyed by catalog name (1..MAX_NAME bytes), catalog id or '*',
// each entry an object of the given keys read by `entry`.
function itemMap<T>(errors: Errors, value: unknown, path: string, keys: readonly string[], entry: (raw: Raw, entryPath: string) => T): Record<string, T> {
  const map: Record<string, T> = {};
  const raw = object(errors, value, path, null);
  if (!raw) return map;
  for (const [key, entryValue] of Object.entries(raw)) {
    const entryPath = join(path, key);
    const keyOk = key === '*' || /^[0-9]+$/.test(key) || (key.length > 0 && Buffer.byteLength(key) <= MAX_NAME);
    if (!keyOk) {
      errors.add(entryPath, `must be keyed by a catalog name (1..${MAX_NAME} bytes), a catalog id or "*"`);
      continue;
    }
    const fields = object(errors, entryValue, entryPath, keys);
    if (fields) map[key] = entry(fields, entryPath);
  }
  return map;
}

const LINUX_PROGRAM_KEYS = ['path', 'sha256'] as const;
const DARWIN_PROGRAM_KEYS = ['teamId', 'identifier', 'requirement'] as const;
// A code-signing requirement is read by Security.framework's own parser;
// this only bounds it and keeps out what no requirement holds.
const MAX_REQUIREMENT = 4096;

// One entry of a rule's programs: Linux keys (path, sha256) on Linux,
// code-signing keys (teamId, identifier, or a whole requirement) on macOS.
// A key of the other system is an error, not a rule that never matches.
function programRule(errors: Errors, value: unknown, path: string, platform: NodeJS.Platform): ProgramRule | undefined {
  const raw = object(errors, value, path, [...LINUX_PROGRAM_KEYS, ...DARWIN_PROGRAM_KEYS]);
  if (!raw) return undefined;
  const mine: readonly string[] = platform === 'darwin' ? DARWIN_PROGRAM_KEYS : LINUX_PROGRAM_KEYS;
  const needed = platform === 'darwin' ? 'teamId, identifier or requirement' : 'path or sha256';
  const known: readonly string[] = [...LINUX_PROGRAM_KEYS, ...DARWIN_PROGRAM_KEYS];
  const foreign = Object.keys(raw).filter((k) => known.includes(k) && !mine.includes(k));
  if (foreign.length > 0) {
    return errors.add(path, `${foreign.join(', ')} cannot be checked on ${platform}: name a program here by ${needed}`);
  }
  if (!Object.keys(raw).some((k) => mine.includes(k))) return Object.keys(raw).length === 0 ? errors.add(path, `names no program: give ${needed}`) : undefined;
  const rule: ProgramRule = {};
  const before = errors.list.length;
  if ('path' in raw) {
    const text = nonEmptyString(errors, raw.path, join(path, 'path'));
    if (text !== undefined && !isAbsolute(text)) errors.add(join(path, 'path'), `must be an absolute path, got ${shown(text)}`);
    else if (text !== undefined) rule.path = text;
  }
  if ('sha256' in raw) {
    if (typeof raw.sha256 === 'string' && /^[0-9A-Fa-f]{64}$/.test(raw.sha256)) rule.sha256 = raw.sha256.toLowerCase();
    else errors.add(join(path, 'sha256'), `must be 64 hex digits (sha256sum's output), got ${shown(raw.sha256)}`);
  }
  if ('teamId' in raw) {
    if (typeof raw.teamId === 'string' && /^[A-Z0-9]{10}$/.test(raw.teamId)) rule.teamId = raw.teamId;
    else errors.add(join(path, 'teamId'), `must be an Apple Team ID, 10 capital letters or digits (codesign -dv shows TeamIdentifier), got ${shown(raw.teamId)}`);
  }
  if ('identifier' in raw) {
    if (typeof raw.identifier === 'string' && /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/.test(raw.identifier)) rule.identifier = raw.identifier;
    else errors.add(join(path, 'identifier'), `must be a signing identifier such as "com.example.agent" (letters, digits, . _ -; codesign -dv shows Identifier), got ${shown(raw.identifier)}`);
  }
  if ('requirement' in raw) {
    const text = raw.requirement;
    if (typeof text !== 'string' || text.trim() === '' || Buffer.byteLength(text) > MAX_REQUIREMENT || text.includes('\0')) {
      errors.add(join(path, 'requirement'), `must be a code-signing requirement of 1..${MAX_REQUIREMENT} bytes (csreq(1) syntax, e.g. 'anchor apple generic and identifier "com.example.agent"'), got ${shown(text)}`);
    } else if ('teamId' in raw || 'identifier' in raw) {
      errors.add(path, 'give either requirement or teamId/identifier, not both: a whole requirement says everything the others would');
    } else rule.requirement = text;
  }
  return errors.list.length === before ? rule : undefined;
}

function policyRule(errors: Errors, rule: Raw, rulePath: string, platform: NodeJS.Platform): PolicyRule {
  const parsed: PolicyRule = { users: [], groups: [] };
  if ('users' in rule) parsed.users = principals(errors, rule.users, `${rulePath}.users`) ?? [];
  if ('groups' in rule) parsed.groups = principals(errors, rule.groups, `${rulePath}.groups`) ?? [];
  if ('programs' in rule) {
    const programsPath = `${rulePath}.programs`;
    if (!Array.isArray(rule.programs) || rule.programs.length === 0) {
      errors.add(programsPath, `must be a non-empty array of programs (an empty one would allow no program: leave the key out to allow any), got ${shown(rule.programs)}`);
    } else {
      const programs: ProgramRule[] = [];
      rule.programs.forEach((item: unknown, i: number) => {
        const p = programRule(errors, item, `${programsPath}[${i}]`, platform);
        if (p) programs.push(p);
      });
      parsed.programs = programs;
    }
  }
  return parsed;
}

const RULE_KEYS = ['users', 'groups', 'programs'];

function policyMap(errors: Errors, value: unknown, path: string, platform: NodeJS.Platform): PolicyMap {
  return itemMap(errors, value, path, RULE_KEYS, (rule, rulePath) => policyRule(errors, rule, rulePath, platform));
}

function policy(errors: Errors, value: unknown, fallback: PolicyConfig, platform: NodeJS.Platform): PolicyConfig {
  const raw = object(errors, value, 'policy', ['commands', 'topics', 'options', 'upcalls', 'admin']);
  if (!raw) return fallback;
  const out: PolicyConfig = { ...fallback, options: { ...fallback.options } };
  if ('commands' in raw) out.commands = policyMap(errors, raw.commands, 'policy.commands', platform);
  if ('topics' in raw) out.topics = policyMap(errors, raw.topics, 'policy.topics', platform);
  if ('upcalls' in raw) out.upcalls = policyMap(errors, raw.upcalls, 'policy.upcalls', platform);
  if ('admin' in raw) {
    const admin = object(errors, raw.admin, 'policy.admin', RULE_KEYS);
    if (admin) out.admin = policyRule(errors, admin, 'policy.admin', platform);
  }
  if ('options' in raw) {
    const options = object(errors, raw.options, 'policy.options', ['get', 'set']);
    if (options && 'get' in options) out.options.get = policyMap(errors, options.get, 'policy.options.get', platform);
    if (options && 'set' in options) out.options.set = policyMap(errors, options.set, 'policy.options.set', platform);
  }
  return out;
}

const DECISION_MODES = ['any_deny', 'first_answer'] as const;

function upcallDecisions(errors: Errors, value: unknown, path: string): UpcallDecisions {
  return itemMap(errors, value, path, ['mode', 'denyWhen'], (entry, entryPath) => {
    const decision: UpcallDecision = { mode: 'any_deny' };
    if ('mode' in entry) {
      if ((DECISION_MODES as readonly unknown[]).includes(entry.mode)) decision.mode = entry.mode as UpcallDecision['mode'];
      else errors.add(`${entryPath}.mode`, `must be one of ${DECISION_MODES.join(', ')}, got ${shown(entry.mode)}`);
    }
    if (!('denyWhen' in entry)) return decision;
    const rule = object(errors, entry.denyWhen, `${entryPath}.denyWhen`, ['field', 'equals']);
    if (rule && !('field' in rule)) errors.add(`${entryPath}.denyWhen.field`, 'is required: the field number of a varint (bool, enum, integer) in the answer message');
    else if (rule) {
      const field = integer(errors, rule.field, `${entryPath}.denyWhen.field`, 1, 536_870_911);
      const equals = 'equals' in rule ? integer(errors, rule.equals, `${entryPath}.denyWhen.equals`, 0, Number.MAX_SAFE_INTEGER) : 0;
      if (field !== undefined && equals !== undefined) decision.denyWhen = { field, equals };
    }
    return decision;
  });
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

// One key's value checked by its spec; undefined (and an error recorded)
// when it does not pass.
function checked(errors: Errors, spec: KeySpec, value: unknown, path: string, baseDir: string, fallback: unknown, platform: NodeJS.Platform): unknown {
  switch (spec.type) {
    case 'integer':
      return integer(errors, value, path, spec.min, spec.max);
    case 'boolean':
      return boolean(errors, value, path);
    case 'string': {
      const text = nonEmptyString(errors, value, path);
      if (text === undefined || spec.maxBytes === undefined) return text;
      const bytes = Buffer.byteLength(text);
      return bytes <= spec.maxBytes ? text : errors.sentence(path, ` is ${bytes} bytes; ${spec.limitText ?? `at most ${spec.maxBytes} bytes`}`);
    }
    case 'listen': {
      if (value === '') return value;
      const text = nonEmptyString(errors, value, path);
      if (text === undefined) return undefined;
      const at = parseListenAddress(text);
      return 'error' in at ? errors.add(path, at.error) : text;
    }
    case 'socketPath':
      return socketPath(errors, value, path, spec.maxBytes, spec.limitText);
    case 'fileMode':
      return fileMode(errors, value, path);
    case 'logLevel':
      return logLevel(errors, value, path);
    case 'group': {
      const p = principal(errors, value, path);
      return p === '*' ? errors.add(path, 'must name one group, not "*"') : p;
    }
    case 'files':
      return existingPaths(errors, value, path, baseDir, 'file');
    case 'directories':
      return existingPaths(errors, value, path, baseDir, 'directory');
    case 'policy':
      return policy(errors, value, fallback as PolicyConfig, platform);
    case 'upcallDecisions':
      return upcallDecisions(errors, value, path);
  }
}

// The raw object at one level of the key table into `into` (which holds
// the defaults): unknown keys are errors, absent keys keep their default,
// an invalid value keeps it too (the error is recorded, and the result is
// discarded when there is any).
function readLevel(errors: Errors, raw: Raw, table: object, into: Record<string, unknown>, prefix: string, baseDir: string, platform: NodeJS.Platform): void {
  for (const [key, node] of Object.entries(table)) {
    if (!(key in raw)) continue;
    const path = prefix ? `${prefix}.${key}` : key;
    if (isKeySpec(node)) {
      const value = checked(errors, node, raw[key], path, baseDir, into[key], platform);
      if (value !== undefined) into[key] = value;
      continue;
    }
    const level = object(errors, raw[key], path, Object.keys(node as object));
    if (level) readLevel(errors, level, node as object, into[key] as Record<string, unknown>, path, baseDir, platform);
  }
}

export function validateConfig(input: unknown, options: ValidateOptions = {}): ValidationResult {
  const platform = options.platform ?? process.platform;
  const baseDir = options.baseDir ?? process.cwd();
  const errors = new Errors(options.origins ?? new Map());
  const raw = object(errors, input ?? {}, '', Object.keys(KEYS));
  if (!raw) return { ok: false, errors: errors.list };
  const config = defaultConfig(platform);
  readLevel(errors, raw, KEYS, config as unknown as Record<string, unknown>, '', baseDir, platform);

  // Bounds that relate two keys, or a key and the platform.
  const { kext: k, limits: l } = config;
  if (platform === 'darwin' && k.controlName === '') {
    errors.add('kext.controlName', "must name the kext's kernel control on macOS (its ctl_name, e.g. org.kextbridge.example)");
  }
  if (k.reconnectMaxMs < k.reconnectMinMs) {
    errors.add('kext.reconnectMaxMs', `must be at least kext.reconnectMinMs (${k.reconnectMinMs}), got ${k.reconnectMaxMs}`);
  }
  if (l.reservedConnections >= l.maxConnections) {
    errors.add('limits.reservedConnections', `must be below limits.maxConnections (${l.maxConnections}), got ${l.reservedConnections}`);
  }
  if (l.queueBytesPerUid > l.queueBytesTotal) {
    errors.add('limits.queueBytesPerUid', `must be at most limits.queueBytesTotal (${l.queueBytesTotal}), got ${l.queueBytesPerUid}`);
  }
  if (l.subscriberQueueDefault > l.subscriberQueueMax) {
    errors.add('limits.subscriberQueueDefault', `must be at most limits.subscriberQueueMax (${l.subscriberQueueMax}), got ${l.subscriberQueueDefault}`);
  }

  if (errors.list.length > 0) return { ok: false, errors: errors.list };
  return { ok: true, config };
}
