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
