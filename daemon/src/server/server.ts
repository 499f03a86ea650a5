// The gRPC side of kextbridged: our own unix-socket listener (socket.ts),
// one grpc-js Server fed through connection injection so each connection
// carries its peer credentials (identity.ts), grpc.health.v1, reflection,
// and whatever services the caller registers (the Bridge handlers and the
// typed proxies).
import * as net from 'node:net';
import * as grpc from '@grpc/grpc-js';
import type { PackageDefinition } from '@grpc/proto-loader';
import { HealthImplementation } from 'grpc-health-check';
import { programFields } from '../auth/authorizer';
import type { PeerIdentity } from '../auth/identity';
import type { Config } from '../config/schema';
import type { Logger } from '../log';
import type { Admission } from './admission';
import { installGrpcTimeoutCheck } from './deadline-header';
import { countUnknownMethods, measuredDefinition, type GrpcServerMetrics } from './grpc-metrics';
import { credentialsFor } from './identity';
import { BRIDGE_SERVICE, HEALTH_SERVICE, descriptorsOf } from './protos';
import { REFLECTION_SERVICES, ReflectionIndex, addReflection } from './reflection';
import { listenUnixSocket, type UnixListener } from './socket';

export interface ServiceRegistration {
  definition: grpc.ServiceDefinition;
  implementation: grpc.UntypedServiceImplementation;
}

export interface CreateServerOptions {
  config: Pick<Config, 'socketPath' | 'socketMode' | 'allowAnyUserSocket' | 'limits'>;
  log: Logger;
  // The kernel-reported credentials of an accepted connection (the addon's
  // PeerIdentities), at once or once its groups are looked up. Throwing
  // or rejecting refuses the connection.
  credentialsOf: (socket: net.Socket) => PeerIdentity | Promise<PeerIdentity>;
  services: ServiceRegistration[];
  // Everything served, for reflection (loadApi's packageDefinition).
  // Without it the server offers no reflection.
  packageDefinition?: PackageDefinition;
  // Names the pid of a live daemon already on the socket, when known.
  peerPidOf?: (socket: net.Socket) => number | undefined;
  // A listening socket the service manager created and handed over
  // (systemd LISTEN_FDS, launchd Sockets): used as is, never unlinked.
  inheritedFd?: number;
  // Who may open one more connection; without it, anyone.
  admission?: Admission;
  // gRPC's server metrics (metrics.listen); without it, none are kept.
  metrics?: GrpcServerMetrics;
}

export interface ConnectionCounters {
  // Closed because no call started within limits.firstCallMs.
  noFirstCall: number;
  // Refused because their credentials or program could not be read.
  noIdentity: number;
}

export interface DaemonServer {
  // Creates the socket and starts accepting. Rejects with a
  // SocketSetupError when the socket cannot be ours.
  start(): Promise<void>;
  // Stops accepting (the socket file goes at once), tells every client to
  // go away (GOAWAY: calls in flight may finish), and after graceMs cuts
  // whatever is left. Resolves when every connection is gone.
  stop(graceMs: number): Promise<void>;
  // grpc.health.v1 status of '' and of every registered service.
  setServing(serving: boolean): void;
  // SIGHUP with other .proto files: stop serving `previous`, serve `next`,
  // and answer reflection from `packageDefinition`, all at once (calls
  // already open on a removed service finish as they are). A removed
  // service's health stays listed as NOT_SERVING (grpc-health-check
  // cannot forget a name).
  swapServices(previous: readonly ServiceRegistration[], next: readonly ServiceRegistration[], packageDefinition: PackageDefinition): void;
  // Connections open now.
  readonly connections: number;
  readonly counters: ConnectionCounters;
}

const NO_IDENTITY_LOG_MS = 10_000;

// Room for a message's own framing around the largest payload allowed.
const MESSAGE_OVERHEAD = 64 * 1024;

function serviceName(definition: grpc.ServiceDefinition): string | undefined {
  const method = Object.values(definition)[0];
  // '/kextbridge.v1.Bridge/Call' -> 'kextbridge.v1.Bridge'
  return method?.path.split('/')[1];
}

export function createServer(options: CreateServerOptions): DaemonServer {
  const { config, log } = options;
  const maxMessage = config.limits.maxMessageBytes + MESSAGE_OVERHEAD;
  const l = config.limits;
  installGrpcTimeoutCheck();
  const grpcServer = new grpc.Server({
    'grpc.max_receive_message_length': maxMessage,
    'grpc.max_send_message_length': maxMessage,
    'grpc.enable_channelz': 0,
    // What one connection may take: streams, session memory, idle time;
    // and keepalive pings that close peers that died without a word.
    'grpc.max_concurrent_streams': l.maxStreamsPerConnection,
    'grpc-node.max_session_memory': l.sessionMemoryMiB,
    'grpc.max_connection_idle_ms': l.idleConnectionMs,
    'grpc.keepalive_time_ms': 60_000,
    'grpc.keepalive_timeout_ms': 20_000,
  });
  const counters: ConnectionCounters = { noFirstCall: 0, noIdentity: 0 };
  let lastNoIdentityLog = -Infinity;
  let noIdentityLogged = 0;
  const metrics = options.metrics;
  const interceptor = metrics?.interceptor();
  if (metrics) countUnknownMethods(grpcServer, metrics);
  // With metrics on, the services' serializers also record message sizes.
  const measured = (definition: grpc.ServiceDefinition): grpc.ServiceDefinition => (metrics ? measuredDefinition(definition) : definition);

  const servedNames = new Set<string>(['', BRIDGE_SERVICE]);
  for (const { definition, implementation } of options.services) {
    grpcServer.addService(measured(definition), implementation);
    const name = serviceName(definition);
    if (name !== undefined) servedNames.add(name);
  }
  const health = new HealthImplementation(Object.fromEntries([...servedNames].map((name) => [name, 'NOT_SERVING' as const])));
  health.addToServer(grpcServer);
  const descriptors = options.packageDefinition ? descriptorsOf(options.packageDefinition) : undefined;
  if (options.packageDefinition && !descriptors) throw new Error('reflection needs the packageDefinition loadApi returned');
  let serving = false;
  let index = descriptors ? new ReflectionIndex(descriptors) : undefined;
  if (descriptors) {
    addReflection(grpcServer, () => index!);
    // Listed by reflection, so never NOT_FOUND to a health Check: they
    // answer whenever the server does.
    for (const name of [HEALTH_SERVICE, ...REFLECTION_SERVICES]) health.setStatus(name, 'SERVING');
  }

  const sockets = new Set<net.Socket>();
  let listener: UnixListener | undefined;
  let stopping: Promise<void> | undefined;
  let allClosed: (() => void) | undefined;

  function accept(socket: net.Socket): void {
    // Unhandled, a reset from a client that vanished would be an
    // uncaught exception; http2 sees the close either way.
    socket.on('error', (err) => log.debug({ err: err.message }, 'client connection error'));
    const refuse = (err: unknown): void => {
      counters.noIdentity++;
      // A peer can make its identity unreadable at will (exit at once):
      // one line per interval, with the count, so it cannot flood the log.
      const now = Date.now();
      if (now - lastNoIdentityLog >= NO_IDENTITY_LOG_MS) {
        log.warn({ err: (err as Error).message, refusedSinceLastLine: counters.noIdentity - noIdentityLogged }, 'refused a connection: its identity could not be read');
        lastNoIdentityLog = now;
        noIdentityLogged = counters.noIdentity;
      }
      socket.destroy();
    };
    let known: PeerIdentity | Promise<PeerIdentity>;
    try {
      known = options.credentialsOf(socket);
    } catch (err) {
      refuse(err);
      return;
    }
    // What the peer sends meanwhile waits in the socket.
    if (known instanceof Promise) known.then((identity) => serve(socket, identity), refuse);
    else serve(socket, known);
  }

  function serve(socket: net.Socket, identity: PeerIdentity): void {
    if (socket.destroyed) return;
    if (stopping) {
      socket.destroy();
      return;
    }
    const admitted = options.admission?.admit(identity) ?? { ok: true as const, release: () => {} };
    if (!admitted.ok) {
      socket.destroy();
      return;
    }
    // Nested: a top-level pid is the daemon's own in every line.
    const client = { uid: identity.uid, gid: identity.gid, pid: identity.pid, ...programFields(identity) };
    let called = false;
    const firstCall = setTimeout(() => {
      if (called) return;
      counters.noFirstCall++;
      log.debug({ client, firstCallMs: l.firstCallMs }, 'closed a connection that started no call');
      socket.destroy();
    }, l.firstCallMs);
    firstCall.unref();
    const injector = grpcServer.createConnectionInjector(
      credentialsFor(identity, () => {
        if (called) return;
        called = true;
        clearTimeout(firstCall);
      }, interceptor),
    );
    sockets.add(socket);
    socket.once('close', () => {
      clearTimeout(firstCall);
      admitted.release();
      sockets.delete(socket);
      if (sockets.size === 0) allClosed?.();
      injector.destroy();
      log.debug({ client }, 'client disconnected');
    });
    log.debug({ client }, 'client connected');
    injector.injectConnection(socket);
  }

  return {
    async start() {
      if (listener) throw new Error('server already started');
      if (options.inheritedFd !== undefined) {
        const server = net.createServer();
        await new Promise<void>((resolveListen, rejectListen) => {
          server.once('error', rejectListen);
          server.listen({ fd: options.inheritedFd }, () => resolveListen());
        });
        listener = { server, path: config.socketPath, close: () => server.close() };
        server.on('connection', accept);
        server.on('error', (err) => log.error({ err: err.message }, 'listener error'));
        return;
      }
      const listenOptions = { path: config.socketPath, mode: config.socketMode, allowAnyUserSocket: config.allowAnyUserSocket };
      listener = await listenUnixSocket(options.peerPidOf ? { ...listenOptions, peerPidOf: options.peerPidOf } : listenOptions);
      listener.server.on('connection', accept);
      listener.server.on('error', (err) => log.error({ err: err.message }, 'listener error'));
    },

    stop(graceMs: number) {
      if (stopping) return stopping;
      listener?.close();
      for (const name of servedNames) health.setStatus(name, 'NOT_SERVING');
      stopping = new Promise<void>((resolve) => {
        // Done when the last connection has closed, whether it left on its
        // own after GOAWAY or was cut when the grace ran out.
        const cut = setTimeout(() => {
          log.warn({ connections: sockets.size, graceMs }, 'drain grace expired; cutting remaining calls');
          grpcServer.forceShutdown();
          for (const socket of sockets) socket.destroy();
        }, graceMs);
        allClosed = () => {
          clearTimeout(cut);
          resolve();
        };
        grpcServer.tryShutdown(() => {});
        if (sockets.size === 0) allClosed();
      });
      return stopping;
    },

    setServing(now: boolean) {
      serving = now;
      if (stopping) return;
      for (const name of servedNames) health.setStatus(name, serving ? 'SERVING' : 'NOT_SERVING');
    },

    swapServices(previous, next, packageDefinition) {
      const nextDescriptors = descriptorsOf(packageDefinition);
      if (!nextDescriptors) throw new Error('reflection needs the packageDefinition loadApi returned');
      for (const { definition } of previous) {
        grpcServer.removeService(definition);
        const name = serviceName(definition);
        if (name === undefined) continue;
        servedNames.delete(name);
        health.setStatus(name, 'NOT_SERVING');
      }
      for (const { definition, implementation } of next) {
        grpcServer.addService(measured(definition), implementation);
        const name = serviceName(definition);
        if (name === undefined) continue;
        servedNames.add(name);
        health.setStatus(name, serving && !stopping ? 'SERVING' : 'NOT_SERVING');
      }
      if (index) index = new ReflectionIndex(nextDescriptors);
    },

    get connections() {
      return sockets.size;
    },

    counters,
  };
}
