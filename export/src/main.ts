// kextbridge-export: run | status | install | uninstall | print-plist | print-systemd.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { configBase, flagHelp, flagOptions, fromFlags, readConfigFile, validate, type ExportConfig } from './config';
import { planInstall, planUninstall, runSteps, servicePath, type InstallOptions } from './install';
import { createLogger } from './log';
import { runExport } from './run';
import { defaultServiceOptions, renderPlist, renderSystemdUnit, type ServiceOptions, type ServicePlatform } from './service';
import { statusFile } from './status';

const COMMANDS = ['run', 'status', 'install', 'uninstall', 'print-plist', 'print-systemd'] as const;
const mac = defaultServiceOptions('darwin');
const linux = defaultServiceOptions('linux');

const HELP = `usage: kextbridge-export [run] [--config FILE] [flags]
       kextbridge-export status [--config FILE | --cursor FILE]
       kextbridge-export install | uninstall [--dry-run] [--root DIR] [service options]
       kextbridge-export print-plist | print-systemd [service options]

Streams the chosen topics of kextbridged into a NATS JetStream stream,
each event exactly once (message id <host>/<epoch>/<seq>), each loss as a
record on kextbridge.<host>._lost. It is an ordinary client of the daemon:
run it as its own unprivileged user, with the policy granting it the topics.

flags (each overrides the config key in brackets; docs/export.md has the table):
  --config FILE             JSON or plist config
${flagHelp().join('\n')}
  --help                    this text

install creates the exporter's system user (${mac.user} on macOS, ${linux.user} on
Linux) and its state directory (the cursor: ${mac.stateDir}, ${linux.stateDir}),
writes the LaunchDaemon plist (/Library/LaunchDaemons/${mac.label}.plist) or the
systemd unit (/etc/systemd/system/kextbridge-export.service) and starts it;
uninstall stops it and removes the plist or unit (the user and the cursor
stay). print-plist and print-systemd print what install writes.
service options:
  --config FILE             the config the service reads (default ${JSON.stringify(mac.configPath)} on
                            macOS, ${linux.configPath} on Linux)
  --user NAME               the user it runs as
  --state-dir DIR           the user's directory for the cursor
  --prefix DIR              where this package is installed (default: this copy)
  --node PATH               the node binary (default: this one)
  --platform darwin|linux   whose service (default: this machine's)
  --root DIR                install under DIR instead of / (staging, packaging): no user, no launchctl or systemctl
  --dry-run                 print every step, change nothing

examples:
  kextbridge-export --server nats://nats1:4222 --server nats://nats2:4222 \\
    --stream KEXTBRIDGE --replicas 3 --topic exec --proto example.proto --cursor /var/db/kbexport/cursor
  sudo kextbridge-export install --config /etc/kextbridge/export.json
  kextbridge-export install --dry-run --platform darwin`;

function load(values: Record<string, unknown>): ExportConfig {
  const file = values['config'] as string | undefined;
  const raw: Record<string, unknown> = file ? readConfigFile(file) : {};
  const flags = fromFlags(values);
  const loaded = validate({ ...raw, ...flags.raw }, configBase(file), (key) => flags.origin.get(key) ?? file ?? 'config');
  if (!loaded.ok) throw new UsageError(loaded.errors.join('\n'));
  return loaded.config;
}

class UsageError extends Error {}

function serviceOptions(values: Record<string, unknown>): ServiceOptions & { platform: ServicePlatform } {
  const platform = String(values['platform'] ?? (process.platform === 'darwin' ? 'darwin' : 'linux'));
  if (platform !== 'darwin' && platform !== 'linux') throw new UsageError(`--platform must be darwin or linux, got ${JSON.stringify(platform)}`);
  const d = defaultServiceOptions(platform);
  const user = String(values['user'] ?? d.user);
  if (!/^[A-Za-z_][A-Za-z0-9_-]{0,31}$/.test(user)) throw new UsageError(`--user must be a user name (a letter or _, then letters, digits, _ or -, at most 32), got ${JSON.stringify(user)}`);
  const path = (key: string, fallback: string): string => (values[key] === undefined ? fallback : resolve(String(values[key])));
  return {
    platform,
    nodePath: path('node', process.execPath),
    installDir: path('prefix', resolve(__dirname, '..')),
    configPath: path('config', d.configPath),
    user,
    stateDir: path('state-dir', d.stateDir),
    label: d.label,
    logDir: d.logDir,
  };
}

async function main(argv: string[]): Promise<number> {
  const options = {
    config: { type: 'string' },
    help: { type: 'boolean' },
    user: { type: 'string' },
    'state-dir': { type: 'string' },
    prefix: { type: 'string' },
    node: { type: 'string' },
    platform: { type: 'string' },
    root: { type: 'string' },
    'dry-run': { type: 'boolean' },
    ...flagOptions(),
  } as const;
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    console.error(`kextbridge-export: ${(err as Error).message} (--help lists the flags)`);
    return 2;
  }
  const values = parsed.values as Record<string, unknown>;
  const command = parsed.positionals[0] ?? 'run';
  if (values['help']) {
    console.log(HELP);
    return 0;
  }
  try {
    switch (command) {
      case 'run': {
        const config = load(values);
        if (config.topics.length === 0) throw new UsageError('topics: name at least one topic to export (config "topics" or --topic)');
        return await run(config);
      }
      case 'status': {
        const cursorFile = load(values).cursorFile;
        const text = readFileSync(statusFile(cursorFile), 'utf8');
        console.log(text.trim());
        return 0;
      }
      case 'print-plist':
        process.stdout.write(renderPlist(serviceOptions({ platform: 'darwin', ...values })));
        return 0;
      case 'print-systemd':
        process.stdout.write(`# ${servicePath({ ...serviceOptions({ platform: 'linux', ...values }), root: '/' })}\n${renderSystemdUnit(serviceOptions({ platform: 'linux', ...values }))}`);
        return 0;
      case 'install':
      case 'uninstall': {
        const o: InstallOptions = { ...serviceOptions(values), root: values['root'] === undefined ? '/' : resolve(String(values['root'])) };
        const dryRun = values['dry-run'] === true;
        if (!dryRun && values['root'] === undefined && o.platform !== process.platform) {
          throw new UsageError(`${command} for ${o.platform} on ${process.platform}: use --dry-run to see the plan, or --root DIR to stage the files`);
        }
        if (!dryRun && values['root'] === undefined && process.getuid?.() !== 0) throw new UsageError(`${command} needs root (it creates a user and a service); --dry-run shows what it would do`);
        const r = runSteps(command === 'install' ? planInstall(o) : planUninstall(o), { dryRun, staged: values['root'] !== undefined, platform: o.platform });
        for (const line of r.lines) console.log(line);
        return r.ok ? 0 : 1;
      }
      default:
        console.error(`kextbridge-export: no command "${command}"; commands: ${COMMANDS.join(', ')}`);
        return 2;
    }
  } catch (err) {
    if (err instanceof UsageError) {
      for (const line of err.message.split('\n')) console.error(`kextbridge-export: ${line}`);
      return 2;
    }
    console.error(`kextbridge-export: ${(err as Error).message}`);
    return 1;
  }
}

async function run(config: ExportConfig): Promise<number> {
  const log = createLogger(config.logLevel);
  const stop = new AbortController();
  process.once('SIGTERM', () => stop.abort());
  process.once('SIGINT', () => stop.abort());
  log.info(await runExport(config, log, stop.signal), 'stopped');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`kextbridge-export: ${(err as Error).stack ?? String(err)}`);
    process.exit(1);
  },
);
