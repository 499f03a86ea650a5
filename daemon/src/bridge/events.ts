// Events from the kext to subscribers. The kernel reader never waits: an
// event is appended to a ring (for since_seq resume) and to each matching
// subscriber's bounded queue, and queues drain as each stream can take
// writes. Loss is always told in-band, with its source.
import { status } from '@grpc/grpc-js';
import type { EncodableEvent } from './batch-encoding';
import { Queue } from './queue';
import { EventRing } from './ring';

export type OverflowPolicy = 'drop_oldest' | 'drop_newest' | 'disconnect';
export type LossSource = 'LOSS_SOURCE_KERNEL' | 'LOSS_SOURCE_DAEMON' | 'LOSS_SOURCE_SUBSCRIBER' | 'LOSS_SOURCE_LINK';

export type StoredEvent = EncodableEvent;

export interface Lost {
  count: number;
  firstSeq: number;
  lastSeq: number;
  source: LossSource;
  topic: number;
}

export type Item = { event: StoredEvent } | { lost: Lost } | { link: { state: string; detail: string } };

// What a subscriber writes to: a generic or typed grpc stream, or a fake.
// write() returns false when the stream wants no more until 'drain'.
export interface Sink {
  write(items: Item[]): boolean;
  once(event: 'drain', listener: () => void): unknown;
  end(): void;
  destroy(err: { code: number; details: string }): void;
}

export interface SubscriberInfo {
  id: number;
  uid: number;
  pid: number;
  topics: number[];
  overflow: OverflowPolicy;
  queued: number;
  lag: number;
  delivered: number;
  lost: number;
  sinceMs: number;
}

class Subscriber {
  queue = new Queue<Item>((item) => 'event' in item);
  // Events in queue (it also holds Lost and link items).
  queuedEvents = 0;
  // drop_newest: the Lost item at the queue's tail, while more may merge into it.
  tailLoss: Lost | null = null;
  delivered = 0;
  lost = 0;
  lastSentSeq = 0;
  waiting = false;
  closed = false;
  pendingLoss: Lost | null = null;
  // Lost and link items in queue: bounded by limit too (see #enqueue).
  queuedOther = 0;
  // This subscriber's own Lost{KERNEL}, still queued, that later kernel
  // losses merge into once queuedOther reaches the limit.
  mergedKernelLoss: Lost | null = null;
  readonly since = Date.now();

  constructor(
    readonly id: number,
    readonly uid: number,
    readonly pid: number,
    readonly topics: Set<number>,
    readonly prefix: Uint8Array | null,
    readonly overflow: OverflowPolicy,
    readonly limit: number,
    readonly maxBatch: number,
    readonly sink: Sink,
  ) {}

  wants(e: StoredEvent): boolean {
    if (!this.topics.has(e.topic)) return false;
    const p = this.prefix;
    if (!p) return true;
    if (e.payload.length < p.length) return false;
    for (let i = 0; i < p.length; i++) if (e.payload[i] !== p[i]) return false;
    return true;
  }
}

export interface EventHubOptions {
  ringEvents: number;
  ringBytes: number;
  // The set of topics anyone wants changed: tell the kext (SUBSCRIBE).
  onWantedChanged: (topics: number[]) => void;
}

export class EventHub {
  readonly counters = { fromKernel: 0, delivered: 0, lostKernel: 0, lostDaemon: 0, lostSubscriber: 0, lostLink: 0, lastSeq: 0 };
  #o: EventHubOptions;
  #subs = new Map<number, Subscriber>();
  #nextSub = 1;
  #ring: EventRing;
  // Kernel seqs restart at 1 per connection; ours never go backwards.
  #seqOffset = 0;
  #expectKernel = 1;
  #wanted = '';
  // Between hold() and release(): subscribers whose queue grew, flushed
  // together at release.
  #holding = false;
  #dirty = new Set<Subscriber>();

  constructor(options: EventHubOptions) {
    this.#o = options;
    this.#ring = new EventRing(options.ringEvents, options.ringBytes);
  }

  get size(): number {
    return this.#subs.size;
  }

  wantedTopics(): number[] {
    const all = new Set<number>();
    for (const s of this.#subs.values()) for (const t of s.topics) all.add(t);
    return [...all].sort((a, b) => a - b);
  }

  // A new kext connection: its seq 1 follows our last seq.
  linkReady(): void {
    this.#seqOffset = this.counters.lastSeq;
    this.#expectKernel = 1;
    this.#wanted = '';
    this.#announce();
    this.#broadcast({ link: { state: 'LINK_STATE_READY', detail: 'kext link ready' } });
  }

  linkDown(detail: string): void {
    this.#broadcast({ link: { state: 'LINK_STATE_CONNECTING', detail } });
  }

  add(opts: {
    uid: number;
    pid: number;
    topics: Set<number>;
    // Only events whose payload starts with these bytes.
    prefix?: Uint8Array;
    overflow: OverflowPolicy;
    limit: number;
    maxBatch: number;
    sinceSeq: number;
    sink: Sink;
  }): number {
    const prefix = opts.prefix && opts.prefix.length > 0 ? opts.prefix : null;
    const s = new Subscriber(this.#nextSub++, opts.uid, opts.pid, opts.topics, prefix, opts.overflow, opts.limit, opts.maxBatch, opts.sink);
    this.#subs.set(s.id, s);
    if (opts.sinceSeq > 0) this.#replay(s, opts.sinceSeq);
    this.#announce();
    this.#flush(s);
    return s.id;
  }

  remove(id: number): void {
    const s = this.#subs.get(id);
    if (!s) return;
    s.closed = true;
    this.#subs.delete(id);
    this.#announce();
  }

  // Ends every stream now (shutdown): streams would otherwise outlive the drain.
  closeAll(details: string): void {
    for (const s of [...this.#subs.values()]) {
      this.remove(s.id);
      s.sink.destroy({ code: status.UNAVAILABLE, details });
    }
  }

  list(): SubscriberInfo[] {
    return [...this.#subs.values()].map((s) => ({
      id: s.id,
      uid: s.uid,
      pid: s.pid,
      topics: [...s.topics],
      overflow: s.overflow,
      queued: s.queuedEvents,
      lag: Math.max(0, this.counters.lastSeq - s.lastSentSeq),
      delivered: s.delivered,
      lost: s.lost,
      sinceMs: Date.now() - s.since,
    }));
  }

  // Until release(), events queue without being written, so that the
  // events of one kernel datagram (hundreds, under load) leave as one
  // batch rather than a gRPC message each. A queue still flushes as soon
  // as it holds a full batch or reaches its limit, so holding never makes
  // a subscriber lose what it would have been sent.
  hold(): void {
    this.#holding = true;
  }

  release(): void {
    this.#holding = false;
    for (const s of this.#dirty) this.#flush(s);
    this.#dirty.clear();
  }

  // One EVENT from the kext (kernel seq); payload is kept by reference.
  event(kernelSeq: number, timeNs: bigint, topic: number, payload: Uint8Array): void {
    if (kernelSeq > this.#expectKernel) {
      // A gap no LOSS explained: still kernel loss, counted, never silent.
      this.#kernelLoss(kernelSeq - this.#expectKernel, this.#expectKernel, kernelSeq - 1, 0);
    }
    this.#expectKernel = kernelSeq + 1;
    const e: StoredEvent = { seq: this.#seqOffset + kernelSeq, timeNs, topic, payload };
    this.counters.fromKernel++;
    this.counters.lastSeq = e.seq;
    this.#ring.push(e);
    // One queue item for every subscriber: items are never changed once made.
    let item: Item | null = null;
    for (const s of this.#subs.values()) if (s.wants(e)) this.#enqueue(s, (item ??= { event: e }));
  }

  // A LOSS frame: count events of topic lost between first and last.
  // A LOSS that opens a session (seq 1, before any event) counts what the
  // kext published while no daemon was connected: the link's loss.
  loss(topic: number, count: number, firstKernelSeq: number, lastKernelSeq: number): void {
    const whileDown = firstKernelSeq === 1 && this.#expectKernel === 1;
    this.#kernelLoss(count, firstKernelSeq, lastKernelSeq, topic, whileDown ? 'LOSS_SOURCE_LINK' : 'LOSS_SOURCE_KERNEL');
    if (lastKernelSeq + 1 > this.#expectKernel) this.#expectKernel = lastKernelSeq + 1;
  }

  #kernelLoss(count: number, first: number, last: number, topic: number, source: LossSource = 'LOSS_SOURCE_KERNEL'): void {
    if (source === 'LOSS_SOURCE_LINK') this.counters.lostLink += count;
    else this.counters.lostKernel += count;
    this.counters.lastSeq = Math.max(this.counters.lastSeq, this.#seqOffset + last);
    const lost: Lost = { count, firstSeq: this.#seqOffset + first, lastSeq: this.#seqOffset + last, source, topic };
    for (const s of this.#subs.values()) if (topic === 0 || s.topics.has(topic)) this.#enqueue(s, { lost });
  }

  #replay(s: Subscriber, since: number): void {
    const oldest = this.#ring.oldest()?.seq ?? this.counters.lastSeq + 1;
    if (since < oldest) {
      const count = oldest - since;
      this.counters.lostDaemon += count;
      s.queuedOther++;
      s.queue.push({ lost: { count, firstSeq: since, lastSeq: oldest - 1, source: 'LOSS_SOURCE_DAEMON', topic: 0 } });
    }
    for (const e of this.#ring.from(since)) if (s.wants(e)) this.#enqueue(s, { event: e });
  }

  #broadcast(item: Item): void {
    for (const s of this.#subs.values()) this.#enqueue(s, item);
  }

  #enqueue(s: Subscriber, item: Item): void {
    if (s.closed) return;
    if ('event' in item && s.queuedEvents >= s.limit) {
      if (s.overflow === 'disconnect') {
        this.#lose(s, item.event, item.event);
        this.remove(s.id);
        s.sink.destroy({
          code: status.RESOURCE_EXHAUSTED,
          details: `your queue of ${s.limit} events overflowed; read faster, raise queue_limit, or choose drop_oldest / drop_newest`,
        });
        return;
      }
      if (s.overflow === 'drop_newest') {
        // The loss is told where it happened: after the events kept.
        this.counters.lostSubscriber++;
        s.lost++;
        const tail = s.queue.last();
        if (s.tailLoss && tail && 'lost' in tail && tail.lost === s.tailLoss) {
          s.tailLoss.count++;
          s.tailLoss.lastSeq = item.event.seq;
        } else {
          s.tailLoss = { count: 1, firstSeq: item.event.seq, lastSeq: item.event.seq, source: 'LOSS_SOURCE_SUBSCRIBER', topic: 0 };
          s.queuedOther++;
          s.queue.push({ lost: s.tailLoss });
        }
        this.#flush(s);
        return;
      }
      const dropped = s.queue.dropOldest() as { event: StoredEvent } | undefined;
      if (dropped) {
        s.queuedEvents--;
        this.#lose(s, dropped.event, dropped.event);
      }
    }
    if ('event' in item) s.queuedEvents++;
    else {
      // A stalled subscriber under a kernel flood would otherwise pile up
      // one Lost item per LOSS frame without bound (only events are
      // dropped): past the limit, kernel losses merge into one item of its
      // own, exact in count, told at the first one's place.
      if ('lost' in item && item.lost.source === 'LOSS_SOURCE_KERNEL' && s.queuedOther >= s.limit) {
        const m = s.mergedKernelLoss;
        if (m) {
          m.count += item.lost.count;
          m.firstSeq = Math.min(m.firstSeq, item.lost.firstSeq);
          m.lastSeq = Math.max(m.lastSeq, item.lost.lastSeq);
          if (m.topic !== item.lost.topic) m.topic = 0;
          return;
        }
        s.mergedKernelLoss = { ...item.lost };
        item = { lost: s.mergedKernelLoss };
      }
      s.queuedOther++;
    }
    s.queue.push(item);
    if (this.#holding && s.queue.length < s.maxBatch && s.queuedEvents < s.limit) this.#dirty.add(s);
    else this.#flush(s);
  }

  // drop_oldest and disconnect: consecutive losses merge into one Lost
  // item, sent ahead of the queue (the lost events were older than it).
  #lose(s: Subscriber, first: StoredEvent, last: StoredEvent): void {
    this.counters.lostSubscriber++;
    s.lost++;
    if (s.pendingLoss) {
      s.pendingLoss.count++;
      s.pendingLoss.firstSeq = Math.min(s.pendingLoss.firstSeq, first.seq);
      s.pendingLoss.lastSeq = Math.max(s.pendingLoss.lastSeq, last.seq);
    } else {
      s.pendingLoss = { count: 1, firstSeq: first.seq, lastSeq: last.seq, source: 'LOSS_SOURCE_SUBSCRIBER', topic: 0 };
    }
  }

  #flush(s: Subscriber): void {
    while (!s.waiting && !s.closed && (s.queue.length > 0 || s.pendingLoss)) {
      const items: Item[] = [];
      if (s.pendingLoss) {
        items.push({ lost: s.pendingLoss });
        s.pendingLoss = null;
      }
      for (const item of s.queue.take(s.maxBatch)) {
        items.push(item);
        if ('event' in item) {
          s.queuedEvents--;
          s.delivered++;
          this.counters.delivered++;
          s.lastSentSeq = item.event.seq;
        } else {
          s.queuedOther--;
          if ('lost' in item && item.lost === s.mergedKernelLoss) s.mergedKernelLoss = null;
        }
      }
      const more = s.sink.write(items);
      if (!more) {
        s.waiting = true;
        s.sink.once('drain', () => {
          s.waiting = false;
          this.#flush(s);
        });
      }
    }
  }

  #announce(): void {
    const topics = this.wantedTopics();
    const key = topics.join(',');
    if (key === this.#wanted) return;
    this.#wanted = key;
    this.#o.onWantedChanged(topics);
  }
}
