// Loads the compiled addon; one place knows where it lives.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export interface NativeChannel {
  send(buf: Uint8Array): boolean;
  close(): void;
  fd(): number;
}

export interface NativeCredentials {
  uid: number;
  gid: number;
  pid: number;
  groups: number[];
}

export interface NativeBinding {
  openKext(pathOrName: string): number;
  // withGroups false: groups left empty (Linux; macOS has them from the kernel).
  peerCredentials(fd: number, withGroups?: boolean): NativeCredentials;
  // Linux only: a uid's groups from the group database, off the event loop.
  groupList?: (uid: number, gid: number) => Promise<number[]>;
  // Raises RLIMIT_NOFILE toward wanted; the limits in force (-1: unlimited).
  raiseFileLimit(wanted: number): { soft: number; hard: number };
  // macOS only: the listening fds launchd made for a Sockets entry.
  activateSocket?: (name: string) => number[];
  // macOS only: a kernel-event socket filtered to kernel-control events.
  openKernelEvents?: () => number;
  Channel: new (fd: number, maxDatagram: number, onEvent: (kind: string, value: unknown) => void, reuse?: boolean) => NativeChannel;
}

// From dist/native/lib or native/lib up to the package root.
const candidates = ['../../../native/build/Release/kextbridge.node', '../build/Release/kextbridge.node'].map((p) =>
  resolve(__dirname, p),
);

function load(): NativeBinding {
  const file = candidates.find((p) => existsSync(p));
  if (!file) {
    throw new Error(`the kextbridge native addon is not built (looked for ${candidates[0]}); run \`npm install\``);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(file) as NativeBinding;
}

export const binding: NativeBinding = load();
