// WatchStatus: streams of status snapshots that follow link changes and,
// at most every interval, counter changes. A slow watcher gets the newest
// snapshot when it can take one, never a backlog of stale ones.
import * as grpc from '@grpc/grpc-js';

import type { KernelLink } from '../link/kernel-link';
import { endWithStatus } from '../server/calls';

// Counter updates more often than this are not worth a message.
export const MIN_WATCH_INTERVAL_MS = 100;

type StatusStream = grpc.ServerWritableStream<unknown, unknown>;

export interface StatusWatchSources {
  // Its state changes are sent at once.
  link: KernelLink;
  snapshot: () => Record<string, unknown>;
}

export class StatusWatchers {
  #d: StatusWatchSources;
  #ends = new Map<StatusStream, () => void>();

  constructor(d: StatusWatchSources) {
    this.#d = d;
  }

  get size(): number {
    return this.#ends.size;
  }

  // Sends the status now, then on every link state change and, with
  // intervalMs > 0, whenever the counters changed since the last one sent.
  add(call: StatusStream, intervalMs: number): void {
    let lastKey = '';
    let waiting = false;
    let pending = false;
    const send = (force: boolean): void => {
      const snap = this.#d.snapshot();
      const { uptimeMs: _uptime, ...rest } = snap;
      const key = JSON.stringify(rest);
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
    const onState = (): void => send(true);
    this.#d.link.on('state', onState);
    const timer = intervalMs > 0 ? setInterval(() => send(false), Math.max(MIN_WATCH_INTERVAL_MS, intervalMs)) : undefined;
    const end = (): void => {
      if (!this.#ends.delete(call)) return;
      this.#d.link.off('state', onState);
      if (timer) clearInterval(timer);
    };
    this.#ends.set(call, end);
    call.on('cancelled', end);
    call.on('close', end);
    send(true);
  }

  // Shutdown: streams would otherwise outlive the drain.
  closeAll(details: string): void {
    for (const [call, end] of [...this.#ends]) {
      end();
      endWithStatus(call, { code: grpc.status.UNAVAILABLE, details });
    }
  }
}
