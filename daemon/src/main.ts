#!/usr/bin/env node
// kextbridged: wires the kernel link, the Bridge service, policy and the
// gRPC server together, and handles signals. Each piece lives in its own
// module; this file only connects them.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { Authorizer } from './auth/audit';
import { FileNameResolver } from './auth/names';
import { Policy } from './auth/policy';
import { loadConfig } from './config/load';
import type { Config } from './config/schema';
import { createLogger, moduleLogger, setLogLevel, type Logger } from './log';
import { KernelLink } from './link/kernel-link';
import { Requests } from './bridge/requests';
import { EventHub } from './bridge/events';
import { bridgeImplementation } from './bridge/service';
import { UpcallRouter } from './bridge/upcalls';
import { batchEncoder } from './bridge/batch-encoding';
import { StatusWatchers } from './bridge/status';
import { loadTypedServices, type TypedService } from './typed/load';
import type { MethodBinding } from './typed/bindings';
import { loadSchema } from './typed/schema';
import { TypedProxy } from './typed/proxy';
import { createServer } from './server/server';
import { loadApi, type LoadedApi } from './server/protos';
import { Status, decodeLoss, decodeUpcall } from './wire';
// Per-event helpers straight from their modules: the wire barrel re-exports
// through getters, one more call per event on the hottest path.
import { FrameType } from './wire/constants';
import { eventData, eventSeq, eventTimeNs } from './wire/heads';
import { KernelChannel } from '../../native/lib/channel';
import { peerCredentials } from '../../native/lib/peer';
import { systemdListenFds } from '../../native/lib/activation';
import { binding } from '../../native/lib/binding';
import { watchControl } from '../../native/lib/watch';
import { LAUNCHD_COMMANDS, runLaunchdCommand } from '../../launchd/cli';

const VERSION: string = (JSON.parse(readFileSync(resolve(__dirname, '../../../package.json'), 'utf8')) as { version: string }).version;

function compilePolicy(config: Config, log: Logger): Policy | null {
  const compiled = Policy.compile(config, FileNameResolver.load());
  for (const w of compiled.warnings) log.warn({ policy: 'warning' }, w);
  if (compiled.errors.length > 0) {
    for (const e of compiled.errors) log.error({ policy: 'error' }, e);
    return null;
  }
  return compiled.policy;
}

// --systemd-socket / --launchd-socket NAME: take the listening socket from
// the service manager instead of creating it. Returns the fd, or an error.
function activation(argv: string[]): { argv: string[]; fd?: number; error?: string } {
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

// The API to serve: a .proto that does not parse, or a typed method that
// cannot be served, stops the daemon before it serves anything.
function loadProtos(config: Config): { ok: true; api: LoadedApi; typedServices: TypedService[]; bindings: MethodBinding[] } | { ok: false; errors: string[] } {
  let api: LoadedApi;
  let root: ReturnType<typeof loadSchema>;
  try {
    // protobufjs first: its parse errors name the file and line.
    root = loadSchema(config.protoFiles, config.protoIncludeDirs);
    api = loadApi(config.protoFiles, config.protoIncludeDirs);
  } catch (err) {
    return { ok: false, errors: [`protoFiles: cannot load ${config.protoFiles.join(', ')}: ${(err as Error).message}`] };
  }
  const typed = loadTypedServices(api, root);
  if (!typed.ok) return { ok: false, errors: typed.errors.map((e) => `protoFiles: ${e}`) };
  return { ok: true, api, typedServices: typed.services, bindings: typed.bindings };
}

async function main(rawArgv: string[]): Promise<number> {
  if ((LAUNCHD_COMMANDS as readonly string[]).includes(rawArgv[0] ?? '')) {
    return runLaunchdCommand(rawArgv, (s) => console.log(s), (s) => console.error(s));
  }
  const activated = activation(rawArgv);
  if (activated.error) {
    console.error(`kextbridged: ${activated.error}`);
    return 2;
  }
  const argv = activated.argv;
  const loaded = loadConfig({ argv });
  if (loaded.kind === 'help') {
    console.log(loaded.text);
    return 0;
  }
  if (loaded.kind === 'error') {
    for (const e of loaded.errors) console.error(`kextbridged: ${e}`);
    return 2;
  }
  const config = loaded.config;
  const protos = loadProtos(config);
  if (!protos.ok) {
    for (const e of protos.errors) console.error(`kextbridged: ${e}`);
    return 2;
  }
  const { api, typedServices, bindings } = protos;
  if (loaded.checkOnly) {
    console.log('kextbridged: configuration is valid');
    return 0;
  }
  const log = createLogger({ level: config.logLevel });
  const policy = compilePolicy(config, log);
  if (!policy) return 2;
  const auth = new Authorizer(policy, moduleLogger(log, 'audit'));

  const link = new KernelLink({
    target: process.platform === 'darwin' ? config.kext.controlName : config.kext.socketPath,
    open: (target, maxDatagram) => KernelChannel.open({ target, maxDatagram }),
    log: moduleLogger(log, 'link'),
    name: `kextbridged ${VERSION}`,
    maxDatagram: 256 * 1024,
    maxMessage: config.limits.maxMessageBytes,
    reconnectMinMs: config.kext.reconnectMinMs,
    reconnectMaxMs: config.kext.reconnectMaxMs,
  });
  const requests = new Requests({
    send: (type, id, code, payload) => link.send(type, id, code, payload),
    maxQueued: config.limits.maxQueued,
    defaultDeadlineMs: config.limits.defaultDeadlineMs,
    log: moduleLogger(log, 'requests'),
  });
  const events = new EventHub({
    ringEvents: config.limits.ringEvents,
    ringBytes: config.limits.ringBytes,
    onWantedChanged: (topics) => {
      const p = Buffer.alloc(4 * topics.length);
      topics.forEach((t, i) => p.writeUInt32LE(t, 4 * i));
      link.send(FrameType.SUBSCRIBE, 0, 0, p);
    },
  });
  const upcalls = new UpcallRouter({ reply: (id, status, payload) => link.send(FrameType.UPCALL_REPLY, id, status, payload) });
  const startedAt = Date.now();
  let server: ReturnType<typeof createServer> | null = null;
  const connections = (): number => server?.connections ?? 0;
  const statusWatchers = new StatusWatchers({ link, requests, events, upcalls, auth, startedAt, connections });
  const typed = new TypedProxy({ link, requests, events, upcalls, auth, limits: config.limits, log: moduleLogger(log, 'typed') }, bindings);
  server = createServer({
    config,
    log: moduleLogger(log, 'server'),
    credentialsOf: (socket) => peerCredentials(socket),
    services: [
      {
        definition: api.bridge,
        implementation: bridgeImplementation({
          link,
          requests,
          events,
          upcalls,
          auth,
          statusWatchers,
          encodeBatch: batchEncoder(api.serializeBatch),
          limits: config.limits,
          version: VERSION,
          startedAt,
          connections,
        }),
      },
      ...typedServices.map((s) => ({ definition: s.definition, implementation: typed.implementation(s.bindings) })),
    ],
    packageDefinition: api.packageDefinition,
    ...(activated.fd !== undefined ? { inheritedFd: activated.fd } : {}),
  });

  link.on('ready', (_w, session) => {
    requests.linkUp(Math.min(config.limits.maxInflight, session.maxInflight));
    events.linkReady();
    typed.linkReady();
    server?.setServing(true);
  });
  link.on('state', (state) => {
    if (state !== 'ready') server?.setServing(false);
  });
  link.on('down', (reason) => {
    requests.linkDown(reason);
    events.linkDown(reason);
    upcalls.linkDown();
  });
  link.on('event', (f) => {
    events.hold();
    if (f.type === FrameType.EVENT) {
      const seq = eventSeq(f);
      if (seq > 0) events.event(seq, eventTimeNs(f), f.code, eventData(f));
    } else {
      const l = decodeLoss(f.payload);
      if (l.ok) events.loss(f.code, Number(l.value.count), Number(l.value.firstSeq), Number(l.value.lastSeq));
    }
  });
  link.on('datagramEnd', () => events.release());
  link.on('message', (m) => {
    if (m.type === FrameType.RESPONSE) {
      requests.onResponse(m.id, m.code, m.payload);
      return;
    }
    const head = decodeUpcall(m.payload);
    if (!head.ok) {
      link.send(FrameType.UPCALL_REPLY, m.id, Status.INVALID_ARGUMENT);
      return;
    }
    const q = head.value.question;
    upcalls.upcall({ id: m.id, upcall: m.code, payload: Buffer.from(q), timeoutMs: head.value.timeoutMs, defaultVerdict: head.value.defaultVerdict });
  });

  try {
    await server.start();
  } catch (err) {
    log.fatal({ err }, (err as Error).message);
    return 1;
  }
  log.info({ socket: config.socketPath, version: VERSION }, 'serving');
  link.start();
  const watcher = watchControl(process.platform === 'darwin' ? config.kext.controlName : config.kext.socketPath);
  watcher.on('registered', () => link.nudge());

  return new Promise<number>((done) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      log.info({ signal, graceMs: config.drainGraceMs }, 'stopping: draining calls');
      events.closeAll('kextbridged is shutting down; reconnect and resume with since_seq');
      statusWatchers.closeAll('kextbridged is shutting down');
      void server!.stop(config.drainGraceMs).then(() => {
        watcher.close();
        link.stop();
        log.info('stopped');
        done(0);
      });
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGHUP', () => {
      const again = loadConfig({ argv });
      if (again.kind !== 'config') {
        log.error({ errors: again.kind === 'error' ? again.errors : [] }, 'reload refused: the configuration is invalid; keeping the current one');
        return;
      }
      const next = compilePolicy(again.config, log);
      if (!next) return;
      auth.setPolicy(next);
      // Said at the old level: a quieter new one would hide the confirmation.
      log.info({ logLevel: again.config.logLevel }, 'reloaded policy and log level');
      setLogLevel(log, again.config.logLevel);
    });
  });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`kextbridged: ${(err as Error).stack ?? String(err)}`);
    process.exit(1);
  },
);
