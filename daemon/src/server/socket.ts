// The daemon's listening unix socket, created without a window in which it
// exists with the wrong mode or in which another daemon's live socket can
// be replaced:
//   - the directory and each one above it must belong to root or the
//     daemon's user and not be writable by others (whoever can write one
//     can swap the socket, or a directory on its way, for their own); see
//     socket-dir.ts;
//   - a socket already at the path is probed: a live one means another
//     daemon serves it (refuse), a dead one is a leftover (remove);
//   - the socket is bound inside a fresh 0700 directory next to the target,
//     chmod'ed there, then hard-linked into place: link(2) is atomic and,
//     unlike rename(2), fails rather than replaces when a concurrently
//     starting daemon got there first.
import { chmodSync, linkSync, lstatSync, mkdirSync, mkdtempSync, rmSync, statSync, unlinkSync, type Stats } from 'node:fs';
import * as net from 'node:net';
import { dirname, join } from 'node:path';
import { MACOS_SOCKET_PATH_MAX, socketPathMax } from '../config/os-limits';
import { checkSocketDirectory, UnsafeSocketDirectory } from './socket-dir';

export interface ListenOptions {
  path: string;
  mode: number;
  allowAnyUserSocket: boolean;
  // Pid of the process serving a socket we connected to, to name it when
  // refusing to start (the addon's peer credentials); optional.
  peerPidOf?: (socket: net.Socket) => number | undefined;
  probeTimeoutMs?: number;
}

export interface UnixListener {
  server: net.Server;
  path: string;
  // Stops accepting and removes the socket file if it is still ours (a
  // successor may already have put its own there). Accepted connections
  // are not touched.
  close(): void;
}

export class SocketSetupError extends Error {
  override name = 'SocketSetupError';
}

// What bind(2) takes on this platform, without the NUL.
const BIND_PATH_MAX = socketPathMax();

function errno(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException).code;
}

function checkLength(path: string): void {
  const bytes = Buffer.byteLength(path);
  if (bytes > MACOS_SOCKET_PATH_MAX) {
    throw new SocketSetupError(`socketPath is ${bytes} bytes; macOS limits unix socket paths to 104 bytes (${MACOS_SOCKET_PATH_MAX} and a NUL)`);
  }
}

function checkDirectory(dir: string): void {
  try {
    checkSocketDirectory(dir, process.geteuid?.() ?? 0);
  } catch (err) {
    if (!(err instanceof UnsafeSocketDirectory)) throw err;
    throw new SocketSetupError(`${err.message} (--allow-any-user-socket skips this check, for development only)`);
  }
}

function prepareDirectory(dir: string, allowAnyUser: boolean): void {
  // What exists is checked before mkdir follows it, and all of it after.
  if (!allowAnyUser) checkDirectory(dir);
  // mkdir -p with 0755; the explicit chmod undoes the umask on the one
  // directory whose mode matters.
  const created = mkdirSync(dir, { recursive: true, mode: 0o755 });
  if (created !== undefined) chmodSync(dir, 0o755);
  const st = statSync(dir);
  if (!st.isDirectory()) throw new SocketSetupError(`${dir} is not a directory`);
  if (!allowAnyUser) checkDirectory(dir);
}

type Probe = { state: 'absent' } | { state: 'stale' } | { state: 'live'; pid: number | undefined };

function probe(path: string, options: ListenOptions): Promise<Probe> {
  let st: Stats;
  try {
    st = lstatSync(path);
  } catch (err) {
    if (errno(err) === 'ENOENT') return Promise.resolve({ state: 'absent' });
    throw err;
  }
  if (!st.isSocket()) throw new SocketSetupError(`${path} exists and is not a socket; refusing to replace it`);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ path });
    const timer = setTimeout(() => {
      socket.destroy();
      // A listener too busy to accept is still a listener.
      resolve({ state: 'live', pid: undefined });
    }, options.probeTimeoutMs ?? 1000);
    socket.once('connect', () => {
      clearTimeout(timer);
      let pid: number | undefined;
      try {
        pid = options.peerPidOf?.(socket);
      } catch {
        pid = undefined;
      }
      socket.destroy();
      resolve({ state: 'live', pid });
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      const code = errno(err);
      if (code === 'ECONNREFUSED') resolve({ state: 'stale' });
      else if (code === 'ENOENT') resolve({ state: 'absent' });
      else reject(new SocketSetupError(`cannot probe ${path}: ${err.message}`));
    });
  });
}

// Refuses a live socket, removes a stale one.
async function clearTarget(path: string, options: ListenOptions): Promise<void> {
  const found = await probe(path, options);
  if (found.state === 'live') {
    throw new SocketSetupError(`another kextbridged is serving ${path}${found.pid !== undefined ? ` (pid ${found.pid})` : ''}`);
  }
  if (found.state === 'stale') {
    try {
      unlinkSync(path);
    } catch (err) {
      if (errno(err) !== 'ENOENT') throw err;
    }
  }
}

// Connections the kernel queues before the daemon accepts them. Past it a
// unix connect fails with EAGAIN before the daemon sees it; Node's 511
// was reached by a burst of 600 connects while each accepted one had its
// identity read. The kernel caps it at net.core.somaxconn.
const LISTEN_BACKLOG = 4096;

function listen(server: net.Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ path, backlog: LISTEN_BACKLOG }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

export async function listenUnixSocket(options: ListenOptions): Promise<UnixListener> {
  const { path } = options;
  checkLength(path);
  const dir = dirname(path);
  prepareDirectory(dir, options.allowAnyUserSocket);
  await clearTarget(path, options);

  const privateDir = mkdtempSync(join(dir, '.kb')); // mode 0700
  const bindPath = join(privateDir, 's');
  const server = net.createServer();
  try {
    if (Buffer.byteLength(bindPath) > BIND_PATH_MAX) {
      throw new SocketSetupError(`cannot bind ${bindPath}: ${Buffer.byteLength(bindPath)} bytes is too long for a unix socket path here; use a shorter socket directory`);
    }
    await listen(server, bindPath);
    chmodSync(bindPath, options.mode);
    try {
      linkSync(bindPath, path);
    } catch (err) {
      if (errno(err) !== 'EEXIST') throw err;
      // Someone created the path since the probe: decide again, once.
      await clearTarget(path, options);
      linkSync(bindPath, path);
    }
  } catch (err) {
    server.close();
    throw err;
  } finally {
    // Only the name in the private directory goes; the bound socket stays.
    rmSync(privateDir, { recursive: true, force: true });
  }
  const ours = lstatSync(path, { bigint: true });

  let closed = false;
  return {
    server,
    path,
    close() {
      if (closed) return;
      closed = true;
      // Checked while still bound, so our inode cannot have been freed and
      // reused; the change time tells a reused number apart regardless.
      try {
        const now = lstatSync(path, { bigint: true });
        if (now.ino === ours.ino && now.dev === ours.dev && now.ctimeNs === ours.ctimeNs) unlinkSync(path);
      } catch (err) {
        if (errno(err) !== 'ENOENT') throw err;
      } finally {
        server.close();
      }
    },
  };
}
