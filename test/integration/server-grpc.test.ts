import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as net from 'node:net';
import { Writable } from 'node:stream';
import { chmodSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import type { PeerIdentity } from 'kextbridged/internal/auth/identity';
import { defaultConfig } from 'kextbridged/internal/config/keys';
import { EXAMPLE_PROTO } from '../support/paths';
import { createLogger } from 'kextbridged/internal/log';
import { identityOf, withIdentity } from 'kextbridged/internal/server/identity';
import { loadApi } from 'kextbridged/internal/server/protos';
import { FileDescriptorProto } from 'protobufjs/ext/descriptor';
import { reflectionClient } from '../support/reflection';
import { peerCredentials } from '@kextbridge/native/internal/peer';
import { createServer, type CreateServerOptions, type DaemonServer, type ServiceRegistration } from 'kextbridged/internal/server/server';

const log = createLogger({ level: 'silent' });

// A service whose one method answers with the caller's identity as JSON.
const json = {
  serialize: (value: unknown) => Buffer.from(JSON.stringify(value)),
  deserialize: (bytes: Buffer) => (bytes.length === 0 ? {} : JSON.parse(bytes.toString())),
};
const whoDefinition: grpc.ServiceDefinition = {
  WhoAmI: {
    path: '/test.Who/WhoAmI',
    requestStream: false,
    responseStream: false,
    requestSerialize: json.serialize,
    requestDeserialize: json.deserialize,
    responseSerialize: json.serialize,
    responseDeserialize: json.deserialize,
  },
  Slow: {
    path: '/test.Who/Slow',
    requestStream: false,
    responseStream: false,
    requestSerialize: json.serialize,
    requestDeserialize: json.deserialize,
    responseSerialize: json.serialize,
    responseDeserialize: json.deserialize,
  },
  Forever: {
    path: '/test.Who/Forever',
    requestStream: false,
    responseStream: true,
    requestSerialize: json.serialize,
    requestDeserialize: json.deserialize,
    responseSerialize: json.serialize,
    responseDeserialize: json.deserialize,
  },
};
const whoService: ServiceRegistration = {
  definition: whoDefinition,
  implementation: {
    WhoAmI: withIdentity((identity, _call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => callback(null, identity)),
    Slow: (call: grpc.ServerUnaryCall<{ ms: number }, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      setTimeout(() => callback(null, { slept: call.request.ms }), call.request.ms);
    },
    Forever: (call: grpc.ServerWritableStream<unknown, unknown>) => {
      call.write({ started: true });
    },
  },
};

function scratchSocket(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kb-grpc-'));
  chmodSync(dir, 0o755); // reachable by the uid-65534 client
  return join(dir, 'run', 'kb.sock');
}

function start(credentialsOf: CreateServerOptions['credentialsOf'], extra: Partial<CreateServerOptions> = {}): Promise<{ server: DaemonServer; path: string }> {
  const path = scratchSocket();
  const config = { ...defaultConfig('linux'), socketPath: path };
  const server = createServer({ config, log, credentialsOf, services: [whoService], ...extra });
  return server.start().then(() => ({ server, path }));
}

// Each client gets its own connection (grpc-js would otherwise share one
// subchannel between clients of the same target).
function client(path: string): grpc.Client {
  return new grpc.Client(`unix://${path}`, grpc.credentials.createInsecure(), { 'grpc.use_local_subchannel_pool': 1 });
}

function unary<T>(c: grpc.Client, method: string, request: unknown, deadlineMs = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    c.makeUnaryRequest(method, json.serialize, json.deserialize, request, { deadline: Date.now() + deadlineMs }, (err, value) =>
      err ? reject(err) : resolve(value as T),
    );
  });
}

const fixed = (identity: PeerIdentity) => () => identity;

test('health: NOT_SERVING until the link says otherwise, for the server and each service', async () => {
  const { server, path } = await start(fixed({ uid: 0, gid: 0, pid: 1, groups: [] }));
  const Health = grpc.makeGenericClientConstructor(healthService as grpc.ServiceDefinition, 'Health');
  const health = new Health(`unix://${path}`, grpc.credentials.createInsecure()) as grpc.Client & Record<string, Function>;
  const check = (service: string) =>
    new Promise<string>((resolve, reject) => health.check({ service }, (err: Error | null, res: { status: string }) => (err ? reject(err) : resolve(res.status))));
  try {
    assert.equal(await check(''), 'NOT_SERVING');
    assert.equal(await check('kextbridge.v1.Bridge'), 'NOT_SERVING');
    server.setServing(true);
    assert.equal(await check(''), 'SERVING');
    assert.equal(await check('kextbridge.v1.Bridge'), 'SERVING');
    assert.equal(await check('test.Who'), 'SERVING', 'registered services follow the link too');
    await assert.rejects(check('no.Such'), { code: grpc.status.NOT_FOUND });
    server.setServing(false);
    assert.equal(await check(''), 'NOT_SERVING');
  } finally {
    health.close();
    await server.stop(100);
  }
});

test('reflection lists every served service and gives their descriptors', async () => {
  const api = loadApi([EXAMPLE_PROTO]);
  const { server, path } = await start(fixed({ uid: 1000, gid: 1000, pid: 1, groups: [] }), { packageDefinition: api.packageDefinition });
  const reflection = reflectionClient(path);
  const ask = reflection.ask;
  try {
    const listed = await ask({ listServices: '*' });
    const names = (listed.listServicesResponse.service as { name: string }[]).map((s) => s.name).sort();
    assert.deepEqual(names, [
      'grpc.health.v1.Health',
      'grpc.reflection.v1.ServerReflection',
      'grpc.reflection.v1alpha.ServerReflection',
      'kextbridge.example.v1.Example',
      'kextbridge.v1.Bridge',
    ]);
    const file = await ask({ fileContainingSymbol: 'kextbridge.v1.Bridge' });
    const fileNames = (file.fileDescriptorResponse.fileDescriptorProto as Buffer[]).map((b) => (FileDescriptorProto.decode(b) as unknown as { name: string }).name);
    assert.deepEqual(fileNames, ['kextbridge/v1/bridge.proto', 'kextbridge/v1/loss.proto'], 'the real file first, then its imports');
    const example = await ask({ fileByFilename: 'example/v1/example.proto' });
    const exampleNames = (example.fileDescriptorResponse.fileDescriptorProto as Buffer[]).map((b) => (FileDescriptorProto.decode(b) as unknown as { name: string }).name);
    assert.deepEqual(exampleNames, ['example/v1/example.proto', 'kextbridge/v1/loss.proto', 'kextbridge/v1/options.proto', 'google/protobuf/descriptor.proto']);
    const ext = await ask({ fileContainingExtension: { containingType: 'google.protobuf.MethodOptions', extensionNumber: 51234 } });
    assert.equal((FileDescriptorProto.decode(ext.fileDescriptorResponse.fileDescriptorProto[0]) as unknown as { name: string }).name, 'kextbridge/v1/options.proto');
    const numbers = await ask({ allExtensionNumbersOfType: 'google.protobuf.MethodOptions' });
    assert.deepEqual(numbers.allExtensionNumbersResponse.extensionNumber, [51234]);
    const missing = await ask({ fileContainingSymbol: 'no.Such' });
    assert.equal(missing.errorResponse.errorCode, grpc.status.NOT_FOUND);
  } finally {
    reflection.close();
    await server.stop(100);
  }
});

test('each connection carries the identity read when it was accepted', async () => {
  const identities: PeerIdentity[] = [
    { uid: 1001, gid: 1001, pid: 501, groups: [20] },
    { uid: 1002, gid: 1002, pid: 502, groups: [] },
  ];
  let accepted = 0;
  const { server, path } = await start(() => identities[accepted++]!);
  const first = client(path);
  const second = client(path);
  try {
    assert.deepEqual(await unary(first, '/test.Who/WhoAmI', {}), identities[0]);
    assert.deepEqual(await unary(second, '/test.Who/WhoAmI', {}), identities[1]);
    // Calls interleaved on both connections keep their own identity.
    const again = await Promise.all([unary(second, '/test.Who/WhoAmI', {}), unary(first, '/test.Who/WhoAmI', {}), unary(second, '/test.Who/WhoAmI', {})]);
    assert.deepEqual(again, [identities[1], identities[0], identities[1]]);
    assert.equal(accepted, 2, 'credentials are read once per connection');
    assert.equal(server.connections, 2);
  } finally {
    first.close();
    second.close();
    await server.stop(100);
  }
});

test('a client cannot claim an identity through metadata', async () => {
  const { server, path } = await start(fixed({ uid: 1001, gid: 1001, pid: 7, groups: [] }));
  const c = client(path);
  try {
    const metadata = new grpc.Metadata();
    for (const key of ['uid', 'x-uid', 'kextbridge-uid', 'identity']) metadata.set(key, '0');
    const who = await new Promise((resolve, reject) =>
      c.makeUnaryRequest('/test.Who/WhoAmI', json.serialize, json.deserialize, {}, metadata, (err, value) => (err ? reject(err) : resolve(value))),
    );
    assert.deepEqual(who, { uid: 1001, gid: 1001, pid: 7, groups: [] });
  } finally {
    c.close();
    await server.stop(100);
  }
});

test('a connection whose credentials cannot be read is refused', async () => {
  const { server, path } = await start(() => {
    throw new Error('EINVAL');
  });
  const c = client(path);
  try {
    await assert.rejects(unary(c, '/test.Who/WhoAmI', {}, 2000), { code: grpc.status.UNAVAILABLE });
  } finally {
    c.close();
    await server.stop(100);
  }
});

test('connections whose identity cannot be read are counted, and logged once an interval, not once each', async () => {
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) });
  let n = 0;
  const { server, path } = await start(
    () => {
      n++;
      throw new Error('the peer process is gone (ESRCH)');
    },
    { log: createLogger({ level: 'warn', destination: sink }) },
  );
  try {
    for (let i = 0; i < 20; i++) {
      await new Promise<void>((res) => {
        const s = net.connect(path);
        s.on('error', () => undefined);
        s.once('close', () => res());
      });
    }
    assert.equal(n, 20);
    assert.equal(server.counters.noIdentity, 20);
    const refusals = lines.filter((l) => l.includes('its identity could not be read'));
    assert.equal(refusals.length, 1, `${refusals.length} lines for 20 refusals`);
    assert.match(refusals[0]!, /the peer process is gone \(ESRCH\)/);
  } finally {
    await server.stop(100);
  }
});

test('withIdentity fails closed for a call that has no identity', () => {
  const call = { metadata: new grpc.Metadata() };
  let handled = false;
  let answered: unknown;
  const wrapped = withIdentity((_identity, _call: typeof call, _callback: (err: unknown) => void) => {
    handled = true;
  });
  wrapped(call, (err) => (answered = err));
  assert.equal(handled, false);
  assert.deepEqual(answered, { code: grpc.status.UNAUTHENTICATED, details: 'no peer credentials for this connection' });
  assert.equal(identityOf(call), undefined);

  let streamError: unknown;
  const stream = Object.assign(new (require('node:events').EventEmitter)(), { metadata: new grpc.Metadata() });
  stream.on('error', (err: unknown) => (streamError = err));
  withIdentity((_identity, _call: typeof stream) => {
    handled = true;
  })(stream);
  assert.equal(handled, false);
  assert.deepEqual(streamError, { code: grpc.status.UNAUTHENTICATED, details: 'no peer credentials for this connection' });
});

test('stop: the socket goes at once, calls in flight finish within the grace, the rest are cut', async () => {
  const { server, path } = await start(fixed({ uid: 0, gid: 0, pid: 1, groups: [] }));
  const c = client(path);
  try {
    await unary(c, '/test.Who/WhoAmI', {}); // connected
    const slow = unary<{ slept: number }>(c, '/test.Who/Slow', { ms: 150 });
    const forever = c.makeServerStreamRequest('/test.Who/Forever', json.serialize, json.deserialize, {});
    const ended = new Promise<grpc.ServiceError>((resolve) => forever.on('error', resolve));
    forever.on('data', () => {});
    await new Promise((resolve) => setTimeout(resolve, 50));
    const t0 = Date.now();
    const stopped = server.stop(400);
    assert.equal(existsSync(path), false, 'no new client can connect');
    assert.deepEqual(await slow, { slept: 150 });
    const cut = await ended;
    assert.ok([grpc.status.CANCELLED, grpc.status.UNAVAILABLE, grpc.status.INTERNAL].includes(cut.code), `stream cut: ${cut.code} ${cut.details}`);
    await stopped;
    const took = Date.now() - t0;
    assert.ok(took >= 350 && took < 2000, `cut after the grace, took ${took} ms`);
    assert.equal(server.connections, 0);
  } finally {
    c.close();
  }
});

function whoAmIAs(uid: number, gid: number, path: string): Promise<PeerIdentity & { self: number }> {
  const grpcPath = require.resolve('@grpc/grpc-js');
  const script = `
    const grpc = require(${JSON.stringify(grpcPath)});
    const c = new grpc.Client('unix://' + ${JSON.stringify(path)}, grpc.credentials.createInsecure());
    const ser = (v) => Buffer.from(JSON.stringify(v));
    const de = (b) => JSON.parse(b.toString());
    c.makeUnaryRequest('/test.Who/WhoAmI', ser, de, {}, { deadline: Date.now() + 5000 }, (err, who) => {
      if (err) { console.error(err.message); process.exit(1); }
      console.log(JSON.stringify({ ...who, self: process.pid }));
      c.close();
    });`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], { uid, gid, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`client as uid ${uid} failed: ${err}`))));
  });
}

// What /proc says this process is, to hold the addon's answer against.
function selfFromProc(): { uid: number; gid: number } {
  const status = readFileSync('/proc/self/status', 'utf8');
  // Uid:/Gid: list real, effective, saved, fs; a peer acts as the effective one.
  const effective = (name: string) => Number(new RegExp(`^${name}:\\s+\\d+\\s+(\\d+)`, 'm').exec(status)![1]);
  return { uid: effective('Uid'), gid: effective('Gid') };
}

test('two clients under different uids on one server each get their own kernel-reported identity (native addon)', async () => {
  const { server, path } = await start((socket) => peerCredentials(socket));
  const rootClient = client(path);
  try {
    const mine = await unary<PeerIdentity>(rootClient, '/test.Who/WhoAmI', {});
    const self = selfFromProc();
    assert.deepEqual({ uid: mine.uid, gid: mine.gid, pid: mine.pid }, { ...self, pid: process.pid });
    assert.equal(mine.uid, 0);
    // The addon reports the user's groups from the group database, which
    // include the primary group.
    assert.ok(mine.groups.includes(mine.gid), `groups ${mine.groups} include the primary gid`);
    const theirs = await whoAmIAs(65534, 65534, path);
    assert.equal(theirs.uid, 65534);
    assert.equal(theirs.gid, 65534);
    assert.equal(theirs.pid, theirs.self, "the child's own pid");
    assert.ok(theirs.groups.includes(65534));
    assert.ok(!theirs.groups.includes(0), "not root's groups");
    // The root connection, still open, is still root's.
    const again = await unary<PeerIdentity>(rootClient, '/test.Who/WhoAmI', {});
    assert.deepEqual(again, mine);
  } finally {
    rootClient.close();
    await server.stop(100);
  }
});

test('a second daemon is refused naming the live one\'s pid (native addon)', async () => {
  const { server, path } = await start((socket) => peerCredentials(socket));
  try {
    const again = createServer({
      config: { ...defaultConfig('linux'), socketPath: path },
      log,
      credentialsOf: (socket) => peerCredentials(socket),
      peerPidOf: (socket) => peerCredentials(socket).pid,
      services: [],
    });
    await assert.rejects(again.start(), { message: `another kextbridged is serving ${path} (pid ${process.pid})` });
  } finally {
    await server.stop(100);
  }
});
