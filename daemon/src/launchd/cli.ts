// `kextbridged install | uninstall | print-plist | print-systemd`.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultSocketPath, runDir } from '@kextbridge/protocol';

import { defaultConfig } from '../config/keys';
import { DEFAULT_LABEL, renderPlist, type LaunchdOptions } from './plist';
import { planInstall, planUninstall, runSteps, type InstallOptions } from './install';
import { serviceUnit, socketUnit } from './systemd';

// The socket the service manager makes has the mode the daemon's own would.
const SOCKET_MODE = defaultConfig().socketMode;

export const LAUNCHD_COMMANDS = ['install', 'uninstall', 'print-plist', 'print-systemd'] as const;

const HELP = `usage: kextbridged <install|uninstall|print-plist|print-systemd> [options]

  install        write the LaunchDaemon plist to /Library/LaunchDaemons (root:wheel 0644),
                 create the socket and log directories, then launchctl bootstrap,
                 enable and kickstart the job
  uninstall      launchctl bootout, then remove what install wrote (logs are kept)
  print-plist    print the plist install would write
  print-systemd  print a systemd service and socket unit (Linux)

options:
  --label NAME          job label (default ${DEFAULT_LABEL})
  --prefix DIR          where the kextbridged package is installed (default: this copy, ${resolve(__dirname, '../..')})
  --node PATH           node binary launchd runs (default: ${process.execPath})
  --config FILE         config file the daemon reads (JSON or plist)
  --socket-activation   launchd (or systemd) creates the socket and hands it over
  --socket PATH         socket path for activation (default ${defaultSocketPath('darwin')})
  --root DIR            install under DIR instead of / (staging, packaging)
  --dry-run             print every file and command, change nothing
  --drain-grace-ms MS   the daemon's drain on SIGTERM; ExitTimeOut is set above it (default 5000)

examples:
  sudo kextbridged install --config "/Library/Application Support/kextbridge/config.plist"
  kextbridged install --dry-run
  kextbridged print-plist --socket-activation`;

export function runLaunchdCommand(argv: string[], out: (s: string) => void, err: (s: string) => void): number {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv.slice(1),
      options: {
        label: { type: 'string', default: DEFAULT_LABEL },
        prefix: { type: 'string', default: resolve(__dirname, '../..') },
        node: { type: 'string', default: process.execPath },
        config: { type: 'string' },
        'socket-activation': { type: 'boolean', default: false },
        socket: { type: 'string', default: defaultSocketPath('darwin') },
        root: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        'drain-grace-ms': { type: 'string', default: '5000' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (e) {
    err(`kextbridged ${argv[0]}: ${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    out(HELP);
    return 0;
  }
  const drain = Number(values['drain-grace-ms']);
  if (!Number.isInteger(drain) || drain < 0 || drain > 600_000) {
    err(`kextbridged ${argv[0]}: --drain-grace-ms must be a whole number of milliseconds 0..600000`);
    return 2;
  }
  const base: LaunchdOptions = {
    label: values.label,
    nodePath: values.node,
    installDir: resolve(values.prefix),
    logDir: '/Library/Logs/kextbridge',
    drainGraceMs: drain,
    ...(values.config ? { configPath: resolve(values.config) } : {}),
    ...(values['socket-activation'] ? { socket: { path: values.socket, mode: SOCKET_MODE } } : {}),
  };
  const platform = process.platform;
  try {
    switch (argv[0]) {
      case 'print-plist':
        out(renderPlist(base).trimEnd());
        return 0;
      case 'print-systemd': {
        const o = { ...base, socketPath: defaultSocketPath('linux'), socketMode: SOCKET_MODE };
        out(`# /etc/systemd/system/kextbridged.service\n${serviceUnit(o, values['socket-activation'])}`);
        if (values['socket-activation']) out(`# /etc/systemd/system/kextbridged.socket\n${socketUnit(o)}`);
        return 0;
      }
      case 'install':
      case 'uninstall': {
        if (platform !== 'darwin' && !values['dry-run'] && !values.root) {
          err(`kextbridged ${argv[0]}: launchd exists only on macOS; use --dry-run to see the plan, ` +
            `--root DIR to stage the files, or print-systemd on Linux`);
          return 2;
        }
        const o: InstallOptions = { ...base, root: values.root ? resolve(values.root) : '/', socketDir: runDir('darwin') };
        const steps = argv[0] === 'install' ? planInstall(o) : planUninstall(o);
        const r = runSteps(steps, { dryRun: values['dry-run'], platform });
        for (const line of r.lines) out(line);
        return r.ok ? 0 : 1;
      }
    }
  } catch (e) {
    err(`kextbridged ${argv[0]}: ${(e as Error).message}`);
    return 2;
  }
  err(`kextbridged: unknown command "${argv[0]}"\n\n${HELP}`);
  return 2;
}
