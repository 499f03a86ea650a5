// A Node client on @grpc/grpc-js and @grpc/proto-loader alone (not this
// repository's client library), run by interop/node.test.ts as a plain
// user. `suite` prints one JSON line per check; `serve-typed N` answers N
// authorize_exec upcalls through Example.ServeAuthorizeExec, allowing all
// but paths under /tmp/.
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

type Msg = Record<string, unknown>;
type Unary = (req: Msg, meta: grpc.Metadata, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res?: Msg) => void) => grpc.ClientUnaryCall;

const [mode = 'suite', socket = '', protoRoot = '', reflectionRoot = '', arg = ''] = process.argv.slice(2);
const target = `unix://${socket}`;
const creds = grpc.credentials.createInsecure();
const say = (obj: Msg): void => void process.stdout.write(`${JSON.stringify(obj)}\n`);

function clientFor(def: protoLoader.PackageDefinition, service: string): grpc.Client & Record<string, Unary & ((...a: unknown[]) => grpc.ClientReadableStream<Msg> & grpc.ClientDuplexStream<Msg, Msg>)> {
  const Ctor = grpc.makeGenericClientConstructor(def[service] as grpc.ServiceDefinition, service);
  return new Ctor(target, creds) as never;
}

function unary(client: Record<string, Unary>, method: string, req: Msg, deadlineMs = 5000): Promise<Msg> {
  return new Promise((resolve, reject) => {
    client[method]!(req, new grpc.Metadata(), { deadline: Date.now() + deadlineMs }, (err, res) => (err ? reject(err) : resolve(res!)));
  });
}

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'OK';
  } catch (err) {
    return grpc.status[(err as grpc.ServiceError).code] ?? 'UNKNOWN';
  }
}

// A FileDescriptorSet is field 1 (bytes) repeated: encoded by hand.
function fileDescriptorSet(files: Buffer[]): Buffer {
  const parts: Buffer[] = [];
  for (const f of files) {
    const len: number[] = [];
    let n = f.length;
    while (n > 0x7f) {
      len.push((n & 0x7f) | 0x80);
      n >>>= 7;
    }
    len.push(n);
    parts.push(Buffer.from([0x0a, ...len]), f);
  }
  return Buffer.concat(parts);
}

async function reflect(requests: Msg[]): Promise<Msg[]> {
  const def = protoLoader.loadSync('grpc/reflection/v1/reflection.proto', { includeDirs: [reflectionRoot], oneofs: true });
  const client = clientFor(def, 'grpc.reflection.v1.ServerReflection');
  const call = client['ServerReflectionInfo']!();
  const out: Msg[] = [];
  const done = new Promise<Msg[]>((resolve, reject) => {
    call.on('data', (m: Msg) => out.push(m));
    call.on('end', () => resolve(out));
    call.on('error', reject);
  });
  for (const r of requests) call.write(r);
  call.end();
  try {
    return await done;
  } finally {
    client.close();
  }
}

async function suite(): Promise<void> {
  const health = clientFor(protoLoader.loadSync('health/v1/health.proto', { includeDirs: [arg] }), 'grpc.health.v1.Health');
  const checked = await unary(health, 'Check', { service: 'kextbridge.v1.Bridge' });
  const missing = await code(unary(health, 'Check', { service: 'no.Such' }));
  const watched = await new Promise<Msg>((resolve, reject) => {
    const w = health['Watch']!({ service: 'grpc.health.v1.Health' });
    w.once('data', (m: Msg) => {
      w.cancel();
      resolve(m);
    });
    w.once('error', reject);
  });
  say({ health: { check: checked['status'], missing, watch: watched['status'] } });

  const [listed, files] = await reflect([{ listServices: '*' }, { fileContainingSymbol: 'kextbridge.example.v1.Example' }]);
  const services = ((listed!['listServicesResponse'] as Msg)['service'] as { name: string }[]).map((s) => s.name);
  const fds = ((files!['fileDescriptorResponse'] as Msg)['fileDescriptorProto'] as Buffer[]);
  const [bridgeFiles] = await reflect([{ fileContainingSymbol: 'kextbridge.v1.Bridge' }]);
  const all = [...fds, ...((bridgeFiles!['fileDescriptorResponse'] as Msg)['fileDescriptorProto'] as Buffer[])];
  const seen = new Set<string>();
  const unique = all.filter((b) => (seen.has(b.toString('base64')) ? false : (seen.add(b.toString('base64')), true)));
  const dynamic = protoLoader.loadFileDescriptorSetFromBuffer(fileDescriptorSet(unique), { keepCase: true, longs: String });
  const dynExample = clientFor(dynamic, 'kextbridge.example.v1.Example');
  const dynBridge = clientFor(dynamic, 'kextbridge.v1.Bridge');
  const dynEcho = await unary(dynExample, 'Echo', { data: Buffer.from('dynamic') });
  const described = await unary(dynBridge, 'Describe', {});
  say({ reflection: { services, echo: (dynEcho['data'] as Buffer).toString(), kext_identity: described['kext_identity'] } });

  const typedDef = protoLoader.loadSync('example/v1/example.proto', { includeDirs: [protoRoot] });
  const example = clientFor(typedDef, 'kextbridge.example.v1.Example');
  const typedEcho = await unary(example, 'Echo', { data: Buffer.from('typed') });
  const beat = await new Promise<Msg>((resolve, reject) => {
    const s = example['WatchHeartbeat']!({});
    s.once('data', (m: Msg) => {
      s.cancel();
      resolve(m);
    });
    s.on('error', (err: grpc.ServiceError) => (err.code === grpc.status.CANCELLED ? undefined : reject(err)));
  });
  const denied = await new Promise<string>((resolve) => {
    const s = example['WatchExec']!({});
    s.on('data', () => resolve('OK'));
    s.on('error', (err: grpc.ServiceError) => resolve(grpc.status[err.code] ?? 'UNKNOWN'));
  });
  say({ typed: { echo: (typedEcho['data'] as Buffer).toString(), heartbeat: /^\d+$/.test(String(beat['count'])), denied } });

  const unknownMethod = await code(
    new Promise((resolve, reject) => {
      const c = new grpc.Client(target, creds);
      c.makeUnaryRequest('/kextbridge.v1.Bridge/NoSuchMethod', (b: Buffer) => b, (b: Buffer) => b, Buffer.alloc(0), (err, res) => (err ? reject(err) : resolve(res)));
    }),
  );
  const bridgeDef = protoLoader.loadSync('kextbridge/v1/bridge.proto', { includeDirs: [protoRoot] });
  const bridge = clientFor(bridgeDef, 'kextbridge.v1.Bridge');
  const badArgument = await code(unary(bridge, 'Call', { command: { name: 'no_such_command' }, payload: Buffer.alloc(0) }));
  const deadline = await code(unary(bridge, 'Describe', {}, -1));
  say({ errors: { unknownMethod, badArgument, deadline } });
  for (const c of [health, dynExample, dynBridge, example, bridge]) c.close();
}

async function serveTyped(count: number): Promise<void> {
  const example = clientFor(protoLoader.loadSync('example/v1/example.proto', { includeDirs: [protoRoot] }), 'kextbridge.example.v1.Example');
  const call = example['ServeAuthorizeExec']!();
  let asked = 0;
  await new Promise<void>((resolve, reject) => {
    call.on('data', (q: Msg) => {
      const allow = !String(q['path']).startsWith('/tmp/');
      call.write({ allow });
      say({ asked: q['path'], allow });
      if (++asked >= count) call.end();
    });
    call.on('end', resolve);
    call.on('error', (err: grpc.ServiceError) => (asked >= count ? resolve() : reject(err)));
  });
  example.close();
}

// The same answers through the generic Bridge.Serve: register by name,
// then each question's payload is an ExecAuthorization and each answer's
// an ExecVerdict, coded with the typed method's own (de)serializers.
async function serveBridge(count: number): Promise<void> {
  const typed = protoLoader.loadSync('example/v1/example.proto', { includeDirs: [protoRoot] })['kextbridge.example.v1.Example'] as grpc.ServiceDefinition;
  const method = typed['ServeAuthorizeExec']!;
  const bridge = clientFor(protoLoader.loadSync('kextbridge/v1/bridge.proto', { includeDirs: [protoRoot] }), 'kextbridge.v1.Bridge');
  const call = bridge['Serve']!();
  call.write({ register: { upcall: { name: 'authorize_exec' } } });
  let asked = 0;
  await new Promise<void>((resolve, reject) => {
    call.on('data', (q: Msg) => {
      const question = method.responseDeserialize(q['payload'] as Buffer) as Msg;
      const allow = !String(question['path']).startsWith('/tmp/');
      call.write({ answer: { id: q['id'], status: 0, payload: method.requestSerialize({ allow }) } });
      say({ asked: question['path'], allow });
      if (++asked >= count) call.end();
    });
    call.on('end', resolve);
    call.on('error', (err: grpc.ServiceError) => (asked >= count ? resolve() : reject(err)));
  });
  bridge.close();
}

(mode === 'serve-typed' ? serveTyped(Number(arg)) : mode === 'serve-bridge' ? serveBridge(Number(arg)) : suite()).catch((err: Error) => {
  process.stderr.write(`node-client: ${err.message}\n`);
  process.exit(3);
});
