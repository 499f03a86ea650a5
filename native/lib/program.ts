// Which program is on the other end of an accepted unix socket (Linux):
// its executable's path, read at accept through a pidfd (the addon's
// peerProgram), and, when the policy asks for it, the SHA-256 of that very
// file. Hashing runs on a read stream (libuv's thread pool), once per
// file version: the cache is keyed by device, inode, size, mtime and
// ctime (ctime because mtime can be set back with utimes(2); ctime
// cannot), so a file rewritten in place is hashed again.
import { createHash } from 'node:crypto';
import { closeSync, createReadStream } from 'node:fs';
import type { Socket } from 'node:net';

import { binding, type NativeProgram } from './binding';
import { socketFd } from './peer';

export interface PeerProgram {
  pid: number;
  // The executable's path as the kernel names it at accept.
  path: string;
  // Lower-case hex; present when it was asked for.
  sha256?: string;
}

export interface ProgramCacheOptions {
  // File versions whose hash is kept (least recently used goes first).
  maxEntries?: number;
  // Distinct files one uid may have being hashed at once. The program is
  // read before the connection limits apply (they need to know who it is),
  // so without this a user could start any number of large hashes by
  // connecting from many different executables.
  maxHashingPerUid?: number;
  read?: (fd: number, viaPidfdOpen?: boolean) => NativeProgram;
  hashFd?: (fd: number) => Promise<string>;
}

// Hashes an open file from its start, closing the fd when done.
export function sha256OfFd(fd: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    const stream = createReadStream('', { fd, start: 0, autoClose: true, highWaterMark: 1 << 20 });
    stream.on('data', (chunk) => hash.update(chunk));
    stream.once('error', reject);
    stream.once('end', () => resolve(hash.digest('hex')));
  });
}

export class ProgramIdentities {
  readonly #max: number;
  readonly #maxHashingPerUid: number;
  readonly #hashingByUid = new Map<number, number>();
  readonly #read: (fd: number, viaPidfdOpen?: boolean) => NativeProgram;
  readonly #hashFd: (fd: number) => Promise<string>;
  // Insertion order is use order: a hit is moved to the end.
  readonly #hashes = new Map<string, string>();
  readonly #pending = new Map<string, Promise<string>>();
  // Files hashed (cache misses), for tests and the status page.
  hashed = 0;

  constructor(o: ProgramCacheOptions = {}) {
    this.#max = o.maxEntries ?? 256;
    this.#maxHashingPerUid = o.maxHashingPerUid ?? 2;
    const read = o.read ?? binding.peerProgram;
    if (!read) throw new Error('program identity is read on Linux only (peerProgram is missing from the addon)');
    this.#read = read;
    this.#hashFd = o.hashFd ?? sha256OfFd;
  }

  // The program at once when no hash is wanted; a promise when it is and
  // the file version was not hashed before. Throws (or rejects) when the
  // identity cannot be read: the caller refuses the connection.
  of(socket: Socket | number, withHash: boolean, viaPidfdOpen = false): PeerProgram | Promise<PeerProgram> {
    const found = this.#read(typeof socket === 'number' ? socket : socketFd(socket), viaPidfdOpen);
    const program: PeerProgram = { pid: found.pid, path: found.path };
    if (!withHash) {
      closeSync(found.exeFd);
      return program;
    }
    const key = `${found.dev}:${found.ino}:${found.size}:${found.mtimeNs}:${found.ctimeNs}`;
    const hit = this.#hashes.get(key);
    if (hit !== undefined) {
      closeSync(found.exeFd);
      this.#hashes.delete(key);
      this.#hashes.set(key, hit);
      return { ...program, sha256: hit };
    }
    let pending = this.#pending.get(key);
    if (pending) closeSync(found.exeFd);
    else {
      const hashing = this.#hashingByUid.get(found.uid) ?? 0;
      if (hashing >= this.#maxHashingPerUid) {
        closeSync(found.exeFd);
        throw new Error(`uid ${found.uid} already has ${hashing} executables being hashed; ${found.path} is not hashed until one is done (connect again)`);
      }
      this.#hashingByUid.set(found.uid, hashing + 1);
      const done = (): void => {
        const n = (this.#hashingByUid.get(found.uid) ?? 1) - 1;
        if (n > 0) this.#hashingByUid.set(found.uid, n);
        else this.#hashingByUid.delete(found.uid);
      };
      this.hashed++;
      pending = this.#hashFd(found.exeFd).then(
        (hex) => {
          done();
          this.#pending.delete(key);
          this.#hashes.set(key, hex);
          if (this.#hashes.size > this.#max) this.#hashes.delete(this.#hashes.keys().next().value!);
          return hex;
        },
        (err: unknown) => {
          done();
          this.#pending.delete(key);
          throw new Error(`cannot hash the peer's executable ${found.path}: ${(err as Error).message}`);
        },
      );
      this.#pending.set(key, pending);
    }
    return pending.then((sha256) => ({ ...program, sha256 }));
  }
}
