// The bare baseline: a plain grpc-js server on a unix socket, serving the
// same kextbridge.v1.Bridge definition the daemon serves (same codec,
// same message shapes) with nothing behind it. Call echoes its payload;
// Subscribe streams pre-encoded EventBatch bytes built the daemon's way,
// as fast as the stream takes them, then ends OK. The bridge's figures
// are divided by these.
//
//   node dist/bench/bare/server.js '{"socket":PATH,"eventsPerStream":N,"eventBytes":64,"batch":256}'
import * as grpc from '@grpc/grpc-js';

import { loadApi } from 'kextbridged/internal/server/protos';
import { preEncodedBatches } from './batches';

interface BareServerArgs {
  socket: string;
  eventsPerStream: number;
  eventBytes: number;
  batch: number;
}

const args = JSON.parse(process.argv[2] ?? '{}') as BareServerArgs;
const api = loadApi([]);
const plan = preEncodedBatches(args.eventBytes, args.batch);

function call(c: grpc.ServerUnaryCall<{ payload?: Buffer }, unknown>, cb: grpc.sendUnaryData<unknown>): void {
  cb(null, { payload: c.request.payload });
}

function subscribe(c: grpc.ServerWritableStream<unknown, unknown>): void {
  let sent = 0;
  let next = 0;
  const pump = (): void => {
    while (sent < args.eventsPerStream && !c.cancelled) {
      const i = next++ % plan.batches.length;
      sent += plan.counts[i]!;
      if (!c.write(plan.batches[i])) {
        c.once('drain', pump);
        return;
      }
    }
    if (!c.cancelled) c.end();
  };
  pump();
}

const server = new grpc.Server();
server.addService(api.bridge, { Call: call, Subscribe: subscribe });
server.bindAsync(`unix://${args.socket}`, grpc.ServerCredentials.createInsecure(), (err) => {
  if (err) {
    console.error(`bare server: ${err.message}`);
    process.exit(1);
  }
  console.log('ready');
});
process.on('SIGTERM', () => server.tryShutdown(() => process.exit(0)));
