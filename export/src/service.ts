// The exporter as a service of its own, under its own unprivileged user:
// a LaunchDaemon plist and a systemd unit, printed for the installer.
import { build } from 'plist';

export interface ServiceOptions {
  nodePath: string;
  // Where the kextbridge-export package is installed.
  installDir: string;
  configPath: string;
  user: string;
  label: string;
  logDir: string;
}

export function renderPlist(o: ServiceOptions): string {
  return build({
    Label: o.label,
    ProgramArguments: [o.nodePath, `${o.installDir.replace(/\/+$/, '')}/dist/main.js`, 'run', '--config', o.configPath],
    UserName: o.user,
    RunAtLoad: true,
    KeepAlive: { SuccessfulExit: false },
    ThrottleInterval: 10,
    StandardOutPath: `${o.logDir}/export.log`,
    StandardErrorPath: `${o.logDir}/export.log`,
  });
}

export function renderSystemdUnit(o: ServiceOptions): string {
  return [
    '[Unit]',
    'Description=kextbridge-export: kextbridged events into NATS JetStream',
    'After=kextbridged.service network-online.target',
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${o.nodePath} ${o.installDir.replace(/\/+$/, '')}/dist/main.js run --config ${o.configPath}`,
    `User=${o.user}`,
    'Restart=on-failure',
    'RestartSec=2',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}
