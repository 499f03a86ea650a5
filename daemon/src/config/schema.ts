// The daemon's configuration: its shape, its defaults and the bounds each
// value must respect. A JSON file and a plist carry the same schema (see
// docs in README/config); CLI flags override single keys (cli.ts).
import type { LogLevel } from '../log';

// A user or group in a policy rule: a name, resolved to an id at load and
// on every reload, or a numeric id. '*' means anyone.
export type Principal = string | number;

export interface PolicyRule {
  users: Principal[];
  groups: Principal[];
}

// Keys of each map are catalog names, catalog ids in decimal, or '*' (the
// rule for every item of that kind that has no entry of its own).
export type PolicyMap = Record<string, PolicyRule>;

export interface PolicyConfig {
  commands: PolicyMap;
  topics: PolicyMap;
  options: { get: PolicyMap; set: PolicyMap };
  upcalls: PolicyMap;
}

export interface KextConfig {
  // Linux: the kextsim AF_UNIX SOCK_SEQPACKET socket.
  socketPath: string;
  // macOS: the kernel control name the kext registers.
  controlName: string;
  reconnectMinMs: number;
  reconnectMaxMs: number;
}

export interface LimitsConfig {
  // Requests the daemon keeps outstanding toward the kext (the kext's own
  // WELCOME max_inflight caps it further).
  maxInflight: number;
  // Calls waiting for an in-flight slot; beyond, RESOURCE_EXHAUSTED.
  maxQueued: number;
  // Deadline for calls that carry none.
  defaultDeadlineMs: number;
  // Largest reassembled message the daemon accepts (HELLO max_message).
  maxMessageBytes: number;
  // The ring of recent events kept for since_seq resume: whichever bound
  // is reached first evicts.
  ringEvents: number;
  ringBytes: number;
  subscriberQueueDefault: number;
  subscriberQueueMax: number;
  // Encoded bytes one subscriber's queue may hold; past it, its overflow
  // policy applies as it does past its event limit.
  subscriberQueueBytes: number;
  maxBatch: number;
  // Client connections: all of them, one unprivileged uid's, and how many
  // of all are kept for root, the admin group and upcall handlers.
  maxConnections: number;
  maxConnectionsPerUid: number;
  reservedConnections: number;
  // A connection that starts no call this soon after connecting is closed
  // (a peer that sends a preface, or half a frame, and waits).
  firstCallMs: number;
  // A connection with no call open for this long is closed.
  idleConnectionMs: number;
  // HTTP/2 streams one connection may have open at once.
  maxStreamsPerConnection: number;
  // Memory one connection's HTTP/2 session may use, in MiB; past it, it
  // gets no new streams.
  sessionMemoryMiB: number;
}

export interface Config {
  socketPath: string;
  // Mode of the gRPC socket. Clients are unprivileged, so the default lets
  // every local user connect: access control is the policy, decided per
  // call from the kernel-reported peer credentials, not file permissions.
  socketMode: number;
  // Skip the check that the socket's directory is owned by the daemon's
  // user and not writable by others (whoever can write the directory can
  // replace the socket). For development runs only.
  allowAnyUserSocket: boolean;
  kext: KextConfig;
  limits: LimitsConfig;
  logLevel: LogLevel;
  // Members of this group may use items the kext flags privileged. 'admin'
  // is macOS's administrators group; Linux distributions differ (sudo,
  // wheel), so it is configurable; a group that does not exist leaves the
  // privileged items to root.
  adminGroup: Principal;
  policy: PolicyConfig;
  // Typed services (a kext's own .proto files, see options.proto) served
  // beside kextbridge.v1.Bridge; relative paths are resolved against the
  // config file's directory (against the working directory for flags).
  protoFiles: string[];
  // Extra import roots for protoFiles; the bundled proto/ is always one.
  protoIncludeDirs: string[];
  // SIGTERM: how long in-flight calls may take to finish before they are
  // cut. launchd kills the daemon at ExitTimeOut (the LaunchDaemon plist
  // sets at least LAUNCHD_EXIT_TIMEOUT_MIN_MS), so this stays well below.
  drainGraceMs: number;
}

export const MACOS_SOCKET_PATH_MAX = 103; // sun_path is 104 bytes with its NUL
export const KB_MAX_MESSAGE = 1024 * 1024; // wire.h: the largest message a peer may announce
export const LAUNCHD_EXIT_TIMEOUT_MIN_MS = 10_000;
// Time left after the drain for GOODBYE to the kext and a clean exit.
export const SHUTDOWN_MARGIN_MS = 1_000;

export function defaultConfig(platform: NodeJS.Platform = process.platform): Config {
  const runDir = platform === 'darwin' ? '/var/run/kextbridge' : '/run/kextbridge';
  return {
    socketPath: `${runDir}/kextbridge.sock`,
    socketMode: 0o666,
    allowAnyUserSocket: false,
    kext: {
      socketPath: `${runDir}/kextsim.sock`,
      controlName: 'org.kextbridge.example',
      reconnectMinMs: 100,
      reconnectMaxMs: 5_000,
    },
    limits: {
      maxInflight: 64,
      maxQueued: 1_024,
      defaultDeadlineMs: 5_000,
      maxMessageBytes: KB_MAX_MESSAGE,
      ringEvents: 65_536,
      ringBytes: 64 * 1024 * 1024,
      subscriberQueueDefault: 1_024,
      subscriberQueueMax: 65_536,
      subscriberQueueBytes: 16 * 1024 * 1024,
      maxBatch: 1_024,
      maxConnections: 4_096,
      maxConnectionsPerUid: 128,
      reservedConnections: 256,
      firstCallMs: 10_000,
      idleConnectionMs: 300_000,
      maxStreamsPerConnection: 256,
      sessionMemoryMiB: 32,
    },
    logLevel: 'info',
    adminGroup: 'admin',
    policy: { commands: {}, topics: {}, options: { get: {}, set: {} }, upcalls: {} },
    protoFiles: [],
    protoIncludeDirs: [],
    drainGraceMs: 5_000,
  };
}
