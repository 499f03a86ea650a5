// WatchStatus: streams of status snapshots that follow link changes and,
// at most every interval, counter changes. A slow watcher gets the newest
// snapshot when it can take one, never a backlog of stale ones.
import type * as grpc from '@grpc/grpc-js';

import type { KernelLink } from '../link/kernel-link';
import { endWithStatus } from '../server/calls';
import { onStreamEnd } from '../server/stream-sink';
import { Status } from '../wire/constants';

// Counter updates more often than this are not worth a message.
export const MIN_WATCH_INTERVAL_MS = 100;

type StatusStream = grpc.ServerWritableStream<unknown, unknown>;

export interface StatusWatchSources {
  // Its state changes are sent at once.
  link: KernelLink;
  snapshot: () => Record<string, unknown>;
}

// Figures that move all the time: a change of them alone is no news.
function changeKey(snap: Record<string, unknown>): string {
  const { uptimeMs: _uptime, counters, ...rest } = snap;
  const { rssBytes: _rss, heapUsedBytes: _heap, externalBytes: _external, ...steady } = (counters ?? {}) as Record<string, unknown>;
  return JSON.stringify([rest, steady]);
}

export class StatusWatchers {
  #sources: StatusWatchSources;
  // Each watcher's send(force), called on every link state change: one
  // listener on the link for all of them.
  #watchers = new Map<StatusStream, { send: (force: boolean) => void; end: () => void }>();

  constructor(d: StatusWatchSources) {
    this.#sources = d;
    d.link.on('state', () => {
      for (const w of this.#watchers.values()) w.send(true);
    });
  }

  get size(): number {
    return this.#watchers.size;
  }

  // Sends the status now, then on every link state change and, with
  // intervalMs > 0, whenever the counters changed since the last one sent.
  add(call: StatusStream, intervalMs: number): void {
    let lastKey = '';
    let waiting = false;
    let pending = false;
    const send = (force: boolean): void => {
      const snap = this.#sources.snapshot();
      const key = changeKey(snap);
      if (!force && key === lastKey) return;
      if (waiting) {
        pending = true;
        return;
      }
      lastKey = key;
      if (!call.write(snap)) {
        waiting = true;
        call.once('drain', () => {
          waiting = false;
          if (pending) {
            pending = false;
            send(true);
          }
        });
      }
    };
    const timer = intervalMs > 0 ? setInterval(() => send(false), Math.max(MIN_WATCH_INTERVAL_MS, intervalMs)) : undefined;
    const end = (): void => {
      this.#watchers.delete(call);
      if (timer) clearInterval(timer);
    };
    this.#watchers.set(call, { send, end });
    onStreamEnd(call, end);
    send(true);
  }

  // Shutdown: streams would otherwise outlive the drain.
  closeAll(details: string): void {
    for (const [call, w] of [...this.#watchers]) {
      w.end();
      endWithStatus(call, { code: Status.UNAVAILABLE, details });
    }
  }
}
