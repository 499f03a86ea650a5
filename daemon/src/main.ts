#!/usr/bin/env node
// kextbridged: constructs the kernel link, the kernel session on it, the
// operations over the session, the two front ends over the operations and
// the gRPC server, and wires them together. Every decision lives in the
// modules it constructs.
import { readFileSync } from 'node:fs';
import type * as net from 'node:net';
import { resolve } from 'node:path';

import { Authorizer } from './auth/authorizer';
import { compilePolicy } from './auth/compile';
import { bridgeImplementation } from './bridge/service';
import { StatusWatchers } from './bridge/status-watch';
import { loadConfig } from './config/load';
import { Operations } from './core/operations';
import { KernelSession } from './core/session';
import { unmatchedDecisions } from './core/upcall-verdict';
import { untilStopped } from './lifecycle';
import { MemorySettler } from './memory';
import { KernelLink } from './link/kernel-link';
import { createLogger, moduleLogger } from './log';
import { inheritedSocket } from './server/activation';
import { Admission, ensureFileLimit } from './server/admission';
import { identifyConnection } from './server/connection-identity';
import { addBridgeMetrics, createMetrics, serveMetrics } from './server/metrics';
import { createServer, type DaemonServer } from './server/server';
import type { MetricsEndpoint } from '@kextbridge/protocol';
import { loadServedApi } from './typed/load';
import { TypedApiHost } from './typed/host';
import { TypedProxy } from './typed/proxy';
import { KernelChannel, PeerIdentities, ProgramIdentities, SignedPrograms, binding, raiseFileLimit, returnFreeMemory, watchControl } from '@kextbridge/native';
import { LAUNCHD_COMMANDS, runLaunchdCommand } from './launchd/cli';

const VERSION: string = (JSON.parse(readFileSync(resolve(__dirname, '../package.json'), 'utf8')) as { version: string }).version;

async function main(rawArgv: string[]): Promise<number> {
  if ((LAUNCHD_COMMANDS as readonly string[]).includes(rawArgv[0] ?? '')) {
    return runLaunchdCommand(rawArgv, (s) => console.log(s), (s) => console.error(s));
  }
  const activated = inheritedSocket(rawArgv);
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
  const served = loadServedApi(config);
  if (!served.ok) {
    for (const e of served.errors) console.error(`kextbridged: ${e}`);
    return 2;
  }
  if (loaded.checkOnly) {
    console.log('kextbridged: configuration is valid');
    return 0;
  }
  const log = createLogger({ level: config.logLevel });
  const policy = compilePolicy(config, log);
  if (!policy) return 2;
  const auth = new Authorizer(policy, moduleLogger(log, 'audit'));
  const target = process.platform === 'darwin' ? config.kext.controlName : config.kext.socketPath;

  const link = new KernelLink({
    target,
    open: (t, maxDatagram) => KernelChannel.open({ target: t, maxDatagram, reuseBuffers: true }),
    log: moduleLogger(log, 'link'),
    name: `kextbridged ${VERSION}`,
    maxDatagram: 256 * 1024,
    maxMessage: config.limits.maxMessageBytes,
    reconnectMinMs: config.kext.reconnectMinMs,
    reconnectMaxMs: config.kext.reconnectMaxMs,
  });
  const session = new KernelSession(link, { limits: config.limits, upcallDecisions: config.upcallDecisions, log: moduleLogger(log, 'requests') });
  const startedAt = Date.now();
  let server: DaemonServer | null = null;
  const ops: Operations = new Operations({
    session,
    auth,
    limits: config.limits,
    startedAt,
    connections: () => server?.connections ?? 0,
    connectionStats: () => ({ refusedByUid: admission.refused, noFirstCall: server?.counters.noFirstCall ?? 0 }),
  });
  const admission = new Admission(
    { perUid: config.limits.maxConnectionsPerUid, total: config.limits.maxConnections, reserved: config.limits.reservedConnections },
    (identity) => auth.isRootOrAdmin(identity) || ops.servesUpcalls(identity.uid),
    moduleLogger(log, 'admission'),
  );
  ensureFileLimit(config.limits.maxConnections, raiseFileLimit, moduleLogger(log, 'admission'));
  // Group lookups off the event loop, cached per uid.
  const identities = new PeerIdentities();
  // The connecting program, read at accept: Linux, its executable through
  // a pidfd; macOS, its code signature through the audit token.
  const programs = binding.peerProgram ? new ProgramIdentities() : undefined;
  const signed = binding.peerToken ? new SignedPrograms() : undefined;
  const statusWatchers = new StatusWatchers({ link, snapshot: () => ops.snapshot() });
  const typed = new TypedProxy(ops, moduleLogger(log, 'typed'), served.bindings);
  const typedApi = new TypedApiHost(typed, moduleLogger(log, 'typed'), served);
  const { api } = served;
  // Off unless metrics.listen names where: then nothing of it exists.
  const metrics = config.metrics.listen !== '' ? createMetrics() : undefined;
  if (metrics) {
    addBridgeMetrics(metrics, {
      session,
      connections: () => server?.connections ?? 0,
      connectionsRefused: () => {
        let n = 0;
        for (const c of admission.refused.values()) n += c;
        return n;
      },
    });
  }
  server = createServer({
    ...(metrics ? { metrics: metrics.grpc } : {}),
    config,
    admission,
    log: moduleLogger(log, 'server'),
    credentialsOf: (socket) =>
      identifyConnection(socket, {
        user: (s) => identities.of(s),
        ...(programs ? { program: (s: net.Socket, withHash: boolean) => programs.of(s, withHash) } : {}),
        ...(signed ? { program: (s: net.Socket) => signed.of(s, auth.namesPrograms) } : {}),
        needsHash: () => auth.needsProgramHash,
      }),
    services: [
      {
        definition: api.bridge,
        implementation: bridgeImplementation({ ops, statusWatchers, version: VERSION }),
      },
      ...typedApi.registrations,
    ],
    packageDefinition: api.packageDefinition,
    ...(activated.fd !== undefined ? { inheritedFd: activated.fd } : {}),
  });
  const serving = server;
  typedApi.attach(serving);
  link.on('state', (state) => serving.setServing(state === 'ready'));
  session.on('ready', (welcome) => {
    const unmatched = unmatchedDecisions(config.upcallDecisions, welcome.catalog.upcalls.values());
    if (unmatched.length > 0) {
      const known = [...welcome.catalog.upcalls.values()].map((u) => `${u.name} (${u.id})`).join(', ') || 'none';
      log.warn({ unmatched }, `upcallDecisions names ${unmatched.join(', ')}, not an upcall of this kext (it has: ${known}); those rules apply to nothing`);
    }
  });

  let metricsEndpoint: MetricsEndpoint | undefined;
  try {
    // The metrics address first: one that cannot be bound (in use, a
    // socket path that is not ours) fails the start before the gRPC
    // socket exists.
    if (metrics) metricsEndpoint = await serveMetrics(metrics, config.metrics.listen, moduleLogger(log, 'metrics'));
    await serving.start();
  } catch (err) {
    await metricsEndpoint?.close();
    log.fatal({ err }, (err as Error).message);
    return 1;
  }
  log.info({ socket: config.socketPath, version: VERSION, epoch: session.events.epoch }, 'serving');
  link.start();
  const settler = new MemorySettler({ held: () => session.events.queuedBytes, returnFree: returnFreeMemory });
  settler.start();
  const watcher = watchControl(target);
  watcher.on('registered', () => link.nudge());

  return untilStopped({
    log,
    config,
    argv,
    auth,
    reloadApi: (c) => typedApi.reload(c),
    returnMemory: () => settler.settle(),
    stop: async (_signal, graceMs) => {
      session.events.closeAll('kextbridged is shutting down; reconnect and resume with since_seq');
      statusWatchers.closeAll('kextbridged is shutting down');
      await serving.stop(graceMs);
      await metricsEndpoint?.close();
      settler.stop();
      watcher.close();
      link.stop();
    },
  });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`kextbridged: ${(err as Error).stack ?? String(err)}`);
    process.exit(1);
  },
);
