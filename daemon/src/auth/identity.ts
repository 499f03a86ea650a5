// Who is calling: the peer credentials the kernel reports for the caller's
// connection (SO_PEERCRED / SO_PEERGROUPS on Linux, LOCAL_PEERCRED /
// LOCAL_PEERPID on macOS, read by the native addon when the daemon accepts
// the connection). Nothing here comes from the client's own say-so.
import type { NameResolver } from './names';

export interface PeerIdentity {
  uid: number;
  gid: number;
  pid: number;
  // The groups the peer's user belongs to. The addon takes them from the
  // group database (getgrouplist for the peer's uid, primary gid
  // included), which is what a policy naming groups means.
  groups: number[];
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
