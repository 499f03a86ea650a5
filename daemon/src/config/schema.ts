// The daemon's configuration as the code uses it. Each key's default,
// bounds, flag and meaning are stated once, in keys.ts (defaultConfig is
// there); a JSON file and a plist carry the same keys
// (docs/configuration.md, generated from that table).
import type { LogLevel } from '../log';

// How an upcall is decided (core/upcall-verdict.ts reads answers by it).
export type DecisionMode = 'any_deny' | 'first_answer';

export interface DenyRule {
  // Protobuf field number of a varint (bool, enum, integer) in the answer.
  field: number;
  // The value of that field that means deny; an absent field is 0 (proto3).
  equals: number;
}

export interface UpcallDecision {
  mode: DecisionMode;
  denyWhen?: DenyRule;
}

// Keyed like the policy's maps: catalog name, catalog id, or '*'.
export type UpcallDecisions = Record<string, UpcallDecision>;

// A user or group in a policy rule: a name, resolved to an id at load and
// on every reload, or a numeric id. '*' means anyone.
export type Principal = string | number;

// A program a policy rule names. On Linux: the executable's path and/or
// the SHA-256 of its contents. On macOS: a code-signing requirement, either
// built from teamId and/or identifier or given whole as requirement.
export interface ProgramRule {
  path?: string;
  // Lower-case hex.
  sha256?: string;
  teamId?: string;
  identifier?: string;
  requirement?: string;
}

// users and groups: who (root always may). programs: with which program;
// when present, the caller must also run one of them, and a rule with
// programs but no users or groups is for any user running one of them.
export interface PolicyRule {
  users: Principal[];
  groups: Principal[];
  programs?: ProgramRule[];
}

// Keys of each map are catalog names, catalog ids in decimal, or '*' (the
// rule for every item of that kind that has no entry of its own).
export type PolicyMap = Record<string, PolicyRule>;

export interface PolicyConfig {
  commands: PolicyMap;
  topics: PolicyMap;
  options: { get: PolicyMap; set: PolicyMap };
  upcalls: PolicyMap;
  // The admin-only methods (ListSubscribers); absent: root and adminGroup.
  admin?: PolicyRule;
}

export interface KextConfig {
  socketPath: string;
  controlName: string;
  reconnectMinMs: number;
  reconnectMaxMs: number;
}

export interface LimitsConfig {
  maxInflight: number;
  maxQueued: number;
  defaultDeadlineMs: number;
  maxMessageBytes: number;
  ringEvents: number;
  ringBytes: number;
  subscriberQueueDefault: number;
  subscriberQueueMax: number;
  subscriberQueueBytes: number;
  queueBytesTotal: number;
  queueBytesPerUid: number;
  maxBatch: number;
  maxConnections: number;
  maxConnectionsPerUid: number;
  reservedConnections: number;
  firstCallMs: number;
  idleConnectionMs: number;
  maxStreamsPerConnection: number;
  sessionMemoryMiB: number;
  upcallHandlersPerUid: number;
  upcallMissesToRest: number;
  upcallRestMs: number;
}

export interface MetricsConfig {
  // '' (off), loopback "host:port", or an absolute unix socket path.
  listen: string;
}

export interface Config {
  socketPath: string;
  socketMode: number;
  allowAnyUserSocket: boolean;
  kext: KextConfig;
  limits: LimitsConfig;
  logLevel: LogLevel;
  adminGroup: Principal;
  policy: PolicyConfig;
  upcallDecisions: UpcallDecisions;
  protoFiles: string[];
  protoIncludeDirs: string[];
  drainGraceMs: number;
  metrics: MetricsConfig;
}
