// Listening sockets handed over by the service manager: systemd's
// LISTEN_FDS convention on Linux (launchd's launch_activate_socket is the
// macOS equivalent, in the addon).

export const SD_LISTEN_FDS_START = 3;

export type ActivationResult = { ok: true; fds: number[] } | { ok: false; error: string };

// Reads LISTEN_PID / LISTEN_FDS and returns the inherited fds, or why not.
export function systemdListenFds(env: NodeJS.ProcessEnv = process.env, pid: number = process.pid): ActivationResult {
  const listenPid = env.LISTEN_PID;
  const listenFds = env.LISTEN_FDS;
  if (listenPid === undefined || listenFds === undefined) {
    return { ok: false, error: 'no sockets were passed: LISTEN_PID and LISTEN_FDS are not set (start from a systemd .socket unit)' };
  }
  if (!/^\d+$/.test(listenPid) || Number(listenPid) !== pid) {
    return { ok: false, error: `LISTEN_PID is ${listenPid}, not this process (${pid}): the sockets were meant for another process` };
  }
  if (!/^\d+$/.test(listenFds) || Number(listenFds) < 1 || Number(listenFds) > 64) {
    return { ok: false, error: `LISTEN_FDS must be a count from 1 to 64, got "${listenFds}"` };
  }
  const n = Number(listenFds);
  return { ok: true, fds: Array.from({ length: n }, (_, i) => SD_LISTEN_FDS_START + i) };
}
