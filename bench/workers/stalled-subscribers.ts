// `subscribers` subscriptions to the exec topic, each on its own connection,
// that never read: HTTP/2 flow control fills, the daemon's writes stop,
// and its per-subscriber queue is what holds the rest. Idle until SIGTERM.
import { exitOnTerm, ownConnection, ready, workerArgs } from '../lib/worker';

export interface StalledSubscribersArgs {
  socket: string;
  subscribers: number;
}

const a = workerArgs<StalledSubscribersArgs>();
const clients = Array.from({ length: a.subscribers }, () => ownConnection(a.socket));
exitOnTerm(() => clients.forEach((c) => c.close()));
for (const c of clients) {
  const call = c.Subscribe({ topics: [{ name: 'exec' }] });
  // Never read: a paused stream leaves the data in the transport's window.
  call.pause();
  call.on('error', () => undefined);
}
ready();
