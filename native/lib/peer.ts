// Who is on the other end of an accepted unix socket, as the kernel says.
import type { Socket } from 'node:net';

import { binding, type NativeCredentials } from './binding';

export type PeerCredentials = NativeCredentials;

// The fd of an accepted net.Socket. Node keeps it on the pipe handle; this
// is the one place that relies on that.
export function socketFd(socket: Socket): number {
  const handle = (socket as unknown as { _handle?: { fd?: number } })._handle;
  if (!handle || typeof handle.fd !== 'number' || handle.fd < 0) {
    throw new Error('cannot read peer credentials: the socket has no file descriptor (closed, or not a unix socket)');
  }
  return handle.fd;
}

export function peerCredentials(socketOrFd: Socket | number): PeerCredentials {
  return binding.peerCredentials(typeof socketOrFd === 'number' ? socketOrFd : socketFd(socketOrFd));
}

export interface GroupCacheOptions {
  // How long a uid's groups are used before they are looked up again (in
  // the background: the old ones serve meanwhile).
  ttlMs?: number;
  lookup?: (uid: number, gid: number) => Promise<number[]>;
  now?: () => number;
}

// Peer credentials with the group database kept off the event loop: the
// kernel's uid, gid and pid at once; the uid's groups from a cache, looked
// up on the thread pool the first time and refreshed in the background
// when old. On macOS the kernel reports the groups itself: no lookup.
export class PeerIdentities {
  readonly #ttl: number;
  readonly #lookup: ((uid: number, gid: number) => Promise<number[]>) | undefined;
  readonly #now: () => number;
  readonly #cache = new Map<string, { groups: number[]; at: number }>();
  readonly #pending = new Map<string, Promise<number[]>>();
  lookups = 0;

  constructor(o: GroupCacheOptions = {}) {
    this.#ttl = o.ttlMs ?? 60_000;
    this.#lookup = o.lookup ?? binding.groupList;
    this.#now = o.now ?? Date.now;
  }

  // At once when the groups are known; a promise the first time a uid is seen.
  of(socket: Socket): PeerCredentials | Promise<PeerCredentials> {
    if (!this.#lookup) return peerCredentials(socket);
    return this.withGroups(binding.peerCredentials(socketFd(socket), false));
  }

  withGroups(c: PeerCredentials): PeerCredentials | Promise<PeerCredentials> {
    const key = `${c.uid}:${c.gid}`;
    const hit = this.#cache.get(key);
    if (hit) {
      if (this.#now() - hit.at > this.#ttl) void this.#refresh(key, c.uid, c.gid).catch(() => undefined);
      return { ...c, groups: hit.groups };
    }
    return this.#refresh(key, c.uid, c.gid).then((groups) => ({ ...c, groups }));
  }

  #refresh(key: string, uid: number, gid: number): Promise<number[]> {
    let p = this.#pending.get(key);
    if (!p) {
      this.lookups++;
      p = this.#lookup!(uid, gid).then(
        (groups) => {
          this.#cache.set(key, { groups, at: this.#now() });
          this.#pending.delete(key);
          return groups;
        },
        (err: unknown) => {
          this.#pending.delete(key);
          throw err;
        },
      );
      this.#pending.set(key, p);
    }
    return p;
  }
}
