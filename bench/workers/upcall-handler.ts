// One authorize_exec handler that answers every question at once with
// ExecVerdict{allow: true}, in its own process as a real handler would be;
// prints 'ready' once the daemon lists it, exits on SIGTERM.
import { KextBridgeClient } from 'kextbridge/internal/client';
import { exitOnTerm, ready, workerArgs } from '../lib/worker';

const ALLOW = Uint8Array.of(0x08, 0x01);

const a = workerArgs<{ socket: string }>();
const client = new KextBridgeClient({ socket: a.socket, deadlineMs: 10_000 });
exitOnTerm(() => client.close());

async function main(): Promise<void> {
  const before = (await client.status()).upcallHandlers;
  void client.serve('authorize_exec', () => ({ payload: ALLOW })).catch((err: Error) => {
    console.error(`upcall handler: ${err.message}`);
    process.exit(1);
  });
  while ((await client.status()).upcallHandlers <= before) await new Promise((r) => setTimeout(r, 10));
  ready();
}

void main();
