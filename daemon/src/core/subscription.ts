// One subscriber: its queue, its overflow policy, its loss merging and
// its flush into the sink it is bound to. The hub hands it items and, past
// a budget, asks it to give way; everything else is decided here.
//
// What it has written and its transport still holds (in flight) counts
// with its queue toward the budgets, and it writes no more while that is
// past its share of the daemon's stream budget: a stream that stops
// reading holds its queue and one share, never more.
import type { ProgramSummary } from '../auth/identity';
import { LossSource, type OverflowPolicyName } from '@kextbridge/protocol';

import { Status } from '../wire/constants';
import { Chunk, Slice, type EventFilter, type OutItem, type QueuedItem } from './chunk';
import { widen, type Lost } from './items';
import type { Overflowing, OverflowPolicy } from './overflow';
import { meter, SubscriberQueue, type Cut, type QueueMeter } from './queue';

// A batch's events stop at about this many bytes (a batch holds one event
// whatever its size): a gRPC message stays well within the daemon's limit
// and one write does not hold up the event loop.
export const BATCH_BYTES = 256 * 1024;
// What a Lost or link item counts in flight (they are small and rare).
const ITEM_BYTES = 64;

// What a subscription writes to: a server stream, or a test's fake.
export interface EventSink {
  // It writes each event's payload as it is (a typed watch), never the
  // EventBatch encoding: nothing need be encoded for it.
  readonly payloadsOnly?: boolean;
  // Once, before anything is written: the epoch the seqs are in, and the
  // flow the sink reports its progress to.
  start(epoch: string, flow: SinkFlow): void;
  // One batch, `bytes` as the subscription counts it. false: write nothing
  // more until flow.resume().
  write(items: readonly OutItem[], bytes: number): boolean;
  // Ends the stream with a status (shutdown, overflow).
  fail(code: Status, details: string): void;
}

export interface SinkFlow {
  // The transport takes writes again.
  resume(): void;
  // The transport no longer holds a batch written with these bytes.
  sent(bytes: number): void;
}

// What a subscription needs of its hub.
export interface SubscriptionHost {
  readonly counters: { delivered: number; lostSubscriber: number; abandoned: number };
  // Bytes one stream may have in flight now.
  streamShare(): number;
  // The subscription ended itself (disconnect): forget it.
  remove(id: number): void;
}

export interface SubscriptionOptions {
  id: number;
  uid: number;
  pid: number;
  program?: ProgramSummary;
  filter: EventFilter;
  policy: OverflowPolicy;
  // Bounds of its queue: events, and the bytes they keep alive.
  limit: number;
  byteLimit: number;
  maxBatch: number;
  sink: EventSink;
  // Its uid's queued bytes and the daemon's.
  meters: readonly [QueueMeter, QueueMeter];
}

export interface SubscriberInfo {
  id: number;
  uid: number;
  pid: number;
  program?: ProgramSummary;
  topics: number[];
  overflow: OverflowPolicyName;
  queued: number;
  queuedBytes: number;
  inFlightBytes: number;
  lag: number;
  delivered: number;
  lost: number;
  sinceMs: number;
}

export class Subscription implements SinkFlow, Overflowing {
  readonly id: number;
  readonly uid: number;
  readonly pid: number;
  readonly program: ProgramSummary | undefined;
  readonly filter: EventFilter;
  readonly policy: OverflowPolicy;
  readonly limit: number;
  readonly byteLimit: number;
  readonly #maxBatch: number;
  readonly #sink: EventSink;
  readonly #payloadsOnly: boolean;
  readonly #host: SubscriptionHost;
  readonly #meters: readonly QueueMeter[];
  readonly queue: SubscriberQueue;
  readonly since = Date.now();
  delivered = 0;
  lost = 0;
  lastSentSeq = 0;
  inFlight = 0;
  closed = false;
  // The sink said wait.
  #blocked = false;
  // In flush(): a sink that reports a write sent while it is written must
  // not start a second flush inside the first.
  #flushing = false;
  // drop_oldest: the loss to tell ahead of what is queued.
  #pendingLoss: Lost | null = null;
  // drop_newest: the Lost item at the queue's tail, while more may merge in.
  #tailLoss: Lost | null = null;
  // Its own Lost{KERNEL}, still queued, that later kernel losses merge
  // into once its Lost items reach the limit.
  #mergedKernelLoss: Lost | null = null;
  // The kernel loss at its queue's tail that later ones widen (its own copy).
  #tailKernelLoss: Lost | null = null;

  constructor(o: SubscriptionOptions, host: SubscriptionHost) {
    this.id = o.id;
    this.uid = o.uid;
    this.pid = o.pid;
    this.program = o.program;
    this.filter = o.filter;
    this.policy = o.policy;
    this.limit = o.limit;
    this.byteLimit = o.byteLimit;
    this.#maxBatch = o.maxBatch;
    this.#sink = o.sink;
    this.#payloadsOnly = o.sink.payloadsOnly === true;
    this.#host = host;
    this.#meters = o.meters;
    this.queue = new SubscriberQueue(o.meters);
  }

  get uidMeter(): QueueMeter {
    return this.#meters[0]!;
  }

  // Bytes it holds: its queue and what its transport has not taken.
  get held(): number {
    return this.queue.bytes + this.inFlight;
  }

  // Its stream takes nothing now: it is written to on resume or sent.
  get paused(): boolean {
    return this.#blocked || this.#room() === 0;
  }

  // It keeps up: what is queued next will be written, encoded, before
  // anything can push it out (its stream takes writes and its queue holds
  // less than one share of the stream budget), so the hub encodes it at
  // once, in the pass that copies it, rather than when taken. A queue past
  // that is one a flood outruns: what it gets may be dropped unread.
  get takesNow(): boolean {
    return !this.#payloadsOnly && !this.#blocked && !this.closed && this.queue.bytes < this.#host.streamShare();
  }

  // Bytes it may write now: its share of the stream budget less what is in
  // flight; 0 too when a stream with writes in flight has room for less
  // than a whole batch (or half its share), so that it waits for a batch's
  // worth rather than dribbling a few events a message.
  #room(): number {
    const share = this.#host.streamShare();
    const room = share - this.inFlight;
    return room <= 0 || (this.inFlight > 0 && room < Math.min(BATCH_BYTES, share / 2)) ? 0 : room;
  }

  get queuedEvents(): number {
    return this.queue.events;
  }

  start(epoch: string): void {
    this.#sink.start(epoch, this);
  }

  // Queues an item and writes what the sink takes, unless the hub is
  // holding (one reader wake's events leave in as few writes as possible)
  // and the queue has no full batch yet. true: it waits for the hold's end.
  enqueue(item: QueuedItem, holding: boolean): boolean {
    if (this.closed) return false;
    const kernelLoss = !(item instanceof Chunk) && !(item instanceof Slice) && 'lost' in item && item.lost.source === LossSource.KERNEL ? item.lost : null;
    if (kernelLoss && this.#mergeAtTail(kernelLoss)) return false;
    if (kernelLoss && this.queue.others >= this.limit) {
      // A stalled subscriber under a kernel flood would otherwise pile up
      // one Lost item per LOSS frame without bound (only events are
      // dropped): past the limit, kernel losses merge into one item of its
      // own, exact in count, told at the first one's place.
      const m = this.#mergedKernelLoss;
      if (m) {
        widen(m, kernelLoss);
        if (m.topic !== kernelLoss.topic) m.topic = 0;
        return false;
      }
      this.#mergedKernelLoss = { ...kernelLoss };
      item = { lost: this.#mergedKernelLoss };
    }
    const q = this.queue;
    q.push(item);
    // A stream that takes nothing now is written to when it says so
    // (resume, sent), not at every run.
    const paused = this.paused;
    const wait = !paused && holding && q.events + q.others < this.#maxBatch && q.events <= this.limit && q.bytes <= this.byteLimit;
    if (!paused && !wait) this.flush();
    if (q.events > this.limit || q.bytes > this.byteLimit) this.giveWay(this.byteLimit, null);
    return wait && !this.closed;
  }

  // A kernel loss right after another one still queued (nothing between
  // them, or only events since dropped) is the same gap told twice: it
  // widens that one, made this subscription's own, instead of queuing a
  // second item. A stalled subscriber under a kernel flood keeps one.
  #mergeAtTail(lost: Lost): boolean {
    const tail = this.queue.last();
    if (!tail || tail instanceof Chunk || tail instanceof Slice || !('lost' in tail) || tail.lost.source !== LossSource.KERNEL) return false;
    let own = tail.lost;
    if (own !== this.#tailKernelLoss) {
      // The hub shares one item among all subscribers: copy it first.
      own = { ...tail.lost };
      this.#tailKernelLoss = own;
      this.queue.replaceLast({ lost: own });
    }
    widen(own, lost);
    if (own.topic !== lost.topic) own.topic = 0;
    return true;
  }

  giveWay(maxBytes: number, why: string | null): void {
    this.policy.giveWay(this, maxBytes, why);
  }

  // Overflowing: what the policy does.
  dropOldest(maxBytes: number): Cut | null {
    return this.#counted(this.queue.dropOldest(this.limit, maxBytes));
  }

  dropNewest(maxBytes: number): Cut | null {
    return this.#counted(this.queue.dropNewest(this.limit, maxBytes));
  }

  lostAhead(cut: Cut): void {
    const p = this.#pendingLoss;
    if (p) widen(p, cut);
    else this.#pendingLoss = { count: cut.count, firstSeq: cut.firstSeq, lastSeq: cut.lastSeq, source: LossSource.SUBSCRIBER, topic: 0 };
  }

  lostAtTail(cut: Cut): void {
    // The loss is told where it happened: after the events kept.
    const tail = this.queue.last();
    if (this.#tailLoss && tail && !(tail instanceof Slice) && !(tail instanceof Chunk) && 'lost' in tail && tail.lost === this.#tailLoss) {
      widen(this.#tailLoss, cut);
    } else {
      this.#tailLoss = { count: cut.count, firstSeq: cut.firstSeq, lastSeq: cut.lastSeq, source: LossSource.SUBSCRIBER, topic: 0 };
      this.queue.push({ lost: this.#tailLoss });
    }
  }

  disconnect(details: string, lost: number): void {
    this.#host.counters.lostSubscriber += lost;
    this.lost += lost;
    this.#host.remove(this.id);
    this.#sink.fail(Status.RESOURCE_EXHAUSTED, details);
  }

  #counted(cut: Cut | null): Cut | null {
    if (cut) {
      this.#host.counters.lostSubscriber += cut.count;
      this.lost += cut.count;
    }
    return cut;
  }

  // Writes while the sink takes writes and the share allows.
  flush(): void {
    if (this.#flushing) return;
    this.#flushing = true;
    try {
      this.#writeAll();
    } finally {
      this.#flushing = false;
    }
  }

  #writeAll(): void {
    const q = this.queue;
    while (!this.#blocked && !this.closed && (!q.empty || this.#pendingLoss)) {
      const room = this.#room();
      // Resumed by sent().
      if (room === 0) return;
      const out: OutItem[] = [];
      let bytes = 0;
      if (this.#pendingLoss) {
        out.push({ lost: this.#pendingLoss });
        this.#pendingLoss = null;
        bytes += ITEM_BYTES;
      }
      q.take(this.#maxBatch, out, Math.min(BATCH_BYTES, room));
      for (const item of out) {
        if (item instanceof Slice) {
          const n = item.count;
          this.delivered += n;
          this.#host.counters.delivered += n;
          this.lastSentSeq = item.chunk.seq(item.to - 1);
          bytes += item.size;
        } else {
          if ('lost' in item) {
            if (item.lost === this.#mergedKernelLoss) this.#mergedKernelLoss = null;
            if (item.lost === this.#tailKernelLoss) this.#tailKernelLoss = null;
            if (item.lost === this.#tailLoss) this.#tailLoss = null;
          }
          bytes += ITEM_BYTES;
        }
      }
      this.inFlight += bytes;
      meter(this.#meters, bytes);
      if (!this.#sink.write(out, bytes)) this.#blocked = true;
    }
  }

  // SinkFlow.
  resume(): void {
    this.#blocked = false;
    this.flush();
  }

  sent(bytes: number): void {
    if (this.closed) return;
    this.inFlight -= bytes;
    meter(this.#meters, -bytes);
    this.flush();
  }

  // Removed from the hub (its stream ended, or it was ended): it counts
  // for nothing any more; what was still queued is abandoned, not lost.
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.#host.counters.abandoned += this.queue.events;
    this.queue.release();
    meter(this.#meters, -this.inFlight);
    this.inFlight = 0;
  }

  // Ends the stream (shutdown).
  fail(code: Status, details: string): void {
    this.#sink.fail(code, details);
  }

  info(lastSeq: number): SubscriberInfo {
    return {
      id: this.id,
      uid: this.uid,
      pid: this.pid,
      ...(this.program ? { program: this.program } : {}),
      topics: [...this.filter.topics],
      overflow: this.policy.name,
      queued: this.queue.events,
      queuedBytes: this.queue.bytes,
      inFlightBytes: this.inFlight,
      lag: Math.max(0, lastSeq - this.lastSentSeq),
      delivered: this.delivered,
      lost: this.lost,
      sinceMs: Date.now() - this.since,
    };
  }
}
