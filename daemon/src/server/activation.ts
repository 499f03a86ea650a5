// --systemd-socket / --launchd-socket NAME: the listening socket comes from
// the service manager instead of being created by the daemon.
import { binding, systemdListenFds } from '@kextbridge/native';

export interface Activation {
  // The arguments left for the config parser.
  argv: string[];
  fd?: number;
  error?: string;
}

export function inheritedSocket(argv: string[]): Activation {
  const i = argv.indexOf('--systemd-socket');
  const j = argv.indexOf('--launchd-socket');
  if (i < 0 && j < 0) return { argv };
  if (j >= 0) {
    const name = argv[j + 1];
    const rest = argv.filter((_, k) => k !== j && k !== j + 1);
    if (!name || name.startsWith('--')) return { argv, error: '--launchd-socket needs the Sockets entry name (e.g. Listener)' };
    if (!binding.activateSocket) return { argv, error: `--launchd-socket needs macOS; on ${process.platform} use --systemd-socket with a systemd .socket unit` };
    try {
      const fds = binding.activateSocket(name);
      if (fds.length !== 1) return { argv, error: `--launchd-socket ${name}: expected one socket, launchd gave ${fds.length}` };
      return { argv: rest, fd: fds[0]! };
    } catch (err) {
      return { argv, error: `--launchd-socket ${name}: ${(err as Error).message}` };
    }
  }
  const fds = systemdListenFds();
  if (!fds.ok) return { argv, error: `--systemd-socket: ${fds.error}` };
  if (fds.fds.length !== 1) return { argv, error: `--systemd-socket: expected one socket, got ${fds.fds.length}` };
  return { argv: argv.filter((a) => a !== '--systemd-socket'), fd: fds.fds[0]! };
}
