// A client that keeps one connection to the daemon and runs the calls it
// is sent, one JSON line each on stdin, answering one JSON line each on
// stdout. Run under another uid by session.ts, so a test can make many
// calls as that user over one connection (the daemon reads a caller's
// identity once per connection).
//
//   in:  {"id":1,"method":"Call","request":{...}}
//   out: {"id":1,"code":0,"details":"","reply":{...}}
// Streaming methods report their first message (or their error) and are
// cancelled; a stream that stays open and silent for 300 ms counts as
// accepted (code 0, reply null). For Serve, `request` is the first message.
import { createInterface } from 'node:readline';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { join } from 'node:path';
import { ROOT as root } from './paths';

const [socket] = process.argv.slice(2);
const def = protoLoader.loadSync('kextbridge/v1/bridge.proto', { includeDirs: [join(root, 'proto')], longs: String, enums: String, defaults: true, oneofs: true });
const Bridge = (grpc.loadPackageDefinition(def) as unknown as { kextbridge: { v1: { Bridge: grpc.ServiceClientConstructor } } }).kextbridge.v1.Bridge;
const client = new Bridge(`unix://${socket}`, grpc.credentials.createInsecure());
const STREAMS = new Set(['Subscribe', 'WatchStatus']);
const SILENT_MS = 300;

interface Command {
  id: number;
  method: string;
  request: unknown;
}
interface Result {
  code: number;
  details: string;
  reply: unknown;
}

type Streaming = NodeJS.EventEmitter & { cancel(): void; write?(m: unknown): void };

function firstOf(call: Streaming): Promise<Result> {
  return new Promise((res) => {
    let done = false;
    const finish = (r: Result): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      call.cancel();
      res(r);
    };
    const timer = setTimeout(() => finish({ code: 0, details: '', reply: null }), SILENT_MS);
    call.on('data', (m: unknown) => finish({ code: 0, details: '', reply: m }));
    call.on('error', (e: grpc.ServiceError) => finish({ code: e.code, details: e.details, reply: null }));
  });
}

function run(c: Command): Promise<Result> {
  const method = (client as unknown as Record<string, (...a: unknown[]) => Streaming>)[c.method];
  if (!method) return Promise.resolve({ code: -1, details: `no method ${c.method}`, reply: null });
  if (STREAMS.has(c.method)) return firstOf(method.call(client, c.request));
  if (c.method === 'Serve') {
    const call = method.call(client);
    call.write!(c.request);
    return firstOf(call);
  }
  return new Promise((res) => {
    method.call(client, c.request, { deadline: Date.now() + 5000 }, (e: grpc.ServiceError | null, reply: unknown) =>
      res(e ? { code: e.code, details: e.details, reply: null } : { code: 0, details: '', reply }),
    );
  });
}

createInterface({ input: process.stdin })
  .on('line', (line) => {
    const c = JSON.parse(line) as Command;
    void run(c).then((r) => process.stdout.write(JSON.stringify({ id: c.id, ...r }) + '\n'));
  })
  .on('close', () => {
    client.close();
    process.exit(0);
  });
