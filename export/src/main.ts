// kextbridge-export: run | status | print-plist | print-systemd.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { configBase, readConfigFile, validate, type ExportConfig } from './config';
import { createLogger } from './log';
import { runExport } from './run';
import { statusFile } from './status';
import { renderPlist, renderSystemdUnit } from './service';

const HELP = `usage: kextbridge-export [run] [--config FILE] [flags]
       kextbridge-export status [--config FILE | --cursor FILE]
       kextbridge-export print-plist | print-systemd [--config FILE] [--user NAME]

Streams the chosen topics of kextbridged into a NATS JetStream stream,
each event exactly once (message id <host>/<epoch>/<seq>), each loss as a
record on kextbridge.<host>._lost. It is an ordinary client of the daemon:
run it as its own unprivileged user, with the policy granting it the topics.

flags (each overrides the config key in brackets):
  --config FILE        JSON or plist config (docs/export.md lists every key)
  --socket PATH        the daemon's socket [socket]
  --server URL         a NATS server, repeatable [servers]
  --stream NAME        the JetStream stream, created when missing [stream]
  --replicas N         its replicas when it is created, 1..5 [replicas]
  --topic NAME         a topic to export, repeatable [topics]
  --host NAME          this machine in subjects and ids [host]
  --cursor FILE        where the cursor is saved [cursorFile]
  --max-in-flight N    publishes awaiting an ack at once [maxInFlight]
  --proto FILE         the kext's .proto, naming payload types [protoFiles]
  --log-level LEVEL    fatal..trace or silent [logLevel]
  --user NAME          print-plist / print-systemd: the user it runs as (default _kbexport)
  --help               this text

example:
  kextbridge-export --server nats://nats1:4222 --server nats://nats2:4222 \\
    --stream KEXTBRIDGE --replicas 3 --topic exec --proto example.proto --cursor /var/db/kbexport/cursor`;

const FLAG_KEYS: Record<string, keyof ExportConfig> = {
  socket: 'socket',
  server: 'servers',
  stream: 'stream',
  replicas: 'replicas',
  topic: 'topics',
  host: 'host',
  cursor: 'cursorFile',
  'max-in-flight': 'maxInFlight',
  proto: 'protoFiles',
  'log-level': 'logLevel',
};
const NUMERIC = new Set(['replicas', 'max-in-flight']);
const REPEATED = new Set(['server', 'topic', 'proto']);
const PATH_FLAGS = new Set(['socket', 'cursor', 'proto']);

function load(values: Record<string, string | string[] | boolean | undefined>): ExportConfig {
  const file = values['config'] as string | undefined;
  const raw: Record<string, unknown> = file ? readConfigFile(file) : {};
  const fromFlag = new Map<string, string>();
  for (const [flag, key] of Object.entries(FLAG_KEYS)) {
    const v = values[flag];
    if (v === undefined) continue;
    // Flags' paths are the working directory's, the file's are its own.
    const paths = (x: string | string[] | boolean): unknown => (Array.isArray(x) ? x.map((p) => resolve(p)) : resolve(String(x)));
    raw[key] = NUMERIC.has(flag) ? (/^\d+$/.test(String(v)) ? Number(v) : v) : PATH_FLAGS.has(flag) ? paths(v) : v;
    fromFlag.set(key, `--${flag}`);
  }
  const loaded = validate(raw, configBase(file), (key) => fromFlag.get(key) ?? file ?? 'config');
  if (!loaded.ok) throw new UsageError(loaded.errors.join('\n'));
  return loaded.config;
}

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const options = {
    config: { type: 'string' },
    help: { type: 'boolean' },
    user: { type: 'string' },
    ...Object.fromEntries(Object.keys(FLAG_KEYS).map((f) => [f, { type: 'string', ...(REPEATED.has(f) ? { multiple: true } : {}) }])),
  } as const;
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: options as never, allowPositionals: true, strict: true });
  } catch (err) {
    console.error(`kextbridge-export: ${(err as Error).message} (--help lists the flags)`);
    return 2;
  }
  const values = parsed.values as Record<string, string | string[] | boolean | undefined>;
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
      case 'print-systemd': {
        const config = resolve(String(values['config'] ?? '/Library/Application Support/kextbridge/export.json'));
        const o = { nodePath: process.execPath, installDir: resolve(__dirname, '..'), configPath: config, user: String(values['user'] ?? '_kbexport'), label: 'org.kextbridge.export', logDir: '/Library/Logs/kextbridge' };
        process.stdout.write(command === 'print-plist' ? renderPlist(o) : renderSystemdUnit(o));
        return 0;
      }
      default:
        console.error(`kextbridge-export: no command "${command}"; commands: run, status, print-plist, print-systemd`);
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
