// The contract between run.ts and a worker process: arguments as one JSON
// argv, a 'ready' line when set up (long-lived workers), one JSON line as
// the result, and exit on SIGTERM.
import * as grpc from '@grpc/grpc-js';

import { api } from 'kextbridge/internal/api';
import type { BridgeClient } from 'kextbridge/internal/generated/kextbridge/v1/Bridge';

export function workerArgs<T>(): T {
  return JSON.parse(process.argv[2] ?? '{}') as T;
}

export function ready(): void {
  process.stdout.write('ready\n');
}

export function report(result: unknown): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

export function exitOnTerm(cleanup: () => void = () => undefined): void {
  process.on('SIGTERM', () => {
    cleanup();
    process.exit(0);
  });
}

// A Bridge stub on a connection of its own: grpc-js otherwise shares one
// connection among all clients of a target, and these stand for separate
// applications.
export function ownConnection(socket: string): BridgeClient {
  return new (api().kextbridge.v1.Bridge)(`unix://${socket}`, grpc.credentials.createInsecure(), { 'grpc.use_local_subchannel_pool': 1 });
}
