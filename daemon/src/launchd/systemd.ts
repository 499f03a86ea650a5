// systemd units for Linux hosts (kextsim-backed or future Linux backends):
// a service, and a socket unit for activation through LISTEN_FDS.
import { DAEMON_FILE_LIMIT, daemonEntry } from './plist';

export interface SystemdOptions {
  nodePath: string;
  installDir: string;
  configPath?: string;
  socketPath: string;
  socketMode: number;
  drainGraceMs: number;
}

function quote(arg: string): string {
  return /^[A-Za-z0-9_./:=@+-]+$/.test(arg) ? arg : `"${arg.replace(/(["\\])/g, '\\$1')}"`;
}

export function serviceUnit(o: SystemdOptions, activated: boolean): string {
  const args = [o.nodePath, daemonEntry(o.installDir)];
  if (o.configPath) args.push('--config', o.configPath);
  if (activated) args.push('--systemd-socket');
  return [
    '[Unit]',
    'Description=kextbridge daemon: kernel extension bridge over gRPC',
    ...(activated ? ['Requires=kextbridged.socket', 'After=kextbridged.socket'] : []),
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${args.map(quote).join(' ')}`,
    'Restart=on-failure',
    `LimitNOFILE=${DAEMON_FILE_LIMIT}`,
    'RestartSec=2',
    // SIGTERM drains; systemd's stop timeout must outlast it.
    `TimeoutStopSec=${Math.ceil(o.drainGraceMs / 1000) + 5}`,
    'User=root',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

export function socketUnit(o: SystemdOptions): string {
  return [
    '[Unit]',
    'Description=kextbridge daemon socket',
    '',
    '[Socket]',
    `ListenStream=${o.socketPath}`,
    `SocketMode=${o.socketMode.toString(8).padStart(4, '0')}`,
    'RemoveOnStop=yes',
    '',
    '[Install]',
    'WantedBy=sockets.target',
    '',
  ].join('\n');
}
