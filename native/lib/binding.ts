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

// The program behind a connection (Linux), pinned by a pidfd while read.
export interface NativeProgram {
  uid: number;
  gid: number;
  pid: number;
  pinnedBy: 'SO_PEERPIDFD' | 'pidfd_open';
  // pidfd_open only: the start time checked (clock ticks after boot).
  startTicks?: number;
  // /proc/PID/exe as the kernel names it (" (deleted)" appended if unlinked).
  path: string;
  dev: number;
  ino: number;
  size: number;
  // Decimal nanoseconds: more than a double holds exactly.
  mtimeNs: string;
  // Changes on every write and every utimes(2): mtime alone can be set back.
  ctimeNs: string;
  // An open descriptor of the executable itself; the caller closes it.
  exeFd: number;
}

export interface NativeBinding {
  openKext(pathOrName: string): number;
  // withGroups false: groups left empty (Linux; macOS has them from the kernel).
  peerCredentials(fd: number, withGroups?: boolean): NativeCredentials;
  // Linux only: a uid's groups from the group database, off the event loop.
  groupList?: (uid: number, gid: number) => Promise<number[]>;
  // Linux only: the connected program; viaPidfdOpen forces the fallback
  // taken on kernels without SO_PEERPIDFD. Throws when it cannot be read.
  peerProgram?: (fd: number, viaPidfdOpen?: boolean) => NativeProgram;
  // Raises RLIMIT_NOFILE toward wanted; the limits in force (-1: unlimited).
  raiseFileLimit(wanted: number): { soft: number; hard: number };
  returnFreeMemory(): void;
  // macOS only: the listening fds launchd made for a Sockets entry.
  activateSocket?: (name: string) => number[];
  // macOS only: the peer's audit_token_t (32 bytes), from LOCAL_PEERTOKEN.
  peerToken?: (fd: number) => Buffer;
  // macOS only: OSStatus of checking the token's code against a
  // code-signing requirement (0: satisfied).
  checkRequirement?: (token: Buffer, requirement: string) => number;
  // macOS only: the validity of the token's code signature and its path.
  describeCode?: (token: Buffer) => { status: number; path: string };
  // macOS only: a kernel-event socket filtered to kernel-control events.
  openKernelEvents?: () => number;
  Channel: new (fd: number, maxDatagram: number, onEvent: (kind: string, value: unknown) => void, reuse?: boolean, readAhead?: number) => NativeChannel;
}

// node-gyp builds into the package root's build/; this file runs from dist/.
const ADDON = resolve(__dirname, '../build/Release/kextbridge.node');

function load(): NativeBinding {
  if (!existsSync(ADDON)) {
    throw new Error(`the kextbridge native addon is not built (looked for ${ADDON}); run \`npm install\` in @kextbridge/native`);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(ADDON) as NativeBinding;
}

export const binding: NativeBinding = load();
