// GetStatus and WatchStatus: one snapshot of every pipeline stage's
// counters, and streams of it that follow link changes and, at most every
// interval, counter changes. A slow watcher gets the newest snapshot when
// it can take one, never a backlog of stale ones.
import * as grpc from '@grpc/grpc-js';

import type { Authorizer } from '../auth/audit';
import type { KernelLink } from '../link/kernel-link';
import type { EventHub } from './events';
import type { Requests } from './requests';
import { endWithStatus } from './rpc';
import type { UpcallRouter } from './upcalls';

export interface StatusSources {
  link: KernelLink;
  requests: Requests;
  events: EventHub;
  upcalls: UpcallRouter;
  auth: Authorizer;
  startedAt: number;
  connections: () => number;
}

// Counter updates more often than this are not worth a message.
export const MIN_WATCH_INTERVAL_MS = 100;

export function statusSnapshot(d: StatusSources): Record<string, unknown> {
  const l = d.link.counters;
  const r = d.requests.counters;
  const ev = d.events.counters;
  const u = d.upcalls.counters;
  return {
    linkState: `LINK_STATE_${d.link.state.toUpperCase()}`,
    linkDetail: d.link.detail,
    linkGeneration: d.link.generation,
    uptimeMs: Date.now() - d.startedAt,
    counters: {
      datagramsIn: l.datagramsIn,
      datagramsOut: l.datagramsOut,
      framesIn: l.framesIn,
      framesOut: l.framesOut,
      malformedFromKext: l.malformed,
      linkResets: l.resets,
      callsStarted: r.started,
      callsInflight: d.requests.inflight,
      callsQueued: d.requests.queued,
      callsByStatus: Object.fromEntries([...r.byStatus].map(([k, v]) => [grpc.status[k] ?? String(k), v])),
      responsesUnknownId: r.unknownResponses,
      cancelsSent: r.cancelsSent,
      eventsFromKernel: ev.fromKernel,
      eventsDelivered: ev.delivered,
      lostKernel: ev.lostKernel,
      lostDaemon: ev.lostDaemon,
      lostSubscriber: ev.lostSubscriber,
      lostLink: ev.lostLink,
      lastSeq: ev.lastSeq,
      upcalls: u.upcalls,
      upcallsAnswered: u.answered,
      upcallsNoHandler: u.noHandler,
      upcallsLate: u.late,
      upcallsHandlerGone: u.handlerGone,
      denied: d.auth.denied,
    },
    clients: d.connections(),
    subscribers: d.events.size,
    upcallHandlers: d.upcalls.handlerCount,
  };
}

type StatusStream = grpc.ServerWritableStream<unknown, unknown>;

export class StatusWatchers {
  #d: StatusSources;
  #ends = new Map<StatusStream, () => void>();

  constructor(d: StatusSources) {
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
      const snap = statusSnapshot(this.#d);
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
