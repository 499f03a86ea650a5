// Run as a child process (under another uid) by the typed-proxy tests:
// uses the TypeScript client library's typed Example stub and prints
// what it got as one JSON line.
//
//   node typed-client.js SOCKET echo TEXT | heartbeat | emit
import type { ServiceError } from '@grpc/grpc-js';
import { KextBridgeClient } from 'kextbridge';
import { exampleStub } from './example';

async function main(): Promise<unknown> {
  const [socket, what, arg] = process.argv.slice(2);
  const client = new KextBridgeClient({ socket: socket! });
  const ex = exampleStub(client);
  const unary = <T>(fn: (cb: (e: ServiceError | null, r?: T) => void) => void): Promise<unknown> =>
    new Promise((res) => fn((e, r) => res(e ? { code: e.code, details: e.details } : { reply: r })));
  try {
    switch (what) {
      case 'echo':
        return await unary((cb) => ex.Echo({ data: Buffer.from(arg ?? '') }, client.options(), cb));
      case 'emit':
        return await unary((cb) => ex.Emit({ topic: 2, count: 1 }, client.options(), cb));
      case 'heartbeat': {
        const stream = ex.WatchHeartbeat({});
        for await (const beat of stream) {
          stream.cancel();
          return { beat };
        }
        return { ended: true };
      }
      default:
        throw new Error(`typed-client: unknown action ${what}`);
    }
  } finally {
    client.close();
  }
}

main().then(
  (r) => {
    process.stdout.write(JSON.stringify(r) + '\n');
    process.exit(0);
  },
  (e: unknown) => {
    process.stderr.write(String((e as Error).stack ?? e) + '\n');
    process.exit(1);
  },
);
