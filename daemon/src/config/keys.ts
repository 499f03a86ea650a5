// Every configuration key stated once: its type, default, bounds, command
// line flag and one line of documentation. The defaults (defaultConfig,
// below), the validation (validate.ts), the flags and --help
// (cli.ts) and docs/configuration.md (reference.ts) all come from this
// table; the mapped type makes a key of Config without an entry here a
// compile error.
import { MAX_MESSAGE } from '../wire/constants';
import type { Config, PolicyConfig, Principal, UpcallDecisions } from './schema';
import { KCTL_NAME_MAX, LAUNCHD_EXIT_TIMEOUT_MIN_MS, LINUX_SOCKET_PATH_MAX, MACOS_SOCKET_PATH_MAX, SHUTDOWN_MARGIN_MS, runDir } from './os-limits';
import type { LogLevel } from '../log';

export interface Flag {
  name: string;
  // Placeholder in --help; none for a boolean flag.
  arg?: string;
  // Text of --help when it says more than the doc line.
  help?: string;
}

interface Common<T> {
  default: T | ((platform: NodeJS.Platform) => T);
  doc: string;
  flag?: Flag;
}

export type KeySpec =
  | (Common<number> & { type: 'integer'; min: number; max: number; unit?: string })
  | (Common<boolean> & { type: 'boolean' })
  | (Common<string> & { type: 'string'; maxBytes?: number; limitText?: string })
  | (Common<string> & { type: 'socketPath'; maxBytes: number; limitText: string })
  | (Common<string> & { type: 'listen' })
  | (Common<number> & { type: 'fileMode' })
  | (Common<LogLevel> & { type: 'logLevel' })
  | (Common<Principal> & { type: 'group' })
  | (Common<string[]> & { type: 'files' | 'directories' })
  | (Common<PolicyConfig> & { type: 'policy' })
  | (Common<UpcallDecisions> & { type: 'upcallDecisions' });

// Config's shape with a KeySpec at each leaf (policy and upcallDecisions
// are one leaf each: their maps are keyed by the kext's own item names).
export type KeyTable<T> = { [K in keyof T]: T[K] extends PolicyConfig | UpcallDecisions ? KeySpec : T[K] extends unknown[] ? KeySpec : T[K] extends object ? KeyTable<T[K]> : KeySpec };

const MiB = 1024 * 1024;

export const KEYS: KeyTable<Config> = {
  socketPath: {
    type: 'socketPath',
    maxBytes: MACOS_SOCKET_PATH_MAX,
    limitText: `macOS limits unix socket paths to 104 bytes (${MACOS_SOCKET_PATH_MAX} and a NUL)`,
    default: (p) => `${runDir(p)}/kextbridge.sock`,
    doc: 'The gRPC unix socket clients connect to.',
    flag: { name: 'socket', arg: 'PATH' },
  },
  socketMode: {
    type: 'fileMode',
    default: 0o666,
    doc: 'Permission mode of the socket, an octal string ("0666") or an integer. Clients are unprivileged: who may do what is the policy, decided per call from kernel-verified credentials.',
    flag: { name: 'socket-mode', arg: 'MODE' },
  },
  allowAnyUserSocket: {
    type: 'boolean',
    default: false,
    doc: "Accept a socket directory, or a directory or symlink above it, owned by another user or writable by others (whoever can replace one can replace the socket; docs/security.md). Development only.",
    flag: { name: 'allow-any-user-socket' },
  },
  kext: {
    socketPath: {
      type: 'socketPath',
      maxBytes: LINUX_SOCKET_PATH_MAX,
      limitText: `Linux limits unix socket paths to 108 bytes (${LINUX_SOCKET_PATH_MAX} and a NUL)`,
      default: (p) => `${runDir(p)}/kextsim.sock`,
      doc: "Linux: kextsim's AF_UNIX SOCK_SEQPACKET socket.",
      flag: { name: 'kext-socket', arg: 'PATH' },
    },
    controlName: {
      type: 'string',
      maxBytes: KCTL_NAME_MAX,
      limitText: `kernel control names are at most ${KCTL_NAME_MAX}`,
      default: '',
      doc: "macOS: the kernel control name the kext registers (its ctl_name, e.g. org.kextbridge.example); required there.",
      flag: { name: 'kext-control', arg: 'NAME' },
    },
    reconnectMinMs: { type: 'integer', min: 10, max: 60_000, default: 100, unit: 'ms', doc: 'First pause before reconnecting to the kext; doubles up to reconnectMaxMs.' },
    reconnectMaxMs: { type: 'integer', min: 10, max: 600_000, default: 5_000, unit: 'ms', doc: 'Longest pause between reconnects to the kext (at least reconnectMinMs).' },
  },
  limits: {
    maxInflight: {
      type: 'integer',
      min: 1,
      max: 4096,
      default: 64,
      doc: "Requests outstanding toward the kext at once (the kext's own max_inflight caps it further).",
      flag: { name: 'max-inflight', arg: 'N' },
    },
    maxQueued: { type: 'integer', min: 0, max: 65_536, default: 1_024, doc: 'Calls waiting for an in-flight slot; past it, RESOURCE_EXHAUSTED.' },
    defaultDeadlineMs: { type: 'integer', min: 1, max: 600_000, default: 5_000, unit: 'ms', doc: 'Deadline of calls that carry none.' },
    maxMessageBytes: { type: 'integer', min: 1024, max: MAX_MESSAGE, default: MAX_MESSAGE, unit: 'bytes', doc: 'Largest reassembled message accepted from the kext (HELLO max_message; wire.h KB_MAX_MESSAGE at most).' },
    ringEvents: { type: 'integer', min: 0, max: 1 << 20, default: 65_536, doc: 'Recent events kept for since_seq resume (whichever of this and ringBytes is reached first evicts).' },
    ringBytes: { type: 'integer', min: 0, max: 1 << 30, default: 64 * MiB, unit: 'bytes', doc: 'Bytes of recent events kept for since_seq resume.' },
    subscriberQueueDefault: { type: 'integer', min: 1, max: 1 << 20, default: 1_024, doc: "Events a subscriber's queue holds when it asks for no limit (at most subscriberQueueMax)." },
    subscriberQueueMax: { type: 'integer', min: 1, max: 1 << 20, default: 65_536, doc: 'Largest queue limit a subscriber may ask for.' },
    subscriberQueueBytes: { type: 'integer', min: 64 * 1024, max: 1 << 30, default: 16 * MiB, unit: 'bytes', doc: "Encoded bytes one subscriber's queue may hold; past it, its overflow policy applies as past its event limit." },
    queueBytesTotal: {
      type: 'integer',
      min: 1 * MiB,
      max: 1 << 30,
      default: 256 * MiB,
      unit: 'bytes',
      doc: "Encoded bytes all subscribers' queues together may hold (events shared by several queues count in each). Past it, the largest queue gives way by its overflow policy: the subscriber reading least loses events (told by Lost) or, with disconnect, is ended with RESOURCE_EXHAUSTED; never the others.",
    },
    queueBytesPerUid: {
      type: 'integer',
      min: 64 * 1024,
      max: 1 << 30,
      default: 64 * MiB,
      unit: 'bytes',
      doc: "The share of queued bytes one unprivileged uid's subscribers together may hold (root is bound by queueBytesTotal alone); past it, that uid's largest queue gives way.",
    },
    maxBatch: { type: 'integer', min: 1, max: 65_536, default: 1_024, doc: 'Most events in one EventBatch.' },
    maxConnections: { type: 'integer', min: 16, max: 1_000_000, default: 4_096, doc: 'Client connections open at once, all users together.' },
    maxConnectionsPerUid: { type: 'integer', min: 1, max: 1_000_000, default: 128, doc: 'Client connections one unprivileged uid may have open.' },
    reservedConnections: { type: 'integer', min: 0, max: 1_000_000, default: 256, doc: 'Of maxConnections, kept for root, the admin group and upcall handlers (below maxConnections).' },
    firstCallMs: { type: 'integer', min: 100, max: 600_000, default: 10_000, unit: 'ms', doc: 'A connection that starts no call this soon after connecting is closed (a peer that sends a preface, or half a frame, and waits).' },
    idleConnectionMs: { type: 'integer', min: 1_000, max: 86_400_000, default: 300_000, unit: 'ms', doc: 'A connection with no call open for this long is closed.' },
    maxStreamsPerConnection: { type: 'integer', min: 1, max: 65_535, default: 256, doc: 'HTTP/2 streams one connection may have open at once.' },
    sessionMemoryMiB: { type: 'integer', min: 1, max: 4_096, default: 32, unit: 'MiB', doc: "Memory one connection's HTTP/2 session may use; past it, it gets no new streams." },
    upcallHandlersPerUid: {
      type: 'integer',
      min: 1,
      max: 4_096,
      default: 4,
      doc: 'Serve streams one uid (root too) may have registered for one upcall; past it, RESOURCE_EXHAUSTED. Every handler is asked every question, so each one costs a write per upcall.',
    },
    upcallMissesToRest: { type: 'integer', min: 1, max: 1_000, default: 3, doc: "Consecutive upcall deadlines a handler lets pass before it is set aside (not asked while a healthy handler of that upcall remains)." },
    upcallRestMs: {
      type: 'integer',
      min: 100,
      max: 86_400_000,
      default: 30_000,
      unit: 'ms',
      doc: 'How long a handler is set aside; then it is asked again, and one more missed deadline sets it aside again.',
    },
  },
  logLevel: {
    type: 'logLevel',
    default: 'info',
    doc: 'fatal, error, warn, info, debug, trace or silent. Payload bytes are logged at debug only. SIGHUP applies a change.',
    flag: { name: 'log-level', arg: 'LEVEL' },
  },
  adminGroup: {
    type: 'group',
    default: 'admin',
    doc: "The group whose members may use the items the kext flags privileged (macOS's administrators are admin; Linux distributions differ: sudo, wheel). A group that does not exist leaves privileged items to root.",
    flag: { name: 'admin-group', arg: 'GROUP' },
  },
  policy: {
    type: 'policy',
    default: { commands: {}, topics: {}, options: { get: {}, set: {} }, upcalls: {} },
    doc: 'Who may use each command, topic, option (get, set) and upcall: maps keyed by catalog name, catalog id or "*", each to {users, groups, programs}; and admin, one such rule for the admin-only methods (ListSubscribers; without it: root and adminGroup). programs, when given, also requires the calling program: on Linux {path, sha256} (either or both: the executable /proc/PID/exe names at connect, the SHA-256 of its contents), on macOS {teamId, identifier} or {requirement} (a code-signing requirement checked against the caller\'s audit token); a rule with programs and no users or groups is for any user running one of them. Its shape, with an example: docs/kext-authors.md ("Who may do what: the policy"); the identity model: docs/security.md. SIGHUP applies a change.',
  },
  upcallDecisions: {
    type: 'upcallDecisions',
    default: {},
    doc: 'How each upcall is decided, keyed by catalog name, catalog id or "*": {mode, denyWhen}. mode "any_deny" (the default): every handler is asked, a deny is final, else the verdict waits for every handler of the best standing (root, then the admin group, then other users). mode "first_answer": the first answer decides, whoever sends it (latency over safety: any granted handler decides alone). denyWhen {field, equals}: the varint field of the answer message and the value that means deny (absent field = 0); without it a deny cannot be told apart, and handlers of the deciding standing that answer differently leave the kext its default. See docs/security.md.',
  },
  protoFiles: {
    type: 'files',
    default: [],
    doc: "The kext's typed .proto files, served beside kextbridge.v1.Bridge; relative paths are against the config file's directory (the working directory for flags).",
    flag: { name: 'proto', arg: 'FILE', help: 'typed service .proto to serve (repeatable; replaces the config list)' },
  },
  protoIncludeDirs: { type: 'directories', default: [], doc: "Extra import roots for protoFiles; @kextbridge/protocol's proto tree is always one." },
  drainGraceMs: {
    type: 'integer',
    min: 0,
    max: LAUNCHD_EXIT_TIMEOUT_MIN_MS - SHUTDOWN_MARGIN_MS,
    default: 5_000,
    unit: 'ms',
    doc: "SIGTERM: how long in-flight calls may take to finish before they are cut (launchd's ExitTimeOut is set above it).",
    flag: { name: 'drain-grace-ms', arg: 'MS' },
  },
  metrics: {
    listen: {
      type: 'listen',
      default: '',
      doc: 'Where Prometheus scrapes /metrics: a loopback "host:port" (127.0.0.1:9464, [::1]:9464, localhost:9464) or an absolute unix socket path; empty (the default) serves no metrics. Nothing else is bound. Metrics and alerts: docs/operations.md.',
      flag: { name: 'metrics-listen', arg: 'ADDR' },
    },
  },
};

export function isKeySpec(node: unknown): node is KeySpec {
  return typeof node === 'object' && node !== null && 'type' in node && 'doc' in node;
}

export function defaultOf(spec: KeySpec, platform: NodeJS.Platform): unknown {
  const d = spec.default;
  const value = typeof d === 'function' ? (d as (p: NodeJS.Platform) => unknown)(platform) : d;
  // A fresh copy, so no config shares (and mutates) the table's arrays and maps.
  return typeof value === 'object' && value !== null ? structuredClone(value) : value;
}

// Every leaf of the table with its dotted path, in table order.
export function keyList(table: object = KEYS, prefix = ''): Array<{ path: string; spec: KeySpec }> {
  const out: Array<{ path: string; spec: KeySpec }> = [];
  for (const [name, node] of Object.entries(table)) {
    const path = prefix ? `${prefix}.${name}` : name;
    if (isKeySpec(node)) out.push({ path, spec: node });
    else out.push(...keyList(node as object, path));
  }
  return out;
}

export function defaultConfig(platform: NodeJS.Platform = process.platform): Config {
  const build = (table: object): Record<string, unknown> =>
    Object.fromEntries(Object.entries(table).map(([k, node]) => [k, isKeySpec(node) ? defaultOf(node, platform) : build(node as object)]));
  return build(KEYS) as unknown as Config;
}
