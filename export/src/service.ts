// The exporter as a service of its own, under its own unprivileged user:
// a LaunchDaemon plist (macOS) and a systemd unit (Linux), with each
// platform's own paths. The service passes --cursor in the state directory
// install creates for that user, so the cursor is where it may write.
import { build } from 'plist';

export type ServicePlatform = 'darwin' | 'linux';

export interface ServiceOptions {
  nodePath: string;
  // Where the kextbridge-export package is installed.
  installDir: string;
  configPath: string;
  user: string;
  // Owned by the user: the cursor and its status file.
  stateDir: string;
  label: string;
  // macOS: where launchd writes its output (systemd has the journal).
  logDir: string;
}

export const LABEL = 'org.kextbridge.export';
export const UNIT = 'kextbridge-export.service';

export function defaultServiceOptions(platform: ServicePlatform): Omit<ServiceOptions, 'nodePath' | 'installDir'> {
  return platform === 'darwin'
    ? { configPath: '/Library/Application Support/kextbridge/export.json', user: '_kbexport', stateDir: '/var/db/kbexport', label: LABEL, logDir: '/Library/Logs/kextbridge' }
    : { configPath: '/etc/kextbridge/export.json', user: 'kbexport', stateDir: '/var/lib/kextbridge-export', label: LABEL, logDir: '/var/log/kextbridge' };
}

function argv(o: ServiceOptions): string[] {
  return [o.nodePath, `${o.installDir.replace(/\/+$/, '')}/dist/main.js`, 'run', '--config', o.configPath, '--cursor', `${o.stateDir}/cursor`];
}

export function renderPlist(o: ServiceOptions): string {
  return build({
    Label: o.label,
    ProgramArguments: argv(o),
    UserName: o.user,
    RunAtLoad: true,
    KeepAlive: { SuccessfulExit: false },
    ThrottleInterval: 10,
    StandardOutPath: `${o.logDir}/export.log`,
    StandardErrorPath: `${o.logDir}/export.log`,
  });
}

// One word of a systemd command line (systemd.service(5), "Command
// lines"): quoted when it holds anything but plain characters, with '\'
// and '"' escaped, '%' (a specifier) doubled and '$' (a variable) doubled.
export function systemdWord(arg: string): string {
  if (/^[A-Za-z0-9_./:=@+,-]+$/.test(arg)) return arg;
  return `"${arg.replace(/[\\"]/g, '\\$&').replace(/%/g, '%%').replace(/\$/g, '$$$$')}"`;
}

export function renderSystemdUnit(o: ServiceOptions): string {
  return [
    '[Unit]',
    'Description=kextbridge-export: kextbridged events into NATS JetStream',
    'After=kextbridged.service network-online.target',
    'Wants=network-online.target',
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${argv(o).map(systemdWord).join(' ')}`,
    `User=${o.user}`,
    'NoNewPrivileges=yes',
    'Restart=on-failure',
    'RestartSec=2',
    // SIGTERM drains the window (up to 10 s) and saves the cursor.
    'TimeoutStopSec=15',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}
