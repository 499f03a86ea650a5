// Limits the operating systems set on what a config may name, and the
// launchd timing the daemon's shutdown must fit in.
import { runDir } from '@kextbridge/protocol';

export { runDir };

export const MACOS_SOCKET_PATH_MAX = 103; // sun_path is 104 bytes with its NUL
export const LINUX_SOCKET_PATH_MAX = 107; // sun_path is 108 bytes with its NUL
export const KCTL_NAME_MAX = 95; // MAX_KCTL_NAME is 96 with its NUL
export const ID_MAX = 0xfffffffe; // uid_t/gid_t; (uid_t)-1 means "no change", never an identity

export function socketPathMax(platform: NodeJS.Platform = process.platform): number {
  return platform === 'darwin' ? MACOS_SOCKET_PATH_MAX : LINUX_SOCKET_PATH_MAX;
}

// launchd kills a job at ExitTimeOut; the plist never sets it below this.
export const LAUNCHD_EXIT_TIMEOUT_MIN_MS = 10_000;
// Time left after the drain for GOODBYE to the kext and a clean exit.
export const SHUTDOWN_MARGIN_MS = 1_000;
