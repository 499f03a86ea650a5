// Calls to the kext over the one link: request ids, a bounded window of
// calls in flight (the kext's max_inflight at most), a bounded queue in
// front of it, deadlines and cancellation as CANCEL frames, and an end to
// everything the moment the link goes down.

import { payloadForLog, type Logger } from '../log';
import { FRAME_TYPE_NAMES, FrameType, Status } from '../wire';

export type RequestKind = 'request' | 'opt_get' | 'opt_set';

export interface KextReply {
  status: number;
  payload: Buffer;
  // For status != OK: the kext's message, or the daemon's.
  message: string;
}

export interface RequestsOptions {
  send: (type: number, id: number, code: number, payload?: Uint8Array) => boolean;
  maxQueued: number;
  defaultDeadlineMs: number;
  // Each call and reply at debug, payloads included (see payloadForLog).
  log?: Logger;
}

interface Pending {
  id: number;
  type: number;
  code: number;
  payload: Uint8Array;
  resolve: (r: KextReply) => void;
  timer: NodeJS.Timeout;
  sent: boolean;
  // Answered already (cancelled or expired); waiting for the kext's confirmation.
  settled?: boolean;
  onAbort?: () => void;
  signal?: AbortSignal;
  // performance.now() when it was sent to the kext (its round trip starts).
  sentAt?: number;
}

const TYPE: Record<RequestKind, number> = {
  request: FrameType.REQUEST,
  opt_get: FrameType.OPT_GET,
  opt_set: FrameType.OPT_SET,
};

export class Requests {
  readonly counters = { started: 0, unknownResponses: 0, cancelsSent: 0, byStatus: new Map<number, number>() };
  // Told of each reply the kext sends in time: its status and the seconds
  // from REQUEST to RESPONSE (the metrics' kernel round trip).
  onRoundTrip: ((status: number, seconds: number) => void) | undefined;
  #options: RequestsOptions;
  #window = 0;
  #up = false;
  #downReason = 'the kext link is not ready';
  #nextId = 1;
  #inflight = new Map<number, Pending>();
  #queue: Pending[] = [];

  constructor(options: RequestsOptions) {
    this.#options = options;
  }

  get inflight(): number {
    return this.#inflight.size - this.#queue.length;
  }

  get queued(): number {
    return this.#queue.length;
  }

  // The link is ready; window = the kext's max_inflight capped by config.
  linkUp(window: number): void {
    this.#up = true;
    this.#window = window;
  }

  // Every call in flight or queued ends now with UNAVAILABLE.
  linkDown(reason: string): void {
    this.#up = false;
    this.#downReason = reason;
    const all = [...this.#inflight.values()];
    this.#inflight.clear();
    this.#queue = [];
    for (const p of all) this.#finish(p, { status: Status.UNAVAILABLE, payload: Buffer.alloc(0), message: `kext link down: ${reason}` });
  }

  call(kind: RequestKind, code: number, payload: Uint8Array, deadlineMs?: number, signal?: AbortSignal): Promise<KextReply> {
    return new Promise((resolve) => {
      if (!this.#up) {
        resolve({ status: Status.UNAVAILABLE, payload: Buffer.alloc(0), message: `kext link not ready: ${this.#downReason}` });
        return;
      }
      const waiting = this.#inflight.size >= this.#window;
      if (waiting && this.#queue.length >= this.#options.maxQueued) {
        resolve({
          status: Status.RESOURCE_EXHAUSTED,
          payload: Buffer.alloc(0),
          message: `${this.#window} calls in flight and ${this.#queue.length} queued (limits.maxQueued); retry later`,
        });
        return;
      }
      const id = this.#allocateId();
      const ms = deadlineMs ?? this.#options.defaultDeadlineMs;
      const p: Pending = {
        id,
        type: TYPE[kind],
        code,
        payload,
        resolve,
        sent: false,
        timer: setTimeout(() => this.#expire(p, ms), ms),
        ...(signal ? { signal } : {}),
      };
      this.counters.started++;
      this.#inflight.set(id, p);
      if (signal) {
        p.onAbort = () => this.#cancel(p, Status.CANCELLED, 'cancelled by the client');
        signal.addEventListener('abort', p.onAbort, { once: true });
      }
      if (waiting) this.#queue.push(p);
      else this.#send(p);
    });
  }

  onResponse(id: number, code: number, payload: Uint8Array): void {
    const p = this.#inflight.get(id);
    if (!p || !p.sent) {
      this.counters.unknownResponses++;
      return;
    }
    this.#inflight.delete(id);
    if (p.settled) {
      clearTimeout(p.timer);
      this.#admit();
      return;
    }
    const log = this.#options.log;
    if (log?.isLevelEnabled('debug')) log.debug({ id, status: code, payload: payloadForLog(log, payload) }, 'reply from the kext');
    if (this.onRoundTrip && p.sentAt !== undefined) this.onRoundTrip(code, (performance.now() - p.sentAt) / 1000);
    const body = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
    this.#finish(p, { status: code, payload: code === 0 ? Buffer.from(body) : Buffer.alloc(0), message: code === 0 ? '' : body.toString('utf8') });
    this.#admit();
  }

  #send(p: Pending): void {
    p.sent = true;
    if (this.onRoundTrip) p.sentAt = performance.now();
    const log = this.#options.log;
    if (log?.isLevelEnabled('debug')) log.debug({ id: p.id, type: FRAME_TYPE_NAMES[p.type], code: p.code, payload: payloadForLog(log, p.payload) }, 'call to the kext');
    this.#options.send(p.type, p.id, p.code, p.payload);
  }

  #admit(): void {
    while (this.#queue.length > 0 && this.#inflight.size - this.#queue.length < this.#window) this.#send(this.#queue.shift()!);
  }

  #expire(p: Pending, ms: number): void {
    this.#cancel(p, Status.DEADLINE_EXCEEDED, `no answer from the kext within ${ms} ms`);
  }

  // The caller is answered now; a sent call is cancelled at the kext too,
  // and its window slot is free once the kext confirms (or the link drops).
  #cancel(p: Pending, code: number, message: string): void {
    if (this.#inflight.get(p.id) !== p) return;
    if (p.sent) {
      this.#options.send(FrameType.CANCEL, p.id, 0);
      this.counters.cancelsSent++;
      // Keep the id reserved until the kext's CANCELLED answer arrives.
      const settled: Pending = { ...p, settled: true, resolve: () => undefined, timer: setTimeout(() => this.#release(p.id), 30_000) };
      delete settled.onAbort;
      delete settled.signal;
      this.#inflight.set(p.id, settled);
    } else {
      this.#inflight.delete(p.id);
      this.#queue = this.#queue.filter((q) => q !== p);
    }
    this.#finish(p, { status: code, payload: Buffer.alloc(0), message });
  }

  // A kext that never confirms a cancel must not hold a slot for ever.
  #release(id: number): void {
    const p = this.#inflight.get(id);
    if (p) {
      this.#inflight.delete(id);
      this.#admit();
    }
  }

  #finish(p: Pending, r: KextReply): void {
    clearTimeout(p.timer);
    if (p.signal && p.onAbort) p.signal.removeEventListener('abort', p.onAbort);
    this.counters.byStatus.set(r.status, (this.counters.byStatus.get(r.status) ?? 0) + 1);
    p.resolve(r);
  }

  #allocateId(): number {
    for (;;) {
      const id = this.#nextId;
      this.#nextId = this.#nextId >= 0xffffffff ? 1 : this.#nextId + 1;
      if (!this.#inflight.has(id)) return id;
    }
  }
}
