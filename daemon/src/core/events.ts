// Events from the kext to subscribers. The kernel reader never waits: each
// run of EVENT frames becomes one chunk of EventBatch bytes for the ring
// (since_seq resume) and one per distinct subscriber filter, shared by
// every subscriber with that filter; queues hold slices of chunks and
// drain as each stream takes writes. Nothing here makes an object per
// event. Loss is always told in-band, with its source.
import { randomBytes } from 'node:crypto';
import { status } from '@grpc/grpc-js';

import { Chunk, EventFilter, EventRun, Slice, encodeChunk, filterChunk, widen, type Lost, type LossSource, type OutItem, type OverflowPolicy } from './event';
import { QueueMeter, SubscriberQueue } from './queue';
import { EventRing } from './ring';

export type { LinkInfo, Lost, LossSource, OutItem, OverflowPolicy } from './event';

// What a subscriber writes to: a generic or typed grpc stream, or a fake.
// write() returns false when the stream wants no more until 'drain'.
export interface Sink {
  // Called once, before anything is written: the epoch the seqs are in.
  start?(epoch: string): void;
  write(items: readonly OutItem[]): boolean;
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

export interface SubscribeOptions {
  uid: number;
  pid: number;
  topics: ReadonlySet<number>;
  // Only events whose payload starts with these bytes.
  prefix?: Uint8Array;
  overflow: OverflowPolicy;
  // Bounds of this subscriber's queue: events, and their encoded bytes.
  limit: number;
  byteLimit: number;
  maxBatch: number;
  sinceSeq: number;
  // The epoch since_seq belongs to ('' or '0': unknown).
  sinceEpoch?: string;
  sink: Sink;
}

class Subscriber {
  readonly queue: SubscriberQueue;
  delivered = 0;
  lost = 0;
  lastSentSeq = 0;
  waiting = false;
  closed = false;
  // drop_oldest: the loss to tell ahead of what is queued.
  pendingLoss: Lost | null = null;
  // drop_newest: the Lost item at the queue's tail, while more may merge in.
  tailLoss: Lost | null = null;
  // This subscriber's own Lost{KERNEL}, still queued, that later kernel
  // losses merge into once its Lost items reach the limit.
  mergedKernelLoss: Lost | null = null;
  readonly since = Date.now();

  constructor(
    readonly id: number,
    readonly uid: number,
    readonly pid: number,
    readonly filter: EventFilter,
    readonly overflow: OverflowPolicy,
    readonly limit: number,
    readonly byteLimit: number,
    readonly maxBatch: number,
    readonly sink: Sink,
    // This subscriber's uid's queued bytes; the daemon's are in the hub.
    readonly meter: QueueMeter,
    total: QueueMeter,
  ) {
    this.queue = new SubscriberQueue([meter, total]);
  }
}

interface FilterGroup {
  filter: EventFilter;
  subs: Subscriber[];
}

export interface EventHubOptions {
  ringEvents: number;
  ringBytes: number;
  // The set of topics anyone wants changed: tell the kext (SUBSCRIBE).
  onWantedChanged: (topics: number[]) => void;
  // This daemon run's id (decimal u64); random when not given.
  epoch?: string;
  // Bytes all subscriber queues together, and one uid's (root exempt),
  // may hold; past either, the largest queue concerned gives way by its
  // overflow policy. Unbounded when not given.
  queueBytesTotal?: number;
  queueBytesPerUid?: number;
}

// A batch's events stop at about this many bytes (a batch holds one event
// whatever its size): a gRPC message stays well within the daemon's limit
// and one write does not hold up the event loop.
const BATCH_BYTES = 256 * 1024;

export function newEpoch(): string {
  const b = randomBytes(8);
  // Never 0: 0 means "no epoch" in requests.
  const v = b.readBigUInt64LE(0);
  return (v === 0n ? 1n : v).toString();
}

export class EventHub {
  readonly counters = { fromKernel: 0, delivered: 0, lostKernel: 0, lostDaemon: 0, lostSubscriber: 0, lostLink: 0, lastSeq: 0, malformed: 0, chunks: 0, abandoned: 0, budgetCuts: 0 };
  readonly epoch: string;
  #o: EventHubOptions;
  #subs = new Map<number, Subscriber>();
  #groups = new Map<string, FilterGroup>();
  #nextSub = 1;
  #ring: EventRing;
  #run = new EventRun();
  // Kernel seqs restart at 1 per connection; ours never go backwards.
  #seqOffset = 0;
  #expectKernel = 1;
  #wanted = '';
  // Between hold() and release(): subscribers whose queue grew, flushed
  // together at release.
  #holding = false;
  #dirty = new Set<Subscriber>();
  readonly #queued = new QueueMeter();
  readonly #queuedByUid = new Map<number, QueueMeter>();
  readonly #totalMax: number;
  readonly #perUidMax: number;

  constructor(options: EventHubOptions) {
    this.#o = options;
    this.epoch = options.epoch ?? newEpoch();
    this.#ring = new EventRing(options.ringEvents, options.ringBytes);
    this.#totalMax = options.queueBytesTotal ?? Infinity;
    this.#perUidMax = options.queueBytesPerUid ?? Infinity;
  }

  // Bytes queued for all subscribers now.
  get queuedBytes(): number {
    return this.#queued.bytes;
  }

  get size(): number {
    return this.#subs.size;
  }

  wantedTopics(): number[] {
    const all = new Set<number>();
    for (const g of this.#groups.values()) for (const t of g.filter.topics) all.add(t);
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

  add(opts: SubscribeOptions): number {
    const prefix = opts.prefix && opts.prefix.length > 0 ? opts.prefix : null;
    const filter = new EventFilter(opts.topics, prefix);
    let meter = this.#queuedByUid.get(opts.uid);
    if (!meter) this.#queuedByUid.set(opts.uid, (meter = new QueueMeter()));
    const s = new Subscriber(this.#nextSub++, opts.uid, opts.pid, filter, opts.overflow, opts.limit, opts.byteLimit, opts.maxBatch, opts.sink, meter, this.#queued);
    this.#subs.set(s.id, s);
    let g = this.#groups.get(filter.key);
    if (!g) this.#groups.set(filter.key, (g = { filter, subs: [] }));
    g.subs.push(s);
    s.sink.start?.(this.epoch);
    if (opts.sinceSeq > 0) this.#replay(s, opts.sinceSeq, opts.sinceEpoch ?? '');
    this.#announce();
    this.#flush(s);
    return s.id;
  }

  remove(id: number): void {
    const s = this.#subs.get(id);
    if (!s) return;
    s.closed = true;
    // Still queued when the stream ended: neither delivered nor lost.
    this.counters.abandoned += s.queue.events;
    s.queue.release();
    if (s.meter.queues === 0) this.#queuedByUid.delete(s.uid);
    this.#subs.delete(id);
    this.#dirty.delete(s);
    const g = this.#groups.get(s.filter.key);
    if (g) {
      g.subs = g.subs.filter((x) => x !== s);
      if (g.subs.length === 0) this.#groups.delete(s.filter.key);
    }
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
      topics: [...s.filter.topics],
      overflow: s.overflow,
      queued: s.queue.events,
      lag: Math.max(0, this.counters.lastSeq - s.lastSentSeq),
      delivered: s.delivered,
      lost: s.lost,
      sinceMs: Date.now() - s.since,
    }));
  }

  // Until release(), what arrives is queued without being written, so
  // that one reader wake (many datagrams under load) leaves as few gRPC
  // messages as possible. A queue still flushes as soon as it holds a full
  // batch or reaches a bound, so holding never makes a subscriber lose
  // what it would have been sent.
  hold(): void {
    this.#holding = true;
  }

  release(): void {
    this.#holding = false;
    for (const s of this.#dirty) this.#flush(s);
    this.#dirty.clear();
  }

  // A run of whole EVENT frames: datagram and the offsets of their
  // headers (checked by the link: in bounds, type EVENT, no MORE).
  events(datagram: Uint8Array, starts: Uint32Array, n: number): void {
    const run = this.#run;
    run.read(datagram, starts, n, this.#seqOffset);
    this.counters.malformed += run.malformed;
    let from = 0;
    for (let i = 0; i < run.count; i++) {
      const kernelSeq = run.seq(i) - this.#seqOffset;
      if (kernelSeq < this.#expectKernel) {
        // A seq not past the last one: a kext that repeats or goes back.
        // Forwarded, two events would share a seq (and a consumer keyed
        // by seq, as the exporter's message ids are, would drop one);
        // dropped and counted as malformed instead.
        if (i > from) this.#publish(from, i);
        from = i + 1;
        this.counters.malformed++;
        continue;
      }
      if (kernelSeq > this.#expectKernel) {
        // A gap no LOSS explained: still kernel loss, counted, never silent.
        if (i > from) this.#publish(from, i);
        from = i;
        this.#kernelLoss(kernelSeq - this.#expectKernel, this.#expectKernel, kernelSeq - 1, 0);
      }
      this.#expectKernel = kernelSeq + 1;
    }
    if (run.count > from) this.#publish(from, run.count);
  }

  // A LOSS frame: count events of topic lost between first and last.
  // A LOSS that opens a session (seq 1, before any event) counts what the
  // kext published while no daemon was connected: the link's loss.
  loss(topic: number, count: number, firstKernelSeq: number, lastKernelSeq: number): void {
    const whileDown = firstKernelSeq === 1 && this.#expectKernel === 1;
    this.#kernelLoss(count, firstKernelSeq, lastKernelSeq, topic, whileDown ? 'LOSS_SOURCE_LINK' : 'LOSS_SOURCE_KERNEL');
    if (lastKernelSeq + 1 > this.#expectKernel) this.#expectKernel = lastKernelSeq + 1;
  }

  // Events [from, to) of the current run, contiguous in seq.
  #publish(from: number, to: number): void {
    const run = this.#run;
    this.counters.fromKernel += to - from;
    this.counters.lastSeq = run.seq(to - 1);
    let all: Chunk | null = null;
    if (this.#ring.enabled) {
      all = encodeChunk(run, from, to, null);
      this.counters.chunks++;
      this.#ring.push(all!);
    }
    for (const g of this.#groups.values()) {
      let c: Chunk | null;
      const f = g.filter;
      if (!f.prefix && run.soleTopic >= 0) {
        // The common case: one topic in the run, no payload filter.
        if (!f.topics.has(run.soleTopic)) continue;
        c = all ??= this.#encode(from, to, null);
      } else {
        let matched = 0;
        for (let i = from; i < to; i++) if (run.matches(f, i)) matched++;
        if (matched === 0) continue;
        c = matched === to - from ? (all ??= this.#encode(from, to, null)) : this.#encode(from, to, f);
      }
      if (!c) continue;
      for (const s of g.subs) this.#enqueue(s, new Slice(c, 0, c.count));
    }
  }

  #encode(from: number, to: number, f: EventFilter | null): Chunk | null {
    this.counters.chunks++;
    return encodeChunk(this.#run, from, to, f);
  }

  #kernelLoss(count: number, first: number, last: number, topic: number, source: LossSource = 'LOSS_SOURCE_KERNEL'): void {
    if (source === 'LOSS_SOURCE_LINK') this.counters.lostLink += count;
    else this.counters.lostKernel += count;
    this.counters.lastSeq = Math.max(this.counters.lastSeq, this.#seqOffset + last);
    const lost: Lost = { count, firstSeq: this.#seqOffset + first, lastSeq: this.#seqOffset + last, source, topic };
    for (const s of this.#subs.values()) if (topic === 0 || s.filter.topics.has(topic)) this.#enqueue(s, { lost });
  }

  #replay(s: Subscriber, requested: number, sinceEpoch: string): void {
    const newest = this.counters.lastSeq;
    let since = requested;
    const daemonLost = (lost: Omit<Lost, 'source' | 'topic'>): void => {
      this.counters.lostDaemon += lost.count;
      this.#enqueue(s, { lost: { ...lost, source: 'LOSS_SOURCE_DAEMON', topic: 0 } });
    };
    const otherEpoch = sinceEpoch !== '' && sinceEpoch !== '0' && sinceEpoch !== this.epoch;
    if (otherEpoch) {
      daemonLost({
        count: 0,
        firstSeq: requested,
        lastSeq: requested,
        detail: `since_seq ${requested} is from daemon epoch ${sinceEpoch}; this daemon (epoch ${this.epoch}) started since, so what happened in between cannot be known; replaying this epoch from seq 1`,
      });
      since = 1;
    } else if (requested > newest + 1) {
      const restarted = sinceEpoch === '' || sinceEpoch === '0';
      daemonLost({
        count: 0,
        firstSeq: requested,
        lastSeq: requested,
        detail: restarted
          ? `since_seq ${requested} is ahead of the newest seq ${newest}: the daemon has restarted since (send since_epoch to be told exactly); replaying from seq 1`
          : `since_seq ${requested} is ahead of the newest seq ${newest} of this epoch; delivering live events`,
      });
      since = restarted ? 1 : newest + 1;
    }
    const oldest = this.#ring.size > 0 ? this.#ring.oldestSeq() : newest + 1;
    if (since < oldest && since <= newest) {
      daemonLost({ count: oldest - since, firstSeq: since, lastSeq: oldest - 1 });
    }
    for (const slice of this.#ring.from(since)) {
      const c = slice.chunk;
      let all = true;
      for (let i = slice.from; i < slice.to && all; i++) all = s.filter.matchesChunkEvent(c, i);
      if (all) this.#enqueue(s, slice);
      else {
        const cut = filterChunk(c, slice.from, slice.to, s.filter);
        if (cut) this.#enqueue(s, new Slice(cut, 0, cut.count));
      }
    }
  }

  #broadcast(item: OutItem): void {
    for (const s of this.#subs.values()) this.#enqueue(s, item);
  }

  #enqueue(s: Subscriber, item: OutItem): void {
    if (s.closed) return;
    if (!(item instanceof Slice) && 'lost' in item && item.lost.source === 'LOSS_SOURCE_KERNEL' && s.queue.others >= s.limit) {
      // A stalled subscriber under a kernel flood would otherwise pile up
      // one Lost item per LOSS frame without bound (only events are
      // dropped): past the limit, kernel losses merge into one item of its
      // own, exact in count, told at the first one's place.
      const m = s.mergedKernelLoss;
      if (m) {
        widen(m, item.lost);
        if (m.topic !== item.lost.topic) m.topic = 0;
        return;
      }
      s.mergedKernelLoss = { ...item.lost };
      item = { lost: s.mergedKernelLoss };
    }
    const q = s.queue;
    q.push(item);
    if (this.#holding && q.events + q.others < s.maxBatch && q.events <= s.limit && q.bytes <= s.byteLimit) this.#dirty.add(s);
    else this.#flush(s);
    if (q.events > s.limit || q.bytes > s.byteLimit) this.#overflow(s, s.byteLimit, null);
    if (s.meter.bytes > this.#perUidMax && s.uid !== 0) this.#overBudget(s.meter, this.#perUidMax, `uid ${s.uid}'s queued events reached their share of ${this.#perUidMax} bytes (limits.queueBytesPerUid)`, s.uid);
    if (this.#queued.bytes > this.#totalMax) this.#overBudget(this.#queued, this.#totalMax, `the daemon's queued events reached their budget of ${this.#totalMax} bytes (limits.queueBytesTotal)`, null);
  }

  // A budget of queued bytes is exceeded: the largest queue it covers (of
  // the one uid, or of all) gives way first, by its own overflow policy,
  // until the budget holds. The subscriber reading least pays, never all.
  #overBudget(meter: QueueMeter, max: number, why: string, uid: number | null): void {
    for (let guard = 0; meter.bytes > max && guard < 1024; guard++) {
      let largest: Subscriber | null = null;
      for (const x of this.#subs.values()) {
        if (uid !== null && x.uid !== uid) continue;
        if (!largest || x.queue.bytes > largest.queue.bytes) largest = x;
      }
      if (!largest || largest.queue.bytes === 0) return;
      this.counters.budgetCuts++;
      this.#overflow(largest, Math.max(0, largest.queue.bytes - (meter.bytes - max)), why);
    }
  }

  // The queue is past a bound (its own, or its share of a budget: why says
  // which) and its stream is not taking writes: it keeps at most maxBytes.
  #overflow(s: Subscriber, maxBytes: number, why: string | null): void {
    const q = s.queue;
    if (s.overflow === 'disconnect') {
      const overEvents = q.events > s.limit;
      // What did not fit is lost; what did is abandoned with the stream.
      const excess = q.dropNewest(s.limit, maxBytes)?.count ?? 0;
      this.counters.lostSubscriber += excess;
      s.lost += excess;
      this.remove(s.id);
      s.sink.destroy({
        code: status.RESOURCE_EXHAUSTED,
        details: why
          ? `${why}; your queue was the largest: read faster, or choose drop_oldest / drop_newest`
          : overEvents
            ? `your queue of ${s.limit} events overflowed; read faster, raise queue_limit, or choose drop_oldest / drop_newest`
            : `your queue reached its ${s.byteLimit}-byte bound; read faster, or choose drop_oldest / drop_newest`,
      });
      return;
    }
    if (s.overflow === 'drop_newest') {
      const cut = q.dropNewest(s.limit, maxBytes);
      if (!cut) return;
      this.counters.lostSubscriber += cut.count;
      s.lost += cut.count;
      // The loss is told where it happened: after the events kept.
      const tail = q.last();
      if (s.tailLoss && tail && !(tail instanceof Slice) && 'lost' in tail && tail.lost === s.tailLoss) {
        widen(s.tailLoss, cut);
      } else {
        s.tailLoss = { count: cut.count, firstSeq: cut.firstSeq, lastSeq: cut.lastSeq, source: 'LOSS_SOURCE_SUBSCRIBER', topic: 0 };
        q.push({ lost: s.tailLoss });
      }
      return;
    }
    // drop_oldest: consecutive losses merge into one Lost item, sent ahead
    // of the queue (the lost events were older than it).
    const cut = q.dropOldest(s.limit, maxBytes);
    if (!cut) return;
    this.counters.lostSubscriber += cut.count;
    s.lost += cut.count;
    const p = s.pendingLoss;
    if (p) {
      widen(p, cut);
    } else {
      s.pendingLoss = { count: cut.count, firstSeq: cut.firstSeq, lastSeq: cut.lastSeq, source: 'LOSS_SOURCE_SUBSCRIBER', topic: 0 };
    }
  }

  #flush(s: Subscriber): void {
    while (!s.waiting && !s.closed && (!s.queue.empty || s.pendingLoss)) {
      const out: OutItem[] = [];
      if (s.pendingLoss) {
        out.push({ lost: s.pendingLoss });
        s.pendingLoss = null;
      }
      s.queue.take(s.maxBatch, out, BATCH_BYTES);
      for (const item of out) {
        if (item instanceof Slice) {
          const n = item.count;
          s.delivered += n;
          this.counters.delivered += n;
          s.lastSentSeq = item.chunk.seq(item.to - 1);
        } else if ('lost' in item) {
          if (item.lost === s.mergedKernelLoss) s.mergedKernelLoss = null;
          if (item.lost === s.tailLoss) s.tailLoss = null;
        }
      }
      const more = s.sink.write(out);
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
