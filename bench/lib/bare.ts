// Starts the bare baseline server (bench/bare/server.ts) as a child process.
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';

import { EVENT_BATCH } from './config';
import { ROOT } from './paths';
import { track, waitForLine } from './procs';

export interface BareServer {
  socket: string;
  process: ChildProcess;
}

export async function bareServer(socket: string, o: { eventsPerStream: number; eventBytes: number }): Promise<BareServer> {
  const child = track(process.execPath, [join(ROOT, 'dist/bench/bare/server.js'), JSON.stringify({ socket, ...o, batch: EVENT_BATCH })]);
  await waitForLine(child, (l) => l === 'ready', 10_000, 'bare grpc-js server');
  return { socket, process: child };
}
