// Who is calling: the peer credentials the kernel reports for the caller's
// connection (SO_PEERCRED on Linux, LOCAL_PEERCRED on macOS, read by the
// native addon when the daemon accepts the connection), and which program
// it is. Nothing here comes from the client's own say-so.
import type { NameResolver } from './names';

// The program that made the connection, as read at accept and kept for the
// connection's life (a process that execs later keeps this identity: see
// docs/security.md).
export interface ProgramIdentity {
  pid: number;
  // Linux: the executable /proc/PID/exe named at accept.
  path?: string;
  // Linux: lower-case hex of the executable's contents, taken at accept
  // when the policy has a sha256 rule.
  sha256?: string;
  // macOS: what a denial says of the caller's signature.
  signature?: string;
  // macOS: does the caller's code satisfy this requirement? Asked of
  // Security.framework through the audit token; verdicts cached per
  // connection.
  satisfies?: (requirement: string) => boolean;
}

export interface PeerIdentity {
  uid: number;
  gid: number;
  pid: number;
  // The groups the peer's user belongs to. The addon takes them from the
  // group database (getgrouplist for the peer's uid, primary gid
  // included), which is what a policy naming groups means.
  groups: number[];
  // Absent where the daemon does not read it (a platform without it, or a
  // connection made through another door): program rules then deny.
  program?: ProgramIdentity;
}

// What listings and log lines show of a program: what was read at connect.
export interface ProgramSummary {
  path?: string;
  sha256?: string;
  signature?: string;
}

export function programSummary(identity: PeerIdentity): ProgramSummary | undefined {
  const p = identity.program;
  if (!p) return undefined;
  return { ...(p.path !== undefined ? { path: p.path } : {}), ...(p.sha256 !== undefined ? { sha256: p.sha256 } : {}), ...(p.signature !== undefined ? { signature: p.signature } : {}) };
}

export function isRoot(identity: PeerIdentity): boolean {
  return identity.uid === 0;
}

export function isMemberOf(identity: PeerIdentity, gid: number): boolean {
  return identity.gid === gid || identity.groups.includes(gid);
}

// "uid 1001 (alice)", for messages a person reads.
export function describeUser(uid: number, resolver?: NameResolver): string {
  const name = resolver?.userName(uid);
  return name === undefined ? `uid ${uid}` : `uid ${uid} (${name})`;
}
