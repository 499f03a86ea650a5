// The whole identity of an accepted connection: the user (kernel
// credentials, groups looked up off the event loop) and, where the daemon
// reads it, the program (Linux: the executable through a pidfd, hashed
// when the policy asks). Both are read at accept, once, and bound to the
// connection; anything that cannot be read refuses the connection (a
// throw or a rejection), never a guess.
import type * as net from 'node:net';
import type { PeerIdentity, ProgramIdentity } from '../auth/identity';

type Maybe<T> = T | Promise<T>;

export interface IdentitySources {
  user: (socket: net.Socket) => Maybe<PeerIdentity>;
  // Absent: this system's program identity is not read here.
  program?: (socket: net.Socket, withHash: boolean) => Maybe<ProgramIdentity>;
  // Whether the policy in force names a program by its contents.
  needsHash: () => boolean;
}

export function identifyConnection(socket: net.Socket, sources: IdentitySources): Maybe<PeerIdentity> {
  const user = sources.user(socket);
  if (!sources.program) return user;
  // Read now, while the connecting process is surely the one on the pid.
  const program = sources.program(socket, sources.needsHash());
  if (!(user instanceof Promise) && !(program instanceof Promise)) return checked(user, program);
  return Promise.all([user, program]).then(([u, p]) => checked(u, p));
}

// SO_PEERCRED is read twice (for the user and with the pidfd): both must
// name one process.
function checked(user: PeerIdentity, program: ProgramIdentity): PeerIdentity {
  if (program.pid !== user.pid) throw new Error(`the peer's pid changed between two reads (${user.pid}, then ${program.pid})`);
  return { ...user, program };
}
