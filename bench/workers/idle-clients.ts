// `clients` connections to the daemon, each its own, each having made one
// GetStatus call (so the daemon has accepted it, read its credentials and
// holds its HTTP/2 session), then idle until SIGTERM.
import type { BridgeClient } from 'kextbridge/internal/generated/kextbridge/v1/Bridge';
import { exitOnTerm, ownConnection, ready, workerArgs } from '../lib/worker';

export interface IdleClientsArgs {
  socket: string;
  clients: number;
}

const a = workerArgs<IdleClientsArgs>();

function status(c: BridgeClient): Promise<void> {
  return new Promise((resolve, reject) => c.GetStatus({}, { deadline: Date.now() + 30_000 }, (err) => (err ? reject(err) : resolve())));
}

async function main(): Promise<void> {
  const clients = Array.from({ length: a.clients }, () => ownConnection(a.socket));
  exitOnTerm(() => clients.forEach((c) => c.close()));
  // In waves: a thousand connects at once only measures the accept backlog.
  for (let i = 0; i < clients.length; i += 100) await Promise.all(clients.slice(i, i + 100).map(status));
  ready();
}

main().catch((err: unknown) => {
  console.error(`idle-clients: ${(err as Error).message}`);
  process.exit(1);
});
