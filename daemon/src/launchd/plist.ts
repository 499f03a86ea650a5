// The LaunchDaemon property list, built as data and serialized with the
// `plist` package, so its shape is checked by the compiler, not by eye.
import { build, type PlistObject, type PlistValue } from 'plist';
import { LAUNCHD_EXIT_TIMEOUT_MIN_MS } from '../config/os-limits';

export interface LaunchdOptions {
  // Reverse-DNS job label; also the plist's file name.
  label: string;
  // Absolute path of the node binary launchd runs.
  nodePath: string;
  // Where the kextbridged package is installed: ProgramArguments runs
  // <installDir>/dist/main.js.
  installDir: string;
  // Config file the daemon reads, if any.
  configPath?: string;
  logDir: string;
  // The daemon's own SIGTERM drain; ExitTimeOut must leave it room.
  drainGraceMs: number;
  // Socket activation: launchd creates the listening socket and hands it
  // over; otherwise the daemon binds the socket itself.
  socket?: { path: string; mode: number };
  environment?: Record<string, string>;
}

export const DEFAULT_LABEL = 'org.kextbridge.kextbridged';
// launchd's name for the socket in the Sockets dictionary; the daemon asks
// launch_activate_socket for it by this name.
export const LAUNCHD_SOCKET_NAME = 'Listener';
// Seconds launchd waits after a crash before starting the job again.
export const THROTTLE_INTERVAL_S = 10;
// Descriptors the job may open: limits.maxConnections (default 4,096) and
// what the daemon needs besides (256) fit, with room to raise the former.
export const DAEMON_FILE_LIMIT = 8192;
// ExitTimeOut: the drain, plus time for GOODBYE to the kext and exit.
export function exitTimeoutSeconds(drainGraceMs: number): number {
  return Math.max(LAUNCHD_EXIT_TIMEOUT_MIN_MS / 1000, Math.ceil(drainGraceMs / 1000) + 5);
}

export function daemonEntry(installDir: string): string {
  return `${installDir.replace(/\/+$/, '')}/dist/main.js`;
}

export function programArguments(o: LaunchdOptions): string[] {
  const args = [o.nodePath, daemonEntry(o.installDir)];
  if (o.configPath) args.push('--config', o.configPath);
  if (o.socket) args.push('--launchd-socket', LAUNCHD_SOCKET_NAME);
  return args;
}

export function launchdJob(o: LaunchdOptions): PlistObject {
  if (!/^[A-Za-z0-9][A-Za-z0-9.-]*[A-Za-z0-9]$/.test(o.label)) {
    throw new Error(`label "${o.label}" is not a reverse-DNS name (letters, digits, dots, dashes)`);
  }
  for (const [what, p] of [['nodePath', o.nodePath], ['installDir', o.installDir], ['logDir', o.logDir]] as const) {
    if (!p.startsWith('/')) throw new Error(`${what} must be an absolute path, got "${p}"`);
  }
  const job: Record<string, PlistValue> = {
    Label: o.label,
    ProgramArguments: programArguments(o),
    RunAtLoad: true,
    // Restart after a crash, not after a clean exit (SIGTERM drain, unload).
    KeepAlive: { SuccessfulExit: false },
    UserName: 'root',
    GroupName: 'wheel',
    ThrottleInterval: THROTTLE_INTERVAL_S,
    ExitTimeOut: exitTimeoutSeconds(o.drainGraceMs),
    ProcessType: 'Interactive',
    // launchd's default soft limit (256) is below one user's connection
    // cap; the daemon raises its own too, within these.
    SoftResourceLimits: { NumberOfFiles: DAEMON_FILE_LIMIT },
    HardResourceLimits: { NumberOfFiles: DAEMON_FILE_LIMIT },
    StandardOutPath: `${o.logDir}/kextbridged.log`,
    StandardErrorPath: `${o.logDir}/kextbridged.err.log`,
  };
  if (o.environment && Object.keys(o.environment).length > 0) {
    job.EnvironmentVariables = { ...o.environment };
  }
  if (o.socket) {
    job.Sockets = {
      [LAUNCHD_SOCKET_NAME]: {
        SockPathName: o.socket.path,
        // launchd takes the mode as an integer (decimal of the octal bits).
        SockPathMode: o.socket.mode,
        SockType: 'stream',
        SockFamily: 'Unix',
      },
    };
  }
  return job;
}

export function renderPlist(o: LaunchdOptions): string {
  return build(launchdJob(o)) + '\n';
}
